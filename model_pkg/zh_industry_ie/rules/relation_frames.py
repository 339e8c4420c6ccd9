"""Frame labelling functions: relations from the shape of a sentence, not from seed strings.

Chinese industrial news states its facts in a few frames (issue 10):

- the project frame ``ORG (在 PARK) 投资建设 年产 Q P(、Q P) 项目，总投资 MONEY``;
- signing ``GPE政府 与 ORG 签订 … 项目`` (the investor is the ORG after 与);
- siting ``落户/入驻/位于/选址/在…建设 PARK|GPE``, often with the ORG several clauses earlier;
- lists ``年产A万吨X、B万吨Y`` and ``主要生产/主营/布局 X、Y和Z``.

Every frame here is one of two shapes over a :class:`SentenceTemplate` (one sentence; entities
as placeholder characters):

``owner``
    A *run* of tail entities (a list joined by 、和及与; list items may carry a prefix entity,
    e.g. the QUANTITY of ``20万吨磷酸铁锂``) that a cue introduces (``年产`` right before the
    run), closes (``项目`` right after it) or frames (``在`` before and ``建设`` after). Its
    owner is the *nearest* head entity before the run (a list of heads counts as one), skipping
    names with an administrative suffix (政府, 管委会: they sign, they do not invest). Nearest
    means a second project in the same sentence gets its own ORG, never the first one's.
``respectively``
    ``X、Y 分别为 A、B``: two runs of equal length paired in order.

Cue words and limits come from the family's ``params`` (``seeds/relations/frames.json``). The
cost is linear in the sentence length times the number of cues.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Span

from .relation_cues import PLACEHOLDERS, CueFamily, Pair, SentenceTemplate, expand_macros

_ALL_PLACEHOLDERS = "".join(PLACEHOLDERS.values())
# Characters that end a clause: a cue never reaches across them.
_CLAUSE_END = "，,。；;！？!?：:"
# What may stand between an opening bracket and the short name defined in it: （简称“X”）.
_APPOSITION_LEAD = frozenset("简称以下称“”\"「」：: ")
_APPOSITION_REACH = 8


@dataclass(frozen=True)
class Run:
    """A list of tail entities in template positions [start, end); ``items`` in text order."""

    start: int
    end: int
    items: tuple[Span, ...]


def _alternation(words: Sequence[str]) -> str:
    # Longest first, so 投资建设 wins over 投资.
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _placeholder_class(labels: Sequence[str]) -> str:
    return "".join(PLACEHOLDERS[label] for label in labels)


class FrameFamily(CueFamily):
    """A frame labelling function configured by data (see the module docstring)."""

    kind = "frame"

    def __init__(self, name: str, label: str, function: str, params: dict[str, Any]) -> None:
        super().__init__(name, label)
        if function not in FRAME_FUNCTIONS:
            raise ValueError(f"frame family {name!r}: unknown function {function!r}")
        self.function = function
        self.params = dict(params)
        self._find: Callable[[SentenceTemplate], Iterator[Pair]] = FRAME_FUNCTIONS[function](self.params)

    def find(self, template: SentenceTemplate) -> Iterator[Pair]:
        for head, tail in self._find(template):
            if self.allowed(head, tail):
                yield head, tail

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "function": self.function, "params": self.params}


def _run_regex(
    tails: Sequence[str], prefixes: Sequence[str], separators: Sequence[str], suffixes: Sequence[str] = ()
) -> re.Pattern[str]:
    tail = f"[{_placeholder_class(tails)}]"
    prefix = f"(?:[{_placeholder_class(prefixes)}]的?)?" if prefixes else ""
    # 年产铁920万吨、钢1000万吨: the amount may follow each item instead.
    suffix = f"[{_placeholder_class(suffixes)}]?" if suffixes else ""
    sep = f"(?:{_alternation(separators)})+" if separators else "(?!)"
    item = f"{prefix}{tail}{suffix}"
    return re.compile(f"{item}(?:(?:{sep})?{item})*")


def find_runs(
    template: SentenceTemplate, regex: re.Pattern[str], tails: Sequence[str]
) -> list[Run]:
    runs = []
    for match in regex.finditer(template.text):
        items = tuple(e for e in template.entities_in(*match.span()) if e.label_ in tails)
        if items:
            runs.append(Run(match.start(), match.end(), items))
    return runs


def _cue_before(regex: re.Pattern[str] | None, text: str, start: int, gap: int) -> bool:
    """A cue ends within ``gap`` plain characters before ``start`` (no clause end, no entity)."""
    if regex is None:
        return False
    window = text[max(0, start - gap - 12) : start]
    return regex.search(window) is not None


def _cue_regex_before(words: Sequence[str], gap: int) -> re.Pattern[str] | None:
    if not words:
        return None
    filler = f"[^{_ALL_PLACEHOLDERS}{_CLAUSE_END}]{{0,{gap}}}"
    return re.compile(f"(?:{_alternation(words)}){filler}$")


def _cue_regex_after(words: Sequence[str], gap: int) -> re.Pattern[str] | None:
    if not words:
        return None
    filler = f"[^{_ALL_PLACEHOLDERS}{_CLAUSE_END}]{{0,{gap}}}?"
    return re.compile(f"^{filler}(?:{_alternation(words)})")


def nearest_heads(
    template: SentenceTemplate,
    before: int,
    heads: Sequence[str],
    max_distance: int,
    skip_suffixes: Sequence[str],
    separators: str,
    same_clause: bool = False,
    barriers: Sequence[str] = (),
    anaphors: Sequence[str] = (),
    complement_cues: tuple[str, ...] = (),
    followed_by: re.Pattern[str] | None = None,
) -> list[Span]:
    """The nearest head entity before position ``before`` plus the list it belongs to.

    None when a clause end (with ``same_clause``) or a barrier (``项目、``: another project
    ended there, whose owner the entity recognizer may have missed) comes first. An entity right
    after one of ``complement_cues`` (坐落于X内, 位于X) is where the subject is, not the owner:
    the search goes on to its left."""
    i = before - 1
    lowest = max(0, before - max_distance)
    text = template.text
    while i >= lowest:
        ent = template.entities[i]
        if same_clause and ent is None and text[i] in _CLAUSE_END:
            return []
        # 项目，该项目将…: the clause after the barrier goes on about the same project.
        if any(text.endswith(b, 0, i + 1) for b in barriers) and not text.startswith(anaphors, i + 1):
            return []
        if (
            ent is not None and ent.label_ in heads and not head_skipped(ent, skip_suffixes, followed_by)
            and not (complement_cues and text.endswith(complement_cues, 0, i))
        ):
            i = apposed_name(template, i, heads)
            ent = template.entities[i]
            found = [ent]
            j = i - 1
            # Walk left over a list of heads: 隆基、晶澳和阳光 all own what follows.
            while j >= 0:
                while j >= 0 and template.entities[j] is None and template.text[j] in separators:
                    j -= 1
                prev = template.entities[j] if j >= 0 else None
                if prev is None or prev.label_ not in heads or head_skipped(prev, skip_suffixes, followed_by):
                    break
                found.append(prev)
                j -= 1
            return found[::-1]
        i -= 1
    return []


def apposed_name(template: SentenceTemplate, i: int, heads: Sequence[str]) -> int:
    """Where the owner stands when the entity at ``i`` is a short name in brackets right after
    a name (甲乙化肥有限公司（简称“甲乙”）日前公告称，公司拟…): the name before the bracket, the
    clause's subject; ``i`` itself otherwise."""
    j = i - 1
    while j >= max(0, i - _APPOSITION_REACH) and template.entities[j] is None:
        if template.text[j] in "（(":
            before = template.entities[j - 1] if j > 0 else None
            return j - 1 if before is not None and before.label_ in heads else i
        if template.text[j] not in _APPOSITION_LEAD:
            return i
        j -= 1
    return i


_FOLLOWING_TOKENS = 12


def head_skipped(ent: Span, suffixes: Sequence[str], followed_by: re.Pattern[str] | None = None) -> bool:
    """Whether an entity's normalised text ends with one of the suffixes (政府, 管委会 ...), or
    the text right after it matches ``followed_by`` (a dateline: 甲网北京电, 甲网12月1日讯)."""
    norm = "".join(t.norm_ for t in ent)
    if any(norm.endswith(s) for s in suffixes):
        return True
    if followed_by is None:
        return False
    after = "".join(t.norm_ for t in ent.doc[ent.end : ent.end + _FOLLOWING_TOKENS])
    return followed_by.match(after) is not None


def owner_frame(params: dict[str, Any]) -> Callable[[SentenceTemplate], Iterator[Pair]]:
    tails: list[str] = params["tails"]
    heads: list[str] = params["heads"]
    run_regex = _run_regex(
        tails, params.get("item_prefixes", []), params.get("separators", []), params.get("item_suffixes", [])
    )
    gap = int(params.get("cue_gap", 2))
    before = _cue_regex_before(params.get("cues_before", []), gap)
    after = _cue_regex_after(params.get("cues_after", []), int(params.get("after_gap", 2)))
    around = [
        (_cue_regex_before(pre, gap), _cue_regex_after(post, int(params.get("after_gap", 2))))
        for pre, post in params.get("cues_around", [])
    ]
    max_distance = int(params.get("max_head_distance", 80))
    skip = list(params.get("skip_head_suffixes", []))
    list_separators = "".join(params.get("head_separators", ["、", "和", "及", "与"]))
    closed_same_clause = bool(params.get("closer_same_clause", True))
    barriers = list(params.get("head_barriers", []))
    anaphors = tuple(params.get("barrier_anaphors", []))
    complements = tuple(params.get("skip_heads_after", []))
    dateline = params.get("skip_heads_followed_by")
    followed_by = re.compile(dateline) if dateline else None
    # What right after the run shows it modifies a later noun (位于X的子公司): not this owner's.
    reject = _cue_regex_after(params.get("reject_after", []), 0)

    def find(template: SentenceTemplate) -> Iterator[Pair]:
        text = template.text
        for run in find_runs(template, run_regex, tails):
            rest = text[run.end : run.end + 40]
            if reject is not None and reject.search(rest):
                continue
            framed = _cue_before(before, text, run.start, gap) or any(
                _cue_before(pre, text, run.start, gap) and post is not None and post.search(rest)
                for pre, post in around
            )
            closed = after is not None and after.search(rest) is not None
            if not (framed or closed):
                continue
            # A run only closed (X项目) without a verb before it is a noun phrase: its owner must
            # stand in the same clause, or a list of ORGs an earlier clause names gets it.
            same_clause = not framed and closed_same_clause
            owners = nearest_heads(
                template, run.start, heads, max_distance, skip, list_separators, same_clause, barriers,
                anaphors, complements, followed_by,
            )
            for head in owners:
                for tail in run.items:
                    yield head, tail

    return find


def respectively_frame(params: dict[str, Any]) -> Callable[[SentenceTemplate], Iterator[Pair]]:
    heads, tails = params["heads"], params["tails"]
    separators = params.get("separators", ["、", "和", "及", "与"])
    head_regex = _run_regex(heads, [], separators)
    tail_regex = _run_regex(tails, [], separators)
    bridge = re.compile(
        f"^[^{_ALL_PLACEHOLDERS}。；]{{0,{int(params.get('bridge_gap', 12))}}}?"
        f"(?:{_alternation(params['cues'])})[^{_ALL_PLACEHOLDERS}。；]{{0,4}}$"
    )

    def find(template: SentenceTemplate) -> Iterator[Pair]:
        head_runs = find_runs(template, head_regex, heads)
        tail_runs = find_runs(template, tail_regex, tails)
        for h_run in head_runs:
            t_run = next((r for r in tail_runs if r.start >= h_run.end), None)
            if t_run is None or len(h_run.items) != len(t_run.items) or len(h_run.items) < 2:
                continue
            if bridge.search(template.text[h_run.end : t_run.start]):
                yield from zip(h_run.items, t_run.items, strict=True)

    return find


FRAME_FUNCTIONS: dict[str, Callable[[dict[str, Any]], Callable[[SentenceTemplate], Iterator[Pair]]]] = {
    "owner": owner_frame,
    "respectively": respectively_frame,
}


def build_frame_family(spec: dict[str, Any], macros: dict[str, str]) -> FrameFamily:
    params = dict(spec.get("params", {}))
    # The one regex param that reads text, not cue words: it may name a macro ({DATELINE_AFTER}).
    if params.get("skip_heads_followed_by"):
        params["skip_heads_followed_by"] = expand_macros(params["skip_heads_followed_by"], macros)
    return FrameFamily(spec["name"], spec["label"], spec["function"], params)
