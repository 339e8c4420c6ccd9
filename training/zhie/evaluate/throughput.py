"""``zhie throughput``: characters per second of ``nlp.pipe`` on CPU, n_process 1 and 2.

Each run reports two figures on the same texts: ``cold_chars_per_second``, the first pass of a
freshly loaded pipeline (it pays one-time costs: strings and lexemes entering the vocabulary,
first allocations), and ``chars_per_second``, the same pipeline after a warm-up pass over
*other* paragraphs of the corpus (``--warmup-chars``), which is what a long extraction job
sees. On this project's model the first pass was 5-10 % slower (2026-12-03, two runs).
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated, Any

import spacy
import typer


def _texts(corpus: Path, max_chars: int, warmup_chars: int = 0) -> tuple[list[str], list[str]]:
    """The measured texts (the corpus' first paragraphs up to ``max_chars``) and the warm-up
    texts (the paragraphs after them, up to ``warmup_chars``)."""
    texts: list[str] = []
    warmup: list[str] = []
    total = warm_total = 0
    with corpus.open(encoding="utf-8") as handle:
        for line in handle:
            text = json.loads(line)["text"]
            if total < max_chars:
                texts.append(text)
                total += len(text)
            elif warm_total < warmup_chars:
                warmup.append(text)
                warm_total += len(text)
            else:
                break
    return texts, warmup


def _timed_pass(nlp: Any, texts: list[str], n_process: int, batch_size: int) -> tuple[int, float]:
    start = time.perf_counter()
    n_docs = sum(1 for _ in nlp.pipe(texts, n_process=n_process, batch_size=batch_size))
    return n_docs, time.perf_counter() - start


def measure(
    model: str, texts: list[str], n_process: int, warmup: list[str] | None = None, batch_size: int = 32
) -> dict[str, Any]:
    nlp = spacy.load(model)
    list(nlp.pipe(texts[:2]))  # lazy loads must not count, even in the cold pass
    n_docs, cold = _timed_pass(nlp, texts, n_process, batch_size)
    # A fresh pipeline again, warmed on other text: the measured texts must not be cached.
    nlp = spacy.load(model)
    list(nlp.pipe(warmup or texts[:2], batch_size=batch_size))
    _, seconds = _timed_pass(nlp, texts, n_process, batch_size)
    chars = sum(len(t) for t in texts)
    return {"n_process": n_process, "docs": n_docs, "characters": chars, "seconds": round(seconds, 2),
            "chars_per_second": round(chars / seconds), "cold_seconds": round(cold, 2),
            "cold_chars_per_second": round(chars / cold)}


def throughput(
    model: Annotated[str, typer.Option(help="pipeline name or directory")] = "build/model",
    corpus: Annotated[Path, typer.Option(help="paragraphs.jsonl to read texts from")] = Path(
        "build/corpus/paragraphs.jsonl"
    ),
    max_chars: Annotated[int, typer.Option(help="characters to process")] = 100_000,
    warmup_chars: Annotated[int, typer.Option(help="characters of other paragraphs to warm up on")] = 30_000,
    out: Annotated[Path, typer.Option(help="output JSON")] = Path("reports/throughput.json"),
) -> None:
    """Measure nlp.pipe throughput with n_process 1 and 2 on the same texts, cold and warmed up."""
    texts, warmup = _texts(corpus, max_chars, warmup_chars)
    results = [measure(model, texts, n, warmup) for n in (1, 2)]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"model": model, "runs": results}, indent=2), encoding="utf-8")
    for r in results:
        typer.echo(f"n_process={r['n_process']}: {r['chars_per_second']} chars/s warmed up, "
                   f"{r['cold_chars_per_second']} on the first pass ({r['characters']} chars)")


def register(app: typer.Typer) -> None:
    app.command("throughput")(throughput)
