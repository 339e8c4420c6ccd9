"""Priority voting: turn the overlapping, conflicting matches of the labelling functions into
flat entities (ANNOTATION.md: no nesting, keep the outermost; GPE inside ORG/PARK untagged).

1. Votes per exact span: each function that proposes (start, end, label) adds its weight to
   that label; the span takes the label with the most weight (ties: label priority order).
2. Selection: spans are taken longest first (then heavier, then earlier); a span is kept when
   it overlaps no kept span. Nested spans therefore lose to the outermost one, and of two
   crossing spans the longer wins.
3. Spans whose total weight is below ``min_weight`` are dropped before selection.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

Span3 = tuple[int, int, str]
_SEAT_OPENERS = frozenset("（(")


def vote(
    matches: Iterable[tuple[str, Span3]],
    weights: Mapping[str, float],
    label_order: Sequence[str],
    min_weight: float = 0.0,
) -> list[Span3]:
    """``matches``: (function name, (start, end, label)); returns sorted non-overlapping spans."""
    rank = {label: i for i, label in enumerate(label_order)}
    scores: dict[tuple[int, int], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for fn_name, (start, end, label) in matches:
        if end > start:
            scores[(start, end)][label] += weights.get(fn_name, 1.0)
    candidates: list[tuple[int, int, str, float]] = []
    for (start, end), by_label in scores.items():
        label, weight = min(by_label.items(), key=lambda kv: (-kv[1], rank.get(kv[0], len(rank)), kv[0]))
        if weight >= min_weight:
            candidates.append((start, end, label, weight))
    candidates.sort(key=lambda c: (-(c[1] - c[0]), -c[3], c[0], rank.get(c[2], len(rank))))
    taken = bytearray(max((c[1] for c in candidates), default=0))
    kept: list[Span3] = []
    for start, end, label, _ in candidates:
        if any(taken[start:end]):
            continue
        taken[start:end] = b"\x01" * (end - start)
        kept.append((start, end, label))
    return sorted(kept)


def fill_in_order(
    layers: Sequence[Sequence[tuple[str, Span3]]], weights: Mapping[str, float], order: Sequence[str],
    floor: float, text: str = "", enclosing: frozenset[str] = frozenset(),
) -> list[Span3]:
    """Each layer's matches voted among themselves, kept where no earlier layer's entity overlaps.

    With ``text``, an earlier layer's name gives way to a later layer's name of the same label
    that starts where it starts and goes on with a bracketed seat (远帆硅业 | 远帆硅业(富源)有限公司):
    the earlier source (LAC's words) knows where a name begins, the rule the seat and legal form
    that end it, and ANNOTATION.md keeps the outermost span. Other extensions to the right
    (央视新闻, 扬州大学会) are not trusted: measured on the weak corpus.

    ``enclosing``: functions whose names are built around another name (a company's park,
    比亚迪产业园区); an earlier layer's name strictly inside one of theirs gives way to it."""
    chosen: list[Span3] = []
    for i, layer in enumerate(layers):
        later = [(n, m) for rest in layers[i + 1 :] for n, m in rest]
        seated = _seated_names(layer, [m for _, m in later], text)
        wrapping = [m for n, m in later if n in enclosing]
        free = [
            (n, m) for n, m in layer
            if not any(s < m[1] and m[0] < e for s, e, _ in chosen)
            and not any(_inside(m, seat) for seat in seated)
            and not any(_strictly_inside(m, outer) for outer in wrapping)
        ]
        chosen.extend(vote(free, weights, order, floor))
    return sorted(chosen)


def _strictly_inside(span: Span3, outer: Span3) -> bool:
    return outer[0] <= span[0] and span[1] <= outer[1] and span[1] - span[0] < outer[1] - outer[0]


def _inside(span: Span3, outer: Span3) -> bool:
    return span != outer and span[2] == outer[2] and outer[0] <= span[0] and span[1] <= outer[1]


def _seated_names(layer: Sequence[tuple[str, Span3]], later: Sequence[Span3], text: str) -> list[Span3]:
    """The later names that go on with a bracketed seat after one of this layer's names; this
    layer's names inside them (远帆重工 and 海风设备有限公司 of 远帆重工(昆明)海风设备有限公司)
    give way."""
    if not text:
        return []
    starts = {
        (start, label): end for _, (start, end, label) in layer
        if text[end : end + 1] in _SEAT_OPENERS
    }
    return [
        (start, end, label) for start, end, label in later
        if (start, label) in starts and starts[(start, label)] < end
    ]
