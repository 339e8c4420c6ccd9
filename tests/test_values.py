"""Structured entity values: number/money/quantity parsing, GPE lookup, the component."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import spacy
from conftest import SEEDS_DIR, make_blank
from spacy.tokens import Doc, DocBin

from zh_industry_ie.values import (
    Division,
    Gazetteer,
    load_currencies,
    load_gazetteer,
    load_units,
    parse_money,
    parse_number,
    parse_quantity,
)

SEEDS = SEEDS_DIR
UNITS = load_units(SEEDS / "values" / "units.tsv")
CURRENCIES = load_currencies(SEEDS / "values" / "currencies.tsv")

MONEY_CASES = [
    ("340亿元", 3.4e10, "CNY"),
    ("4486.20亿元", 4.4862e11, "CNY"),
    ("5000万元", 5e7, "CNY"),
    ("人民币70亿元", 7e9, "CNY"),
    ("15.18美元", 15.18, "USD"),
    ("十亿元", 1e9, "CNY"),
    ("百亿元", 1e10, "CNY"),
]
QUANTITY_CASES = [
    ("20万吨", 2e5, "t"),
    ("5.3萬噸", 5.3e4, "t"),
    ("3GWh", 3.0, "GWh"),
    ("10平方公里", 10.0, "km2"),
    ("320亩", 320.0, "mu"),
    ("40万吨/年", 4e5, "t/a"),
    ("8000t/a", 8000.0, "t/a"),
    ("2×600MW", 1200.0, "MW"),
    ("3×5000噸/年", 15000.0, "t/a"),
    ("50万KW", 5e5, "kW"),
]
BAD_INPUTS = ["", "亿元", "万吨", "元", "abc", "吨", "3.4.5亿元", "约", "十万", "百分之十", None, 42]


@pytest.mark.parametrize(("text", "amount", "currency"), MONEY_CASES)
def test_money(text: str, amount: float, currency: str) -> None:
    money = parse_money(text, CURRENCIES)
    assert money is not None
    assert money.amount == pytest.approx(amount, rel=1e-12)
    assert money.currency == currency


@pytest.mark.parametrize(("text", "value", "unit"), QUANTITY_CASES)
def test_quantity(text: str, value: float, unit: str) -> None:
    quantity = parse_quantity(text, UNITS)
    assert quantity is not None
    assert quantity.value == pytest.approx(value, rel=1e-12)
    assert quantity.unit == unit


@pytest.mark.parametrize("text", BAD_INPUTS)
def test_bad_inputs_give_none(text: object) -> None:
    assert parse_money(text, CURRENCIES) is None  # type: ignore[arg-type]
    assert parse_quantity(text, UNITS) is None  # type: ignore[arg-type]


def test_quantity_is_not_money_and_back() -> None:
    assert parse_money("20万吨", CURRENCIES) is None
    assert parse_quantity("340亿元", UNITS) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [("4486.20亿", 4.4862e11), ("一亿二千万", 1.2e8), ("三点五亿", 3.5e8), ("二十五", 25.0), ("1,000", 1e3)],
)
def test_parse_number(text: str, value: float) -> None:
    assert parse_number(text) == pytest.approx(value)


def _gazetteer() -> Gazetteer:
    return Gazetteer([
        Division("北京市", "北京", "110000", "province", ""),
        Division("朝阳区", "朝阳", "110105", "district", "110000"),
        Division("辽宁省", "辽宁", "210000", "province", ""),
        Division("朝阳市", "朝阳", "211300", "city", "210000"),
        Division("云南省", "云南", "530000", "province", ""),
        Division("曲靖市", "曲靖", "530300", "city", "530000"),
        Division("寻甸回族彝族自治县", "寻甸", "530129", "county", "530100"),
    ])


def test_gazetteer_lookup_and_context() -> None:
    gaz = _gazetteer()
    assert gaz.lookup("曲靖").name == "曲靖市"  # type: ignore[union-attr]
    assert gaz.lookup("雲南").adcode == "530000"  # type: ignore[union-attr]
    # Ambiguous short name: the higher level wins without context, the related one with it.
    assert gaz.lookup("朝阳").adcode == "211300"  # type: ignore[union-attr]
    beijing = gaz.candidates("北京")
    assert gaz.lookup("朝阳", beijing).adcode == "110105"  # type: ignore[union-attr]
    assert gaz.lookup("滇中") is None
    # Mention with a plain suffix for an autonomous county; the stem matches at county level.
    assert gaz.lookup("尋甸縣").adcode == "530129"  # type: ignore[union-attr]
    assert gaz.lookup("寻甸省") is None


GPE_TSV = "name\tshort\tadcode\tlevel\tparent_adcode\n" + "\n".join(
    "\t".join(row) for row in _gazetteer().rows()
)


@pytest.fixture
def value_seeds(tmp_path: Path) -> Path:
    """A seeds directory with the value tables and a small gazetteer (deleted by some tests)."""
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS / "values", seeds / "values")
    (seeds / "gpe").mkdir()
    (seeds / "gpe" / "admin_divisions.tsv").write_text(GPE_TSV + "\n", encoding="utf-8")
    return seeds


def _nlp(seeds: Path) -> spacy.language.Language:
    nlp = make_blank()
    nlp.add_pipe("zhie_entity_values")
    nlp.get_pipe("zhie_entity_values").initialize(seeds_dir=seeds)
    return nlp


def _doc_with_ents(nlp: spacy.language.Language, text: str, ents: list[tuple[str, str]]) -> Doc:
    doc = nlp.make_doc(text)
    spans = []
    for surface, label in ents:
        start = doc.text.index(surface)
        spans.append(doc.char_span(start, start + len(surface), label=label))
    doc.ents = spans
    return doc


TEXT = "曲靖市與寧德時代簽約，項目總投資人民幣70億元，年產20萬噸磷酸鐵鋰。"
ENTS = [("曲靖市", "GPE"), ("寧德時代", "ORG"), ("人民幣70億元", "MONEY"), ("20萬噸", "QUANTITY"),
        ("磷酸鐵鋰", "PRODUCT")]


def _check(doc: Doc) -> None:
    by_label = {ent.label_: ent for ent in doc.ents}
    assert by_label["ORG"]._.canonical == "宁德时代"
    assert by_label["MONEY"]._.amount == pytest.approx(7e9)
    assert by_label["MONEY"]._.currency == "CNY"
    assert by_label["QUANTITY"]._.quantity == pytest.approx(2e5)
    assert by_label["QUANTITY"]._.unit == "t"
    assert by_label["GPE"]._.gpe_name == "曲靖市"
    assert by_label["GPE"]._.adcode == "530300"
    assert by_label["PRODUCT"]._.amount is None


def test_component_values_survive_on_ents_and_docbin(value_seeds: Path) -> None:
    nlp = _nlp(value_seeds)
    doc = nlp.get_pipe("zhie_entity_values")(_doc_with_ents(nlp, TEXT, ENTS))
    _check(doc)
    docbin = DocBin(store_user_data=True)
    docbin.add(doc)
    restored = next(iter(DocBin(store_user_data=True).from_bytes(docbin.to_bytes()).get_docs(nlp.vocab)))
    _check(restored)


def test_component_save_load_without_seeds(value_seeds: Path, tmp_path: Path) -> None:
    nlp = _nlp(value_seeds)
    nlp.to_disk(tmp_path / "pipeline")
    shutil.rmtree(value_seeds)  # the saved pipeline must not need the seeds any more
    loaded = spacy.load(tmp_path / "pipeline")
    doc = loaded.get_pipe("zhie_entity_values")(_doc_with_ents(loaded, TEXT, ENTS))
    _check(doc)


def test_component_needs_initialize() -> None:
    nlp = spacy.blank("zh")
    pipe = nlp.add_pipe("zhie_entity_values")
    with pytest.raises(ValueError, match="initialize"):
        pipe(nlp.make_doc("340亿元"))


def test_load_gazetteer_with_countries(tmp_path: Path) -> None:
    (tmp_path / "admin.tsv").write_text(GPE_TSV + "\n", encoding="utf-8")
    (tmp_path / "countries.tsv").write_text(
        "# source: test\nname\tshort\n中国\t\n中华人民共和国\t中国\n英国\t\n", encoding="utf-8"
    )
    gaz = load_gazetteer(tmp_path / "admin.tsv", tmp_path / "countries.tsv")
    assert gaz.lookup("中國").name == "中华人民共和国"  # type: ignore[union-attr]
    assert gaz.lookup("英国").adcode == ""  # type: ignore[union-attr]
    assert gaz.lookup("曲靖").adcode == "530300"  # type: ignore[union-attr]


def test_value_table_without_a_required_column_names_the_file(value_seeds: Path) -> None:
    units = value_seeds / "values" / "units.tsv"
    units.write_text("# source: test\nsurface\tunit\n吨\tt\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"units\.tsv: missing column\(s\) \['factor'\]"):
        _nlp(value_seeds)


def test_missing_value_table_names_the_file(value_seeds: Path) -> None:
    (value_seeds / "values" / "currencies.tsv").unlink()
    with pytest.raises(FileNotFoundError, match=r"currencies\.tsv not found"):
        _nlp(value_seeds)
