"""Read inputs lazily: files, directory trees, JSON Lines (plain or gzipped).

:func:`iter_items` yields, in a fixed order, one item per input record: a :class:`Document`,
or a :class:`ReadError` saying which record failed and why (``skipped`` is set for files whose
type is not read at all). A bad record never stops the stream and is never dropped silently.
Only one record (one file, or one JSON line) is held in memory at a time.
"""

from __future__ import annotations

import gzip
import json
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from ..paragraphs import split_paragraphs

SUFFIX_FORMATS = {
    ".txt": "txt",
    ".text": "txt",
    ".html": "html",
    ".htm": "html",
    ".md": "md",
    ".markdown": "md",
}
JSONL_SUFFIXES = (".jsonl", ".ndjson")
GZIP_JSONL_SUFFIXES = (".jsonl.gz", ".ndjson.gz")

# Control characters other than tab/newline/carriage return/form feed: a text in which they
# are frequent is binary data that happened to decode, not prose.
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")
_BINARY_SHARE = 0.05


@dataclass(frozen=True)
class Document:
    """One document as paragraphs as found (markup removed, nothing normalised)."""

    id: str
    paragraphs: list[str]
    path: str = ""
    # The input string as read (file contents or the JSONL "text"), for document offsets.
    text: str = field(default="", repr=False)


@dataclass(frozen=True)
class ReadError:
    """A record that could not become a document (or a file not read), with the reason."""

    id: str
    reason: str
    skipped: bool = False

    def to_json(self) -> dict[str, object]:
        record: dict[str, object] = {"id": self.id, "error": self.reason}
        if self.skipped:
            record["skipped"] = True
        return record


Item = Document | ReadError


def text_problem(text: object) -> str | None:
    """Why a decoded text cannot be a document, or None if it can."""
    if not isinstance(text, str):
        return f"text is {type(text).__name__}, not a string"
    if not text.strip():
        return "empty or whitespace-only text" if text else "empty text"
    if "\x00" in text:
        return "binary content (NUL characters)"
    controls = len(_CONTROL.findall(text))
    if controls > _BINARY_SHARE * len(text):
        return f"binary content ({controls} control characters in {len(text)})"
    if "\ufffd" in text and text.count("\ufffd") > 0.5 * len(text.strip()):
        return "binary content (mostly replacement characters)"
    return None


def document_from_text(doc_id: str, text: object, fmt: str, path: str = "") -> Item:
    """Check a decoded text and split it into paragraphs."""
    problem = text_problem(text)
    if problem is not None:
        return ReadError(doc_id, problem)
    assert isinstance(text, str)
    paragraphs = split_paragraphs(text, fmt)
    if not paragraphs:
        return ReadError(doc_id, "no text left once markup is removed")
    return Document(doc_id, paragraphs, path, text)


def decode_utf8(data: bytes) -> tuple[str | None, str | None]:
    """(text, None) or (None, reason); a UTF-8 byte order mark is accepted and dropped."""
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as err:
        return None, f"invalid UTF-8 at byte {err.start}: {data[err.start : err.start + 4]!r}"


def read_text_file(path: Path, doc_id: str) -> Item:
    try:
        data = path.read_bytes()
    except OSError as err:
        return ReadError(doc_id, f"cannot read file: {err.strerror or err}")
    if b"\x00" in data[:65536]:
        return ReadError(doc_id, "binary content (NUL bytes)")
    text, problem = decode_utf8(data)
    del data
    if text is None:
        return ReadError(doc_id, problem or "cannot decode")
    fmt = SUFFIX_FORMATS.get(path.suffix.lower(), "txt")
    return document_from_text(doc_id, text, fmt, str(path))


def _jsonl_line(raw_line: bytes, where: str, seen: set[str]) -> Item:
    line, problem = decode_utf8(raw_line)
    if line is None:
        return ReadError(where, problem or "cannot decode")
    try:
        record = json.loads(line)
    except json.JSONDecodeError as err:
        return ReadError(where, f"not JSON: {err.msg} at column {err.colno}")
    if not isinstance(record, dict):
        return ReadError(where, f"not a JSON object but {type(record).__name__}")
    doc_id = str(record["id"]) if record.get("id") not in (None, "") else where
    if "text" not in record:
        return ReadError(doc_id, f"no 'text' field ({where})")
    if doc_id in seen:
        return ReadError(doc_id, f"duplicate id ({where})")
    seen.add(doc_id)
    item = document_from_text(doc_id, record["text"], "txt", where)
    if isinstance(item, ReadError):
        return ReadError(doc_id, f"{item.reason} ({where})")
    return item


def _open_jsonl(path: Path) -> BinaryIO:
    if path.name.lower().endswith(GZIP_JSONL_SUFFIXES):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def iter_jsonl(path: Path) -> Iterator[Item]:
    """One ``{"id", "text"}`` object per line, read line by line; bad lines become errors.

    Only the ids are kept across lines (to report duplicates); a gzip stream that breaks
    part-way is reported once, after the lines read before the break.
    """
    seen: set[str] = set()
    line_no = 0
    try:
        with _open_jsonl(path) as stream:
            for line_no, raw_line in enumerate(stream, start=1):
                if raw_line.strip():
                    yield _jsonl_line(raw_line.rstrip(b"\r\n"), f"{path.name}:{line_no}", seen)
    except (OSError, EOFError, zlib.error) as err:
        reason = f"cannot read file after line {line_no}: {type(err).__name__}: {err}"
        yield ReadError(path.name if line_no == 0 else f"{path.name}:{line_no + 1}", reason)


def is_jsonl(path: Path) -> bool:
    return path.name.lower().endswith(JSONL_SUFFIXES + GZIP_JSONL_SUFFIXES)


def is_supported(path: Path) -> bool:
    return is_jsonl(path) or path.suffix.lower() in SUFFIX_FORMATS


def _directory_files(root: Path) -> list[Path]:
    # Only the paths are listed up front (sorted, for a fixed order); contents stay on disk.
    files = [p for p in root.rglob("*") if p.is_file()]
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def _iter_file(path: Path, doc_id: str) -> Iterator[Item]:
    if is_jsonl(path):
        yield from iter_jsonl(path)
    else:
        yield read_text_file(path, doc_id)


def iter_path(path: str | Path) -> Iterator[Item]:
    """Items of one input: a file (text, HTML, Markdown, JSONL, JSONL.gz) or a directory tree.

    Document ids are the file name for a single file, the path relative to the directory
    for files found in a directory, and the record's "id" for JSON Lines. In a directory, a
    file of another type is listed as skipped; a single file given by name is read as text
    whatever its suffix (the user asked for it).
    """
    root = Path(path)
    if root.is_dir():
        files = _directory_files(root)
        if not files:
            yield ReadError(root.name, "directory holds no files")
        for file in files:
            rel = file.relative_to(root).as_posix()
            if is_supported(file):
                yield from _iter_file(file, rel)
            else:
                kind = "".join(file.suffixes[-2:]) or "no suffix"
                yield ReadError(
                    rel, f"skipped: unsupported file type ({kind}); "
                    "read are .txt .text .html .htm .md .markdown .jsonl .ndjson .jsonl.gz",
                    skipped=True,
                )
    elif root.is_file():
        yield from _iter_file(root, root.name)
    else:
        yield ReadError(str(path), "no such file or directory")


def iter_items(paths: Iterable[str | Path]) -> Iterator[Item]:
    for path in paths:
        yield from iter_path(path)
