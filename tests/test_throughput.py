"""``zhie throughput`` measures n_process 1 and 2 on the same texts, cold and warmed up on others."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from zh_industry_ie.tokenizer import blank_pipeline
from zhie.cli import app


def test_throughput_reports_both_process_counts(tmp_path: Path) -> None:
    model = tmp_path / "model"
    blank_pipeline().to_disk(model)
    corpus = tmp_path / "paragraphs.jsonl"
    texts = [f"第{i}段：德方纳米年产20万吨磷酸铁锂项目落户曲靖。" for i in range(40)]
    corpus.write_text("\n".join(json.dumps({"text": t}, ensure_ascii=False) for t in texts) + "\n", encoding="utf-8")
    out = tmp_path / "throughput.json"
    result = CliRunner().invoke(
        app, ["throughput", "--model", str(model), "--corpus", str(corpus), "--max-chars", "500",
              "--warmup-chars", "200", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    runs = json.loads(out.read_text(encoding="utf-8"))["runs"]
    assert [r["n_process"] for r in runs] == [1, 2]
    chars = sum(len(t) for t in texts[: runs[0]["docs"]])
    assert runs[0]["docs"] == runs[1]["docs"] and runs[0]["characters"] == chars >= 500
    assert all(r["chars_per_second"] > 0 and r["cold_chars_per_second"] > 0 for r in runs)


def test_warm_up_texts_are_other_paragraphs_than_the_measured_ones(tmp_path: Path) -> None:
    from zhie.evaluate.throughput import _texts

    corpus = tmp_path / "paragraphs.jsonl"
    corpus.write_text("\n".join(json.dumps({"text": "段" * 10 + str(i)}) for i in range(20)) + "\n", encoding="utf-8")
    measured, warmup = _texts(corpus, max_chars=30, warmup_chars=25)
    assert len(measured) == 3 and len(warmup) == 3
    assert not set(measured) & set(warmup)
