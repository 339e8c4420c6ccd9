"""The weak teacher: LAC sources as labelling functions, their settings, voting with the rules and
document-level propagation over the paragraphs of one document."""

from __future__ import annotations

import pytest
from spacy.language import Language

from zh_industry_ie.contracts import UNKNOWN_SPANS_KEY
from zh_industry_ie.rules.lac_sources import LAC_SOURCES, LacFunctions
from zhie.weak.teacher import Teacher, TeacherSettings, unlabelled_regions


@pytest.fixture(scope="module")
def lac_functions(rules_nlp: Language) -> LacFunctions:
    return LacFunctions(rules_nlp.get_pipe("zhie_rule_ner").seeds)


# (text, LAC words as (start, end, tag), expected matches as (function, mention, label))
LAC_CASES = [
    ("小米在武汉建厂", [(0, 2, "ORG"), (2, 3, "p"), (3, 5, "LOC"), (5, 7, "v")],
     {("lac_org", "小米", "ORG"), ("lac_loc_gpe", "武汉", "GPE")}),
    # A LOC that is no administrative place (a region) is not a GPE.
    ("华北地区需求旺盛", [(0, 4, "LOC"), (4, 6, "n"), (6, 8, "a")], set()),
    # A bare place tagged ORG is not an organisation; a generic body is not one either.
    ("云南省政府支持", [(0, 3, "ORG"), (3, 5, "n"), (5, 7, "v")], set()),
    ("湖北日报报道", [(0, 4, "ORG"), (4, 6, "v")], {("lac_org", "湖北日报", "ORG")}),
    ("深圳南山区", [(0, 2, "LOC"), (2, 5, "LOC")], {("lac_loc_gpe", "深圳", "GPE"), ("lac_loc_gpe", "南山区", "GPE")}),
    ("生产磷酸铁锂和新能源产业", [(0, 2, "v"), (2, 6, "nz"), (6, 7, "c"), (7, 12, "nz")],
     {("lac_nz_product", "磷酸铁锂", "PRODUCT")}),
    # Spans are tight: quotes and spaces around a LAC word are not part of the entity.
    ("“华为” 公司", [(0, 5, "ORG"), (5, 7, "n")], {("lac_org", "华为", "ORG")}),
    # Single characters are never an ORG.
    ("A公司", [(0, 1, "ORG"), (1, 3, "n")], set()),
    # A site tagged as one organisation word: the organisation is the part before its place
    # name or qualifier (seeds/org/facility_words.tsv); a site with neither is no organisation.
    ("浩云长盛宁夏数据中心开工", [(0, 10, "ORG"), (10, 12, "v")], {("lac_org", "浩云长盛", "ORG")}),
    ("中国纸业南方基地投产", [(0, 8, "ORG"), (8, 10, "v")], {("lac_org", "中国纸业", "ORG")}),
    ("中国交建华南区域总部", [(0, 10, "ORG")], {("lac_org", "中国交建", "ORG")}),
    ("生物医药谷研发基地", [(0, 9, "ORG")], set()),
    # The cut organisation is tight: no bracket left at its end.
    ("合盛硅业(鄯善)基地", [(0, 10, "ORG")], {("lac_org", "合盛硅业", "ORG")}),
    # A bare 厂 stays: a named factory is an enterprise.
    ("南通合成纤维厂", [(0, 7, "ORG")], {("lac_org", "南通合成纤维厂", "ORG")}),
    # A word ending in a park word is a park, named after a company or not: the park
    # functions decide, LAC's organisation tag does not (ANNOTATION.md: PARK).
    ("甲乙科技光电产业园开园", [(0, 9, "ORG"), (9, 11, "v")], set()),
    ("甲乙科技产业园管委会", [(0, 10, "ORG")], {("lac_org", "甲乙科技产业园管委会", "ORG")}),
]


@pytest.mark.parametrize(("text", "words", "expected"), LAC_CASES)
def test_lac_sources_map_tags_to_labels_with_filters(lac_functions, text, words, expected) -> None:  # type: ignore[no-untyped-def]
    found = {(name, text[s:e], label) for name, (s, e, label) in lac_functions.matches(text, words)}
    assert found == expected


def test_settings_reject_unknown_sources_and_keys() -> None:
    with pytest.raises(ValueError, match="unknown source"):
        TeacherSettings.from_config({"lac_weights": {"lac_person": 1.0}})
    with pytest.raises(ValueError, match="unknown setting"):
        TeacherSettings.from_config({"lac_weight": {}})
    settings = TeacherSettings.from_config({"lac_weights": {"lac_org": 0.5}, "propagate": True})
    assert settings.lac_weights == {"lac_org": 0.5} and settings.propagate
    with pytest.raises(ValueError, match="lac_mode"):
        TeacherSettings.from_config({"lac_mode": "union"})


def test_lac_sources_need_the_lac_directory(rules_nlp) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="LAC directory"):
        Teacher(rules_nlp, TeacherSettings({s.name: 1.0 for s in LAC_SOURCES}), None)


def test_rules_alone_label_each_paragraph(rules_nlp) -> None:  # type: ignore[no-untyped-def]
    teacher = Teacher(rules_nlp, TeacherSettings(), None)
    out = teacher.label(rules_nlp, ["德方纳米年产20万吨磷酸铁锂。"], ["d1"], progress=False)
    ents = {(e.text, e.label_) for e in out.docs[0].ents}
    assert {("20万吨", "QUANTITY"), ("磷酸铁锂", "PRODUCT")} <= ents
    assert out.function_names == rules_nlp.get_pipe("zhie_rule_ner").function_names()


def test_propagation_spreads_a_mention_to_its_bare_repetition(rules_nlp) -> None:  # type: ignore[no-untyped-def]
    texts = ["中国心连心化肥有限公司（以下简称“心连心”）在新疆投资。", "心连心计划扩产。"]
    alone = Teacher(rules_nlp, TeacherSettings(), None).label(rules_nlp, texts[1:], ["b"], progress=False)
    spread = Teacher(rules_nlp, TeacherSettings(propagate=True), None).label(
        rules_nlp, texts, ["b", "b"], progress=False
    )
    assert ("心连心", "ORG") in {(e.text, e.label_) for e in spread.docs[1].ents}
    assert ("心连心", "ORG") not in {(e.text, e.label_) for e in alone.docs[0].ents}
    other_doc = Teacher(rules_nlp, TeacherSettings(propagate=True), None).label(
        rules_nlp, texts, ["b", "c"], progress=False
    )
    assert ("心连心", "ORG") not in {(e.text, e.label_) for e in other_doc.docs[1].ents}


# (candidates, teacher entities, expected unsure regions)
REGION_CASES = [
    ([(0, 2, "PRODUCT"), (5, 7, "PRODUCT")], [(4, 6, "ORG")], [(0, 2, "PRODUCT")]),
    # Candidates that overlap each other: the first in text order is kept.
    ([(3, 6, "PRODUCT"), (2, 4, "PRODUCT")], [], [(2, 4, "PRODUCT")]),
    ([(1, 1, "PRODUCT")], [], []),
]


@pytest.mark.parametrize(("candidates", "entities", "expected"), REGION_CASES)
def test_unsure_regions_never_touch_a_teacher_entity(candidates, entities, expected) -> None:  # type: ignore[no-untyped-def]
    assert unlabelled_regions(candidates, entities) == expected


def test_unknown_sources_are_checked_and_need_the_lac_directory(rules_nlp) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="unknown source"):
        TeacherSettings.from_config({"unknown_sources": ["lac_slogans"]})
    with pytest.raises(ValueError, match="LAC directory"):
        Teacher(rules_nlp, TeacherSettings(unknown_sources=("lac_nz_product",)), None)


def test_lacs_other_proper_nouns_become_unsure_regions_not_entities(rules_nlp, lac_dir) -> None:  # type: ignore[no-untyped-def]
    settings = TeacherSettings.from_config({"unknown_sources": ["lac_nz_product"], "processes": 1})
    text = "德方纳米年产20万吨磷酸铁锂，通过微信和淘宝销售。"
    out = Teacher(rules_nlp, settings, lac_dir).label(rules_nlp, [text], ["d1"], progress=False)
    doc = out.docs[0]
    ents = {(e.text, e.label_) for e in doc.ents}
    unsure = {s.text for s in doc.spans[UNKNOWN_SPANS_KEY]}
    # LAC tags 微信 and 淘宝 nz: unsure; 磷酸铁锂 is a teacher entity, never unsure as well.
    assert {"微信", "淘宝"} <= unsure and ("磷酸铁锂", "PRODUCT") in ents
    assert not unsure & {text for text, _ in ents}
    assert not any(e.text in unsure for e in doc.ents)


def test_lac_first_puts_lacs_whole_name_before_the_rules_place_prefix(rules_nlp, lac_dir) -> None:  # type: ignore[no-untyped-def]
    # The rules see 山东 (GPE) and 黄金 (PRODUCT) inside the company name; LAC tags the whole name ORG.
    text = "山东黄金集团宣布扩产。"

    def entities(extra: dict) -> set[tuple[str, str]]:
        settings = TeacherSettings.from_config({"lac_weights": {"lac_org": 0.9}, "processes": 1, **extra})
        doc = Teacher(rules_nlp, settings, lac_dir).label(rules_nlp, [text], ["d1"], progress=False).docs[0]
        return {(e.text, e.label_) for e in doc.ents}

    assert {("山东", "GPE"), ("黄金", "PRODUCT")} <= entities({})
    assert entities({"lac_first": ["lac_org"]}) == {("山东黄金集团", "ORG")}


def test_lac_first_names_a_source_that_votes() -> None:
    with pytest.raises(ValueError, match="lac_first"):
        TeacherSettings.from_config({"lac_first": ["lac_org"]})
    with pytest.raises(ValueError, match="unknown source"):
        TeacherSettings.from_config({"lac_weights": {"lac_org": 0.9}, "lac_first": ["lac_brands"]})
    with pytest.raises(ValueError, match="lac_first orders"):
        TeacherSettings.from_config({"lac_weights": {"lac_org": 0.9}, "lac_first": ["lac_org"], "lac_mode": "vote"})
