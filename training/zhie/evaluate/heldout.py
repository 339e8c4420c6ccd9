"""Metrics of the per-document held-out runs, read from ``zhie heldout``'s heldout.json.

Expected shape (tolerant): ``{"folds": [{"doc": ..., "model": {"entities": S, "relations": S},
"rules": {...}}, ...]}`` or ``{"folds": {doc: {"model": ..., "rules": ...}}}``, where S is a
score dict of zhie.evaluate.scoring (per_label with tp/fp/fn). Pooled figures are recomputed
here from the per-fold counts, so they do not depend on the writer's aggregation.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from zhie.evaluate.scoring import RELATION_LABELS, prf
from zhie.gold import ENTITY_LABELS

_FOLD_NAME_KEYS = ("doc", "fold", "heldout", "held_out", "name", "id")


def _folds(raw: dict) -> list[tuple[str, dict]]:
    folds = raw.get("folds", raw.get("per_fold", []))
    if isinstance(folds, dict):
        return sorted(folds.items())
    out = []
    for i, fold in enumerate(folds):
        name = next((str(fold[k]) for k in _FOLD_NAME_KEYS if isinstance(fold.get(k), str | int)), str(i))
        out.append((name, fold))
    return out


def _systems(fold: dict) -> dict[str, dict]:
    holder = fold.get("systems", fold)
    return {k: v for k, v in sorted(holder.items()) if isinstance(v, dict) and "entities" in v}


def _pool(scores: list[dict], labels: tuple[str, ...]) -> dict:
    counts: dict[str, Counter[str]] = {}
    for score in scores:
        for label, s in score["per_label"].items():
            counts.setdefault(label, Counter()).update({k: int(s[k]) for k in ("tp", "fp", "fn")})
    all_labels = list(labels) + sorted(set(counts) - set(labels))
    per_label = {lab: prf(*(counts.get(lab, Counter())[k] for k in ("tp", "fp", "fn"))) for lab in all_labels}
    micro = prf(*(sum(c[k] for c in counts.values()) for k in ("tp", "fp", "fn")))
    macro = {key: sum(float(per_label[lab][key]) for lab in labels) / len(labels)
             for key in ("precision", "recall", "f1")}
    return {"per_label": per_label, "micro": micro, "macro": macro}


def _notes(raw: dict) -> list[str]:
    notes = ["Each seed document held out in turn: a model trained on weak labels without that "
             "document, and the rules, scored on its gold paragraphs; pooled = counts summed over folds."]
    if raw.get("document_lexicons"):
        files = ", ".join(sorted(raw["document_lexicons"]))
        notes.append(f"Seed lexicon rows named only in the held-out document ({files}) are held out "
                     "with it: `rules` and the model's weak labels use the fold's seeds; "
                     "`rules_all_seeds` is the rules pipeline with every seed row, for reference.")
    return notes


def heldout_metrics(path: Path) -> dict:
    raw = json.loads(path.read_text(encoding="utf-8"))
    folds = []
    by_system: dict[str, dict[str, list[dict]]] = {}
    for name, fold in _folds(raw):
        systems = _systems(fold)
        folds.append({"fold": name, "systems": systems})
        for sys_name, result in systems.items():
            bucket = by_system.setdefault(sys_name, {"entities": [], "relations": []})
            bucket["entities"].append(result["entities"])
            if result.get("relations"):
                bucket["relations"].append(result["relations"])
    pooled = {
        name: {
            "entities": _pool(b["entities"], ENTITY_LABELS),
            "relations": _pool(b["relations"], RELATION_LABELS) if b["relations"] else None,
        }
        for name, b in sorted(by_system.items())
    }
    if not folds:
        raise ValueError(f"{path}: no folds found")
    return {
        "name": "heldout", "kind": "heldout", "source": str(path), "labels": list(ENTITY_LABELS),
        "folds": folds, "pooled": pooled,
        "notes": _notes(raw),
    }
