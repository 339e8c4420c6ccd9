"""One document in, one JSON-ready record of its entities and relations out.

Each entity carries its paragraph number and offsets into that paragraph as read; where the
paragraph occurs verbatim in the input (plain text, JSONL) it also carries ``doc_start`` /
``doc_end``, offsets into the whole input string. A paragraph longer than the piece limit is
run in pieces cut at sentence ends; offsets are shifted back so they still point into the
paragraph (and the input).
"""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from .pieces import split_pieces
from .readers import Document

VALUE_ATTRS = ("canonical", "amount", "currency", "quantity", "unit", "gpe_name", "adcode")
# Pieces of a long paragraph are at most this long (and never over nlp.max_length): spaCy's
# memory grows with the Doc, so a one-line 2 M-character file must not become one Doc.
DEFAULT_PIECE_CHARS = 100_000


def _entity_record(ent: Span, piece: str, paragraph: int, shift: int, base: int | None) -> dict[str, Any]:
    piece_start, piece_end = ent._.original_start, ent._.original_end
    start, end = shift + piece_start, shift + piece_end
    record: dict[str, Any] = {
        "label": ent.label_,
        # Sliced here rather than through span._.original_text, which may rebuild doc.text.
        "text": piece[piece_start:piece_end],
        "paragraph": paragraph,
        "start": start,
        "end": end,
    }
    if base is not None:
        record["doc_start"] = base + start
        record["doc_end"] = base + end
    for attr in VALUE_ATTRS:
        if ent.has_extension(attr) and getattr(ent._, attr) is not None:
            record[attr] = getattr(ent._, attr)
    return record


def paragraph_bases(text: str | None, paragraphs: list[str]) -> list[int | None]:
    """Where each paragraph starts in the input string, if it occurs there verbatim."""
    bases: list[int | None] = []
    cursor = 0
    for paragraph in paragraphs:
        found = text.find(paragraph, cursor) if text else -1
        bases.append(found if found >= 0 else None)
        if found >= 0:
            cursor = found + len(paragraph)
    return bases


def piece_limit(nlp: Language, max_chars: int | None = None) -> int:
    return min(nlp.max_length, max_chars or DEFAULT_PIECE_CHARS)


def extract_document(
    nlp: Language, document: Document, batch_size: int = 32, max_chars: int | None = None
) -> dict[str, Any]:
    """The record of one document: ``{"id", "paragraphs", "entities", "relations"}``."""
    return extract_documents(nlp, [document], batch_size, max_chars)[0]


def extract_documents(
    nlp: Language, documents: list[Document], batch_size: int = 32, max_chars: int | None = None
) -> list[dict[str, Any]]:
    """The records of several documents, their pieces run through one ``nlp.pipe``: a batch
    then holds many short documents (one ``pipe`` per document would run the encoder on one
    sentence at a time)."""
    limit = piece_limit(nlp, max_chars)
    # (document number, paragraph number, offset of the piece in the paragraph, piece text)
    units = [
        (d, number, shift, piece)
        for d, document in enumerate(documents)
        for number, paragraph in enumerate(document.paragraphs)
        for shift, piece in split_pieces(paragraph, limit)
    ]
    records = [
        {"id": document.id, "paragraphs": document.paragraphs, "entities": [], "relations": []}
        for document in documents
    ]
    bases = [paragraph_bases(document.text, document.paragraphs) for document in documents]
    docs = nlp.pipe((piece for *_, piece in units), batch_size=batch_size)
    for (d, number, shift, piece), doc in zip(units, docs, strict=True):
        _collect(doc, piece, number, shift, bases[d][number], records[d]["entities"], records[d]["relations"])
    return records


def _collect(
    doc: Doc, piece: str, number: int, shift: int, base: int | None,
    entities: list[dict[str, Any]], relations: list[dict[str, Any]],
) -> None:
    index = {}
    for ent in doc.ents:
        index[(ent.start_char, ent.end_char)] = len(entities)
        entities.append(_entity_record(ent, piece, number, shift, base))
    for rel in doc._.relations:
        head = index.get((rel.head.start_char, rel.head.end_char))
        tail = index.get((rel.tail.start_char, rel.tail.end_char))
        if head is None or tail is None:
            continue
        relations.append({"head": head, "tail": tail, "label": rel.label, "score": round(rel.score, 4)})
