"""``zhie lac-fetch``: the LAC weights step of the main job."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from zhie.lac.fetch import SDIST_NAME, default_cache, fetch


def lac_fetch_command(
    out: Annotated[Path, typer.Option(help="directory for the converted model")] = Path("build/lac"),
    cache: Annotated[
        Path | None,
        typer.Option(help=f"where {SDIST_NAME} is kept (default $ZHIE_CACHE or ~/.cache/zh_industry_ie)"),
    ] = None,
    force: Annotated[bool, typer.Option(help="convert again even if OUT is complete")] = False,
) -> None:
    """Download Baidu LAC 2.1.2 from PyPI (SHA-256 pinned, cached) and convert its lexical model to OUT."""
    start = time.perf_counter()
    did = fetch(out, cache or default_cache(), force=force)
    size = sum(p.stat().st_size for p in out.iterdir() if p.is_file())
    state = "converted" if did else "already complete"
    typer.echo(f"LAC model {state} in {out} ({size / 1e6:.1f} MB, {time.perf_counter() - start:.1f} s)")


def register(app: typer.Typer) -> None:
    app.command("lac-fetch")(lac_fetch_command)
