"""Held-out evaluation: one training per seed document with that document left out.

Each fold trains on the weak labels without the paragraphs of one seed document and scores
that document's gold paragraphs, with the trained model and with the rules-only pipeline,
so the comparison shows whether the model generalises beyond the rules it learned from.
"""

from __future__ import annotations

import json
import shutil
import time
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import spacy
from spacy.tokens import DocBin
from tqdm import tqdm

from zhie.evaluate.gold_eval import score_predictions
from zhie.evaluate.predict import Prediction, predict, predict_model_alone
from zhie.gold import GoldParagraph, read_gold
from zhie.train.corpus import DOC_KEY
from zhie.train.run import train_pipeline, zhie_section


def fold_overrides(config_path: Path) -> dict[str, Any]:
    """The [zhie.heldout] settings of the config as training overrides (shorter runs)."""
    settings = zhie_section(config_path).get("heldout", {})
    return {f"training.{key}": value for key, value in sorted(settings.items())}


def _doc_counts(path: Path) -> Counter[str]:
    return Counter(
        str(d.user_data.get(DOC_KEY, "")) for d in DocBin().from_disk(path).get_docs(spacy.blank("zh").vocab)
    )


def _group(paragraphs: list[GoldParagraph]) -> dict[str, list[GoldParagraph]]:
    groups: dict[str, list[GoldParagraph]] = {}
    for p in paragraphs:
        groups.setdefault(p.doc, []).append(p)
    return dict(sorted(groups.items()))


def run_heldout(
    config_path: Path,
    train_path: Path,
    dev_path: Path,
    gold_path: Path,
    rules_dir: Path,
    out_dir: Path,
    overrides: Mapping[str, Any] | None = None,
    keep_models: bool = False,
) -> dict[str, Any]:
    out_dir.mkdir(parents=True, exist_ok=True)
    groups = _group(read_gold(gold_path))
    rules_nlp = spacy.load(rules_dir)
    train_counts, dev_counts = _doc_counts(train_path), _doc_counts(dev_path)
    per_fold = fold_overrides(config_path)
    folds: list[dict[str, Any]] = []
    all_paragraphs: list[GoldParagraph] = []
    model_preds: list[Prediction] = []
    alone_preds: list[Prediction] = []
    rules_preds: list[Prediction] = []
    start = time.perf_counter()
    for k, (doc_id, paragraphs) in enumerate(tqdm(groups.items(), desc="held-out folds", unit="fold")):
        fold_dir = out_dir / f"fold-{k}"
        fold_cfg = {
            **per_fold,
            **(overrides or {}),
            "corpora.train.exclude_docs": [doc_id],
            "corpora.dev.exclude_docs": [doc_id],
        }
        info = train_pipeline(config_path, fold_dir, train_path, dev_path, fold_cfg)
        nlp = spacy.load(fold_dir)
        texts = [p.text for p in paragraphs]
        m_preds, r_preds = predict(nlp, texts), predict(rules_nlp, texts)
        a_preds = predict_model_alone(nlp, texts)
        all_paragraphs.extend(paragraphs)
        model_preds.extend(m_preds)
        alone_preds.extend(a_preds)
        rules_preds.extend(r_preds)
        folds.append(
            {
                "doc": doc_id,
                "paragraphs": len(paragraphs),
                "excluded_train_paragraphs": train_counts.get(doc_id, 0),
                "excluded_dev_paragraphs": dev_counts.get(doc_id, 0),
                "train_seconds": info["train_seconds"],
                "model": score_predictions(paragraphs, m_preds),
                "model_alone": score_predictions(paragraphs, a_preds),
                "rules": score_predictions(paragraphs, r_preds),
            }
        )
        if not keep_models:
            shutil.rmtree(fold_dir)
    result = {
        "config": str(config_path),
        "fold_overrides": per_fold,
        "overrides": dict(overrides or {}),
        "seconds": round(time.perf_counter() - start, 1),
        "folds": folds,
        "pooled": {
            "model": score_predictions(all_paragraphs, model_preds),
            "model_alone": score_predictions(all_paragraphs, alone_preds),
            "rules": score_predictions(all_paragraphs, rules_preds),
        },
    }
    (out_dir / "heldout.json").write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    return result
