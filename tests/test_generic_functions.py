"""The generic (lexicon-free) labelling functions, document-level propagation and the per-function
gold statistics, on table-driven examples (invented sentences in the style of industrial news)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SEEDS_DIR as SEEDS
from test_labelling_functions import found

from zh_industry_ie.rules.base import LabellingFunction
from zh_industry_ie.rules.functions import build_functions
from zh_industry_ie.rules.org_generic import alias_deriver
from zh_industry_ie.rules.propagate import occurrence_filter, propagate
from zh_industry_ie.rules.seeds import load_seeds


@pytest.fixture(scope="module")
def functions() -> dict[str, LabellingFunction]:
    return {f.name: f for f in build_functions(load_seeds(SEEDS))}


CASES = [
    # Abbreviation definitions: the short name and its other occurrences, not inside the full name.
    ("org_abbreviation_definition", "河南金石化肥有限公司（以下简称“金石”）今日宣布，金石将在当地扩产。",
     [("金石", "ORG"), ("金石", "ORG")]),
    ("org_abbreviation_definition", "河南金石化肥有限公司（以下簡稱「金石」）今日宣布，金石將在當地擴產。",
     [("金石", "ORG"), ("金石", "ORG")]),
    ("org_abbreviation_definition", "华夏明珠新材料股份有限公司（简称明珠新材）发布公告。", [("明珠新材", "ORG")]),
    ("org_abbreviation_definition", "海川重工集团有限公司，以下简称“海川重工”，成立于1998年。", [("海川重工", "ORG")]),
    ("org_abbreviation_definition", "东湖数码产业园（下称“数码园”）已入驻企业30家，数码园计划扩建。",
     [("数码园", "PARK"), ("数码园", "PARK")]),
    ("org_abbreviation_definition", "《关于促进制造业发展的若干措施》（以下简称“措施”）提出", []),
    ("org_abbreviation_definition", "远航科技股份有限公司（以下简称“公司”）董事会", []),
    # Short names implied by a full name.
    ("org_short_alias", "中国金石化肥有限公司今年投产，金石化肥的产量和金石的营收都增长。",
     [("金石化肥", "ORG"), ("金石", "ORG")]),
    ("org_short_alias", "湛江远帆纸业有限公司与湛江远帆签约", [("湛江远帆", "ORG")]),
    ("org_short_alias", "云南铝业股份有限公司发布公告，铝业市场回暖。", []),
    # Government departments need a place (or 国家) before them.
    ("org_government_department", "会上，曲靖市发展和改革委员会负责人表示",
     [("曲靖市发展和改革委员会", "ORG")]),
    ("org_government_department", "昆明市商务局和国家统计局发布数据", [("昆明市商务局", "ORG"), ("国家统计局", "ORG")]),
    ("org_government_department", "市工业和信息化局表示", []),
    # A county made a city (兴仁县 -> 兴仁市): the short name with its new level word.
    ("org_government_department", "企业在兴仁市商务局办理手续", [("兴仁市商务局", "ORG")]),
    ("org_government_department", "兴仁市长表示", []),
    ("org_government_department", "曲靖市局势稳定", []),
    # Media in title marks, quoted names before a company word.
    ("org_publication", "据《曲靖日报》报道，《环境质量通报》显示，《中国新闻网》消息",
     [("曲靖日报", "ORG"), ("中国新闻网", "ORG")]),
    ("org_quoted_company", "由“远帆”公司投资建设，“专精特新”企业参与", [("远帆", "ORG")]),
    # Park families.
    ("park_family_named", "昆明滇池科技城和南沙合作区", [("昆明滇池科技城", "PARK"), ("南沙合作区", "PARK")]),
    ("park_family_named", "着力打造全国重要的生物产业集聚区", []),
    ("park_valley", "中国光谷和武汉药谷，以及云南山谷", [("中国光谷", "PARK"), ("武汉药谷", "PARK")]),
    ("park_zone", "入驻曲靖经开区东区的企业和昆明产业园区", [("曲靖经开区东区", "PARK")]),
    ("park_zone", "安宁工业园重工区建设", [("安宁工业园重工区", "PARK")]),
    ("park_zone", "安宁工业园和高新区", []),
    # Product frames: the item ends at a frame boundary; sectors and measures are not items.
    ("product_capacity_frame", "建设年产10万吨无水氟化铝项目", [("无水氟化铝", "PRODUCT")]),
    ("product_capacity_frame", "年产能500万套滤清器和冲压件", [("滤清器", "PRODUCT")]),
    ("product_capacity_frame", "年产10万吨的规模", []),
    ("product_capacity_frame", "年产20万吨电池材料产业", []),
    ("product_line_frame", "新建3条光模块生产线", [("光模块", "PRODUCT")]),
    ("product_line_frame", "建设3GWh储能电池生产线", [("储能电池", "PRODUCT")]),
    # A listed line with its amount first: the amount opens the item as a cue would.
    ("product_line_frame", "建设5万纱锭、50万套床品生产线", [("床品", "PRODUCT")]),
    ("product_line_frame", "建设厂房、办公楼生产线", []),
    ("product_list_frame", "公司主要生产滤清器、冲压件和电池等产品",
     [("滤清器", "PRODUCT"), ("冲压件", "PRODUCT"), ("电池", "PRODUCT")]),
    ("product_list_frame", "主营业务包括咨询、设计和服务等", []),
    # The product before its amount; 产生 (a by-product is generated) and 产量 are not 产.
    ("product_output_frame", "项目建成后日产酸奶800吨", [("酸奶", "PRODUCT")]),
    ("product_output_frame", "引进全自动生产线，年可生产鱼粉20万吨", [("鱼粉", "PRODUCT")]),
    ("product_line_frame", "引进全自动生产线，引进全自动化鱼粉生产线", [("鱼粉", "PRODUCT")]),
    ("product_output_frame", "全市年产生磷石膏1800万吨，粗钢日产水平为238万吨", []),
    # A failed match (生产|线每年可加工柑橘) does not hide the good one that starts inside it.
    ("product_output_frame", "预计一条生产线每年可加工柑橘3万吨", [("柑橘", "PRODUCT")]),
    ("product_output_frame", "年产量达到10万吨", []),
    # A production line counted after the item; a planning verb before it is not the item.
    ("product_line_count_frame", "规划果酱生产线6条，罐头生产线2条", [("果酱", "PRODUCT"), ("罐头", "PRODUCT")]),
    ("product_line_count_frame", "投资2亿元，拟建生产线9条", []),
    # A quality word before the item and a process after it are outside the span.
    ("product_capacity_frame", "可年产300台高端轴承和齿轮", [("轴承", "PRODUCT")]),
    ("product_after_quantity", "建设80万吨铁矿石采选项目", [("铁矿石", "PRODUCT")]),
    # Coordinated names sharing a product ending, in a sentence about production.
    ("product_shared_head_list", "形成年产50万台空调压缩器、冰箱压缩器、汽车压缩器等产品的产能",
     [("冰箱压缩器", "PRODUCT"), ("汽车压缩器", "PRODUCT")]),
    ("product_shared_head_list", "主要生产：锂电池、储能电池和材料", [("锂电池", "PRODUCT"), ("储能电池", "PRODUCT")]),
    ("product_shared_head_list", "开通地铁5号线、7号线、11号线", []),
    ("product_shared_head_list", "推动构建人类命运共同体、中拉命运共同体", []),
]


@pytest.mark.parametrize(("name", "text", "expected"), CASES)
def test_generic_function(functions, blank_nlp, name: str, text: str, expected: list) -> None:  # type: ignore[no-untyped-def]
    assert found(functions[name], blank_nlp, text) == expected


def test_abbreviation_definition_yields_orgs_in_the_rules_pipeline(rules_nlp) -> None:  # type: ignore[no-untyped-def]
    doc = rules_nlp("河南金石化肥有限公司（以下简称“金石”）今日宣布，金石将在新乡扩产。")
    ents = [(e.text, e.label_) for e in doc.ents]
    assert ("河南金石化肥有限公司", "ORG") in ents
    assert ents.count(("金石", "ORG")) == 2


TWO_PARAGRAPHS = ["新乡远帆纸业有限公司与当地签约。", "远帆纸业将建设新厂，远帆纸业表示产品以包装纸为主。"]


def test_propagation_over_a_two_paragraph_document() -> None:
    second = TWO_PARAGRAPHS[1]
    spans = [[(0, 10, "ORG")], []]
    # The second paragraph's short name is not a labelled mention: nothing to propagate yet.
    assert propagate(TWO_PARAGRAPHS, spans) == [[(0, 10, "ORG")], []]
    spans = [[(0, 10, "ORG")], [(0, 4, "ORG")]]
    out = propagate(TWO_PARAGRAPHS, spans)
    assert out[0] == [(0, 10, "ORG")]
    assert out[1] == [(0, 4, "ORG"), (10, 14, "ORG")]
    assert second[10:14] == "远帆纸业"


def test_propagation_keeps_crossing_spans_and_replaces_nested_ones() -> None:
    texts = ["湛江远帆签约。", "湛江远帆在湛江投产，湛江远帆纸"]
    spans = [[(0, 4, "ORG")], [(0, 2, "GPE"), (5, 7, "GPE"), (12, 15, "PRODUCT")]]
    out = propagate(texts, spans)
    # 湛江 nested in 湛江远帆 gives way; the occurrence crossing 远帆纸 (a PRODUCT) is not taken.
    assert out[1] == [(0, 4, "ORG"), (5, 7, "GPE"), (12, 15, "PRODUCT")]


def test_propagation_skips_ambiguous_latin_cuts_and_sectors() -> None:
    texts = ["ICC发布报告，ICCA不是它。", "电池产能提升，新能源电池产业和储能电池、电池"]
    spans = [[(0, 3, "ORG")], [(0, 2, "PRODUCT")]]
    out = propagate(texts, spans, accept=occurrence_filter(load_seeds(SEEDS)))
    assert out[0] == [(0, 3, "ORG")]
    # 新能源电池 (inside a word), 电池产业 (a sector), 储能电池 (inside a word) stay; the listed one is taken.
    assert out[1] == [(0, 2, "PRODUCT"), (20, 22, "PRODUCT")]
    assert texts[1][20:22] == "电池"
    # The same text with two labels in one document is ambiguous and never propagated.
    assert propagate(["远帆签约", "远帆", "远帆"], [[(0, 2, "ORG")], [(0, 2, "PRODUCT")], []])[2] == []


def test_rule_component_propagates_inside_one_doc_when_configured(rules_nlp) -> None:  # type: ignore[no-untyped-def]
    from zhie.weak.pipeline import build_rules_pipeline

    # Only the first mention has a cue (the stock code); the second is found by propagation.
    text = "福达合金（603045）公告称，福达合金将扩产。"
    with_prop = rules_nlp
    assert with_prop.get_pipe("zhie_rule_ner").propagate is True
    assert [e.text for e in with_prop(text).ents if e.label_ == "ORG"] == ["福达合金", "福达合金"]
    without = build_rules_pipeline(SEEDS, {"propagate": False})
    assert [e.text for e in without(text).ents if e.label_ == "ORG"] == ["福达合金"]


def test_gold_stats_on_a_small_gold(tmp_path: Path) -> None:
    from zhie.gold import read_gold
    from zhie.weak.gold_stats import gold_stats, load_rules

    text = "河南金石化肥有限公司（以下简称“金石”）今日宣布，金石将建设年产10万吨无水氟化铝项目。"
    entities = [
        {"start": 0, "end": 10, "label": "ORG"},
        {"start": 16, "end": 18, "label": "ORG"},
        {"start": 25, "end": 27, "label": "ORG"},
        {"start": 32, "end": 36, "label": "QUANTITY"},
        {"start": 36, "end": 41, "label": "PRODUCT"},
    ]
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "a", "doc": "d", "text": text, "entities": entities}, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    stats = gold_stats(load_rules(SEEDS, None), read_gold(gold))
    abbreviation = stats["functions"]["org_abbreviation_definition"]
    assert (abbreviation["matches"], abbreviation["exact"], abbreviation["precision"]) == (2, 2, 1.0)
    assert abbreviation["coverage"] == pytest.approx(2 / 3)
    assert stats["functions"]["product_capacity_frame"]["exact"] == 1
    assert stats["rules"]["exact"]["micro"]["f1"] == pytest.approx(1.0)
    assert set(stats) >= {"rules_doc_propagation", "gold_entities", "paragraphs"}


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        # A generic short name (the tail of a zone name) counts only where a name may start.
        ("org_abbreviation_definition", "滇池旅游度假区（以下简称度假区）成立，2018年度假区收入增长，度假区管委会表示",
         [("度假区", "PARK"), ("度假区", "PARK")]),
        ("org_abbreviation_definition", "服务部职工食堂（下称职工食堂）开业", []),
        # An alias inside another name is not an occurrence; a group word after it belongs to it.
        ("org_short_alias", "天津远帆信息科技有限公司成立，科大远帆和远帆集团参与", [("远帆集团", "ORG")]),
        ("park_valley", "位于哈尔滨市松北区智谷二街，北京市平谷区", []),
        ("org_government_department", "银保监会会同发展改革委发布通知", []),
        ("product_list_frame", "产品涵盖保健药品、检测试剂等领域", []),
        ("product_line_frame", "一条条生产线黯然退场，目前建设有4条生产线", []),
    ],
)
def test_generic_function_precision_guards(functions, blank_nlp, name: str, text: str, expected: list) -> None:  # type: ignore[no-untyped-def]
    assert found(functions[name], blank_nlp, text) == expected


def test_propagation_derives_short_names_across_paragraphs() -> None:
    seeds = load_seeds(SEEDS)
    texts = ["中国金石化肥有限公司在新乡投产。", "金石化肥表示，金石将扩产；科大金石不是它。"]
    spans = [[(0, 10, "ORG"), (11, 13, "GPE")], []]
    out = propagate(texts, spans, accept=occurrence_filter(seeds), derive=alias_deriver(seeds))
    assert out[0] == spans[0]
    assert [(texts[1][s:e], label) for s, e, label in out[1]] == [("金石化肥", "ORG"), ("金石", "ORG")]
    # Without derive only the labelled strings themselves propagate.
    assert propagate(texts, spans)[1] == []


def test_propagation_over_a_name_start_that_a_rule_entity_marks() -> None:
    seeds = load_seeds(SEEDS)
    text = "中国远帆在湛江投资。对促进中国远帆产业结构调整有重要意义；科大远帆和远帆签约"
    second = text.index("中国远帆", 1)
    inside = text.index("科大远帆") + 2
    alone = text.index("和远帆") + 1
    spans = [[(0, 4, "ORG"), (5, 7, "GPE"), (second, second + 2, "GPE"), (alone, alone + 2, "ORG")]]
    out = propagate([text], spans, accept=occurrence_filter(seeds))[0]
    # 促进 is no boundary word, but the place found at that very start marks where a name begins.
    assert (second, second + 4, "ORG") in out
    assert (second, second + 2, "GPE") not in out
    # Without an entity starting there the boundary test stands: 远帆 inside 科大远帆 is not taken.
    assert (inside, inside + 2, "ORG") not in out
    assert (alone, alone + 2, "ORG") in out


def test_place_names_ending_in_a_boundary_word_stay_whole(functions, blank_nlp) -> None:  # type: ignore[no-untyped-def]
    # 都 ("all") is a boundary word, and the last character of 成都.
    assert found(functions["org_company_suffix"], blank_nlp, "作为成都远帆食品股份有限公司的新项目") == [
        ("成都远帆食品股份有限公司", "ORG")
    ]
    assert found(functions["org_company_suffix"], blank_nlp, "我们都远帆食品股份有限公司") == [
        ("远帆食品股份有限公司", "ORG")
    ]
