"""``python -m zh_industry_ie extract|facts``: the batch commands shipped with the package.

argparse, not typer, so the wheel needs nothing beyond spaCy to run them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .facts import FORMATS, collect_facts, write_facts
from .manifest import iter_output
from .runner import ENGINES, RunSummary, run_extract
from .worker import ShardOutput


def _progress(output: ShardOutput, summary: RunSummary) -> None:
    print(f"shard {output.index}: {output.n_records} records, {output.n_errors} errors", file=sys.stderr)


def add_extract_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inputs", nargs="+", type=Path,
                        help="files, directories, .jsonl or .jsonl.gz files")
    parser.add_argument("--out", type=Path, required=True, help="output directory (shards + manifest)")
    parser.add_argument("--model", default="zh_industry_ie", help="installed pipeline name or directory")
    parser.add_argument("--workers", type=int, default=1, help="worker processes (local engine)")
    parser.add_argument("--batch-size", type=int, default=32, help="paragraphs per nlp.pipe batch")
    parser.add_argument("--shard-size", type=int, default=1000, help="input records per output shard")
    parser.add_argument("--max-chars", type=int, default=None,
                        help="longest piece of a paragraph given to the pipeline (default 100000)")
    parser.add_argument("--engine", choices=ENGINES, default="local")
    parser.add_argument("--scheduler", default="local:2",
                        help="dask scheduler ADDRESS, or local:N to start a local cluster of N workers")
    parser.add_argument("--restart", action="store_true", help="discard an earlier run in --out")
    parser.add_argument("--quiet", action="store_true", help="no per-shard progress lines")


def extract_command(args: argparse.Namespace) -> int:
    summary = run_extract(
        args.inputs, args.out, model=args.model, workers=args.workers, batch_size=args.batch_size,
        shard_size=args.shard_size, max_chars=args.max_chars, engine=args.engine,
        scheduler=args.scheduler, restart=args.restart, on_shard=None if args.quiet else _progress,
    )
    print(
        f"{summary.records} documents extracted, {summary.errors} errors "
        f"({summary.skipped_files} files skipped) in {summary.shards} shards "
        f"({summary.shards_skipped} already complete) -> {summary.out_dir}"
    )
    return 0


def facts_command(args: argparse.Namespace) -> int:
    fmt = args.format or {".csv": "csv", ".parquet": "parquet"}.get(args.out.suffix.lower(), "sqlite")
    facts = collect_facts(iter_output(args.run_dir))
    path = write_facts(facts, args.out, fmt)
    merged = sum(len(ids) > 1 for ids in facts.values())
    print(f"{len(facts)} facts ({merged} stated by several documents) -> {path} ({fmt})")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m zh_industry_ie", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    extract = commands.add_parser("extract", help="extract entities and relations from a corpus")
    add_extract_arguments(extract)
    extract.set_defaults(run=extract_command)
    facts = commands.add_parser("facts", help="fact table from an extract output directory")
    facts.add_argument("run_dir", type=Path, help="output directory of `extract`")
    facts.add_argument("--out", type=Path, default=Path("facts.sqlite"))
    facts.add_argument("--format", choices=FORMATS, default=None,
                       help="sqlite (default), csv or parquet; else taken from the --out suffix")
    facts.set_defaults(run=facts_command)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except (ValueError, RuntimeError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
