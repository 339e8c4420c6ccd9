"""The dask engine on a local cluster of 2 worker processes gives the single-machine output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from zh_industry_ie.batch.runner import run_extract
from zh_industry_ie.tokenizer import blank_pipeline

pytest.importorskip("distributed")


def test_local_cluster_run_equals_single_machine_run(tmp_path: Path) -> None:
    nlp = blank_pipeline()
    nlp.add_pipe("entity_ruler").add_patterns(
        [{"label": "ORG", "pattern": [{"NORM": "隆"}, {"NORM": "基"}]},
         {"label": "GPE", "pattern": [{"NORM": "曲"}, {"NORM": "靖"}]}]
    )
    nlp.to_disk(tmp_path / "model")
    corpus = tmp_path / "corpus.jsonl"
    lines = [json.dumps({"id": f"d{i}", "text": f"第{i}条：隆基在曲靖投资。\n無關{i}"}, ensure_ascii=False)
             for i in range(120)]
    corpus.write_text("\n".join([*lines, "[1, 2]"]) + "\n", encoding="utf-8")
    (tmp_path / "extra").mkdir()
    (tmp_path / "extra" / "a.txt").write_text("曲靖隆基", encoding="utf-8")
    (tmp_path / "extra" / "b.pdf").write_bytes(b"%PDF-1.4")
    inputs = [corpus, tmp_path / "extra"]
    model = str(tmp_path / "model")

    single = run_extract(inputs, tmp_path / "single", model=model, shard_size=25)
    cluster = run_extract(inputs, tmp_path / "cluster", model=model, shard_size=25,
                          engine="dask", scheduler="local:2")
    assert cluster.shards_run == single.shards_run == 5
    assert (cluster.records, cluster.errors, cluster.skipped_files) == (121, 2, 1)
    files = sorted(p.relative_to(tmp_path / "single") for p in (tmp_path / "single").rglob("*") if p.is_file())
    assert len(files) == 11
    for name in files:
        assert (tmp_path / "cluster" / name).read_bytes() == (tmp_path / "single" / name).read_bytes(), name
