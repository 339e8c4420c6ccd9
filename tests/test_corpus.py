"""Paragraph splitting, the corpus reader, the inews selection and ``zhie corpus``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from conftest import CORPUS_SEEDS_DIR, SEED_GOLD, SEEDS_DIR
from typer.testing import CliRunner

from zh_industry_ie.checksums import sha256_file
from zh_industry_ie.paragraphs import split_paragraphs
from zhie.corpus import inews
from zhie.corpus.build import assemble, inews_documents, split_long
from zhie.corpus.commands import register
from zhie.corpus.readers import read_corpus
from zhie.corpus.scripts import is_pinyin_annotated, script_of
from zhie.corpus.selection import SelectionRule, select_article

SEEDS = CORPUS_SEEDS_DIR
GOLD = SEED_GOLD
SELECTION = SEEDS_DIR / "corpus_selection.json"


@pytest.mark.skipif(not GOLD.exists(), reason="../shared gold not available")
def test_seed_paragraphs_equal_the_gold_texts() -> None:
    gold: dict[str, list[str]] = {}
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        gold.setdefault(record["doc"], []).append(record["text"])
    assert sorted(gold) == sorted(p.name for p in SEEDS.glob("*.txt"))
    for name, texts in gold.items():
        raw = (SEEDS / name).read_text(encoding="utf-8")
        assert split_paragraphs(raw, "txt") == texts, name


def test_html_with_front_matter_in_a_txt_file() -> None:
    raw = (SEEDS / "000_98ef5c2cf7e39f2d.txt").read_text(encoding="utf-8")
    paragraphs = split_paragraphs(raw, "txt")
    assert paragraphs[0] == "云南省转方式调结构推进产业强省建设——"
    assert not any("<" in p or "layout:" in p or "](" in p or "http" in p for p in paragraphs)


def test_split_paragraphs_formats() -> None:
    html = "<html><body><h1>标题</h1><p>甲&amp;乙<br>丙</p><script>var x=1;</script><!-- c --></body></html>"
    assert split_paragraphs(html, "html") == ["标题", "甲&乙", "丙"]
    md = "---\ntitle: x\n---\n# 标题\n\n**曲靖**新建[项目](http://a.cn)。\n\n[返回](//a.cn)｜[首页](//b.cn)\n"
    assert split_paragraphs(md, "md") == ["标题", "曲靖新建项目。"]
    # Plain text: lines as found, no front matter detection without YAML keys.
    assert split_paragraphs("---\n甲\n---\n  乙 \n", "txt") == ["---", "甲", "---", "乙"]
    assert split_paragraphs("a < b 和 c > d", "txt") == ["a < b 和 c > d"]
    with pytest.raises(ValueError):
        split_paragraphs("x", "pdf")


def test_reader_directory_file_and_jsonl(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.md").write_text("# 标题\n正文", encoding="utf-8")
    (tmp_path / "one.html").write_text("<p>甲</p><p>乙</p>", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe\xfa bad")
    (tmp_path / "empty.txt").write_text(" \n\t\n", encoding="utf-8")
    (tmp_path / "skip.csv").write_text("ignored", encoding="utf-8")
    lines = [
        json.dumps({"id": "a", "text": "曲靖投资10亿元"}, ensure_ascii=False),
        "{not json",
        json.dumps({"id": "c"}),
        json.dumps({"id": "d", "text": "   "}),
        json.dumps({"id": "a", "text": "重复"}, ensure_ascii=False),
        json.dumps({"text": "无编号"}, ensure_ascii=False),
        json.dumps(["list"]),
    ]
    (tmp_path / "c.jsonl").write_bytes("\n".join(lines).encode() + b"\n" + b'{"id": "e", "text": "\xff"}\n')
    result = read_corpus(tmp_path)
    docs = {d.id: d.paragraphs for d in result.documents}
    assert docs == {
        "a": ["曲靖投资10亿元"],
        "b/two.md": ["标题", "正文"],
        "one.html": ["甲", "乙"],
        "c.jsonl:6": ["无编号"],
    }
    errors = {e.id: e.reason for e in result.errors}
    assert "invalid UTF-8" in errors["bad.txt"]
    assert "empty" in errors["empty.txt"]
    assert errors["c.jsonl:2"].startswith("not JSON")
    assert "no 'text'" in errors["c"]
    assert "whitespace" in errors["d"]
    assert "duplicate" in errors["a"]
    assert "not a JSON object" in errors["c.jsonl:7"]
    assert "invalid UTF-8" in errors["c.jsonl:8"]
    # Single file and missing path.
    assert [d.id for d in read_corpus(tmp_path / "one.html").documents] == ["one.html"]
    assert read_corpus(tmp_path / "nope").errors[0].reason == "no such file or directory"


def test_split_long_keeps_all_text() -> None:
    text = "项目总投资10亿元。" * 500 + "无" * 4500
    pieces = split_long(text, 2000)
    assert "".join(pieces) == text
    assert all(len(p) <= 2000 for p in pieces)
    assert pieces[0].endswith("。")
    assert split_long("短句。", 2000) == ["短句。"]


def test_assemble_sorts_and_reports_duplicates(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("乙\n" + "甲。" * 1500, encoding="utf-8")
    user = read_corpus(tmp_path / "x.txt")
    seeds = read_corpus(SEEDS, "seed")
    corpus = assemble([user, seeds, read_corpus(tmp_path / "x.txt")])
    assert corpus.records[0]["source"] == "seed"
    ids = [r["id"] for r in corpus.records]
    assert len(ids) == len(set(ids))
    assert "000_98ef5c2cf7e39f2d-p00" in ids
    user_records = [r for r in corpus.records if r["doc"] == "x.txt"]
    assert [r["para"] for r in user_records] == [0, 1, 2]
    assert "".join(r["text"] for r in user_records[1:]) == "甲。" * 1500
    assert [e.reason for e in corpus.errors] == ["duplicate document id"]


def test_scripts() -> None:
    assert script_of("曲靖市规划建设硅光伏产业园") == "simplified"
    assert script_of("曲靖市規劃建設硅光伏產業園") == "traditional"
    assert script_of("2023-07-05 20:45") == "none"
    assert is_pinyin_annotated("經(jīng)濟(jì)發(fā)展")
    assert not is_pinyin_annotated("公司(ABB)发展(a)")


def test_selection_rule_on_made_up_articles() -> None:
    rule = SelectionRule.from_file(SELECTION)
    industry = (
        "某某新能源公司年产5万吨正极材料生产项目落户经开区。\\n该项目总投资30亿元，签约后当年开工建设，"
        "企业预计投产后产值50亿元。\\n今天天气晴朗。"
    )
    chosen = select_article("项目签约", industry, rule)
    assert chosen.tier == "article"
    assert chosen.paragraphs == [
        "某某新能源公司年产5万吨正极材料生产项目落户经开区。",
        "该项目总投资30亿元，签约后当年开工建设，企业预计投产后产值50亿元。",
    ]
    other = (
        "公司今年发展很好。企业员工很多。产业兴旺，企业团结。"
        "去年该公司投资2亿元新建厂房。明天开会。后天放假。"
    )
    chosen = select_article("公司新闻", other, rule)
    assert chosen.tier == "sentence"
    assert chosen.paragraphs == ["产业兴旺，企业团结。去年该公司投资2亿元新建厂房。明天开会。"]
    assert select_article("体育", "球队赢了比赛。", rule).paragraphs == []


def test_inews_refuses_a_file_with_another_hash(tmp_path: Path) -> None:
    fake = tmp_path / "train.pkl"
    fake.write_bytes(b"cos\nsystem\n(S'echo hacked'\ntR.")
    with pytest.raises(inews.InewsError, match="refusing to unpickle"):
        inews.load_split("train", fake)
    with pytest.raises(inews.InewsError, match="unexpected object"):
        inews.load_bytes(b"cos\nsystem\n(S'echo hacked'\ntR.")


def test_inews_files_match_the_pins() -> None:
    for split in inews.SPLITS:
        path = inews.locate(split)
        assert sha256_file(path) == inews.SHA256[split]


def test_corpus_command_without_inews(tmp_path: Path) -> None:
    extra = tmp_path / "user.jsonl"
    extra.write_text('{"id": "u1", "text": "某公司投资5亿元"}\nbroken\n', encoding="utf-8")
    app = typer.Typer()
    register(app)
    app.command("noop")(lambda: None)
    out = tmp_path / "out"
    args = [
        "corpus",
        "--seeds-dir",
        str(SEEDS),
        "--out",
        str(out),
        "--extra",
        str(extra),
        "--no-inews",
        "--no-progress",
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "seed" in result.output and "user" in result.output
    records = [json.loads(x) for x in (out / "paragraphs.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len([r for r in records if r["source"] == "seed"]) == 117
    assert records[-1] == {
        "id": "u1-p00",
        "doc": "u1",
        "para": 0,
        "source": "user",
        "text": "某公司投资5亿元",
    }
    errors = [json.loads(x) for x in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert errors == [{"id": "user.jsonl:2", "source": "user", "reason": errors[0]["reason"]}]
    stats = json.loads((out / "stats.json").read_text(encoding="utf-8"))
    assert stats["sources"]["seed"]["documents"] == 5
    assert stats["sources"]["seed"]["pinyin_annotated"] > 0
    assert stats["sources"]["seed"]["scripts"]["traditional"] > 0
    first = (out / "paragraphs.jsonl").read_bytes()
    assert CliRunner().invoke(app, args).exit_code == 0
    assert (out / "paragraphs.jsonl").read_bytes() == first


def test_corpus_command_with_inews(tmp_path: Path) -> None:
    app = typer.Typer()
    register(app)
    app.command("noop")(lambda: None)
    result = CliRunner().invoke(
        app,
        [
            "corpus",
            "--seeds-dir",
            str(SEEDS),
            "--out",
            str(tmp_path),
            "--selection",
            str(SELECTION),
            "--no-progress",
        ],
    )
    assert result.exit_code == 0, result.output
    stats = json.loads((tmp_path / "stats.json").read_text(encoding="utf-8"))
    assert 400_000 <= stats["sources"]["inews"]["characters"] <= 900_000


def test_inews_scope_all_keeps_every_usable_paragraph_once() -> None:
    rule = SelectionRule.from_file(SELECTION)
    selected = inews_documents(rule, show_progress=False, scope="selected")
    everything = inews_documents(rule, show_progress=False, scope="all")
    paragraphs = ["".join(p.split()) for d in everything for p in d.paragraphs]
    assert len(paragraphs) == len(set(paragraphs))  # de-duplicated
    assert sum(len(p) for p in paragraphs) > 10 * sum(len(p) for d in selected for p in d.paragraphs)
    assert all(rule.is_chinese_text(p) for d in everything for p in d.paragraphs)
    with pytest.raises(ValueError, match="inews scope"):
        inews_documents(rule, show_progress=False, scope="industry")
