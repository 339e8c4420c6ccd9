"""The numpy LAC runtime against tags made with the original LAC 2.1.2 (paddle 1.8.5), and its I/O.

The converted weights come from ``zhie lac-fetch``'s code (PyPI download and conversion, both cached
under $ZHIE_CACHE or ~/.cache/zh_industry_ie); set ZHIE_LAC_DIR to use another converted directory.
"""

from __future__ import annotations

import json
import shutil
import struct
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from zh_industry_ie.lac import LacAnalysis, LacModel, LacResourceError
from zh_industry_ie.lac.resources import META_FILE, WEIGHTS_FILE, dir_is_complete
from zhie.lac.fetch import SDIST_SHA256, default_cache, fetch
from zhie.lac.paddle_format import read_tensor

FIXTURE = Path(__file__).parent / "fixtures" / "lac_reference.jsonl"


@pytest.fixture(scope="session")
def reference() -> list[dict]:
    with FIXTURE.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def _reference_tags(record: dict) -> list[str]:
    # The original writes tag[:-2] + "-I" after the first character of a multi-character token,
    # so an O token's further characters come out as "-I"; the runtime keeps them "O".
    return ["O" if tag == "-I" else tag for tag in record["tags"].split(" ")]


def test_fixture_covers_simplified_traditional_and_mixed(reference: list[dict]) -> None:
    kinds = {r["kind"] for r in reference}
    assert len(reference) >= 200
    assert {"seed", "inews", "inews_s2t", "mixed", "long"} <= kinds
    assert all(len(r["tags"].split(" ")) == len(r["text"]) for r in reference)


def test_tags_equal_original_lac_on_every_character(lac: LacModel, reference: list[dict]) -> None:
    analyses = lac.analyse([r["text"] for r in reference], with_states=False)
    total = same = 0
    wrong = []
    for record, analysis in zip(reference, analyses, strict=True):
        expected = _reference_tags(record)
        assert len(analysis.char_tags) == len(expected)
        hits = [a == b for a, b in zip(analysis.char_tags, expected, strict=True)]
        total += len(hits)
        same += sum(hits)
        if not all(hits):
            wrong.append(record["text"][:40])
    assert same == total, f"{total - same} of {total} characters differ, e.g. in {wrong[:3]}"


def test_states_equal_original_layer2_output(lac: LacModel, reference: list[dict]) -> None:
    records = [r for r in reference if "states_first_last" in r]
    assert len(records) >= 10
    for record, analysis in zip(records, lac.analyse([r["text"] for r in records]), strict=True):
        first, last = np.asarray(record["states_first_last"], dtype=np.float32)
        assert analysis.states is not None
        # first token: its backward half has read the whole text; last token: its forward half
        np.testing.assert_allclose(analysis.states[0], first, atol=2e-5)
        np.testing.assert_allclose(analysis.states[-1], last, atol=2e-5)


def test_known_sentences(lac: LacModel) -> None:
    first, second = lac.analyse(["百度是一家高科技公司", "臺灣積體電路製造公司在新竹"])
    assert [first.text[s:e] for s, e in first.words] == ["百度", "是", "一家", "高科技", "公司"]
    assert first.word_tags == ["ORG", "v", "m", "n", "n"]
    assert [second.text[s:e] for s, e in second.words] == ["臺灣積體電路", "製造", "公司", "在", "新竹"]
    assert second.word_tags == ["LOC", "v", "n", "p", "LOC"]


def test_words_tile_the_text_and_agree_with_char_tags(lac: LacModel, reference: list[dict]) -> None:
    for analysis in lac.analyse([r["text"] for r in reference[:80]], with_states=False):
        n = len(analysis.text)
        assert len(analysis.char_tags) == n
        assert [s for s, _ in analysis.words[1:]] == [e for _, e in analysis.words[:-1]]
        assert analysis.words[0][0] == 0 and analysis.words[-1][1] == n
        for (start, end), tag in zip(analysis.words, analysis.word_tags, strict=True):
            # a word starts at a B (or O) tag and takes its last character's label, as LAC does
            assert start == 0 or analysis.char_tags[start] == "O" or analysis.char_tags[start].endswith("-B")
            assert all(t.endswith("-I") or t == "O" for t in analysis.char_tags[start + 1 : end])
            assert analysis.char_tags[end - 1].rsplit("-", 1)[0] == tag


def test_states_shape_and_token_sharing(lac: LacModel) -> None:
    assert (lac.state_width, lac.embedding_width) == (256, 128)
    text = "德方纳米年产20万吨磷酸铁锂前驱体项目落户曲靖经开区，计划总投资30亿元。"
    (analysis,) = lac.analyse([text])
    assert isinstance(analysis, LacAnalysis)
    assert analysis.states is not None
    assert analysis.states.shape == (len(text), 256) and analysis.states.dtype == np.float32
    assert np.isfinite(analysis.states).all() and np.abs(analysis.states).max() <= 1.0
    # "20" is one LAC token (glued digits): both characters carry the same state row
    i = text.index("20")
    assert np.array_equal(analysis.states[i], analysis.states[i + 1])
    assert not np.array_equal(analysis.states[0], analysis.states[1]) or analysis.char_tags[1].endswith("-I")
    (plain,) = lac.analyse([text], with_states=False)
    assert plain.states is None and plain.char_tags == analysis.char_tags


def test_batching_does_not_change_results(lac: LacModel, reference: list[dict]) -> None:
    texts = [r["text"] for r in reference[:40]]
    together = lac.analyse(texts, batch_size=16)
    for text, batched in zip(texts[:8], together, strict=False):
        (alone,) = lac.analyse([text], batch_size=1)
        assert alone.char_tags == batched.char_tags
        assert np.allclose(alone.states, batched.states, atol=1e-5)


def test_empty_and_whitespace_inputs(lac: LacModel) -> None:
    empty, space, blank, mixed = lac.analyse(["", " ", " \t\n　", "中 国"])
    assert (empty.words, empty.word_tags, empty.char_tags) == ([], [], [])
    assert empty.states is not None and empty.states.shape == (0, 256)
    assert len(space.char_tags) == 1 and space.states.shape == (1, 256)
    assert len(blank.char_tags) == 4 and blank.states.shape == (4, 256)
    assert len(mixed.char_tags) == 3 and mixed.words[-1][1] == 3
    assert lac.analyse([]) == []
    with pytest.raises(TypeError):
        lac.analyse("一段文字")  # type: ignore[arg-type]


def test_five_thousand_characters(lac: LacModel, reference: list[dict]) -> None:
    text = "".join(r["text"] for r in reference)[:5000]
    (analysis,) = lac.analyse([text])
    assert len(analysis.char_tags) == 5000 and analysis.states.shape == (5000, 256)
    assert analysis.words[-1][1] == 5000
    assert sum(t.startswith("ORG") for t in analysis.word_tags) > 0


def test_bytes_round_trip(lac: LacModel, reference: list[dict]) -> None:
    blob = lac.to_bytes()
    again = LacModel.from_bytes(blob)
    texts = [r["text"] for r in reference[:30]]
    for a, b in zip(lac.analyse(texts), again.analyse(texts), strict=True):
        assert (a.words, a.word_tags, a.char_tags) == (b.words, b.word_tags, b.char_tags)
        assert np.array_equal(a.states, b.states)
    assert again.meta["licence"] == "Apache-2.0"
    with pytest.raises(LacResourceError):
        LacModel.from_bytes(b"not an npz")


def test_missing_or_incomplete_directory(tmp_path: Path, lac_dir: Path) -> None:
    with pytest.raises(LacResourceError, match="lac-fetch"):
        LacModel.from_dir(tmp_path / "absent")
    partial = tmp_path / "partial"
    shutil.copytree(lac_dir, partial)
    (partial / WEIGHTS_FILE).unlink()
    with pytest.raises(LacResourceError, match=WEIGHTS_FILE):
        LacModel.from_dir(partial)
    assert not dir_is_complete(partial)


def test_fetch_is_idempotent_and_notices_changes(tmp_path: Path, lac_dir: Path) -> None:
    assert dir_is_complete(lac_dir, SDIST_SHA256)
    meta = json.loads((lac_dir / META_FILE).read_text(encoding="utf-8"))
    assert meta["source_sha256"] == SDIST_SHA256 and meta["licence"] == "Apache-2.0"
    copy = tmp_path / "copy"
    shutil.copytree(lac_dir, copy)
    assert fetch(copy, default_cache()) is False  # complete: nothing done
    (copy / "tag.dic").write_text("0\tO\n", encoding="utf-8")
    assert not dir_is_complete(copy)


def test_wheel_carries_the_apache_notice() -> None:
    notice = resources.files("zh_industry_ie.lac").joinpath("LICENSE-LAC.txt").read_text(encoding="utf-8")
    assert "Baidu" in notice and "Apache License" in notice and "END OF TERMS AND CONDITIONS" in notice
    pyproject = (Path(__file__).parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    assert '"*.txt"' in pyproject  # package-data glob that ships the notice


def _paddle_tensor(array: np.ndarray, dtype_id: int, packed: bool = False) -> bytes:
    def varint(v: int) -> bytes:
        out = b""
        while True:
            byte, v = v & 0x7F, v >> 7
            out += bytes([byte | (0x80 if v else 0)])
            if not v:
                return out

    if packed:
        dims = b"".join(varint(d) for d in array.shape)
        desc = b"\x08" + varint(dtype_id) + b"\x12" + varint(len(dims)) + dims
    else:
        desc = b"\x08" + varint(dtype_id) + b"".join(b"\x10" + varint(d) for d in array.shape)
    header = struct.pack("<IQI", 0, 0, 0) + struct.pack("<i", len(desc)) + desc
    return header + array.astype(array.dtype.newbyteorder("<")).tobytes()


def test_paddle_tensor_reader() -> None:
    a = np.arange(300 * 129, dtype=np.float32).reshape(300, 129) / 7
    assert np.array_equal(read_tensor(_paddle_tensor(a, 5)), a)
    assert np.array_equal(read_tensor(_paddle_tensor(a, 5, packed=True)), a)
    with pytest.raises(ValueError, match="data bytes"):
        read_tensor(_paddle_tensor(a, 5)[:-4])
