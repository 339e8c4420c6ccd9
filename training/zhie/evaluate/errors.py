"""Error analysis of predicted entity spans against gold spans (original offsets).

Each gold/predicted span falls in one class:
- exact span: correct, or a label confusion (same span, different label);
- boundary error: it overlaps a span on the other side but no span matches it exactly;
- miss (gold with no overlapping prediction) / false alarm (prediction with no overlapping gold).
The confusion matrix has the labels plus ``O``: row = gold, column = prediction; misses land
in column O, false alarms in row O; boundary errors are counted apart.

Relations (exact head and tail spans and labels, as scored): a gold pair the system did not
predict is missed, a predicted pair not in the gold is spurious; each says whether the system
found both of its entities, since most missed pairs on unseen news have an entity missing.
"""

from __future__ import annotations

from collections.abc import Sequence

ERROR_TYPES = ("wrong_label", "boundary", "missed", "false_alarm")
RELATION_ERROR_TYPES = ("missed_relation", "spurious_relation")
CONTEXT_CHARS = 25

Span = tuple[int, int, str]
Relation = tuple[Span, Span, str]


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _example(
    par_id: str, text: str, gold: Sequence[Span], pred: Sequence[Span], focus: Sequence[Span]
) -> dict:
    """The error's neighbourhood, with every gold and predicted span inside it (window offsets)."""
    start = max(0, min(s[0] for s in focus) - CONTEXT_CHARS)
    end = min(len(text), max(s[1] for s in focus) + CONTEXT_CHARS)

    def inside(spans: Sequence[Span]) -> list[list]:
        return [[s - start, e - start, label] for s, e, label in sorted(spans) if s >= start and e <= end]

    return {
        "paragraph": par_id,
        "offset": start,
        "text": text[start:end],
        "focus": [[s, e, label, text[s:e]] for s, e, label in focus],
        "gold": inside(gold),
        "pred": inside(pred),
    }


def analyse_errors(
    ids: Sequence[str],
    texts: Sequence[str],
    gold_sets: Sequence[set[Span]],
    pred_sets: Sequence[set[Span]],
    labels: Sequence[str],
    max_examples: int = 12,
) -> dict:
    axis = [*labels, "O"]
    index = {label: i for i, label in enumerate(axis)}
    matrix = [[0] * len(axis) for _ in axis]
    counts = dict.fromkeys(("correct", *ERROR_TYPES), 0)
    examples: dict[str, list[dict]] = {kind: [] for kind in ERROR_TYPES}

    def add(kind: str, par: int, focus: list[Span]) -> None:
        counts[kind] += 1
        if len(examples[kind]) < max_examples:
            examples[kind].append(
                _example(ids[par], texts[par], sorted(gold_sets[par]), sorted(pred_sets[par]), focus)
            )

    for par, (gold, pred) in enumerate(zip(gold_sets, pred_sets, strict=True)):
        pred_by_span = {(s, e): label for s, e, label in pred}
        gold_by_span = {(s, e): label for s, e, label in gold}
        for g in sorted(gold):
            p_label = pred_by_span.get((g[0], g[1]))
            if p_label is not None:
                matrix[index[g[2]]][index.get(p_label, index["O"])] += 1
                if p_label == g[2]:
                    counts["correct"] += 1
                else:
                    add("wrong_label", par, [g, (g[0], g[1], p_label)])
                continue
            overlapping = [p for p in sorted(pred) if _overlaps(g, p) and (p[0], p[1]) not in gold_by_span]
            if overlapping:
                add("boundary", par, [g, *overlapping])
            else:
                matrix[index[g[2]]][index["O"]] += 1
                add("missed", par, [g])
        for p in sorted(pred):
            if (p[0], p[1]) in gold_by_span:
                continue
            # Overlapping a gold span that has no exact match: already a boundary error.
            if any(_overlaps(p, g) and (g[0], g[1]) not in pred_by_span for g in gold):
                continue
            if p[2] in index:
                matrix[index["O"]][index[p[2]]] += 1
            add("false_alarm", par, [p])
    return {"labels": axis, "matrix": matrix, "counts": counts, "examples": examples}


def analyse_relation_errors(
    ids: Sequence[str],
    texts: Sequence[str],
    gold_relations: Sequence[set[Relation]],
    pred_relations: Sequence[set[Relation]],
    gold_entities: Sequence[set[Span]],
    pred_entities: Sequence[set[Span]],
    max_examples: int = 12,
) -> dict:
    """Missed and spurious relation pairs with their neighbourhood (gold and predicted entity
    spans), and how many missed pairs had both entities found by the system."""
    counts = {"correct": 0, "missed_relation": 0, "spurious_relation": 0, "missed_with_both_entities": 0}
    examples: dict[str, list[dict]] = {kind: [] for kind in RELATION_ERROR_TYPES}
    for par, (gold, pred) in enumerate(zip(gold_relations, pred_relations, strict=True)):
        counts["correct"] += len(gold & pred)
        for kind, items, found_in in (
            ("missed_relation", gold - pred, pred_entities[par]),
            ("spurious_relation", pred - gold, gold_entities[par]),
        ):
            for head, tail, label in sorted(items):
                counts[kind] += 1
                both = head in found_in and tail in found_in
                if kind == "missed_relation" and both:
                    counts["missed_with_both_entities"] += 1
                if len(examples[kind]) < max_examples:
                    gold_spans, pred_spans = sorted(gold_entities[par]), sorted(pred_entities[par])
                    example = _example(ids[par], texts[par], gold_spans, pred_spans, [head, tail])
                    # Missed: did the system find both entities? Spurious: are both in the gold?
                    example.update(kind=kind, relation=label, entities_found=both)
                    examples[kind].append(example)
    return {"counts": counts, "examples": examples}
