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

from zh_industry_ie.paragraphs import split_paragraphs

SUFFIX_FORMATS = {
    ".txt": "txt",
    ".text": "txt",
    ".html": "html",
    ".htm": "html",
    ".md": "md",
    ".markdown": "md",
}
JSONL_SUFFIXES = (".jsonl", ".ndjson")

# Control characters other than tab/newline/carriage return/form feed: a text in which they
# are frequent is binary data that happened to decode, not prose.
_CONTROL = frozenset(chr(c) for c in range(32) if chr(c) not in "\t\n\r\f") | {"\x7f"}
_BINARY_SHARE = 0.05


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


def text_problem(text: object) -> str | None:
    """Why a decoded text cannot be a document, or None if it can."""
    if not isinstance(text, str):
        return f"text is {type(text).__name__}, not a string"
    if not text.strip():
        return "empty or whitespace-only text" if text else "empty text"
    if "\x00" in text:
        return "binary content (NUL characters)"
    controls = sum(1 for c in text if c in _CONTROL)
    if controls > _BINARY_SHARE * len(text):
        return f"binary content ({controls} control characters in {len(text)})"
    if "\ufffd" in text and text.count("\ufffd") > 0.5 * len(text.strip()):
        return "binary content (mostly replacement characters)"
    return None


def document_from_text(
    doc_id: str, text: object, fmt: str, source: str, path: str = ""
) -> Document | ReadError:
    """Check a decoded text and split it into paragraphs."""
    problem = text_problem(text)
    if problem is not None:
        return ReadError(doc_id, problem, source)
    assert isinstance(text, str)
    paragraphs = split_paragraphs(text, fmt)
    if not paragraphs:
        return ReadError(doc_id, "no text left once markup is removed", source)
    return Document(doc_id, paragraphs, source, path, text)


def decode_utf8(data: bytes) -> tuple[str | None, str | None]:
    """(text, None) or (None, reason); a UTF-8 byte order mark is accepted and dropped."""
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as err:
        return None, f"invalid UTF-8 at byte {err.start}: {data[err.start : err.start + 4]!r}"


def read_text_file(path: Path, doc_id: str, source: str = "user") -> Document | ReadError:
    try:
        data = path.read_bytes()
    except OSError as err:
        return ReadError(doc_id, f"cannot read file: {err.strerror or err}", source)
    if b"\x00" in data[:65536]:
        return ReadError(doc_id, "binary content (NUL bytes)", source)
    text, problem = decode_utf8(data)
    if text is None:
        return ReadError(doc_id, problem or "cannot decode", source)
    fmt = SUFFIX_FORMATS.get(path.suffix.lower(), "txt")
    return document_from_text(doc_id, text, fmt, source, str(path))


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
