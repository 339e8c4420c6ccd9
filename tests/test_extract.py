"""``zhie extract`` (a wrapper over the shipped batch code): every record is in the output or
the error list; offsets map back; the same run through ``python -m zh_industry_ie`` is identical."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import tiny_ruler_pipeline
from typer.testing import CliRunner

from zh_industry_ie.batch.cli import main
from zh_industry_ie.batch.manifest import iter_output
from zhie.cli import app


def _snapshot(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_extract_accounts_for_every_record(tmp_path: Path) -> None:
    model = tiny_ruler_pipeline(tmp_path / "model")
    records = [
        {"id": "simplified", "text": "标题\n隆基落户曲靖。"},
        {"id": "traditional", "text": "隆基落戶曲靖經(jīng)開(kāi)區。"},
        {"id": "empty", "text": "   "},
        {"id": "no-text"},
    ]
    jsonl = tmp_path / "in.jsonl"
    jsonl.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\nnot json\n", encoding="utf-8"
    )
    bad_file = tmp_path / "docs" / "bad.txt"
    bad_file.parent.mkdir()
    bad_file.write_bytes("曲靖".encode() + b"\xff\xfe")
    (tmp_path / "docs" / "good.html").write_text("<p>曲靖&amp;隆基</p>", encoding="utf-8")
    (tmp_path / "docs" / "scan.pdf").write_bytes(b"%PDF-1.4 ...")
    inputs = [str(jsonl), str(tmp_path / "docs")]
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["extract", *inputs, "--model", str(model), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "3 documents extracted, 5 errors (1 files skipped)" in result.output
    extracted = {r["id"]: r for r in iter_output(out)}
    errors = list(iter_output(out, errors=True))
    error_ids = {e["id"] for e in errors}
    assert set(extracted) == {"simplified", "traditional", "good.html"}
    assert {"empty", "no-text", "bad.txt", "scan.pdf"} <= error_ids
    assert any(e["id"].endswith(":5") for e in errors)  # the line that is not JSON
    assert all(e["error"] for e in errors)
    assert next(e for e in errors if e["id"] == "scan.pdf")["skipped"] is True

    simplified = extracted["simplified"]
    text = records[0]["text"]
    spans = {(e["label"], text[e["doc_start"] : e["doc_end"]]) for e in simplified["entities"]}
    assert spans == {("ORG", "隆基"), ("GPE", "曲靖")}

    traditional = extracted["traditional"]
    gpe = next(e for e in traditional["entities"] if e["label"] == "GPE")
    assert records[1]["text"][gpe["doc_start"] : gpe["doc_end"]] == "曲靖"
    assert [e["label"] for e in extracted["good.html"]["entities"]] == ["GPE", "ORG"]

    # The shipped command writes exactly the same directory.
    assert main(["extract", *inputs, "--model", str(model), "--out", str(tmp_path / "shipped"), "--quiet"]) == 0
    assert _snapshot(tmp_path / "shipped") == _snapshot(out)
