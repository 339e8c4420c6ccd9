"""``zhie scale-benchmark``'s inputs (paragraph or sentence records) and its README table."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer

from zhie.evaluate.readme_table import replace_marked_block
from zhie.package.scale_benchmark import benchmark_texts, make_input, scale_table


def _run(seconds: float, same: bool | None) -> dict:
    return {"seconds": seconds, "cpu_seconds": seconds * 0.9, "peak_rss_mb": 500.0, "peak_rss_workers_mb": 0.0,
            "paragraphs_per_s": round(1000 / seconds, 1), "chars_per_s": round(50_000 / seconds),
            "paragraphs_per_cpu_s": 1.0, "output_identical_to_workers_1": same}


REPORT = {
    "model": "build/model", "paragraphs": 1000, "characters": 50_000, "shard_size": 100,
    "runs": {"workers_1": _run(10.0, True), "workers_2": _run(6.0, True), "dask_local_2": _run(8.0, False),
             "workers_1_small": _run(1.0, None)},
    "peak_rss_mb": {"100": 490.0, "1000": 500.0, "ratio": 1.02},
    "resume_after_kill_at_50pct": {"shards": 10, "shards_complete_at_kill": 5, "resume_seconds": 5.5,
                                   "full_run_seconds": 10.0, "output_identical_to_workers_1": True},
    "jieba_posseg": {"paragraphs_measured": 500, "seconds": 4.0, "paragraphs_per_s": 250.0, "chars_per_s": 12_500,
                     "cpu_seconds": 3.9, "speed_ratio_ours_to_jieba": 0.4, "cpu_ratio_ours_to_jieba": 0.43},
}


def test_table_has_every_run_and_the_jieba_ratio() -> None:
    table = scale_table(REPORT, Path("reports/scale.json"))
    rows = {line.split(" | ")[0]: line for line in table.splitlines() if line.startswith("| ")}
    assert rows["| 1 worker"].endswith("| 100.0 | 5,000 | 10.0 | 9.0 | 500 / 0 | identical |")
    assert rows["| 2 workers (`--workers 2`)"].split(" | ")[1] == "166.7"
    # A distributed run whose output differs is shown, not hidden.
    assert rows["| Dask, local cluster of 2 workers"].endswith("| DIFFERENT |")
    assert "jieba `posseg`: 0.4" in table
    assert "5 of 10 shards complete" in table and "5.5 s to finish against 10.0 s" in table
    assert "490.0 MB at 100 paragraphs, 500.0 MB at 1,000 (ratio 1.02)" in table


def test_block_between_markers_is_replaced_and_the_rest_kept(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# t\n<!-- scale:start -->\nold\n<!-- scale:end -->\ntail\n", encoding="utf-8")
    replace_marked_block(readme, "scale", "new table")
    assert readme.read_text(encoding="utf-8") == "# t\n<!-- scale:start -->\nnew table\n<!-- scale:end -->\ntail\n"
    readme.write_text("no markers\n", encoding="utf-8")
    with pytest.raises(ValueError, match="scale:start"):
        replace_marked_block(readme, "scale", "x")
    assert readme.read_text(encoding="utf-8") == "no markers\n"


def test_sentence_records_cycle_through_the_corpus_sentences(tmp_path: Path) -> None:
    corpus = tmp_path / "paragraphs.jsonl"
    corpus.write_text(
        '{"text": "宁德时代在曲靖投资建厂。短句。比亚迪在合肥建设新能源汽车基地；"}\n'
        '{"text": "第三句没有结束标点但足够长"}\n',
        encoding="utf-8",
    )
    sentences = ["宁德时代在曲靖投资建厂。", "比亚迪在合肥建设新能源汽车基地；", "第三句没有结束标点但足够长"]
    assert benchmark_texts(corpus, "sentence") == sentences
    assert len(benchmark_texts(corpus, "paragraph")) == 2
    records, chars = make_input(sentences, 7, tmp_path / "input.jsonl")
    lines = (tmp_path / "input.jsonl").read_text(encoding="utf-8").splitlines()
    assert records == len(lines) == 7 and lines[3] == '{"id": "p3", "text": "宁德时代在曲靖投资建厂。"}'
    assert chars == sum(len(sentences[i % 3]) for i in range(7))
    with pytest.raises(typer.BadParameter, match="paragraph or sentence"):
        benchmark_texts(corpus, "word")
