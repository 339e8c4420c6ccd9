"""Precision, recall and F1 over sets of exact entity spans and relations."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Sequence

from zhie.gold import ENTITY_LABELS

RELATION_LABELS = ("LOCATED_IN", "PRODUCES", "CAPACITY", "INVESTS")


def prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp, "fn": fn}


def _score(
    gold_sets: Sequence[set[Hashable]],
    pred_sets: Sequence[set[Hashable]],
    labels: Sequence[str],
    label_of: Callable[[Hashable], str],
) -> dict[str, object]:
    if len(gold_sets) != len(pred_sets):
        raise ValueError(f"{len(gold_sets)} gold items but {len(pred_sets)} predictions")
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for gold, pred in zip(gold_sets, pred_sets, strict=True):
        gold, pred = set(gold), set(pred)
        for item in gold & pred:
            tp[label_of(item)] += 1
        for item in pred - gold:
            fp[label_of(item)] += 1
        for item in gold - pred:
            fn[label_of(item)] += 1
    all_labels = list(labels) + sorted((set(tp) | set(fp) | set(fn)) - set(labels))
    per_label = {label: prf(tp[label], fp[label], fn[label]) for label in all_labels}
    micro = prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    scored = [per_label[label] for label in labels]
    macro = {
        key: sum(float(s[key]) for s in scored) / len(scored) if scored else 0.0
        for key in ("precision", "recall", "f1")
    }
    return {"per_label": per_label, "micro": micro, "macro": macro}


def score_entities(gold_sets: Sequence[set], pred_sets: Sequence[set]) -> dict[str, object]:
    """Items are (start, end, label); a prediction counts only if span and label are exact."""
    return _score(gold_sets, pred_sets, ENTITY_LABELS, lambda item: item[2])


def score_relations(gold_sets: Sequence[set], pred_sets: Sequence[set]) -> dict[str, object]:
    """Items are (head_key, tail_key, label); a relation whose entity was missed is a FN."""
    return _score(gold_sets, pred_sets, RELATION_LABELS, lambda item: item[2])
