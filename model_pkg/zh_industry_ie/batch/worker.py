"""The unit of work: one shard of input items in, its output and error lines out.

Runs wherever the engine puts it (this process, a local worker process, a Dask worker): it
touches no files, so workers need the pipeline but not the output directory. The pipeline is
loaded once per process and kept.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from spacy.language import Language

from .readers import Document, Item, ReadError
from .records import extract_document, extract_documents

_PIPELINES: dict[str, Language] = {}


@dataclass(frozen=True)
class Settings:
    """What decides the output (part of the manifest); not how many workers made it."""

    model: str
    batch_size: int = 32
    max_chars: int | None = None


@dataclass(frozen=True)
class ShardOutput:
    index: int
    records: str  # JSON lines, in input order
    errors: str
    n_records: int
    n_errors: int
    n_skipped: int
    first_id: str | None


def load_pipeline(model: str) -> Language:
    """The pipeline named (installed package or directory), loaded once per process."""
    if model not in _PIPELINES:
        import spacy

        import zh_industry_ie  # noqa: F401 - registers the project's factories in this process

        _PIPELINES[model] = spacy.load(model)
    return _PIPELINES[model]


def _line(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False) + "\n"


def _extract_or_error(nlp: Language, document: Document, settings: Settings) -> dict[str, Any] | Exception:
    try:
        return extract_document(nlp, document, settings.batch_size, settings.max_chars)
    except Exception as err:
        return err


def process_shard(settings: Settings, index: int, items: list[Item]) -> ShardOutput:
    """Extract every document of the shard; a record that fails becomes an error line."""
    nlp = load_pipeline(settings.model)
    documents = [item for item in items if isinstance(item, Document)]
    extracted: list[dict[str, Any] | Exception]
    try:
        extracted = list(extract_documents(nlp, documents, settings.batch_size, settings.max_chars))
    except Exception:  # one bad record must not stop the batch: find it, one document at a time
        extracted = [_extract_or_error(nlp, document, settings) for document in documents]
    results = iter(extracted)  # in the order of the documents among the items
    records: list[str] = []
    errors: list[str] = []
    n_skipped = 0
    for item in items:
        if isinstance(item, ReadError):
            errors.append(_line(item.to_json()))
            n_skipped += item.skipped
            continue
        result = next(results)
        if isinstance(result, Exception):
            errors.append(_line({"id": item.id, "error": f"{type(result).__name__}: {result}"}))
        else:
            records.append(_line(result))
    return ShardOutput(
        index, "".join(records), "".join(errors), len(records), len(errors), n_skipped,
        items[0].id if items else None,
    )


def process_packed(packed: tuple[Settings, int, list[Item]]) -> ShardOutput:
    """``process_shard`` taking one tuple, for map-style engines (dask.bag)."""
    return process_shard(*packed)
