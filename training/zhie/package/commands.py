"""``zhie package`` (build the wheel) and ``zhie extract`` (batch extraction to JSONL)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from zhie.package.wheel import build_wheel

MAX_WHEEL_MB = 50.0


def package(
    model: Annotated[Path, typer.Option(help="trained pipeline directory")] = Path("build/model"),
    out: Annotated[Path, typer.Option(help="where the wheel goes")] = Path("dist"),
    stage: Annotated[Path, typer.Option(help="scratch directory for the package sources")] = Path(
        "build/package"
    ),
    version: Annotated[str, typer.Option(help="package version")] = "0.1.0",
) -> None:
    """Build the installable zh_industry_ie wheel from the trained pipeline."""
    wheel = build_wheel(model, out, stage, version)
    size_mb = wheel.stat().st_size / 1e6
    typer.echo(f"wheel: {wheel} ({size_mb:.1f} MB)")
    if size_mb > MAX_WHEEL_MB:
        typer.echo(f"error: the wheel is larger than {MAX_WHEEL_MB} MB", err=True)
        raise typer.Exit(code=1)


def register(app: typer.Typer) -> None:
    from zhie.package.extract import extract

    app.command("package")(package)
    app.command("extract")(extract)
