"""``zhie throughput``: characters per second of ``nlp.pipe`` on CPU, n_process 1 and 2."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated, Any

import spacy
import typer


def _texts(corpus: Path, max_chars: int) -> list[str]:
    texts, total = [], 0
    with corpus.open(encoding="utf-8") as handle:
        for line in handle:
            text = json.loads(line)["text"]
            texts.append(text)
            total += len(text)
            if total >= max_chars:
                break
    return texts


def measure(model: str, texts: list[str], n_process: int, batch_size: int = 32) -> dict[str, Any]:
    nlp = spacy.load(model)
    list(nlp.pipe(texts[:2]))  # warm-up: lazy loads must not count
    start = time.perf_counter()
    n_docs = sum(1 for _ in nlp.pipe(texts, n_process=n_process, batch_size=batch_size))
    seconds = time.perf_counter() - start
    chars = sum(len(t) for t in texts)
    return {"n_process": n_process, "docs": n_docs, "characters": chars, "seconds": round(seconds, 2),
            "chars_per_second": round(chars / seconds)}


def throughput(
    model: Annotated[str, typer.Option(help="pipeline name or directory")] = "build/model",
    corpus: Annotated[Path, typer.Option(help="paragraphs.jsonl to read texts from")] = Path(
        "build/corpus/paragraphs.jsonl"
    ),
    max_chars: Annotated[int, typer.Option(help="characters to process")] = 100_000,
    out: Annotated[Path, typer.Option(help="output JSON")] = Path("reports/throughput.json"),
) -> None:
    """Measure nlp.pipe throughput with n_process 1 and 2 on the same texts."""
    texts = _texts(corpus, max_chars)
    results = [measure(model, texts, n) for n in (1, 2)]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"model": model, "runs": results}, indent=2), encoding="utf-8")
    for r in results:
        typer.echo(f"n_process={r['n_process']}: {r['chars_per_second']} chars/s "
                   f"({r['characters']} chars in {r['seconds']} s)")


def register(app: typer.Typer) -> None:
    app.command("throughput")(throughput)
