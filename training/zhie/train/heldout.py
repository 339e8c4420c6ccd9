"""Held-out evaluation: one training per seed document with that document left out.

Each fold trains on the weak labels without the paragraphs of one seed document and scores
that document's gold paragraphs, with the trained model and with the rules-only pipeline,
so the comparison shows whether the model generalises beyond the rules it learned from.

With ``document_lexicons`` in ``[zhie.heldout]`` the fold also holds out the lexicon rows
that only the held-out document contains (``seed_holdout.py``): the fold's seeds re-label
the corpus, train the model and make the fold's rules, and the rules with all seeds are
scored beside them for reference.
"""

from __future__ import annotations

import json
import shutil
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import DocBin

from zhie.evaluate.gold_eval import score_predictions
from zhie.evaluate.predict import Prediction, predict, predict_model_alone
from zhie.gold import GoldParagraph, read_gold
from zhie.train.corpus import DOC_KEY
from zhie.train.parallel import map_in_order
from zhie.train.run import train_pipeline, zhie_section
from zhie.train.seed_holdout import matching_text, write_fold_seeds
from zhie.weak.label import CorpusParagraph, label_docs, read_corpus, write_weak
from zhie.weak.pipeline import build_rules_pipeline, rule_ner_voting
from zhie.weak.teacher import teacher_from_config

# [zhie.heldout] keys that are not training settings.
LEXICONS_KEY = "document_lexicons"
WORKERS_KEY = "workers"


def fold_overrides(config_path: Path) -> dict[str, Any]:
    """The [zhie.heldout] training settings of the config as overrides (shorter runs)."""
    settings = zhie_section(config_path).get("heldout", {})
    return {
        f"training.{key}": value
        for key, value in sorted(settings.items())
        if key not in (LEXICONS_KEY, WORKERS_KEY)
    }


def document_lexicons(config_path: Path) -> dict[str, list[str]]:
    return dict(zhie_section(config_path).get("heldout", {}).get(LEXICONS_KEY) or {})


def fold_weak_labels(
    paragraphs: list[CorpusParagraph],
    matching: list[str],
    doc_id: str,
    seeds_dir: Path,
    lexicons: dict[str, list[str]],
    data_dir: Path,
    config_path: Path | None = None,
    lac_dir: Path | None = None,
) -> tuple[Path, Language, dict[str, list[str]]]:
    """Fold seeds without the document-only rows, the corpus re-labelled with them by the
    config's teacher (``[zhie.teacher]``: LAC's tags and propagation, as ``zhie weak-label``
    does for the main training; the rules alone without a config), and the fold's rules
    pipeline. ``matching`` holds each paragraph's text as lexicon names are matched
    (normalised once per run, not once per fold)."""
    held = "\n".join(m for p, m in zip(paragraphs, matching, strict=True) if p.doc == doc_id)
    others = "\n".join(m for p, m in zip(paragraphs, matching, strict=True) if p.doc != doc_id)
    fold_seeds = data_dir / "seeds"
    dropped = write_fold_seeds(seeds_dir, fold_seeds, lexicons, held, others)
    rules = build_rules_pipeline(fold_seeds, rule_ner_voting(config_path))
    # Folds already run side by side (one per core): LAC inside a fold gets one process.
    teacher = teacher_from_config(rules, config_path, lac_dir, processes=1)
    labelled, stats = label_docs(rules, paragraphs, progress=False, teacher=teacher)
    write_weak(labelled, stats, data_dir / "weak", "vote")
    return fold_seeds, rules, dropped


def _doc_counts(path: Path) -> Counter[str]:
    return Counter(
        str(d.user_data.get(DOC_KEY, "")) for d in DocBin().from_disk(path).get_docs(spacy.blank("zh").vocab)
    )


def _group(paragraphs: list[GoldParagraph]) -> dict[str, list[GoldParagraph]]:
    groups: dict[str, list[GoldParagraph]] = {}
    for p in paragraphs:
        groups.setdefault(p.doc, []).append(p)
    return dict(sorted(groups.items()))


@dataclass(frozen=True)
class _FoldContext:
    """What every fold needs: passed to each fold explicitly (``map_in_order``'s context,
    which forked workers inherit and spawned ones receive once each)."""

    config_path: Path
    train_path: Path
    dev_path: Path
    out_dir: Path
    overrides: dict[str, Any]  # [zhie.heldout] settings, then the caller's overrides
    keep_models: bool
    rules_nlp: Language
    lexicons: dict[str, list[str]]
    corpus: list[CorpusParagraph]
    matching: list[str]
    seeds_dir: Path | None
    lac_dir: Path | None
    # Paragraph counts per document of the DocBins every fold shares (read once per run).
    shared_counts: dict[Path, Counter[str]]


@dataclass
class _FoldResult:
    record: dict[str, Any]
    model: list[Prediction]
    alone: list[Prediction]
    rules: list[Prediction]
    full_rules: list[Prediction]


def _run_fold(ctx: _FoldContext, k: int, doc_id: str, paragraphs: list[GoldParagraph]) -> _FoldResult:
    fold_dir, data_dir = ctx.out_dir / f"fold-{k}", ctx.out_dir / f"fold-{k}-data"
    fold_cfg = {
        **ctx.overrides,
        "corpora.train.exclude_docs": [doc_id],
        "corpora.dev.exclude_docs": [doc_id],
    }
    fold_train, fold_dev, fold_rules, dropped = ctx.train_path, ctx.dev_path, ctx.rules_nlp, {}
    if ctx.lexicons and ctx.seeds_dir is not None:
        fold_seeds, fold_rules, dropped = fold_weak_labels(
            ctx.corpus, ctx.matching, doc_id, ctx.seeds_dir, ctx.lexicons, data_dir,
            ctx.config_path, ctx.lac_dir,
        )
        fold_train, fold_dev = data_dir / "weak" / "train.spacy", data_dir / "weak" / "dev.spacy"
        fold_cfg["paths.seeds"] = str(fold_seeds)
    info = train_pipeline(ctx.config_path, fold_dir, fold_train, fold_dev, fold_cfg)
    nlp = spacy.load(fold_dir)
    texts = [p.text for p in paragraphs]
    m_preds, r_preds = predict(nlp, texts), predict(fold_rules, texts)
    a_preds = predict_model_alone(nlp, texts)
    full_preds = predict(ctx.rules_nlp, texts) if ctx.lexicons else []
    systems = {
        "model": score_predictions(paragraphs, m_preds),
        "model_alone": score_predictions(paragraphs, a_preds),
        "rules": score_predictions(paragraphs, r_preds),
        **({"rules_all_seeds": score_predictions(paragraphs, full_preds)} if ctx.lexicons else {}),
    }
    record = {
        "doc": doc_id,
        "paragraphs": len(paragraphs),
        "excluded_train_paragraphs": _counts(ctx, fold_train).get(doc_id, 0),
        "excluded_dev_paragraphs": _counts(ctx, fold_dev).get(doc_id, 0),
        "train_seconds": info["train_seconds"],
        # The fold model's fit to its own teacher on the weak dev set (its best checkpoint).
        "weak_dev": {key: info["dev_performance"][key] for key in ("ents_f", "rel_micro_f")
                     if key in info.get("dev_performance", {})},
        "dropped_seed_rows": dropped,
        **systems,
    }
    if not ctx.keep_models:
        shutil.rmtree(fold_dir)
        shutil.rmtree(data_dir, ignore_errors=True)
    return _FoldResult(record, m_preds, a_preds, r_preds, full_preds)


def _counts(ctx: _FoldContext, path: Path) -> Counter[str]:
    return ctx.shared_counts[path] if path in ctx.shared_counts else _doc_counts(path)


def fold_workers(config_path: Path) -> int:
    """[zhie.heldout] workers: folds trained side by side (each training uses one core)."""
    workers = int(zhie_section(config_path).get("heldout", {}).get(WORKERS_KEY, 1))
    if workers < 1:
        raise ValueError(f"[zhie.heldout] {WORKERS_KEY} must be >= 1, got {workers}")
    return workers


def run_heldout(
    config_path: Path,
    train_path: Path,
    dev_path: Path,
    gold_path: Path,
    rules_dir: Path,
    out_dir: Path,
    overrides: Mapping[str, Any] | None = None,
    keep_models: bool = False,
    corpus_path: Path | None = None,
    seeds_dir: Path | None = None,
    lac_dir: Path | None = None,
) -> dict[str, Any]:
    out_dir.mkdir(parents=True, exist_ok=True)
    groups = _group(read_gold(gold_path))
    lexicons = document_lexicons(config_path)
    if lexicons and (corpus_path is None or seeds_dir is None):
        raise ValueError(f"[zhie.heldout] {LEXICONS_KEY} needs the corpus and the seeds directory")
    corpus = list(read_corpus(corpus_path)) if lexicons and corpus_path is not None else []
    per_fold, workers = fold_overrides(config_path), fold_workers(config_path)
    context = _FoldContext(
        config_path=config_path,
        train_path=train_path,
        dev_path=dev_path,
        out_dir=out_dir,
        overrides={**per_fold, **(overrides or {})},
        keep_models=keep_models,
        rules_nlp=spacy.load(rules_dir),
        lexicons=lexicons,
        corpus=corpus,
        matching=[matching_text(p.text) for p in corpus],
        seeds_dir=seeds_dir,
        lac_dir=lac_dir,
        shared_counts={} if lexicons else {path: _doc_counts(path) for path in (train_path, dev_path)},
    )
    start = time.perf_counter()
    jobs = [(k, doc_id, paragraphs) for k, (doc_id, paragraphs) in enumerate(groups.items())]
    folds = map_in_order(_run_fold, jobs, workers, "held-out folds", "fold", context=context)
    paragraphs = [p for ps in groups.values() for p in ps]

    def pooled(field: str) -> dict[str, Any]:
        return score_predictions(paragraphs, [pred for f in folds for pred in getattr(f, field)])

    result = {
        "config": str(config_path),
        "fold_overrides": per_fold,
        "overrides": dict(overrides or {}),
        "document_lexicons": lexicons,
        "workers": workers,
        "seconds": round(time.perf_counter() - start, 1),
        "folds": [f.record for f in folds],
        "pooled": {
            "model": pooled("model"),
            "model_alone": pooled("alone"),
            "rules": pooled("rules"),
            **({"rules_all_seeds": pooled("full_rules")} if lexicons else {}),
        },
    }
    (out_dir / "heldout.json").write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    return result
