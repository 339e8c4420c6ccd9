"""End to end on the CI config: corpus -> weak labels -> train -> wheel -> fresh venv -> spacy.load.

The wheel is installed into a new virtual environment outside the repository, and
``spacy.load("zh_industry_ie")`` runs there in a process whose working directory is not the
repository, so nothing from the source tree can leak in.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import spacy
from conftest import CI_CFG, CORPUS_SEEDS_DIR, ROOT, SEEDS_DIR
from typer.testing import CliRunner

from zh_industry_ie.normalize import normalize, to_simplified
from zhie.cli import app

SENTENCES = {
    "simplified": "德方纳米年产20万吨磷酸铁锂项目落户曲靖经开区，项目总投资30亿元。",
    "traditional": "德方納米年產20萬噸磷酸鐵鋰項目落戶曲靖經開區，項目總投資30億元。",
    "pinyin": "德方納米年產(chǎn)20萬噸磷酸鐵鋰項(xiàng)目落戶曲靖經(jīng)開(kāi)區(qū),,項(xiàng)目總投資30億元。",
}

LOAD_SCRIPT = """
import json, sys, spacy
nlp = spacy.load("zh_industry_ie")
out = {}
for name, text in json.loads(sys.argv[1]).items():
    doc = nlp(text)
    out[name] = {
        "ents": [[e.label_, e._.original_start, e._.original_end] for e in doc.ents],
        "relations": [[r.label, r.head.text, r.tail.text, float(r.score)] for r in doc._.relations],
        "module": spacy.util.get_package_path("zh_industry_ie").as_posix(),
    }
print(json.dumps(out, ensure_ascii=False))
"""


def _run(args: list[str]) -> None:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, f"zhie {' '.join(args)} failed:\n{result.output}\n{result.exception!r}"


@pytest.fixture(scope="module")
def ci_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("e2e")
    _run(["corpus", "--seeds-dir", str(CORPUS_SEEDS_DIR), "--out", str(work / "corpus"), "--no-inews"])
    _run(
        ["weak-label", "--corpus", str(work / "corpus" / "paragraphs.jsonl"), "--seeds", str(SEEDS_DIR),
         "--out", str(work / "weak"), "--rules-out", str(work / "rules")]
    )
    train = work / "weak" / "train.spacy"
    _run(
        ["train", "--config", str(CI_CFG), "--train", str(train), "--dev", str(train),
         "--out", str(work / "model")]
    )
    _run(["package", "--model", str(work / "model"), "--out", str(work / "dist"), "--stage", str(work / "stage")])
    return work


@pytest.mark.slow
def test_trained_pipeline_finds_entities_and_relations(ci_build: Path) -> None:
    nlp = spacy.load(ci_build / "model")
    for text in SENTENCES.values():
        doc = nlp(text)
        found = {(e.label_, to_simplified(e.text)) for e in doc.ents}
        assert {("ORG", "德方纳米"), ("QUANTITY", "20万吨"), ("PRODUCT", "磷酸铁锂"), ("PARK", "曲靖经开区"),
                ("MONEY", "30亿元")} <= found, (text, found)
        relations = {(r.label, to_simplified(r.head.text), to_simplified(r.tail.text)) for r in doc._.relations}
        assert ("CAPACITY", "磷酸铁锂", "20万吨") in relations, relations
        assert all(0.0 <= r.score <= 1.0 for r in doc._.relations)
        for ent in doc.ents:
            original = text[ent._.original_start : ent._.original_end]
            assert normalize(original).text == ent.text


@pytest.mark.slow
def test_wheel_installs_and_loads_in_fresh_venv(ci_build: Path, tmp_path: Path) -> None:
    wheels = sorted((ci_build / "dist").glob("zh_industry_ie-*.whl"))
    assert len(wheels) == 1
    wheel = wheels[0]
    assert wheel.stat().st_size < 50e6
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    assert "zh_industry_ie/pipeline/config.cfg" in names
    assert not any(name.startswith("zhie/") for name in names), "the build toolkit must not ship"

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "-c", str(ROOT / "constraints.txt"), str(wheel)],
        check=True, env=env, cwd=tmp_path,
    )
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    result = subprocess.run(
        [str(python), "-c", LOAD_SCRIPT, json.dumps(SENTENCES, ensure_ascii=False)],
        check=True, env=env, cwd=outside, capture_output=True, text=True,
    )
    loaded = json.loads(result.stdout.strip().splitlines()[-1])

    reference = spacy.load(ci_build / "model")
    for name, text in SENTENCES.items():
        got = loaded[name]
        assert str(venv) in got["module"], "spacy.load must use the installed wheel"
        assert got["ents"], f"no entities for {name}"
        expected = [[e.label_, e._.original_start, e._.original_end] for e in reference(text).ents]
        assert got["ents"] == expected
        for _label, start, end in got["ents"]:
            assert 0 <= start < end <= len(text)
        assert ["CAPACITY", "磷酸铁锂", "20万吨"] in [r[:3] for r in got["relations"]] or name != "simplified"
        assert any(r[0] == "CAPACITY" for r in got["relations"])
