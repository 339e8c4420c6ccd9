"""``zhie train`` and ``zhie heldout``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

GOLD = Path("../shared/gold/seeds_gold.jsonl")


def _print_scores(title: str, scores: dict) -> None:
    typer.echo(title)
    for kind in ("entities", "relations"):
        rows = [*scores[kind]["per_label"].items(), ("micro", scores[kind]["micro"])]
        for label, s in rows:
            p, r, f = s["precision"], s["recall"], s["f1"]
            typer.echo(f"  {kind[:3]} {label:<10} P {p:.3f} R {r:.3f} F1 {f:.3f}")


def train(
    config: Annotated[Path, typer.Option(help="spaCy config")] = Path("configs/default.cfg"),
    train: Annotated[Path, typer.Option(help="training DocBin")] = Path("build/weak/train.spacy"),
    dev: Annotated[Path, typer.Option(help="dev DocBin")] = Path("build/weak/dev.spacy"),
    out: Annotated[Path, typer.Option(help="output pipeline directory")] = Path("build/model"),
    set_: Annotated[list[str] | None, typer.Option("--set", help="config override key=value")] = None,
) -> None:
    """Train the NER + relation pipeline on the weak labels; the best model goes to OUT."""
    from zhie.train.run import parse_overrides, train_pipeline

    info = train_pipeline(config, out, train, dev, parse_overrides(set_ or []))
    typer.echo(
        json.dumps({k: info[k] for k in ("train_seconds", "model_bytes", "dev_performance")}, indent=2)
    )


def heldout(
    config: Annotated[Path, typer.Option(help="spaCy config")] = Path("configs/default.cfg"),
    train: Annotated[Path, typer.Option(help="training DocBin")] = Path("build/weak/train.spacy"),
    dev: Annotated[Path, typer.Option(help="dev DocBin")] = Path("build/weak/dev.spacy"),
    gold: Annotated[Path, typer.Option(help="gold JSONL (evaluation only)")] = GOLD,
    rules: Annotated[Path, typer.Option(help="rules-only pipeline directory")] = Path("build/rules"),
    out: Annotated[Path, typer.Option(help="output directory")] = Path("build/heldout"),
    set_: Annotated[list[str] | None, typer.Option("--set", help="config override key=value")] = None,
    keep_models: Annotated[bool, typer.Option(help="keep the fold models")] = False,
    corpus: Annotated[
        Path, typer.Option(help="paragraph corpus (re-labelled per fold with the fold seeds)")
    ] = Path("build/corpus/paragraphs.jsonl"),
    seeds: Annotated[Path, typer.Option(help="rule seeds directory")] = Path("seeds"),
    lac: Annotated[
        Path | None, typer.Option(help="LAC directory (`zhie lac-fetch`) for the config's [zhie.teacher]")
    ] = Path("build/lac"),
) -> None:
    """Leave-one-seed-document-out: train per fold, score model and rules on its gold paragraphs."""
    from zhie.train.heldout import run_heldout
    from zhie.train.run import parse_overrides

    result = run_heldout(
        config, train, dev, gold, rules, out, parse_overrides(set_ or []), keep_models, corpus, seeds, lac
    )
    _print_scores("held-out, model (pooled over folds):", result["pooled"]["model"])
    _print_scores("held-out, rules (pooled over folds):", result["pooled"]["rules"])
    if "rules_all_seeds" in result["pooled"]:
        _print_scores("held-out, rules with all seeds (pooled):", result["pooled"]["rules_all_seeds"])
    typer.echo(f"wrote {out / 'heldout.json'} in {result['seconds']} s")


def register(app: typer.Typer) -> None:
    app.command("train")(train)
    app.command("heldout")(heldout)
