"""``zhie scale-benchmark``: throughput, memory and resume time of batch extraction.

Every run is a fresh ``python -m zhie.package.scale_benchmark`` child process over the same
generated JSONL (corpus paragraphs, or with ``--unit sentence`` their sentences, repeated to
``--paragraphs`` records), so peak RSS is that
run's own. Measured: 1 worker, 2 workers, the dask engine on a local 2-worker cluster, a
1-worker run at a tenth of the size (does memory stay flat?), the restart of a run killed at
50 %, and jieba's ``posseg`` over the same texts in this process, as a speed ratio.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer

from zh_industry_ie.batch.manifest import read_manifest
from zhie.corpus.selection import split_sentences
from zhie.evaluate.readme_table import replace_marked_block

# Sentence units shorter than this (headings, bylines, stray marks) are left out.
MIN_SENTENCE_CHARS = 10


def benchmark_texts(corpus: Path, unit: str) -> list[str]:
    """The corpus texts as paragraphs, or split into sentences (the corpus step's splitter)."""
    lines = corpus.read_text(encoding="utf-8").splitlines()
    paragraphs = [json.loads(line)["text"] for line in lines if line]
    if unit == "paragraph":
        texts = paragraphs
    elif unit == "sentence":
        sentences = (s.strip() for p in paragraphs for s in split_sentences(p))
        texts = [s for s in sentences if len(s) >= MIN_SENTENCE_CHARS]
    else:
        raise typer.BadParameter(f"unit must be paragraph or sentence, not {unit!r}")
    if not texts:
        raise typer.BadParameter(f"{corpus} holds no {unit}s")
    return texts


def make_input(texts: list[str], n: int, path: Path) -> tuple[int, int]:
    """``n`` one-text records cycling through ``texts``; (records, characters)."""
    chars = 0
    with path.open("w", encoding="utf-8") as sink:
        for i in range(n):
            text = texts[i % len(texts)]
            chars += len(text)
            sink.write(json.dumps({"id": f"p{i}", "text": text}, ensure_ascii=False) + "\n")
    return n, chars


def _child_command(args: list[str]) -> list[str]:
    return [sys.executable, "-m", "zhie.package.scale_benchmark", *args]


def run_child(args: list[str]) -> dict[str, Any]:
    result = subprocess.run(_child_command(args), capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def _extract_args(input_path: Path, out: Path, model: str, shard_size: int, *extra: str) -> list[str]:
    return [str(input_path), "--out", str(out), "--model", model, "--shard-size", str(shard_size),
            "--quiet", *extra]


def kill_at_half(args: list[str], out: Path, n_shards: int) -> int:
    """Start a run, SIGKILL it once half its shards are complete; the shards left done."""
    process = subprocess.Popen(_child_command(args), stdout=subprocess.DEVNULL)
    done = 0
    while process.poll() is None:
        if (out / "manifest.json").exists():
            done = len(read_manifest(out)["shards"])
            if done >= n_shards // 2:
                break
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    return len(read_manifest(out)["shards"])


def jieba_posseg(input_path: Path) -> tuple[float, float]:
    import jieba
    import jieba.posseg

    jieba.setLogLevel(60)
    jieba.initialize()
    texts = [json.loads(line)["text"] for line in input_path.read_text(encoding="utf-8").splitlines()]
    start, cpu = time.perf_counter(), time.process_time()
    for text in texts:
        for _ in jieba.posseg.cut(text):
            pass
    return time.perf_counter() - start, time.process_time() - cpu


def _rates(run: dict[str, Any], records: int, chars: int) -> dict[str, Any]:
    return {
        **run,
        "paragraphs_per_s": round(records / run["seconds"], 1),
        "chars_per_s": round(chars / run["seconds"]),
        "paragraphs_per_cpu_s": round(records / run["cpu_seconds"], 1),
    }


def scale_benchmark(
    model: Annotated[str, typer.Option(help="pipeline name or directory")],
    paragraphs: Annotated[int, typer.Option(help="paragraphs in the benchmark input")] = 100_000,
    corpus: Annotated[Path, typer.Option(help="paragraphs.jsonl whose texts are repeated")] = Path(
        "build/corpus/paragraphs.jsonl"),
    out: Annotated[Path, typer.Option(help="report JSON")] = Path("reports/scale.json"),
    work_dir: Annotated[Path, typer.Option(help="scratch directory for inputs and outputs")] = Path(
        "build/scale"),
    shard_size: Annotated[int, typer.Option(help="records per shard")] = 1000,
    jieba_paragraphs: Annotated[int, typer.Option(help="paragraphs for jieba posseg (0: all)")] = 0,
    unit: Annotated[str, typer.Option(help="a record is a corpus paragraph or sentence")] = "paragraph",
    readme: Annotated[Path | None, typer.Option(help="README whose scale table is regenerated")] = None,
) -> None:
    """Measure batch extraction at scale and write the report."""
    load_start = round(os.getloadavg()[0], 2)
    if work_dir.exists():
        shutil.rmtree(work_dir)
    work_dir.mkdir(parents=True)
    big, small = work_dir / "input.jsonl", work_dir / "input_small.jsonl"
    texts = benchmark_texts(corpus, unit)
    records, chars = make_input(texts, paragraphs, big)
    small_records, small_chars = make_input(texts, max(1, paragraphs // 10), small)
    n_shards = -(-records // shard_size)
    runs: dict[str, Any] = {}
    plan = {
        "workers_1": (big, []),
        "workers_2": (big, ["--workers", "2"]),
        "dask_local_2": (big, ["--engine", "dask", "--scheduler", "local:2"]),
        "workers_1_small": (small, []),
    }
    for name, (path, extra) in plan.items():
        typer.echo(f"{name} ...")
        result = run_child(_extract_args(path, work_dir / name, model, shard_size, *extra))
        n, c = (records, chars) if path == big else (small_records, small_chars)
        runs[name] = _rates(result, n, c)
        same = name == "workers_1" or _same_output(work_dir / name, work_dir / "workers_1")
        runs[name]["output_identical_to_workers_1"] = same if path == big else None
        typer.echo(f"  {runs[name]}")

    typer.echo("kill at 50 % and resume ...")
    resume_dir = work_dir / "resume"
    args = _extract_args(big, resume_dir, model, shard_size)
    shards_done = kill_at_half(args, resume_dir, n_shards)
    resumed = run_child(args)
    resume = {
        "shards": n_shards, "shards_complete_at_kill": shards_done,
        "resume_seconds": resumed["seconds"],
        "full_run_seconds": runs["workers_1"]["seconds"],
        "output_identical_to_workers_1": _same_output(resume_dir, work_dir / "workers_1"),
    }
    typer.echo(f"  {resume}")
    typer.echo("jieba posseg ...")
    jieba_input = big
    if 0 < jieba_paragraphs < records:
        jieba_input = work_dir / "input_jieba.jsonl"
        make_input(texts, jieba_paragraphs, jieba_input)
    jieba_records = sum(1 for _ in jieba_input.open(encoding="utf-8"))
    jieba_seconds, jieba_cpu = jieba_posseg(jieba_input)
    # Compared per paragraph, so a sample of the same cycled texts is a fair measure.
    scale = records / jieba_records
    jieba_seconds, jieba_cpu = jieba_seconds * scale, jieba_cpu * scale
    ours = runs["workers_1"]["seconds"]
    report = {
        "model": model,
        "paragraphs": records,
        "unit": unit,
        "characters": chars,
        "shard_size": shard_size,
        "machine": {"python": platform.python_version(), "cpus": _cpus()},
        "runs": runs,
        "peak_rss_mb": {f"{small_records}": runs["workers_1_small"]["peak_rss_mb"],
                        f"{records}": runs["workers_1"]["peak_rss_mb"],
                        "ratio": round(runs["workers_1"]["peak_rss_mb"]
                                       / runs["workers_1_small"]["peak_rss_mb"], 3)},
        "resume_after_kill_at_50pct": resume,
        "jieba_posseg": {"paragraphs_measured": jieba_records,
                         "seconds": round(jieba_seconds, 2),
                         "paragraphs_per_s": round(records / jieba_seconds, 1),
                         "chars_per_s": round(chars / jieba_seconds),
                         "cpu_seconds": round(jieba_cpu, 2),
                         "speed_ratio_ours_to_jieba": round(jieba_seconds / ours, 3),
                         "cpu_ratio_ours_to_jieba": round(jieba_cpu / runs["workers_1"]["cpu_seconds"], 3)},
        # Other work on the machine slows every rate: the load before and after says how quiet it was.
        "load_average_1min": {"start": load_start, "end": round(os.getloadavg()[0], 2)},
        "note": "seconds are wall time inside each child process (model load included, "
                "interpreter start-up excluded)",
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    typer.echo(f"report -> {out}")
    if readme is not None:
        replace_marked_block(readme, "scale", scale_table(report, out))
        typer.echo(f"scale table -> {readme}")


RUN_NAMES = {
    "workers_1": "1 worker",
    "workers_2": "2 workers (`--workers 2`)",
    "dask_local_2": "Dask, local cluster of 2 workers",
}


def scale_table(report: dict[str, Any], source: Path) -> str:
    """The README's scale table (markdown) from a ``reports/scale.json`` report."""
    lines = [
        f"Batch extraction of {report['paragraphs']:,} records ({report['characters']:,} characters, each "
        f"record one corpus {report.get('unit', 'paragraph')}) with the pipeline {report['model']}:",
        "",
        "| run | paragraphs/s | characters/s | wall s | CPU s | peak RSS MB (driver / workers) "
        "| output = 1 worker |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for key, name in RUN_NAMES.items():
        run = report["runs"][key]
        same = {True: "identical", False: "DIFFERENT", None: "-"}[run["output_identical_to_workers_1"]]
        lines.append(
            f"| {name} | {run['paragraphs_per_s']:,.1f} | {run['chars_per_s']:,} | {run['seconds']:,.1f} | "
            f"{run['cpu_seconds']:,.1f} | {run['peak_rss_mb']:,.0f} / {run['peak_rss_workers_mb']:,.0f} "
            f"| {same} |"
        )
    jieba = report["jieba_posseg"]
    lines.append(
        f"| jieba `posseg` (HMM), {jieba['paragraphs_measured']:,} of the same paragraphs, scaled | "
        f"{jieba['paragraphs_per_s']:,.1f} | {jieba['chars_per_s']:,} | {jieba['seconds']:,.1f} | "
        f"{jieba['cpu_seconds']:,.1f} | - | - |"
    )
    rss, resume = report["peak_rss_mb"], report["resume_after_kill_at_50pct"]
    sizes = [k for k in rss if k != "ratio"]
    lines += [
        "",
        f"- Speed, 1 worker against jieba `posseg`: {jieba['speed_ratio_ours_to_jieba']} "
        f"(CPU time {jieba['cpu_ratio_ours_to_jieba']}; above 1 means faster than jieba).",
        f"- Peak RSS, 1 worker: {rss[sizes[0]]} MB at {int(sizes[0]):,} paragraphs, {rss[sizes[1]]} MB at "
        f"{int(sizes[1]):,} (ratio {rss['ratio']}).",
        f"- Killed at 50 % ({resume['shards_complete_at_kill']} of {resume['shards']} shards complete) and "
        f"restarted: {resume['resume_seconds']} s to finish against {resume['full_run_seconds']} s for "
        "the whole run; output identical to the uninterrupted run: "
        f"{resume['output_identical_to_workers_1']}.",
        *_load_line(report),
        "",
        f"(from `{source}`)",
    ]
    return "\n".join(lines)


def _load_line(report: dict[str, Any]) -> list[str]:
    load = report.get("load_average_1min")
    if not load:
        return []
    return [f"- Machine: {report['machine']['cpus']} CPUs, Python {report['machine']['python']}; "
            f"1-minute load average {load['start']} before the benchmark, {load['end']} after it."]


def _cpus() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _same_output(a: Path, b: Path) -> bool:
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    other = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    if files != other:
        return False
    return all((a / f).read_bytes() == (b / f).read_bytes() for f in files if f.name != "manifest.json") and (
        read_manifest(a)["shards"] == read_manifest(b)["shards"]
    )


def _child_main(argv: list[str]) -> None:
    """One timed extract run; prints its seconds and peak RSS (own and of its worker processes)."""
    from zh_industry_ie.batch.cli import build_parser, extract_command

    args = build_parser().parse_args(["extract", *argv])
    before = resource.getrusage(resource.RUSAGE_SELF)
    cpu_before = before.ru_utime + before.ru_stime
    start = time.perf_counter()
    extract_command(args)
    seconds = time.perf_counter() - start
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    # CPU seconds as well as wall time: on a shared machine wall time measures the neighbours.
    cpu = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
    print(json.dumps({"seconds": round(seconds, 2), "cpu_seconds": round(cpu - cpu_before, 2),
                      "peak_rss_mb": round(own.ru_maxrss / 1024, 1),
                      "peak_rss_workers_mb": round(children.ru_maxrss / 1024, 1)}))


def register(app: typer.Typer) -> None:
    app.command("scale-benchmark")(scale_benchmark)


if __name__ == "__main__":
    _child_main(sys.argv[1:])
