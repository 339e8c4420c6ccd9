"""Read a user corpus: text/HTML/Markdown files, a directory of them, or JSON Lines.

Every record ends up either as a :class:`Document` or as a :class:`ReadError` that says
which record and why: a bad file or line never stops the reading and is never dropped
without a trace.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from zh_industry_ie.batch import readers as batch_readers
from zh_industry_ie.batch.readers import JSONL_SUFFIXES, SUFFIX_FORMATS, decode_utf8


@dataclass(frozen=True)
class Document:
    """One document as paragraphs as found (markup removed, nothing normalised)."""

    id: str
    paragraphs: list[str]
    source: str = "user"
    path: str = ""
    # The input string as read (file contents or the JSONL "text"), for document offsets.
    text: str = field(default="", repr=False)


@dataclass(frozen=True)
class ReadError:
    """A record that could not become a document, with the reason."""

    id: str
    reason: str
    source: str = "user"

    def to_json(self) -> dict[str, str]:
        return {"id": self.id, "source": self.source, "reason": self.reason}


@dataclass
class ReadResult:
    documents: list[Document] = field(default_factory=list)
    errors: list[ReadError] = field(default_factory=list)

    def extend(self, other: ReadResult) -> None:
        self.documents.extend(other.documents)
        self.errors.extend(other.errors)


def _with_source(item: batch_readers.Item, source: str) -> Document | ReadError:
    """The batch reader's item (one implementation of the checks) labelled with its corpus source."""
    if isinstance(item, batch_readers.ReadError):
        return ReadError(item.id, item.reason, source)
    return Document(item.id, item.paragraphs, source, item.path, item.text)


def document_from_text(
    doc_id: str, text: object, fmt: str, source: str, path: str = ""
) -> Document | ReadError:
    """Check a decoded text and split it into paragraphs."""
    return _with_source(batch_readers.document_from_text(doc_id, text, fmt, path), source)


def read_text_file(path: Path, doc_id: str, source: str = "user") -> Document | ReadError:
    return _with_source(batch_readers.read_text_file(path, doc_id), source)


def read_jsonl(path: Path, source: str = "user") -> ReadResult:
    """One ``{"id", "text"}`` object per line; each bad line becomes an error entry."""
    result = ReadResult()
    try:
        data = path.read_bytes()
    except OSError as err:
        result.errors.append(ReadError(path.name, f"cannot read file: {err.strerror or err}", source))
        return result
    seen: set[str] = set()
    for line_no, raw_line in enumerate(data.split(b"\n"), start=1):
        where = f"{path.name}:{line_no}"
        if not raw_line.strip():
            continue
        line, problem = decode_utf8(raw_line)
        if line is None:
            result.errors.append(ReadError(where, problem or "cannot decode", source))
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            result.errors.append(ReadError(where, f"not JSON: {err.msg} at column {err.colno}", source))
            continue
        if not isinstance(record, dict):
            result.errors.append(ReadError(where, f"not a JSON object but {type(record).__name__}", source))
            continue
        doc_id = str(record["id"]) if record.get("id") not in (None, "") else where
        if "text" not in record:
            result.errors.append(ReadError(doc_id, f"no 'text' field ({where})", source))
            continue
        if doc_id in seen:
            result.errors.append(ReadError(doc_id, f"duplicate id ({where})", source))
            continue
        seen.add(doc_id)
        item = document_from_text(doc_id, record["text"], "txt", source, where)
        if isinstance(item, ReadError):
            result.errors.append(ReadError(doc_id, f"{item.reason} ({where})", source))
        else:
            result.documents.append(item)
    return result


def _corpus_files(root: Path) -> list[Path]:
    suffixes = set(SUFFIX_FORMATS) | set(JSONL_SUFFIXES)
    files = [p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in suffixes]
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def read_corpus(path: str | Path, source: str = "user") -> ReadResult:
    """Documents and errors from a file (text, HTML, Markdown or JSONL) or a directory tree.

    Document ids are the file name for a single file, the path relative to the directory
    for files found in a directory, and the record's "id" for JSON Lines.
    """
    root = Path(path)
    result = ReadResult()
    if root.is_dir():
        files = _corpus_files(root)
        if not files:
            result.errors.append(
                ReadError(root.name, "directory holds no .txt/.html/.md/.jsonl files", source)
            )
        for file in files:
            result.extend(_read_one(file, file.relative_to(root).as_posix(), source))
    elif root.is_file():
        result.extend(_read_one(root, root.name, source))
    else:
        result.errors.append(ReadError(str(path), "no such file or directory", source))
    return result


def _read_one(path: Path, doc_id: str, source: str) -> ReadResult:
    if path.suffix.lower() in JSONL_SUFFIXES:
        return read_jsonl(path, source)
    result = ReadResult()
    item = read_text_file(path, doc_id, source)
    if isinstance(item, ReadError):
        result.errors.append(item)
    else:
        result.documents.append(item)
    return result


def read_many(paths: Iterable[str | Path], source: str = "user") -> ReadResult:
    result = ReadResult()
    for path in paths:
        result.extend(read_corpus(path, source))
    return result
