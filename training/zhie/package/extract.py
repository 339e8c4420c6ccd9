"""``zhie extract``: files, directories or JSONL in; one JSON line of facts per document out.

Offsets are into the document's text as read (the whole file, or the JSONL "text" field).
Every input record ends up either in the output or in the error list with its reason.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import spacy
import typer
from spacy.language import Language
from spacy.tokens import Doc, Span
from tqdm import tqdm

from zhie.corpus.readers import read_corpus

# Documents are processed a line at a time: sentences never cross a line break, and short
# inputs keep memory flat on long files.
_LINE = re.compile(r"[^\n]+")

VALUE_ATTRS = ("canonical", "amount", "currency", "quantity", "unit", "gpe_name", "adcode")


def _entity_record(ent: Span, base: int) -> dict[str, Any]:
    record: dict[str, Any] = {
        "label": ent.label_,
        "text": ent._.original_text,
        "start": base + ent._.original_start,
        "end": base + ent._.original_end,
    }
    for attr in VALUE_ATTRS:
        if ent.has_extension(attr) and getattr(ent._, attr) is not None:
            record[attr] = getattr(ent._, attr)
    return record


def _lines(text: str) -> Iterator[tuple[int, str]]:
    for match in _LINE.finditer(text):
        if match.group(0).strip():
            yield match.start(), match.group(0)


def extract_document(nlp: Language, doc_id: str, text: str, batch_size: int = 32) -> dict[str, Any]:
    chunks = list(_lines(text))
    entities: list[dict[str, Any]] = []
    relations: list[dict[str, Any]] = []
    docs: Iterator[Doc] = nlp.pipe((chunk for _, chunk in chunks), batch_size=batch_size)
    for (base, _), doc in zip(chunks, docs, strict=True):
        index = {}
        for ent in doc.ents:
            index[(ent.start_char, ent.end_char)] = len(entities)
            entities.append(_entity_record(ent, base))
        for rel in doc._.relations:
            head = index.get((rel.head.start_char, rel.head.end_char))
            tail = index.get((rel.tail.start_char, rel.tail.end_char))
            if head is None or tail is None:
                continue
            relations.append({"head": head, "tail": tail, "label": rel.label, "score": round(rel.score, 4)})
    return {"id": doc_id, "text_length": len(text), "entities": entities, "relations": relations}


def extract(
    inputs: Annotated[list[Path], typer.Argument(help="files, directories or .jsonl files")],
    model: Annotated[str, typer.Option(help="installed pipeline name or directory")] = "zh_industry_ie",
    out: Annotated[Path, typer.Option(help="output JSONL")] = Path("extracted.jsonl"),
    errors: Annotated[Path | None, typer.Option(help="error JSONL (default: <out>.errors.jsonl)")] = None,
) -> None:
    """Extract entities and relations from every document; never stops on a bad record."""
    nlp = spacy.load(model)
    errors = errors or out.with_suffix(".errors.jsonl")
    documents, read_errors = read_corpus(inputs)
    n_ok, n_failed = 0, 0
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as sink, errors.open("w", encoding="utf-8") as error_sink:
        for error in read_errors:
            error_sink.write(json.dumps({"id": error.id, "error": error.reason}, ensure_ascii=False) + "\n")
            n_failed += 1
        for document in tqdm(documents, desc="extract", unit="doc"):
            try:
                record = extract_document(nlp, document.id, document.text)
            except Exception as err:  # one bad record must not stop the batch
                reason = f"{type(err).__name__}: {err}"
                error_sink.write(json.dumps({"id": document.id, "error": reason}, ensure_ascii=False) + "\n")
                n_failed += 1
                continue
            sink.write(json.dumps(record, ensure_ascii=False) + "\n")
            n_ok += 1
    typer.echo(f"{n_ok} documents extracted to {out}; {n_failed} errors in {errors}")
