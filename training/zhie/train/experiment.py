"""Generalisation experiment: train without any seed document, score on the whole seed gold.

All five seed articles (the gold's ``doc`` values) are left out of train and dev, so every
gold paragraph is unseen by the model; the rules were tuned on the same paragraphs, so the
rules' scores are optimistic. Three pipelines are scored:

- ``model``: the trained pipeline with the rule components disabled (ner + extractor alone);
- ``combined``: the trained pipeline as shipped (rules + ner + extractor + cue relations);
- ``rules``: the rules-only pipeline (``build/rules``).

Command line (one variant per call, results in OUT/experiment.json)::

    python -m zhie.train.experiment --config configs/default.cfg \
        --out build/experiments/baseline [--set training.max_steps=1000 ...] [--drop-model]
    python -m zhie.train.experiment --out build/experiments/baseline --score-only
"""

from __future__ import annotations

import argparse
import json
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import spacy

from zhie.evaluate.gold_eval import evaluate_nlp_on_gold, score_predictions
from zhie.evaluate.predict import EntityKey, Prediction, predict, predict_model_alone
from zhie.evaluate.scoring import score_entities
from zhie.gold import ENTITY_LABELS, GoldParagraph, read_gold
from zhie.train.run import parse_overrides, train_pipeline

GOLD = Path("../shared/gold/seeds_gold.jsonl")
RUN_KEYS = ("config", "overrides", "excluded_docs", "train_seconds", "dev_performance")


def seed_doc_ids(paragraphs: list[GoldParagraph]) -> list[str]:
    return sorted({p.doc for p in paragraphs})


def _summary(scores: dict) -> dict[str, Any]:
    """Per-label and micro F1 (entities) and micro F1 (relations), rounded for tables."""
    ents = scores["entities"]
    return {
        "ents_per_label_f1": {k: round(v["f1"], 3) for k, v in sorted(ents["per_label"].items())},
        "ents_micro": {k: round(ents["micro"][k], 3) for k in ("precision", "recall", "f1")},
        "rels_micro_f1": round(scores["relations"]["micro"]["f1"], 3),
    }


def ner_first(model_dir: Path) -> spacy.language.Language:
    """The trained pipeline with the rule NER moved after the ner (the ner's entities first)."""
    nlp = spacy.load(model_dir)
    if "zhie_rule_ner" in nlp.pipe_names and "ner" in nlp.pipe_names:
        nlp.remove_pipe("zhie_rule_ner")
        nlp.add_pipe("zhie_rule_ner", after="ner", source=spacy.load(model_dir))
    return nlp


def fill_gaps(
    rules: list[Prediction], model: list[Prediction], labels: Sequence[str]
) -> list[set[EntityKey]]:
    """Rule entities plus the model's entities of ``labels`` that overlap no rule entity.

    Post-hoc analysis of a label-restricted combination for every label at once; the
    shipped pipeline does this for the labels in ``zhie_rule_ner``'s ``keep_labels``.
    """
    merged: list[set[EntityKey]] = []
    for r, m in zip(rules, model, strict=True):
        taken = set(r.entities)
        extra = {
            e for e in m.entities
            if e[2] in labels and not any(e[0] < t[1] and t[0] < e[1] for t in taken)
        }
        merged.append(taken | extra)
    return merged


def label_restricted(
    rules_nlp: spacy.language.Language, model_preds: list[Prediction], paragraphs: list[GoldParagraph]
) -> dict[str, float]:
    """Entity micro F1 of rules + the model's entities of one label (or all) in the gaps."""
    rules_preds = predict(rules_nlp, [p.text for p in paragraphs])
    gold = [p.entity_set() for p in paragraphs]
    labels = sorted({label for p in model_preds for _, _, label in p.entities})
    out = {}
    for name, chosen in [*((label, [label]) for label in labels), ("all", labels)]:
        out[name] = round(score_entities(gold, fill_gaps(rules_preds, model_preds, chosen))["micro"]["f1"], 3)
    return out


def score_variants(model_dir: Path, rules_dir: Path, paragraphs: list[GoldParagraph]) -> dict[str, Any]:
    nlp = spacy.load(model_dir)
    combined = evaluate_nlp_on_gold(nlp, paragraphs)
    model_preds = predict_model_alone(nlp, [p.text for p in paragraphs])
    rules_nlp = spacy.load(rules_dir)
    return {
        "model": score_predictions(paragraphs, model_preds),
        "combined": combined,
        "combined_ner_first": evaluate_nlp_on_gold(ner_first(model_dir), paragraphs),
        "rules": evaluate_nlp_on_gold(rules_nlp, paragraphs),
        "rules_plus_model_label": label_restricted(rules_nlp, model_preds, paragraphs),
    }


def run_experiment(
    config_path: Path,
    out_dir: Path,
    train_path: Path,
    dev_path: Path,
    gold_path: Path,
    rules_dir: Path,
    overrides: Mapping[str, Any] | None = None,
    keep_model: bool = True,
) -> dict[str, Any]:
    excluded = seed_doc_ids(read_gold(gold_path))
    info = train_pipeline(
        config_path,
        out_dir / "model",
        train_path,
        dev_path,
        {
            **(overrides or {}),
            "corpora.train.exclude_docs": excluded,
            "corpora.dev.exclude_docs": excluded,
        },
    )
    run_info = {
        "config": str(config_path),
        "overrides": dict(overrides or {}),
        "excluded_docs": excluded,
        "train_seconds": info["train_seconds"],
        "dev_performance": info["dev_performance"],
    }
    result = score_experiment(out_dir, gold_path, rules_dir, run_info)
    if not keep_model:
        shutil.rmtree(out_dir / "model")
    return result


def score_experiment(
    out_dir: Path, gold_path: Path, rules_dir: Path, run_info: Mapping[str, Any]
) -> dict[str, Any]:
    """Score OUT/model on the gold and write OUT/experiment.json (``run_info`` kept in it)."""
    scores = score_variants(out_dir / "model", rules_dir, read_gold(gold_path))
    result = {
        **run_info,
        "summary": {name: _summary(s) for name, s in scores.items() if name != "rules_plus_model_label"},
        "rules_plus_model_label_micro_f1": scores["rules_plus_model_label"],
        "scores": scores,
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    text = json.dumps(result, ensure_ascii=False, indent=2)
    (out_dir / "experiment.json").write_text(text, encoding="utf-8")
    return result


def markdown_rows(name: str, result: Mapping[str, Any]) -> list[str]:
    """Table rows of one experiment: per-label entity F1, entity micro P/R/F1, relation F1."""
    rows = []
    for variant in ("model", "combined", "rules"):
        s = result["summary"][variant]
        f1 = [f"{s['ents_per_label_f1'].get(label, 0.0):.3f}" for label in ENTITY_LABELS]
        m = s["ents_micro"]
        micro = f"**{m['f1']:.3f}** ({m['precision']:.3f}/{m['recall']:.3f})"
        rows.append(
            f"| {name} | {variant} | {' | '.join(f1)} | {micro} | {s['rels_micro_f1']:.3f} "
            f"| {result.get('train_seconds', '')} |"
        )
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=Path("configs/default.cfg"))
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--train", type=Path, default=Path("build/weak/train.spacy"))
    parser.add_argument("--dev", type=Path, default=Path("build/weak/dev.spacy"))
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--rules", type=Path, default=Path("build/rules"))
    parser.add_argument("--set", dest="set_", action="append", default=[], help="config override key=value")
    parser.add_argument("--drop-model", action="store_true", help="delete OUT/model afterwards")
    parser.add_argument("--score-only", action="store_true", help="rescore an existing OUT/model")
    parser.add_argument("--table", action="store_true", help="print OUT/experiment.json as table rows")
    args = parser.parse_args(argv)
    if args.table:
        result = json.loads((args.out / "experiment.json").read_text(encoding="utf-8"))
        print("\n".join(markdown_rows(args.out.name, result)))
        return
    if args.score_only:
        previous = json.loads((args.out / "experiment.json").read_text(encoding="utf-8"))
        run_info = {k: previous[k] for k in RUN_KEYS if k in previous}
        result = score_experiment(args.out, args.gold, args.rules, run_info)
    else:
        result = run_experiment(
            args.config, args.out, args.train, args.dev, args.gold, args.rules,
            parse_overrides(args.set_), not args.drop_model,
        )
    shown = ("train_seconds", "summary", "rules_plus_model_label_micro_f1")
    print(json.dumps({k: result[k] for k in shown}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
