"""Streaming readers: lazy over large inputs; every bad record is an error with its reason."""

from __future__ import annotations

import gzip
import json
import tracemalloc
from pathlib import Path

from zh_industry_ie.batch.readers import Document, ReadError, iter_items

PARAGRAPH = "隆基绿能科技股份有限公司在曲靖经济技术开发区投资建设年产20万吨单晶硅棒项目。" * 25


def test_reader_streams_a_large_gzipped_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl.gz"
    n_lines = 8000
    with gzip.open(path, "wt", encoding="utf-8") as sink:
        for i in range(n_lines):
            sink.write(json.dumps({"id": f"d{i}", "text": f"{i}\n{PARAGRAPH}"}, ensure_ascii=False) + "\n")
    text_bytes = n_lines * len(f"0\n{PARAGRAPH}".encode())
    assert text_bytes > 20_000_000

    tracemalloc.start()
    try:
        count, last = 0, None
        for item in iter_items([path]):
            assert isinstance(item, Document)
            count += 1
            last = item
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == n_lines
    assert last is not None and last.id == f"d{n_lines - 1}" and last.paragraphs[1] == PARAGRAPH
    # One record at a time (plus the set of ids seen): far below the input size.
    assert peak < 3_000_000, peak


def test_every_bad_record_is_an_error_and_the_rest_is_read(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "ok", "text": "曲靖"}, ensure_ascii=False).encode(),
        b'{"id": "broken", "text": ',
        json.dumps({"id": "empty", "text": ""}).encode(),
        b'{"id": "latin1", "text": "caf\xe9"}',
        json.dumps({"id": "ok", "text": "again"}).encode(),
        json.dumps({"id": "last", "text": "隆基"}, ensure_ascii=False).encode(),
    ]
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    (folder / "b.txt").write_bytes(b"\x7fELF\x00\x01\x02" * 20)
    (folder / "c.txt").write_bytes(b"")
    (folder / "d.md").write_text("# 标题\n\n正文。", encoding="utf-8")
    (folder / "e.bin").write_bytes(b"\x00\x01")
    good = gzip.compress(b'{"id": "g1", "text": "x"}\n' * 50)
    (folder / "f.jsonl.gz").write_bytes(good[: len(good) // 2])  # truncated download

    items = list(iter_items([folder, tmp_path / "missing.txt"]))
    docs = [i.id for i in items if isinstance(i, Document)]
    errors = {i.id: i for i in items if isinstance(i, ReadError)}
    assert docs[:3] == ["ok", "last", "d.md"]
    assert "not JSON" in errors["a.jsonl:2"].reason
    assert "empty" in errors["empty"].reason
    assert "invalid UTF-8" in errors["a.jsonl:4"].reason
    assert "duplicate id" in errors["ok"].reason
    assert "binary" in errors["b.txt"].reason
    assert "empty" in errors["c.txt"].reason
    assert errors["e.bin"].skipped and "unsupported file type (.bin)" in errors["e.bin"].reason
    assert any(key.startswith("f.jsonl.gz") and "cannot read" in e.reason for key, e in errors.items())
    assert "no such file" in errors[str(tmp_path / "missing.txt")].reason
    assert all(e.reason for e in errors.values())
