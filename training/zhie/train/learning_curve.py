"""Learning curve: F1 on the seed gold against the share of weakly-labelled training text.

Every point trains with ALL gold documents excluded (so each point is fully held out) on a
seeded fraction of the remaining documents, with one step budget for all points
([zhie.learning_curve], else [zhie.heldout] in the config); points differ only in how much
weak text they see. The points train side by side ([zhie.heldout] workers).
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import spacy
import typer
from spacy.tokens import DocBin

from zhie.evaluate.gold_eval import score_predictions
from zhie.evaluate.predict import predict, predict_model_alone
from zhie.gold import GoldParagraph, read_gold
from zhie.train.corpus import DOC_KEY, select_documents
from zhie.train.heldout import fold_overrides, fold_workers
from zhie.train.parallel import map_in_order
from zhie.train.run import train_pipeline, zhie_section

DEFAULT_FRACTIONS = (0.1, 0.25, 0.5, 1.0)


def curve_overrides(config_path: Path) -> dict[str, Any]:
    """[zhie.learning_curve] settings as training overrides; the held-out ones if absent."""
    settings = zhie_section(config_path).get("learning_curve")
    if settings is None:
        return fold_overrides(config_path)
    return {f"training.{key}": value for key, value in sorted(settings.items())}


def _characters_per_document(path: Path) -> dict[str, int]:
    lengths: dict[str, int] = {}
    for doc in DocBin(store_user_data=True).from_disk(path).get_docs(spacy.blank("zh").vocab):
        doc_id = str(doc.user_data.get(DOC_KEY, ""))
        lengths[doc_id] = lengths.get(doc_id, 0) + len(doc.text)
    return lengths


def _curve_point(
    config_path: Path,
    train_path: Path,
    dev_path: Path,
    gold: list[GoldParagraph],
    work: Path,
    held_out: list[str],
    lengths: dict[str, int],
    fraction: float,
    seed: int,
) -> dict[str, Any]:
    texts = [p.text for p in gold]
    overrides = {
        **curve_overrides(config_path),
        "corpora.train.exclude_docs": held_out,
        "corpora.dev.exclude_docs": held_out,
        "corpora.train.max_fraction": fraction,
        "corpora.train.seed": seed,
    }
    model_dir = work / f"fraction-{fraction}"
    info = train_pipeline(config_path, model_dir, train_path, dev_path, overrides)
    nlp = spacy.load(model_dir)
    combined = score_predictions(gold, predict(nlp, texts))
    alone = score_predictions(gold, predict_model_alone(nlp, texts))
    return {
        "fraction": fraction,
        "train_characters": sum(lengths[i] for i in select_documents(lengths, held_out, fraction, seed)),
        "train_seconds": info["train_seconds"],
        # The curve plots the model alone: what it learnt from the weak labels.
        "entities_micro_f1": alone["entities"]["micro"]["f1"],
        "per_label": {k: v["f1"] for k, v in alone["entities"]["per_label"].items()},
        "combined_entities_micro_f1": combined["entities"]["micro"]["f1"],
        "relations_micro_f1": combined["relations"]["micro"]["f1"],
    }


def run_learning_curve(
    config_path: Path,
    train_path: Path,
    dev_path: Path,
    gold_path: Path,
    out_path: Path,
    fractions: Sequence[float] = DEFAULT_FRACTIONS,
    seed: int = 0,
) -> dict[str, Any]:
    gold = read_gold(gold_path)
    held_out = sorted({p.doc for p in gold})
    work = out_path.parent / "learning_curve_models"
    lengths = _characters_per_document(train_path)
    jobs = [
        (config_path, train_path, dev_path, gold, work, held_out, lengths, fraction, seed)
        for fraction in fractions
    ]
    points = map_in_order(_curve_point, jobs, fold_workers(config_path), "learning curve", "point")
    shutil.rmtree(work, ignore_errors=True)
    result = {"held_out_docs": held_out, "config": str(config_path), "points": points}
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    return result


def learning_curve(
    config: Annotated[Path, typer.Option(help="training config")] = Path("configs/default.cfg"),
    train: Annotated[Path, typer.Option(help="weak train DocBin")] = Path("build/weak/train.spacy"),
    dev: Annotated[Path, typer.Option(help="weak dev DocBin")] = Path("build/weak/dev.spacy"),
    gold: Annotated[Path, typer.Option(help="gold JSONL")] = Path("../shared/gold/seeds_gold.jsonl"),
    out: Annotated[Path, typer.Option(help="output JSON")] = Path("build/learning_curve.json"),
    fraction: Annotated[list[float] | None, typer.Option(help="training fractions")] = None,
) -> None:
    """Train on 10/25/50/100 % of the weak text (gold documents excluded) and score on the gold."""
    start = time.perf_counter()
    result = run_learning_curve(config, train, dev, gold, out, fraction or list(DEFAULT_FRACTIONS))
    for point in result["points"]:
        typer.echo(
            f"{point['fraction']:>5.0%}  {point['train_characters']:>8} chars  "
            f"model F1 {point['entities_micro_f1']:.3f}  "
            f"combined F1 {point['combined_entities_micro_f1']:.3f}"
        )
    typer.echo(f"learning curve -> {out} ({time.perf_counter() - start:.0f} s)")


def register(app: typer.Typer) -> None:
    app.command("learning-curve")(learning_curve)
