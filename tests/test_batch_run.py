"""Batch runs: identical output for 1 and 2 workers, resume after a kill, long paragraphs in pieces."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import spacy
from conftest import tiny_ruler_pipeline

from zh_industry_ie.batch.manifest import iter_output, read_manifest
from zh_industry_ie.batch.pieces import split_pieces
from zh_industry_ie.batch.runner import run_extract

SENTENCES = ["隆基在曲靖投资建设单晶硅项目。", "該項目位於曲靖經開區！", "隆基 年产能 20 万吨；", "无关的句子\n"]


def write_corpus(path: Path, n_docs: int) -> Path:
    with path.open("w", encoding="utf-8") as sink:
        for i in range(n_docs):
            text = "\n".join(SENTENCES[(i + k) % len(SENTENCES)] for k in range(1 + i % 3))
            sink.write(json.dumps({"id": f"doc{i}", "text": text}, ensure_ascii=False) + "\n")
        sink.write("{not json\n")
    return path


def snapshot(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    root = tmp_path_factory.mktemp("batch")
    model = tiny_ruler_pipeline(root / "model")
    corpus = write_corpus(root / "corpus.jsonl", 400)
    reference = root / "reference"
    run_extract([corpus], reference, model=str(model), shard_size=20)
    return model, corpus, reference


def test_every_input_id_is_in_output_or_errors(setup: tuple[Path, Path, Path]) -> None:
    _, _, reference = setup
    ids = [r["id"] for r in iter_output(reference)]
    errors = list(iter_output(reference, errors=True))
    assert ids == [f"doc{i}" for i in range(400)]
    assert [e["id"] for e in errors] == ["corpus.jsonl:401"] and "not JSON" in errors[0]["error"]
    manifest = read_manifest(reference)
    assert manifest["complete"] and manifest["totals"] == {"records": 400, "errors": 1, "skipped": 0, "shards": 21}
    first = next(iter_output(reference))
    assert {(e["label"], e["text"]) for e in first["entities"]} == {("ORG", "隆基"), ("GPE", "曲靖")}


def test_two_workers_give_the_same_output(setup: tuple[Path, Path, Path], tmp_path: Path) -> None:
    model, corpus, reference = setup
    run_extract([corpus], tmp_path / "two", model=str(model), shard_size=20, workers=2)
    assert snapshot(tmp_path / "two") == snapshot(reference)


def test_a_killed_run_resumes_to_the_same_output(setup: tuple[Path, Path, Path], tmp_path: Path) -> None:
    model, corpus, reference = setup
    out = tmp_path / "killed"
    # A delay per shard (test hook) so the kill lands part-way whatever the machine's speed.
    command = [sys.executable, "-m", "zh_industry_ie", "extract", str(corpus), "--out", str(out),
               "--model", str(model), "--shard-size", "20", "--quiet"]
    env = {**os.environ, "ZHIE_BATCH_SHARD_DELAY": "0.2"}
    process = subprocess.Popen(command, env=env)
    deadline = time.monotonic() + 60
    done = 0
    while time.monotonic() < deadline and process.poll() is None:
        if (out / "manifest.json").exists():
            done = len(read_manifest(out)["shards"])
            if done >= 2:
                break
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    killed = read_manifest(out)
    assert 2 <= len(killed["shards"]) < 21 and not killed["complete"]

    # The restart runs in this process (a second interpreter start costs more than the run).
    resumed = run_extract([corpus], out, model=str(model), shard_size=20)
    assert resumed.shards_skipped == len(killed["shards"]) and resumed.shards_run == 21 - resumed.shards_skipped
    assert snapshot(out) == snapshot(reference) | {"manifest.json": (reference / "manifest.json").read_bytes()}


def test_changed_settings_are_not_mixed_into_an_old_run(setup: tuple[Path, Path, Path]) -> None:
    model, corpus, reference = setup
    with pytest.raises(ValueError, match="other inputs or settings"):
        run_extract([corpus], reference, model=str(model), shard_size=7)


def test_pieces_cut_at_sentence_ends() -> None:
    text = "甲乙。丙丁！戊己庚辛壬癸，子丑寅卯辰巳午未"
    pieces = split_pieces(text, 8)
    assert "".join(p for _, p in pieces) == text
    assert [p for _, p in pieces][:2] == ["甲乙。丙丁！", "戊己庚辛壬癸，"]
    assert all(text[o : o + len(p)] == p and len(p) <= 8 for o, p in pieces)


def test_two_million_character_line_is_extracted_in_pieces(tmp_path: Path) -> None:
    # spaCy's own whitespace tokenizer keeps this 2 M-character run to seconds; the pieces and
    # offsets logic is the same for every pipeline.
    nlp = spacy.blank("xx")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "ORG", "pattern": "隆基"}, {"label": "GPE", "pattern": "曲靖"}])
    nlp.to_disk(tmp_path / "model")
    sentence = "隆基 在 曲靖 投资 建设 单晶硅 项目 。 " + "这是 一个 没有 实体 的 句子 ， 只 用来 填充 长度 。 " * 6
    n = 2_000_000 // len(sentence) + 1
    text = sentence * n
    assert len(text) >= 2_000_000 and "\n" not in text
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "long"
    summary = run_extract([path], out, model=str(tmp_path / "model"), max_chars=200_000)
    assert summary.records == 1 and summary.errors == 0
    record = next(iter_output(out))
    entities = record["entities"]
    assert len(entities) == 2 * n
    assert all(text[e["doc_start"] : e["doc_end"]] == e["text"] for e in entities)
    assert entities[-1]["doc_start"] == len(text) - len(sentence) + 5
    # More than 10 pieces, each cut after a sentence end: no entity was lost at a cut.
    assert len(text) // 200_000 >= 10


def test_a_document_the_pipeline_fails_on_is_an_error_and_its_shard_mates_are_kept(
    setup: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from zh_industry_ie.batch import worker
    from zh_industry_ie.batch.readers import Document
    from zh_industry_ie.batch.worker import Settings, process_shard

    model, _, _ = setup
    settings = Settings(str(model))
    nlp = worker.load_pipeline(settings.model)
    real_pipe = nlp.pipe

    def failing_pipe(texts, **kwargs):  # type: ignore[no-untyped-def]
        for doc in real_pipe(texts, **kwargs):
            if "坏" in doc.text:
                raise RuntimeError("component failed")
            yield doc

    monkeypatch.setattr(nlp, "pipe", failing_pipe)
    texts = [SENTENCES[0], "坏记录", SENTENCES[1]]
    items = [Document(f"d{i}", [text], text=text) for i, text in enumerate(texts)]
    out = process_shard(settings, 0, items)
    records = [json.loads(line) for line in out.records.splitlines()]
    errors = [json.loads(line) for line in out.errors.splitlines()]
    assert [r["id"] for r in records] == ["d0", "d2"]
    assert errors == [{"id": "d1", "error": "RuntimeError: component failed"}]
    assert {(e["label"], e["text"]) for e in records[0]["entities"]} == {("ORG", "隆基"), ("GPE", "曲靖")}
