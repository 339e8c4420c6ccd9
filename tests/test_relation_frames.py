"""Frame labelling functions (rules/relation_frames.py) on table-driven sentences.

Each case names one frame family and the relations that family alone must give, in
simplified, traditional and pinyin-annotated writing; then the constraints: list pairing in
order, two projects in one sentence not cross-linked, no relation across a sentence boundary.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from conftest import doc_with_ents
from spacy.language import Language

import zh_industry_ie  # noqa: F401  (registers factories)
from zh_industry_ie.rules.relation_frames import FrameFamily
from zh_industry_ie.rules.relation_ruler import SOURCES_KEY

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture(scope="module")
def nlp() -> Language:
    pipeline = spacy.blank(
        "zh", config={"nlp": {"tokenizer": {"@tokenizers": "zh_industry_ie.NormalizingCharTokenizer.v1"}}}
    )
    pipeline.add_pipe("zhie_rule_relations")
    pipeline.get_pipe("zhie_rule_relations").initialize(seeds_dir=SEEDS)
    return pipeline


def _found(nlp: Language, text: str, ents: list[tuple[str, str]], family: str | None = None) -> set:
    doc = nlp.get_pipe("zhie_rule_relations")(doc_with_ents(nlp, text, ents))
    return {
        (r.head.text, r.label, r.tail.text)
        for r, sources in zip(doc._.relations, doc.user_data[SOURCES_KEY], strict=True)
        if family is None or family in sources
    }


ORG, GPE, PARK, PRODUCT, MONEY, QUANTITY = "ORG", "GPE", "PARK", "PRODUCT", "MONEY", "QUANTITY"

FRAME_CASES = [
    # amounts after each item; a barrier 项目， followed by 该项目 still speaks of the same project
    ("frame.project_produces",
     "实施单位为甲钢铁公司，建设规模为年产生铁500万吨、钢材450万吨。",
     [("甲钢铁公司", ORG), ("生铁", PRODUCT), ("500万吨", QUANTITY), ("钢材", PRODUCT), ("450万吨", QUANTITY)],
     {("甲钢铁公司", "PRODUCES", "生铁"), ("甲钢铁公司", "PRODUCES", "钢材")}),
    ("frame.project_produces",
     "正在建设中的甲公司车灯项目，该项目将形成年产50万套前照灯、雾灯的产能。",
     [("甲公司", ORG), ("车灯", PRODUCT), ("50万套", QUANTITY), ("前照灯", PRODUCT), ("雾灯", PRODUCT)],
     {("甲公司", "PRODUCES", "车灯"), ("甲公司", "PRODUCES", "前照灯"), ("甲公司", "PRODUCES", "雾灯")}),
    ("frame.project_produces",
     "甲公司车灯项目，乙公司配套建设年产50万套前照灯项目。",
     [("甲公司", ORG), ("车灯", PRODUCT), ("乙公司", ORG), ("50万套", QUANTITY), ("前照灯", PRODUCT)],
     {("甲公司", "PRODUCES", "车灯"), ("乙公司", "PRODUCES", "前照灯")}),
    # project frame: the ORG owns every product of the project list
    ("frame.project_produces",
     "甲科技公司在乙经开区投资建设年产5万吨正极材料、3万吨负极材料项目。",
     [("甲科技公司", ORG), ("乙经开区", PARK), ("5万吨", QUANTITY), ("正极材料", PRODUCT),
      ("3万吨", QUANTITY), ("负极材料", PRODUCT)],
     {("甲科技公司", "PRODUCES", "正极材料"), ("甲科技公司", "PRODUCES", "负极材料")}),
    ("frame.project_produces",
     "甲科技公司在乙經開區投資建設年產5萬噸正極材料、3萬噸負極材料項目。",
     [("甲科技公司", ORG), ("乙經開區", PARK), ("5萬噸", QUANTITY), ("正極材料", PRODUCT),
      ("3萬噸", QUANTITY), ("負極材料", PRODUCT)],
     {("甲科技公司", "PRODUCES", "正極材料"), ("甲科技公司", "PRODUCES", "負極材料")}),
    ("frame.project_produces",
     "甲科技公司投(tóu)資(zī)建(jiàn)設(shè)年(nián)產(chǎn)5萬噸正極材料項(xiàng)目。",
     [("甲科技公司", ORG), ("5萬噸", QUANTITY), ("正極材料", PRODUCT)],
     {("甲科技公司", "PRODUCES", "正極材料")}),
    # signing: the investor is the company after 与, not the government before it
    ("frame.project_produces",
     "丙县人民政府与丁新能源公司签订年产10GW电池片项目投资协议。",
     [("丙县人民政府", ORG), ("丁新能源公司", ORG), ("10GW", QUANTITY), ("电池片", PRODUCT)],
     {("丁新能源公司", "PRODUCES", "电池片")}),
    ("frame.invest_amount",
     "丙县管委会与丁新能源公司签约，项目总投资20亿元。",
     [("丙县管委会", ORG), ("丁新能源公司", ORG), ("20亿元", MONEY)],
     {("丁新能源公司", "INVESTS", "20亿元")}),
    # invest: the owner is several clauses back, a second amount of the same project counts too
    ("frame.invest_amount",
     "甲科技公司年产5万吨正极材料项目开工，总投资30亿元，其中一期投资10亿元。",
     [("甲科技公司", ORG), ("5万吨", QUANTITY), ("正极材料", PRODUCT), ("30亿元", MONEY), ("10亿元", MONEY)],
     {("甲科技公司", "INVESTS", "30亿元"), ("甲科技公司", "INVESTS", "10亿元")}),
    ("frame.invest_amount",
     "甲科技公司年產5萬噸正極材料項目開工，總投資30億元。",
     [("甲科技公司", ORG), ("5萬噸", QUANTITY), ("正極材料", PRODUCT), ("30億元", MONEY)],
     {("甲科技公司", "INVESTS", "30億元")}),
    # siting: the ORG is the subject several clauses earlier
    ("frame.siting",
     "甲科技公司此前已完成融资，本次新建的生产基地落户乙经开区。",
     [("甲科技公司", ORG), ("乙经开区", PARK)],
     {("甲科技公司", "LOCATED_IN", "乙经开区")}),
    ("frame.siting",
     "甲科技公司在丙市、乙經開區投資建設新工廠。",
     [("甲科技公司", ORG), ("丙市", GPE), ("乙經開區", PARK)],
     {("甲科技公司", "LOCATED_IN", "丙市"), ("甲科技公司", "LOCATED_IN", "乙經開區")}),
    ("frame.siting",
     "甲科技公司項(xiàng)目選(xuǎn)址(zhǐ)乙經開區。",
     [("甲科技公司", ORG), ("乙經開區", PARK)],
     {("甲科技公司", "LOCATED_IN", "乙經開區")}),
    # lists: 主要生产/主营/布局 give the ORG or PARK every listed product
    ("frame.main_products",
     "甲科技公司主要生产正极材料、负极材料和电解液。",
     [("甲科技公司", ORG), ("正极材料", PRODUCT), ("负极材料", PRODUCT), ("电解液", PRODUCT)],
     {("甲科技公司", "PRODUCES", "正极材料"), ("甲科技公司", "PRODUCES", "负极材料"),
      ("甲科技公司", "PRODUCES", "电解液")}),
    ("frame.main_products",
     "乙產業園區重點佈(bù)局(jú)隔膜、銅箔。",
     [("乙產業園區", PARK), ("隔膜", PRODUCT), ("銅箔", PRODUCT)],
     {("乙產業園區", "PRODUCES", "隔膜"), ("乙產業園區", "PRODUCES", "銅箔")}),
    # a park after 坐落於/位于 is where the company is, not the owner of its products
    ("frame.main_products",
     "甲食品有限公司坐落於乙產業園內，主營業務包括飼料、餅乾。",
     [("甲食品有限公司", ORG), ("乙產業園", PARK), ("飼料", PRODUCT), ("餅乾", PRODUCT)],
     {("甲食品有限公司", "PRODUCES", "飼料"), ("甲食品有限公司", "PRODUCES", "餅乾")}),
    # respectively: two lists paired in order
    ("frame.capacity_respectively",
     "正极材料、负极材料的年产能分别为5万吨、3万吨。",
     [("正极材料", PRODUCT), ("负极材料", PRODUCT), ("5万吨", QUANTITY), ("3万吨", QUANTITY)],
     {("正极材料", "CAPACITY", "5万吨"), ("负极材料", "CAPACITY", "3万吨")}),
]


@pytest.mark.parametrize(("family", "text", "ents", "expected"), FRAME_CASES)
def test_frame_function(nlp: Language, family: str, text: str, ents: list, expected: set) -> None:
    assert _found(nlp, text, ents, family) == expected


def test_list_capacity_pairs_in_order(nlp: Language) -> None:
    text = "甲科技公司建设年产5万吨正极材料、3万吨负极材料和1万吨电解液项目。"
    ents = [("甲科技公司", ORG), ("5万吨", QUANTITY), ("正极材料", PRODUCT), ("3万吨", QUANTITY),
            ("负极材料", PRODUCT), ("1万吨", QUANTITY), ("电解液", PRODUCT)]
    capacity = {r for r in _found(nlp, text, ents) if r[1] == "CAPACITY"}
    assert capacity == {("正极材料", "CAPACITY", "5万吨"), ("负极材料", "CAPACITY", "3万吨"),
                        ("电解液", "CAPACITY", "1万吨")}


def test_respectively_needs_equal_lists(nlp: Language) -> None:
    text = "正极材料、负极材料的年产能分别为5万吨。"
    ents = [("正极材料", PRODUCT), ("负极材料", PRODUCT), ("5万吨", QUANTITY)]
    assert _found(nlp, text, ents, "frame.capacity_respectively") == set()


def test_two_projects_in_one_sentence_are_not_cross_linked(nlp: Language) -> None:
    text = "甲科技公司投资建设年产5万吨正极材料项目，总投资30亿元，乙化工公司投资建设年产3万吨电解液项目，总投资8亿元。"
    ents = [("甲科技公司", ORG), ("5万吨", QUANTITY), ("正极材料", PRODUCT), ("30亿元", MONEY),
            ("乙化工公司", ORG), ("3万吨", QUANTITY), ("电解液", PRODUCT), ("8亿元", MONEY)]
    found = _found(nlp, text, ents)
    assert {("甲科技公司", "PRODUCES", "正极材料"), ("甲科技公司", "INVESTS", "30亿元"),
            ("乙化工公司", "PRODUCES", "电解液"), ("乙化工公司", "INVESTS", "8亿元")} <= found
    for wrong in [("甲科技公司", "PRODUCES", "电解液"), ("甲科技公司", "INVESTS", "8亿元"),
                  ("乙化工公司", "PRODUCES", "正极材料"), ("乙化工公司", "INVESTS", "30亿元"),
                  ("正极材料", "CAPACITY", "3万吨"), ("电解液", "CAPACITY", "5万吨")]:
        assert wrong not in found


@pytest.mark.parametrize("boundary", ["。", "；", "！", "？", "\n"])
def test_no_relation_crosses_a_sentence_boundary(nlp: Language, boundary: str) -> None:
    text = f"甲科技公司发布年报{boundary}总投资30亿元的年产5万吨正极材料项目落户乙经开区。"
    ents = [("甲科技公司", ORG), ("30亿元", MONEY), ("5万吨", QUANTITY), ("正极材料", PRODUCT),
            ("乙经开区", PARK)]
    found = _found(nlp, text, ents)
    assert all(head != "甲科技公司" for head, _, _ in found)
    # Inside the second sentence the capacity is still read.
    assert ("正极材料", "CAPACITY", "5万吨") in found


def test_closed_project_without_verb_keeps_owner_in_its_clause(nlp: Language) -> None:
    # The companies an earlier clause lists do not own a project named in a later clause.
    text = "引进了甲科技公司、乙化工公司等龙头企业，5万吨正极材料项目已投产。"
    ents = [("甲科技公司", ORG), ("乙化工公司", ORG), ("5万吨", QUANTITY), ("正极材料", PRODUCT)]
    assert _found(nlp, text, ents, "frame.project_produces") == set()


def test_a_short_name_in_brackets_leaves_the_relation_to_the_full_name(nlp: Language) -> None:
    # The bracketed short name is an apposition: the full name before it is the clause's subject.
    text = "甲乙新材料有限公司（简称“乙材”）发布公告，公司将在丙市建设年产20万吨磷酸铁锂项目。"
    ents = [("甲乙新材料有限公司", ORG), ("乙材", ORG), ("丙市", GPE), ("20万吨", QUANTITY), ("磷酸铁锂", PRODUCT)]
    found = _found(nlp, text, ents)
    assert ("甲乙新材料有限公司", "PRODUCES", "磷酸铁锂") in found
    assert not any(head == "乙材" for head, _, _ in found)
    # Without the bracket the nearer name still owns what follows.
    plain = "甲乙新材料有限公司与丁戊公司签约，丁戊公司拟建设年产20万吨磷酸铁锂项目。"
    plain_ents = [("甲乙新材料有限公司", ORG), ("丁戊公司", ORG), ("丁戊公司", ORG), ("20万吨", QUANTITY),
                  ("磷酸铁锂", PRODUCT)]
    assert ("丁戊公司", "PRODUCES", "磷酸铁锂") in _found(nlp, plain, plain_ents)


def test_a_dateline_outlet_owns_nothing(nlp: Language) -> None:
    # 甲网丙市电 / 甲网12月1日讯 open a report: the outlet is its source, not an investor.
    text = "甲新网丙市电（记者 李明）近日，乙机械有限公司投资10亿元建设年产5万辆客车项目。"
    ents = [("甲新网", ORG), ("丙市", GPE), ("乙机械有限公司", ORG), ("10亿元", MONEY), ("5万辆", QUANTITY),
            ("客车", PRODUCT)]
    found = _found(nlp, text, ents)
    assert ("乙机械有限公司", "INVESTS", "10亿元") in found
    assert not any(head == "甲新网" for head, _, _ in found)
    # With no other owner before the frame the outlet is still refused, by every cue family.
    alone = "甲新网12月1日讯 投资10亿元建设年产5万辆客车项目。"
    found = _found(nlp, alone, [("甲新网", ORG), ("10亿元", MONEY), ("5万辆", QUANTITY), ("客车", PRODUCT)])
    assert found == {("客车", "CAPACITY", "5万辆")}


def test_relative_clause_place_is_not_the_subjects(nlp: Language) -> None:
    text = "甲科技公司公告，旗下位于丙市的子公司完成改造。"
    ents = [("甲科技公司", ORG), ("丙市", GPE)]
    assert _found(nlp, text, ents, "frame.siting") == set()


def test_unknown_frame_function_fails_at_load() -> None:
    with pytest.raises(ValueError, match="unknown function"):
        FrameFamily("frame.bad", "PRODUCES", "no_such_frame", {})


def test_frame_family_round_trips_through_its_spec(nlp: Language) -> None:
    ruler = nlp.get_pipe("zhie_rule_relations")
    frames = [f for f in ruler.families if isinstance(f, FrameFamily)]
    assert frames, "seeds/relations/frames.json defines frame families"
    for family in frames:
        spec = family.to_dict()
        assert spec["type"] == "frame" and spec["function"] == family.function


def test_gold_stats_per_function_and_candidate_reach(tmp_path: Path) -> None:
    """``zhie rel-gold-stats``: per-function fired/correct/precision, both entity sources, reach."""
    import json

    from zhie.weak.pipeline import load_rules_pipeline
    from zhie.weak.relation_gold import gold_stats

    text = "甲科技公司投资建设年产5万吨正极材料项目。乙公司发布公告。"
    entities = [
        {"start": 0, "end": 5, "label": "ORG"}, {"start": 11, "end": 14, "label": "QUANTITY"},
        {"start": 14, "end": 18, "label": "PRODUCT"}, {"start": 21, "end": 24, "label": "ORG"},
    ]
    relations = [
        {"head": 0, "tail": 2, "label": "PRODUCES"}, {"head": 2, "tail": 1, "label": "CAPACITY"},
        # Across the sentence boundary: no candidate can reach it, no frame may find it.
        {"head": 3, "tail": 2, "label": "PRODUCES"},
    ]
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "p0", "text": text, "entities": entities, "relations": relations},
                               ensure_ascii=False) + "\n", encoding="utf-8")
    stats = gold_stats(load_rules_pipeline(SEEDS), [gold])["gold.jsonl"]
    row = stats["gold_entities"]["per_function"]["frame.project_produces"]
    assert (row["fired"], row["correct"], row["precision"]) == (1, 1, 1.0)
    assert row["recall"] == 0.5  # one of the two gold PRODUCES
    assert stats["gold_entities"]["overall"]["micro"]["fp"] == 0
    assert stats["candidate_reach"]["unreachable"] == 1
    assert stats["candidate_reach"]["unreachable_per_label"]["PRODUCES"] == 1
    assert set(stats) >= {"gold_entities", "rule_entities"}
