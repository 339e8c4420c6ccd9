"""``zhie extract``: files, directories or JSONL in; one JSON line of facts per document out.

Documents are read with the corpus reader (HTML and front matter become paragraphs). Each
entity carries its paragraph number and offsets into that paragraph as read; where the
paragraph occurs verbatim in the input (plain text, JSONL) it also carries ``doc_start`` /
``doc_end``, offsets into the whole input string. Every input record ends up either in the
output or in the error list with its reason.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import spacy
import typer
from spacy.language import Language
from spacy.tokens import Doc, Span
from tqdm import tqdm

from zhie.corpus.readers import Document, read_many

VALUE_ATTRS = ("canonical", "amount", "currency", "quantity", "unit", "gpe_name", "adcode")


def _entity_record(ent: Span, paragraph: int, base: int | None) -> dict[str, Any]:
    record: dict[str, Any] = {
        "label": ent.label_,
        "text": ent._.original_text,
        "paragraph": paragraph,
        "start": ent._.original_start,
        "end": ent._.original_end,
    }
    if base is not None:
        record["doc_start"] = base + ent._.original_start
        record["doc_end"] = base + ent._.original_end
    for attr in VALUE_ATTRS:
        if ent.has_extension(attr) and getattr(ent._, attr) is not None:
            record[attr] = getattr(ent._, attr)
    return record


def _paragraph_bases(text: str | None, paragraphs: list[str]) -> list[int | None]:
    """Where each paragraph starts in the input string, if it occurs there verbatim."""
    bases: list[int | None] = []
    cursor = 0
    for paragraph in paragraphs:
        found = text.find(paragraph, cursor) if text is not None else -1
        bases.append(found if found >= 0 else None)
        if found >= 0:
            cursor = found + len(paragraph)
    return bases


def extract_document(
    nlp: Language, document: Document, raw_text: str | None = None, batch_size: int = 32
) -> dict[str, Any]:
    paragraphs = document.paragraphs
    bases = _paragraph_bases(raw_text, paragraphs)
    entities: list[dict[str, Any]] = []
    relations: list[dict[str, Any]] = []
    docs: Iterator[Doc] = nlp.pipe(paragraphs, batch_size=batch_size)
    for number, (base, doc) in enumerate(zip(bases, docs, strict=True)):
        index = {}
        for ent in doc.ents:
            index[(ent.start_char, ent.end_char)] = len(entities)
            entities.append(_entity_record(ent, number, base))
        for rel in doc._.relations:
            head = index.get((rel.head.start_char, rel.head.end_char))
            tail = index.get((rel.tail.start_char, rel.tail.end_char))
            if head is None or tail is None:
                continue
            relations.append({"head": head, "tail": tail, "label": rel.label, "score": round(rel.score, 4)})
    return {"id": document.id, "paragraphs": paragraphs, "entities": entities, "relations": relations}


def extract(
    inputs: Annotated[list[Path], typer.Argument(help="files, directories or .jsonl files")],
    model: Annotated[str, typer.Option(help="installed pipeline name or directory")] = "zh_industry_ie",
    out: Annotated[Path, typer.Option(help="output JSONL")] = Path("extracted.jsonl"),
    errors: Annotated[Path | None, typer.Option(help="error JSONL (default: <out>.errors.jsonl)")] = None,
) -> None:
    """Extract entities and relations from every document; never stops on a bad record."""
    nlp = spacy.load(model)
    errors = errors or out.with_suffix(".errors.jsonl")
    corpus = read_many(inputs)
    documents, read_errors = corpus.documents, corpus.errors
    n_ok, n_failed = 0, 0
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as sink, errors.open("w", encoding="utf-8") as error_sink:
        for error in read_errors:
            error_sink.write(json.dumps({"id": error.id, "error": error.reason}, ensure_ascii=False) + "\n")
            n_failed += 1
        for document in tqdm(documents, desc="extract", unit="doc"):
            try:
                record = extract_document(nlp, document, document.text)
            except Exception as err:  # one bad record must not stop the batch
                reason = f"{type(err).__name__}: {err}"
                error_sink.write(json.dumps({"id": document.id, "error": reason}, ensure_ascii=False) + "\n")
                n_failed += 1
                continue
            sink.write(json.dumps(record, ensure_ascii=False) + "\n")
            n_ok += 1
    typer.echo(f"{n_ok} documents extracted to {out}; {n_failed} errors in {errors}")
