"""``zhie evaluate`` (one benchmark report), ``zhie report`` (every report) and ``zhie readme-table``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

DEFAULT_PEERS = ["jieba", "thulac"]


def evaluate(
    pipeline: Annotated[
        list[str], typer.Option(help="NAME=PATH, a directory or an installed package; repeatable")
    ],
    gold: Annotated[Path, typer.Option(help="gold file")],
    out: Annotated[Path, typer.Option(help="report directory")],
    format: Annotated[str, typer.Option(help="gold (ANNOTATION.md JSONL) or cluener")] = "gold",
    peer: Annotated[list[str], typer.Option(help="offline peers: jieba, thulac, or none")] = DEFAULT_PEERS,
    learning_curve: Annotated[Path | None, typer.Option(help="learning-curve JSON to plot")] = None,
) -> None:
    """Compare pipelines and peers on the same gold; write metrics.json, summary.md, report.html."""
    from zhie.evaluate.runs import run_report

    peers = [p for p in peer if p != "none"]
    metrics = run_report(out.name, pipeline, gold, format, peers, out, learning_curve)
    for name, result in metrics["systems"].items():
        micro = result["entities"]["micro"]
        typer.echo(
            f"{name}: entities P {micro['precision']:.3f} R {micro['recall']:.3f} F1 {micro['f1']:.3f}"
        )
    typer.echo(f"report: {out / 'report.html'}")


def report(
    model: Annotated[Path, typer.Option(help="trained pipeline")] = Path("build/model"),
    rules: Annotated[Path, typer.Option(help="rules-only pipeline")] = Path("build/rules"),
    gold: Annotated[Path, typer.Option(help="seed gold")] = Path("../shared/gold/seeds_gold.jsonl"),
    dev_gold: Annotated[Path, typer.Option(help="gold of unseen news (used if present)")] = Path(
        "../shared/gold/dev_news.jsonl"
    ),
    heldout: Annotated[Path, typer.Option(help="zhie heldout output (used if present)")] = Path(
        "build/heldout/heldout.json"
    ),
    cluener: Annotated[Path, typer.Option(help="CLUENER2020 directory (used if present)")] = Path(
        "../shared/datasets/cluener2020"
    ),
    learning_curve: Annotated[Path, typer.Option(help="learning-curve JSON (used if present)")] = Path(
        "build/learning_curve.json"
    ),
    out: Annotated[Path, typer.Option(help="reports directory")] = Path("reports"),
    readme: Annotated[Path | None, typer.Option(help="README whose results table is regenerated")] = None,
    cluener_peer: Annotated[
        list[str] | None, typer.Option(help="peers on CLUENER dev (default jieba; thulac is ~1k chars/s)")
    ] = None,
) -> None:
    """Regenerate every report from the built pipelines (and the README table)."""
    from zhie.evaluate.runs import run_all

    peers = cluener_peer if cluener_peer is not None else ["jieba"]
    written = run_all(model, rules, gold, heldout, cluener, learning_curve, out, readme, peers, dev_gold)
    for path in written:
        typer.echo(f"written: {path}")


def readme_table(
    metrics: Annotated[list[Path], typer.Option(help="metrics.json files, in table order; repeatable")],
    readme: Annotated[Path, typer.Option(help="README.md with the results markers")] = Path("README.md"),
) -> None:
    """Rewrite README.md between <!-- results:start --> and <!-- results:end -->."""
    from zhie.evaluate.readme_table import update_readme

    update_readme(readme, metrics)
    typer.echo(f"updated: {readme}")


def register(app: typer.Typer) -> None:
    app.command("evaluate")(evaluate)
    app.command("report")(report)
    app.command("readme-table")(readme_table)
