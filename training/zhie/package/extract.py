"""``zhie extract``: a thin typer wrapper over the shipped batch extraction.

The work is done by ``zh_industry_ie.batch`` (``python -m zh_industry_ie extract``), so a user
of the wheel and a user of the toolkit run the same code and get the same output directory:
shards of JSON lines (one record of entities and relations per document) and their error
files, listed in ``manifest.json``. See docs/scale.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from zh_industry_ie.batch.runner import ENGINES, run_extract


def extract(
    inputs: Annotated[list[Path], typer.Argument(help="files, directories, .jsonl or .jsonl.gz files")],
    out: Annotated[Path, typer.Option(help="output directory (shards + manifest.json)")],
    model: Annotated[str, typer.Option(help="installed pipeline name or directory")] = "zh_industry_ie",
    workers: Annotated[int, typer.Option(help="worker processes (local engine)")] = 1,
    batch_size: Annotated[int, typer.Option(help="paragraphs per nlp.pipe batch")] = 32,
    shard_size: Annotated[int, typer.Option(help="input records per output shard")] = 1000,
    max_chars: Annotated[int | None, typer.Option(help="longest paragraph piece (default 100000)")] = None,
    engine: Annotated[str, typer.Option(help=f"one of {', '.join(ENGINES)}")] = "local",
    scheduler: Annotated[str, typer.Option(help="dask scheduler ADDRESS or local:N")] = "local:2",
    restart: Annotated[bool, typer.Option(help="discard an earlier run in --out")] = False,
) -> None:
    """Extract entities and relations from every document; never stops on a bad record; resumes."""
    try:
        summary = run_extract(
            list(inputs), out, model=model, workers=workers, batch_size=batch_size,
            shard_size=shard_size, max_chars=max_chars, engine=engine, scheduler=scheduler,
            restart=restart,
        )
    except (ValueError, RuntimeError) as err:
        raise typer.BadParameter(str(err)) from err
    typer.echo(
        f"{summary.records} documents extracted, {summary.errors} errors "
        f"({summary.skipped_files} files skipped) in {summary.shards} shards "
        f"({summary.shards_skipped} already complete) -> {summary.out_dir}"
    )
