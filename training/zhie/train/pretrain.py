"""``zhie pretrain``: ``spacy pretrain`` of the tok2vec on the unlabelled corpus text.

The raw text is the corpus without the gold documents (``--exclude-source seed``), so a model
initialised from these weights still has never seen the held-out documents.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated

import typer
from spacy.training.pretrain import pretrain
from spacy.util import load_config

import zhie.train.callbacks  # registers the [initialize] callback
import zhie.train.corpus  # noqa: F401  (registers the corpus reader)


def write_raw_text(corpus: Path, out: Path, exclude_sources: set[str]) -> int:
    out.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with corpus.open(encoding="utf-8") as source, out.open("w", encoding="utf-8") as sink:
        for line in source:
            record = json.loads(line)
            if record.get("source") not in exclude_sources:
                sink.write(json.dumps({"text": record["text"]}, ensure_ascii=False) + "\n")
                n += 1
    return n


def pretrain_command(
    config: Annotated[Path, typer.Option(help="config with [pretraining] and [corpora.pretrain]")] = Path(
        "configs/default.cfg"
    ),
    corpus: Annotated[Path, typer.Option(help="paragraphs.jsonl")] = Path("build/corpus/paragraphs.jsonl"),
    out: Annotated[Path, typer.Option(help="output directory for the weights")] = Path("build/pretrain"),
    exclude_source: Annotated[list[str] | None, typer.Option(help="corpus sources left out")] = None,
) -> None:
    """Pretrain the tok2vec (characters objective) on the corpus text; weights in OUT/model-last.bin."""
    raw = out / "raw_text.jsonl"
    n = write_raw_text(corpus, raw, set(exclude_source or ["seed"]))
    cfg = load_config(config, overrides={"paths.raw_text": str(raw)}, interpolate=True)
    start = time.perf_counter()
    pretrain(cfg, out, silent=True)
    typer.echo(f"pretrained on {n} paragraphs in {time.perf_counter() - start:.0f} s -> {out}/model-last.bin")


def register(app: typer.Typer) -> None:
    app.command("pretrain")(pretrain_command)
