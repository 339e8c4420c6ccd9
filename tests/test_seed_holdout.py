"""Fold seeds: lexicon rows only the held-out document contains are held out with it."""

from __future__ import annotations

from pathlib import Path

import pytest

from zhie.train.seed_holdout import corpus_text, document_only_rows, write_fold_seeds

LEXICON = (
    "# source: test\n"
    "name\tshort\n"
    "云天化集团有限责任公司\t云天化\n"
    "宁德时代新能源科技股份有限公司\t宁德时代|CATL\n"
    "隆基绿能科技股份有限公司\t隆基\n"
)


def test_rows_named_only_in_the_held_out_document_are_dropped() -> None:
    held = corpus_text(["云天化年产50万吨电池新材料项目落地，宁德时代也在建设。"])
    others = corpus_text(["寧德時代在宜賓的工廠投產。", "隆基的组件出口增长。"])
    kept, dropped = document_only_rows(LEXICON.splitlines(keepends=True), ["name", "short"], held, others)
    assert dropped == ["云天化集团有限责任公司\t云天化"]
    # Traditional text elsewhere still counts: names are matched on simplified text.
    assert any(line.startswith("宁德时代") for line in kept)
    # A row named nowhere in the held-out document stays, as do comments and the header.
    assert any(line.startswith("隆基") for line in kept)
    assert kept[0].startswith("# source") and kept[1].startswith("name\t")


def test_unknown_name_column_is_an_error() -> None:
    with pytest.raises(ValueError, match="not in header"):
        document_only_rows(LEXICON.splitlines(keepends=True), ["term"], "", "")


def test_write_fold_seeds_copies_everything_else(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    (seeds / "org").mkdir(parents=True)
    (seeds / "org" / "known_companies.tsv").write_text(LEXICON, encoding="utf-8")
    (seeds / "org" / "company_suffixes.tsv").write_text("suffix\n有限公司\n", encoding="utf-8")
    out = tmp_path / "fold" / "seeds"
    dropped = write_fold_seeds(
        seeds, out, {"org/known_companies.tsv": ["name", "short"]}, corpus_text(["云天化签约。"]), ""
    )
    assert dropped == {"org/known_companies.tsv": ["云天化集团有限责任公司\t云天化"]}
    assert "云天化" not in (out / "org" / "known_companies.tsv").read_text(encoding="utf-8")
    assert (out / "org" / "company_suffixes.tsv").read_text(encoding="utf-8") == "suffix\n有限公司\n"
    assert "云天化" in (seeds / "org" / "known_companies.tsv").read_text(encoding="utf-8")
    with pytest.raises(FileNotFoundError):
        write_fold_seeds(seeds, out, {"product/lexicon.tsv": ["term"]}, "", "")
