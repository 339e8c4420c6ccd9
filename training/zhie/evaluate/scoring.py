"""Precision, recall and F1 over sets of exact entity spans and relations."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence

from seqeval.metrics.sequence_labeling import get_entities

from zh_industry_ie.normalize import normalize, to_simplified
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


# --- Exact spans through seqeval, mention-level matching -------------------------------------


def spans_to_bio(length: int, spans: Iterable[tuple[int, int, str]]) -> list[str]:
    """BIO tags over the characters of a text; a span overlapping an earlier one is dropped.

    Gold is flat and pipelines emit non-overlapping ``doc.ents``, so dropping only affects
    malformed input; spans are taken in (start, -end) order so the outermost one wins.
    """
    tags = ["O"] * length
    for start, end, label in sorted(spans, key=lambda s: (s[0], -s[1], s[2])):
        if not 0 <= start < end <= length or any(t != "O" for t in tags[start:end]):
            continue
        tags[start] = f"B-{label}"
        for i in range(start + 1, end):
            tags[i] = f"I-{label}"
    return tags


def bio_to_spans(tags: Sequence[str]) -> set[tuple[int, int, str]]:
    """Chunks as seqeval reads them (its ``get_entities``), as [start, end) spans."""
    return {(start, end + 1, label) for label, start, end in get_entities(list(tags))}


def score_entities_seqeval(
    lengths: Sequence[int], gold_sets: Sequence[set], pred_sets: Sequence[set]
) -> dict[str, object]:
    """Exact-span entity scores with chunks read by seqeval from character BIO tags.

    ``lengths`` are the lengths of the ORIGINAL texts; spans are in original offsets. The
    result has the shape of :func:`score_entities` (per_label, micro, macro over
    ENTITY_LABELS).
    """
    if not len(lengths) == len(gold_sets) == len(pred_sets):
        raise ValueError("lengths, gold and predictions differ in number")
    gold_chunks = [bio_to_spans(spans_to_bio(n, g)) for n, g in zip(lengths, gold_sets, strict=True)]
    pred_chunks = [bio_to_spans(spans_to_bio(n, p)) for n, p in zip(lengths, pred_sets, strict=True)]
    return score_entities(gold_chunks, pred_chunks)


def mention_key(text: str) -> str:
    """Normalised simplified surface form: what two mentions must share to match."""
    cleaned = normalize(text).text
    return "".join(to_simplified(cleaned).split())


def mention_sets(texts: Sequence[str], span_sets: Sequence[set]) -> list[set[tuple[str, str]]]:
    """Per paragraph, the set of (label, mention_key); duplicates within a paragraph merge."""
    out = []
    for text, spans in zip(texts, span_sets, strict=True):
        keys = {(label, mention_key(text[start:end])) for start, end, label in spans}
        out.append({k for k in keys if k[1]})
    return out


def relation_mentions(texts: Sequence[str], relation_sets: Sequence[set]) -> list[set]:
    """Relations as ((head label, head mention), (tail label, tail mention), label) per paragraph."""
    out = []
    for text, relations in zip(texts, relation_sets, strict=True):
        out.append({
            ((h[2], mention_key(text[h[0]:h[1]])), (t[2], mention_key(text[t[0]:t[1]])), label)
            for h, t, label in relations
        })
    return out


def score_mentions(gold_sets: Sequence[set], pred_sets: Sequence[set]) -> dict[str, object]:
    """Items are (label, mention_key) per paragraph: offsets may differ, text and label may not."""
    return _score(gold_sets, pred_sets, ENTITY_LABELS, lambda item: item[0])
