"""``zhie vectors``: floret character vectors trained on a small corpus, read by a tok2vec."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from conftest import make_blank
from typer.testing import CliRunner

from zhie.cli import app
from zhie.train.vectors import VectorSettings, character_lines

TEXTS = [
    "宁德时代在曲靖经济技术开发区投资建设年产10万吨正极材料项目。",
    "寧德時代在曲靖經濟技術開發區投資建設年產10萬噸正極材料項目。",
    "隆基绿能在西安经济技术开发区建设单晶硅片项目，总投资50亿元。",
    "比亚迪在合肥投资建设新能源汽车零部件产业园。",
    "宁德时代在曲靖经济技术开发区投资建设年产10万吨正极材料项目。",
] * 3

SMALL_SECTION = """
[zhie]

[zhie.vectors]
inews_scope = "none"
model = "skipgram"
dim = 8
epoch = 20
minCount = 1
minn = 1
maxn = 2
bucket = 500
hashCount = 2
# No subsampling: in a corpus this small every character is "frequent" and would be dropped.
t = 1.0
thread = 1
"""


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("vectors")
    corpus = root / "paragraphs.jsonl"
    corpus.write_text(
        "".join(
            json.dumps({"id": f"d{i}-p0", "doc": f"d{i}", "para": 0, "source": "user", "text": t},
                       ensure_ascii=False) + "\n"
            for i, t in enumerate(TEXTS)
        ),
        encoding="utf-8",
    )
    config = root / "vectors.cfg"
    config.write_text(SMALL_SECTION, encoding="utf-8")
    return corpus, config


def _run(corpus: Path, config: Path, out: Path) -> None:
    result = CliRunner().invoke(app, ["vectors", "--config", str(config), "--corpus", str(corpus), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "vectors [500, 8]" in result.output


def test_lines_are_the_simplified_characters_once_each() -> None:
    lines = list(character_lines(["寧德時代 在曲靖", "", "宁德时代在曲靖", "  "]))
    # Traditional and simplified spellings give one line (same norms); blank text none.
    assert lines == ["宁 德 时 代 在 曲 靖"]


def test_settings_refuse_what_would_break_reproducibility_or_floret() -> None:
    with pytest.raises(ValueError, match="thread must be 1"):
        VectorSettings.from_config({"thread": 2})
    with pytest.raises(ValueError, match="window"):
        VectorSettings.from_config({"window": 5})
    with pytest.raises(ValueError, match="inews_scope"):
        VectorSettings.from_config({"inews_scope": "some"})
    assert VectorSettings.from_config({"dim": 8}).floret == {"dim": 8, "thread": 1}


def test_vector_step_on_a_small_corpus_is_reproducible(small_corpus, tmp_path) -> None:  # type: ignore[no-untyped-def]
    corpus, config = small_corpus
    _run(corpus, config, tmp_path / "a")
    _run(corpus, config, tmp_path / "b")
    stats = json.loads((tmp_path / "a" / "vectors_stats.json").read_text(encoding="utf-8"))
    # Four distinct paragraphs once each (the simplified and traditional copies share norms).
    assert stats["lines"] == 3 and stats["shape"] == [500, 8]
    assert (tmp_path / "a" / "vocab" / "vectors").read_bytes() == (tmp_path / "b" / "vocab" / "vectors").read_bytes()


def test_a_tok2vec_reads_the_vectors_by_simplified_character(small_corpus, tmp_path) -> None:  # type: ignore[no-untyped-def]
    corpus, config = small_corpus
    _run(corpus, config, tmp_path / "v")
    nlp = make_blank()
    nlp.add_pipe("tok2vec", config={"model": {
        "@architectures": "spacy.Tok2Vec.v2",
        "embed": {"@architectures": "spacy.MultiHashEmbed.v2", "width": 16, "attrs": ["NORM"], "rows": [100],
                  "include_static_vectors": True},
        "encode": {"@architectures": "spacy.MaxoutWindowEncoder.v2", "width": 16, "depth": 1,
                   "window_size": 1, "maxout_pieces": 2},
    }})
    nlp.config["initialize"]["vectors"] = str(tmp_path / "v")
    nlp.initialize()
    vectors = nlp.vocab.vectors
    assert vectors.mode == "floret" and vectors.shape == (500, 8)
    simple, traditional = nlp("经济开发区"), nlp("經濟開發區")
    np.testing.assert_allclose(simple.tensor, traditional.tensor)
    assert simple[0].has_vector and not np.allclose(simple[0].vector, simple[2].vector)
    np.testing.assert_allclose(simple[1].vector, traditional[1].vector)
