"""The weak relation labeller: cue families on known sentences, stats, save/load, gold F1."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import spacy
from conftest import doc_with_ents
from spacy.language import Language

import zh_industry_ie  # noqa: F401  (registers factories)
from zh_industry_ie.rules.relation_cues import RegionCueFamily, expand_macros
from zh_industry_ie.rules.relation_ruler import SOURCES_KEY, relation_source_stats

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
GOLD = Path("/work/shared/gold/seeds_gold.jsonl")


def _blank() -> Language:
    return spacy.blank(
        "zh", config={"nlp": {"tokenizer": {"@tokenizers": "zh_industry_ie.NormalizingCharTokenizer.v1"}}}
    )


@pytest.fixture(scope="module")
def nlp() -> Language:
    pipeline = _blank()
    pipeline.add_pipe("zhie_rule_relations")
    pipeline.get_pipe("zhie_rule_relations").initialize(seeds_dir=SEEDS)
    return pipeline


def _relations(nlp: Language, text: str, ents: list[tuple[str, str]]) -> set[tuple[str, str, str]]:
    doc = nlp.get_pipe("zhie_rule_relations")(doc_with_ents(nlp, text, ents))
    return {(r.head.text, r.label, r.tail.text) for r in doc._.relations}


CASES = [
    # LOCATED_IN
    ("隆基、晶澳、阳光3个企业落户曲靖，已建成投产。",
     [("隆基", "ORG"), ("晶澳", "ORG"), ("阳光", "ORG"), ("曲靖", "GPE")],
     {("隆基", "LOCATED_IN", "曲靖"), ("晶澳", "LOCATED_IN", "曲靖"), ("阳光", "LOCATED_IN", "曲靖")}),
    ("隆基、晶澳、陽光3個企業落戶曲靖，已建成投產。",
     [("隆基", "ORG"), ("晶澳", "ORG"), ("陽光", "ORG"), ("曲靖", "GPE")],
     {("隆基", "LOCATED_IN", "曲靖"), ("晶澳", "LOCATED_IN", "曲靖"), ("陽光", "LOCATED_IN", "曲靖")}),
    ("宁德时代位于福建省宁德市。",
     [("宁德时代", "ORG"), ("福建省", "GPE"), ("宁德市", "GPE")],
     {("宁德时代", "LOCATED_IN", "福建省"), ("宁德时代", "LOCATED_IN", "宁德市")}),
    ("在宜宾三江新区规划建设5平方公里的动力电池产业园，比亚迪等企业率先入驻。",
     [("宜宾三江新区", "PARK"), ("5平方公里", "QUANTITY"), ("动力电池产业园", "PARK"), ("比亚迪", "ORG")],
     {("动力电池产业园", "LOCATED_IN", "宜宾三江新区"), ("比亚迪", "LOCATED_IN", "动力电池产业园"),
      ("比亚迪", "LOCATED_IN", "宜宾三江新区")}),
    # PRODUCES + CAPACITY
    ("德方纳米年产20万吨磷酸铁锂前驱体项目签约。",
     [("德方纳米", "ORG"), ("20万吨", "QUANTITY"), ("磷酸铁锂前驱体", "PRODUCT")],
     {("德方纳米", "PRODUCES", "磷酸铁锂前驱体"), ("磷酸铁锂前驱体", "CAPACITY", "20万吨")}),
    ("德方納米年產20萬噸磷酸鐵鋰前驅體項目簽約。",
     [("德方納米", "ORG"), ("20萬噸", "QUANTITY"), ("磷酸鐵鋰前驅體", "PRODUCT")],
     {("德方納米", "PRODUCES", "磷酸鐵鋰前驅體"), ("磷酸鐵鋰前驅體", "CAPACITY", "20萬噸")}),
    ("红塔产业园区主要布局隔膜、铜箔项目；华宁产业园区主要布局电解液。",
     [("红塔产业园区", "PARK"), ("隔膜", "PRODUCT"), ("铜箔", "PRODUCT"), ("华宁产业园区", "PARK"),
      ("电解液", "PRODUCT")],
     {("红塔产业园区", "PRODUCES", "隔膜"), ("红塔产业园区", "PRODUCES", "铜箔"),
      ("华宁产业园区", "PRODUCES", "电解液")}),
    ("紅塔產業園區主要佈局隔膜、銅箔項目。",
     [("紅塔產業園區", "PARK"), ("隔膜", "PRODUCT"), ("銅箔", "PRODUCT")],
     {("紅塔產業園區", "PRODUCES", "隔膜"), ("紅塔產業園區", "PRODUCES", "銅箔")}),
    # CAPACITY alone
    ("已建成投产20GW拉棒、20GW切片产能。",
     [("20GW", "QUANTITY"), ("拉棒", "PRODUCT"), ("20GW", "QUANTITY"), ("切片", "PRODUCT")],
     {("拉棒", "CAPACITY", "20GW"), ("切片", "CAPACITY", "20GW")}),
    ("全县多晶硅年产能达到10万吨。",
     [("多晶硅", "PRODUCT"), ("10万吨", "QUANTITY")],
     {("多晶硅", "CAPACITY", "10万吨")}),
    ("全縣多晶硅年產能達到10萬噸。",
     [("多晶硅", "PRODUCT"), ("10萬噸", "QUANTITY")],
     {("多晶硅", "CAPACITY", "10萬噸")}),
    # The product before its amount (日产/年可生产 X N吨) and a grade word between amount and product.
    ("投产后日产酸奶800吨，年可生产鱼粉20万吨。",
     [("酸奶", "PRODUCT"), ("800吨", "QUANTITY"), ("鱼粉", "PRODUCT"), ("20万吨", "QUANTITY")],
     {("酸奶", "CAPACITY", "800吨"), ("鱼粉", "CAPACITY", "20万吨")}),
    ("可年產300臺高端軸承。",
     [("300臺", "QUANTITY"), ("軸承", "PRODUCT")],
     {("軸承", "CAPACITY", "300臺")}),
    ("建设规模为年产生铁500万吨、钢材450万吨。",
     [("生铁", "PRODUCT"), ("500万吨", "QUANTITY"), ("钢材", "PRODUCT"), ("450万吨", "QUANTITY")],
     {("生铁", "CAPACITY", "500万吨"), ("钢材", "CAPACITY", "450万吨")}),
    ("年产生磷石膏1800万吨。", [("磷石膏", "PRODUCT"), ("1800万吨", "QUANTITY")],
     {("磷石膏", "CAPACITY", "1800万吨")}),
    # A site named by the organisation and its place (统一集团昆山新厂); a place adverbial that opens
    # the clause sites the subject after it.
    ("遠帆集團曲靖新廠總投資1億美元。",
     [("遠帆集團", "ORG"), ("曲靖", "GPE"), ("1億美元", "MONEY")],
     {("遠帆集團", "LOCATED_IN", "曲靖"), ("遠帆集團", "INVESTS", "1億美元")}),
    ("在云南曲靖富源县，远帆集团钢铁项目正式开工。",
     [("云南", "GPE"), ("曲靖", "GPE"), ("富源县", "GPE"), ("远帆集团", "ORG")],
     {("远帆集团", "LOCATED_IN", "云南"), ("远帆集团", "LOCATED_IN", "曲靖"), ("远帆集团", "LOCATED_IN", "富源县")}),
    ("他们在曲靖与远帆集团签约。", [("曲靖", "GPE"), ("远帆集团", "ORG")], set()),
    # INVESTS
    ("宁德时代计划投资30亿元建设电池工厂。",
     [("宁德时代", "ORG"), ("30亿元", "MONEY")],
     {("宁德时代", "INVESTS", "30亿元")}),
    ("寧德時代計劃投資30億元建設電池工廠。",
     [("寧德時代", "ORG"), ("30億元", "MONEY")],
     {("寧德時代", "INVESTS", "30億元")}),
    ("与云南能源投资股份有限公司集中签约19个项目，协议总投资193.45亿元。",
     [("云南能源投资股份有限公司", "ORG"), ("193.45亿元", "MONEY")],
     {("云南能源投资股份有限公司", "INVESTS", "193.45亿元")}),
    # Negatives: no cue, or the pair spans two sentences.
    ("宁德时代去年营收340亿元。", [("宁德时代", "ORG"), ("340亿元", "MONEY")], set()),
    ("宁德时代发布公告。计划投资30亿元。", [("宁德时代", "ORG"), ("30亿元", "MONEY")], set()),
    ("隔膜和铜箔是宁德时代的供应商关注的材料。",
     [("隔膜", "PRODUCT"), ("铜箔", "PRODUCT"), ("宁德时代", "ORG")], set()),
]


@pytest.mark.parametrize(("text", "ents", "expected"), CASES)
def test_known_sentences(nlp: Language, text: str, ents: list[tuple[str, str]], expected: set) -> None:
    assert _relations(nlp, text, ents) == expected


def test_sources_and_stats(nlp: Language) -> None:
    text, ents, _ = CASES[4]
    doc = nlp.get_pipe("zhie_rule_relations")(doc_with_ents(nlp, text, ents))
    assert len(doc.user_data[SOURCES_KEY]) == len(doc._.relations) == 2
    assert all(r.score == 1.0 for r in doc._.relations)
    stats = relation_source_stats([doc])
    assert stats["relations"] == 2
    assert stats["per_label"] == {"CAPACITY": 1, "PRODUCES": 1}
    assert stats["per_family"]["capacity.quantity_product"] == 1
    # Every family named is listed, 0 where it found nothing (statistics come from the docs).
    families = nlp.get_pipe("zhie_rule_relations").family_names()
    per_family = relation_source_stats([doc], families)["per_family"]
    assert per_family["capacity.quantity_product"] == 1
    assert per_family["invests.invest_amount"] == 0


def test_pattern_needs_regions() -> None:
    with pytest.raises(ValueError, match="head and tail"):
        RegionCueFamily("bad", "INVESTS", ["{ORG}投资{MONEY}"], {})
    with pytest.raises(KeyError):
        expand_macros("{NOT_A_MACRO}", {})
    assert expand_macros("{ORG}{0,3}", {}) == "\ue001{0,3}"


def test_save_and_load_without_seeds(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS / "relations", seeds / "relations")
    shutil.copytree(SEEDS / "values", seeds / "values")
    nlp = _blank()
    nlp.add_pipe("zhie_rule_relations")
    nlp.add_pipe("zhie_entity_values")
    # The way a training config passes the seeds: [initialize.components.<name>] seeds_dir.
    for name in ("zhie_rule_relations", "zhie_entity_values"):
        nlp.config["initialize"]["components"][name] = {"seeds_dir": str(seeds)}
    with pytest.warns(UserWarning, match="gazetteer"):
        nlp.initialize(lambda: [])
    nlp.to_disk(tmp_path / "pipeline")
    shutil.rmtree(seeds)
    loaded = spacy.load(tmp_path / "pipeline")
    text, ents, expected = CASES[5]
    doc = doc_with_ents(loaded, text, ents)
    for _, proc in loaded.pipeline:
        doc = proc(doc)
    assert {(r.head.text, r.label, r.tail.text) for r in doc._.relations} == expected
    quantity = next(e for e in doc.ents if e.label_ == "QUANTITY")
    assert (quantity._.quantity, quantity._.unit) == (200000.0, "t")


@pytest.mark.skipif(not GOLD.exists(), reason="seed gold not available")
def test_gold_relation_f1_with_gold_entities(nlp: Language) -> None:
    """With the gold entities, the cue rules must reach the project target (F1 >= 0.5)."""
    from zhie.evaluate.given_entities import gold_entity_doc
    from zhie.evaluate.predict import doc_to_prediction
    from zhie.evaluate.scoring import score_relations
    from zhie.gold import read_gold

    gold_sets, pred_sets = [], []
    for para in read_gold(GOLD):
        doc = nlp.get_pipe("zhie_rule_relations")(gold_entity_doc(nlp, para))
        gold_sets.append(para.relation_set())
        pred_sets.append(set(doc_to_prediction(para.text, doc).relations))
    assert score_relations(gold_sets, pred_sets)["micro"]["f1"] >= 0.5


@pytest.mark.parametrize(
    ("head_filter", "expected"),
    [
        ("none", {("凤冈县政府", "PRODUCES", "绿茶"), ("凤冈县政府", "LOCATED_IN", "彰教园区")}),
        ("merged", set()),
    ],
)
def test_merged_relations_lose_heads_the_frames_refuse(head_filter: str, expected: set) -> None:
    """A government body hosts a project: the extractor's relations with such a head are dropped
    like the frames drop them (skip_head_suffixes), its relations with a company head are kept."""
    from zh_industry_ie.relations import Relation, set_relations

    pipeline = _blank()
    ruler = pipeline.add_pipe("zhie_rule_relations", config={"merge": True, "head_filter": head_filter})
    ruler.initialize(seeds_dir=SEEDS)
    text = "凤冈县政府与臻御公司签约，在彰教园区建设茶叶加工厂，主营绿茶。"
    doc = doc_with_ents(
        pipeline, text, [("凤冈县政府", "ORG"), ("臻御公司", "ORG"), ("彰教园区", "PARK"), ("绿茶", "PRODUCT")]
    )
    by_text = {e.text: e for e in doc.ents}
    extracted = [
        Relation(by_text["凤冈县政府"], by_text["绿茶"], "PRODUCES", 0.9),
        Relation(by_text["凤冈县政府"], by_text["彰教园区"], "LOCATED_IN", 0.8),
        Relation(by_text["臻御公司"], by_text["彰教园区"], "LOCATED_IN", 0.8),
    ]
    set_relations(doc, extracted)
    found = {(r.head.text, r.label, r.tail.text) for r in ruler(doc)._.relations}
    assert ("臻御公司", "LOCATED_IN", "彰教园区") in found
    assert {r for r in found if r[0] == "凤冈县政府"} == expected


def test_unknown_head_filter_is_refused() -> None:
    with pytest.raises(ValueError, match="head_filter must be one of"):
        _blank().add_pipe("zhie_rule_relations", config={"head_filter": "some"})
