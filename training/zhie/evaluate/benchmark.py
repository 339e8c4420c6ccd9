"""Run systems on the same gold paragraphs and collect every figure a report shows."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from pathlib import Path

from tqdm import tqdm

from zhie.evaluate.errors import analyse_errors, analyse_relation_errors
from zhie.evaluate.predict import Prediction
from zhie.evaluate.scoring import (
    mention_sets,
    relation_mentions,
    score_entities_seqeval,
    score_mentions,
    score_relations,
)
from zhie.evaluate.scripts import SCRIPTS, detect_script
from zhie.evaluate.systems import System
from zhie.gold import GoldParagraph


def gold_scripts(paragraphs: Sequence[GoldParagraph], gold_path: str | Path | None = None) -> list[str]:
    """The gold's own "script" field when every line has one, else derived from the text."""
    if gold_path is not None and Path(gold_path).suffix == ".jsonl":
        records = [json.loads(line) for line in Path(gold_path).read_text(encoding="utf-8").splitlines()
                   if line.strip()]
        fields = [r.get("script") for r in records]
        if len(fields) == len(paragraphs) and all(f in SCRIPTS for f in fields):
            return [str(f) for f in fields]
    return [detect_script(p.text) for p in paragraphs]


def restrict(scores: dict, labels: Sequence[str]) -> dict:
    """Keep the labels a system supports; macro averages over those labels only."""
    per_label = {k: v for k, v in scores["per_label"].items() if k in labels}
    macro = {
        key: sum(float(per_label[label][key]) for label in labels) / len(labels) if labels else 0.0
        for key in ("precision", "recall", "f1")
    }
    return {"per_label": per_label, "micro": scores["micro"], "macro": macro}


def timed_run(system: System, texts: Sequence[str]) -> tuple[list[Prediction], dict]:
    if texts:
        system.run(texts[:1])  # warm-up: lazy loading must not count as speed
    started = time.perf_counter()
    predictions = system.run(texts)
    seconds = time.perf_counter() - started
    characters = sum(len(t) for t in texts)
    return predictions, {
        "characters": characters,
        "paragraphs": len(texts),
        "seconds": seconds,
        "chars_per_second": characters / seconds if seconds > 0 else 0.0,
    }


def evaluate_system(
    system: System,
    paragraphs: Sequence[GoldParagraph],
    scripts: Sequence[str],
    eval_labels: Sequence[str],
    extra_gold: dict[str, list[set]] | None = None,
) -> dict:
    """All figures for one system. ``extra_gold`` holds named subsets of gold spans whose recall
    is reported too (e.g. CLUENER's company spans)."""
    labels = [label for label in eval_labels if label in system.labels]
    ids, texts = [p.id for p in paragraphs], [p.text for p in paragraphs]
    lengths = [len(t) for t in texts]
    predictions, speed = timed_run(system, texts)
    gold = [{e for e in p.entity_set() if e[2] in labels} for p in paragraphs]
    pred = [{e for e in set(pr.entities) if e[2] in labels} for pr in predictions]
    gold_mentions, pred_mentions = mention_sets(texts, gold), mention_sets(texts, pred)

    result: dict = {
        "name": system.name,
        "kind": system.kind,
        "source": system.source,
        "description": system.description,
        "labels": labels,
        "entities": restrict(score_entities_seqeval(lengths, gold, pred), labels),
        "entities_mention": restrict(score_mentions(gold_mentions, pred_mentions), labels),
        "relations": None,
        "relations_given_gold_entities": None,
        "speed": speed,
    }
    if system.has_relations:
        gold_relations = [p.relation_set() for p in paragraphs]
        pred_relations = [set(pr.relations) for pr in predictions]
        result["relations"] = score_relations(gold_relations, pred_relations)
        result["relations_mention"] = score_relations(
            relation_mentions(texts, gold_relations), relation_mentions(texts, pred_relations)
        )
        result["relation_errors"] = analyse_relation_errors(
            ids, texts, gold_relations, pred_relations, gold, pred
        )
        if system.run_given_entities is not None and any(gold_relations):
            given = system.run_given_entities(paragraphs)
            result["relations_given_gold_entities"] = score_relations(
                gold_relations, [set(pr.relations) for pr in given]
            )
    by_script = {}
    for script in SCRIPTS:
        idx = [i for i, s in enumerate(scripts) if s == script]
        if not idx:
            continue
        exact = score_entities_seqeval(
            [lengths[i] for i in idx], [gold[i] for i in idx], [pred[i] for i in idx]
        )
        mention = score_mentions([gold_mentions[i] for i in idx], [pred_mentions[i] for i in idx])
        by_script[script] = {
            "paragraphs": len(idx),
            "characters": sum(lengths[i] for i in idx),
            "gold_entities": sum(len(gold[i]) for i in idx),
            "entities": restrict(exact, labels),
            "entities_mention_micro": mention["micro"],
        }
    result["by_script"] = by_script
    for name, subsets in (extra_gold or {}).items():
        found = sum(len(g & p) for g, p in zip(subsets, pred, strict=True))
        total = sum(len(g) for g in subsets)
        result.setdefault("subset_recall", {})[name] = {
            "recall": found / total if total else 0.0, "tp": found, "fn": total - found,
        }
    result["errors"] = analyse_errors(ids, texts, gold, pred, labels)
    return result


def run_benchmark(
    systems: Sequence[System],
    paragraphs: Sequence[GoldParagraph],
    *,
    name: str,
    gold_path: str,
    eval_labels: Sequence[str],
    scripts: Sequence[str] | None = None,
    extra_gold: dict[str, list[set]] | None = None,
    notes: Sequence[str] = (),
) -> dict:
    scripts = list(scripts) if scripts is not None else gold_scripts(paragraphs, gold_path)
    results = {}
    for system in tqdm(systems, desc=f"{name}: systems", unit="system"):
        results[system.name] = evaluate_system(system, paragraphs, scripts, eval_labels, extra_gold)
    script_counts = {s: scripts.count(s) for s in SCRIPTS if s in scripts}
    return {
        "name": name,
        "kind": "benchmark",
        "gold": str(gold_path),
        "paragraphs": len(paragraphs),
        "characters": sum(len(p.text) for p in paragraphs),
        "gold_entities": sum(len([e for e in p.entities if e.label in eval_labels]) for p in paragraphs),
        "gold_relations": sum(len(p.relations) for p in paragraphs),
        "labels": list(eval_labels),
        "scripts": script_counts,
        "systems": results,
        "notes": list(notes),
    }
