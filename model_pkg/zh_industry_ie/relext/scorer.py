"""Relation scores for ``spacy train`` / ``nlp.evaluate``: exact head span, tail span and label.

Gold relations come from the reference docs, predictions from the predicted docs (both in
``doc.user_data["zhie_relations"]``). A gold relation counts as a false negative whatever the
reason it was missed; two of the reasons are also counted separately so the training log
shows where recall goes: the NER missed one of its entities (``rel_missed_entity``), or the
pair, even with the reference entities, is not a candidate (``rel_missed_candidate``:
different sentence, too far apart, labels outside the signatures).
"""

from collections import Counter
from collections.abc import Iterable
from typing import Any

from spacy.training import Example

from ..relations import RELATION_LABELS, RELATIONS_KEY
from .candidates import candidate_pairs

RelKey = tuple[int, int, int, int, str]


def _relation_keys(user_data: dict) -> set[RelKey]:
    return {(hs, he, ts, te, label) for hs, he, ts, te, label, *_ in user_data.get(RELATIONS_KEY, [])}


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"p": p, "r": r, "f": 2 * p * r / (p + r) if p + r else 0.0}


def score_relations(examples: Iterable[Example], max_distance: int = 200, **_cfg: Any) -> dict[str, Any]:
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    missed_entity = missed_candidate = 0
    for eg in examples:
        gold = _relation_keys(eg.reference.user_data)
        pred = _relation_keys(eg.predicted.user_data)
        for key in gold & pred:
            tp[key[4]] += 1
        for key in pred - gold:
            fp[key[4]] += 1
        missed = gold - pred
        for key in missed:
            fn[key[4]] += 1
        if not missed:
            continue
        pred_ents = {(e.start_char, e.end_char) for e in eg.predicted.ents}
        candidates = {c.key for c in candidate_pairs(eg.reference, list(eg.reference.ents), max_distance)}
        for hs, he, ts, te, _label in missed:
            if (hs, he, ts, te) not in candidates:
                missed_candidate += 1
            elif (hs, he) not in pred_ents or (ts, te) not in pred_ents:
                missed_entity += 1
    micro = _prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    labels = [*RELATION_LABELS, *sorted((set(tp) | set(fp) | set(fn)) - set(RELATION_LABELS))]
    return {
        "rel_micro_p": micro["p"],
        "rel_micro_r": micro["r"],
        "rel_micro_f": micro["f"],
        "rel_per_type": {label: _prf(tp[label], fp[label], fn[label]) for label in labels},
        "rel_missed_candidate": missed_candidate,
        "rel_missed_entity": missed_entity,
    }
