"""Priority voting: overlapping and conflicting spans become flat, outermost entities."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import make_blank
from spacy.language import Language
from spacy.tokens import Span

from zh_industry_ie.rules.aggregate import fill_in_order, vote

ORDER = ["ORG", "PARK", "GPE", "PRODUCT", "MONEY", "QUANTITY"]


def test_nested_spans_keep_the_outermost() -> None:
    # 玉溪高新区管委会: GPE 玉溪 inside PARK 玉溪高新区 inside ORG.
    matches = [("gpe", (0, 2, "GPE")), ("park", (0, 5, "PARK")), ("org", (0, 8, "ORG"))]
    assert vote(matches, {}, ORDER) == [(0, 8, "ORG")]


def test_crossing_spans_keep_the_longer() -> None:
    crossing = [("a", (0, 4, "ORG")), ("b", (2, 8, "PARK"))]
    assert vote(crossing, {}, ORDER) == [(2, 8, "PARK")]


@pytest.mark.parametrize(
    ("weights", "expected"), [({"b": 2.0}, [(2, 6, "PARK")]), ({"a": 2.0}, [(0, 4, "ORG")])]
)
def test_crossing_spans_of_one_length_keep_the_heavier(weights: dict[str, float], expected: list) -> None:
    same_length = [("a", (0, 4, "ORG")), ("b", (2, 6, "PARK"))]
    assert vote(same_length, weights, ORDER) == expected


CONFLICT = [("f1", (3, 6, "PRODUCT")), ("f2", (3, 6, "ORG")), ("f3", (3, 6, "ORG"))]


def test_conflicting_labels_on_one_span_go_to_the_majority() -> None:
    assert vote(CONFLICT, {}, ORDER) == [(3, 6, "ORG")]


def test_conflicting_labels_on_one_span_follow_the_weights() -> None:
    assert vote(CONFLICT, {"f1": 5.0}, ORDER) == [(3, 6, "PRODUCT")]


def test_a_tie_goes_to_the_label_earlier_in_label_order() -> None:
    tie = [("f1", (3, 6, "PRODUCT")), ("f2", (3, 6, "GPE"))]
    assert vote(tie, {}, ORDER) == [(3, 6, "GPE")]


DISJOINT = [("weak", (0, 2, "GPE")), ("strong", (5, 9, "MONEY")), ("weak", (10, 12, "GPE"))]


def test_spans_below_min_weight_are_dropped() -> None:
    assert vote(DISJOINT, {"weak": 0.5}, ORDER, min_weight=1.0) == [(5, 9, "MONEY")]


def test_disjoint_spans_are_all_kept() -> None:
    assert vote(DISJOINT, {}, ORDER) == [(0, 2, "GPE"), (5, 9, "MONEY"), (10, 12, "GPE")]


def test_same_input_same_output_in_any_order() -> None:
    matches = [("a", (0, 3, "ORG")), ("b", (1, 4, "GPE")), ("c", (4, 7, "PRODUCT")), ("d", (2, 7, "PARK"))]
    assert vote(matches, {}, ORDER) == vote(list(reversed(matches)), {}, ORDER)


def test_component_sets_flat_entities(rules_nlp: Language) -> None:
    doc = rules_nlp(
        "玉溪高新区管委会主任介绍，云南裕能落户安宁产业园区，计划投资30亿元建设年产20万吨磷酸铁锂项目。"
    )
    ents = [(e.text, e.label_) for e in doc.ents]
    assert ("玉溪高新区管委会", "ORG") in ents
    assert ("安宁产业园区", "PARK") in ents
    assert ("30亿元", "MONEY") in ents and ("20万吨", "QUANTITY") in ents and ("磷酸铁锂", "PRODUCT") in ents
    # No GPE inside the ORG or the PARK, and no two entities overlap.
    assert all(label != "GPE" for _, label in ents)
    covered = [i for e in doc.ents for i in range(e.start, e.end)]
    assert len(covered) == len(set(covered))


def test_rule_ner_keeps_earlier_entities_of_allowed_labels_where_rules_are_silent(seeds_dir: Path) -> None:
    nlp = make_blank()
    nlp.add_pipe("zhie_rule_ner", config={"keep_labels": ["ORG"]})
    nlp.get_pipe("zhie_rule_ner").initialize(seeds_dir=seeds_dir)
    doc = nlp.make_doc("中晟新材料落户曲靖，计划投资30亿元，打好基础。")
    # As if a ner had run before the rules: one ORG the rules do not know, one ORG crossing a
    # rule MONEY span, and a GPE (a label the rules keep to themselves).
    doc.ents = [
        Span(doc, 0, 5, label="ORG"),
        Span(doc, 14, 17, label="ORG"),
        Span(doc, 22, 24, label="GPE"),
    ]
    doc = nlp.get_pipe("zhie_rule_ner")(doc)
    found = [(e.text, e.label_) for e in doc.ents]
    assert ("中晟新材料", "ORG") in found
    assert ("曲靖", "GPE") in found and ("30亿元", "MONEY") in found
    assert ("30亿", "ORG") not in found
    assert ("基础", "GPE") not in found


@pytest.mark.parametrize(
    ("names_over_parts", "expected"),
    [
        # The ner's park name wins over the rule GPE inside it; its ORG crossing MONEY does not.
        ({"PARK": ["GPE"]}, [("宜昌丙丁循环园", "PARK"), ("5亿元", "MONEY")]),
        # Without the option the rule GPE stays and the ner's longer name is dropped.
        ({}, [("宜昌", "GPE"), ("5亿元", "MONEY")]),
        # Only the labels named: a PARK over a GPE is not allowed by {"PARK": ["ORG"]}.
        ({"PARK": ["ORG"]}, [("宜昌", "GPE"), ("5亿元", "MONEY")]),
    ],
)
def test_rule_ner_lets_a_ner_name_replace_rule_parts_inside_it(
    seeds_dir: Path, names_over_parts: dict, expected: list
) -> None:
    nlp = make_blank()
    nlp.add_pipe(
        "zhie_rule_ner", config={"keep_labels": ["ORG", "PARK"], "names_over_parts": names_over_parts}
    )
    nlp.get_pipe("zhie_rule_ner").initialize(seeds_dir=seeds_dir)
    text = "项目选址宜昌丙丁循环园，投资5亿元。"
    doc = nlp.make_doc(text)
    start = text.index("宜昌")
    money = text.index("5亿元")
    doc.ents = [
        Span(doc, start, start + len("宜昌丙丁循环园"), label="PARK"),
        Span(doc, money - 1, money + 2, label="ORG"),
    ]
    doc = nlp.get_pipe("zhie_rule_ner")(doc)
    assert [(e.text, e.label_) for e in doc.ents] == expected


@pytest.mark.parametrize(
    ("layers", "expected"),
    [
        # LAC's whole name first: the rules' place prefix and product inside it never appear.
        ([[("lac", (0, 6, "ORG"))], [("gpe", (0, 2, "GPE")), ("product", (2, 4, "PRODUCT"))]], [(0, 6, "ORG")]),
        # the rules fill where the first layer has nothing
        ([[("lac", (0, 6, "ORG"))], [("gpe", (7, 9, "GPE"))]], [(0, 6, "ORG"), (7, 9, "GPE")]),
        # an empty first layer leaves plain voting of the second
        ([[], [("gpe", (0, 2, "GPE")), ("org", (0, 6, "ORG"))]], [(0, 6, "ORG")]),
        # a later layer's span that crosses an earlier entity is dropped, not cut
        ([[("lac", (2, 6, "ORG"))], [("park", (0, 4, "PARK"))], [("x", (6, 8, "GPE"))]], [(2, 6, "ORG"), (6, 8, "GPE")]),
    ],
)
def test_fill_in_order_keeps_earlier_layers_first(layers: list, expected: list) -> None:
    assert fill_in_order(layers, {}, ORDER, 0.0) == expected


SEATED = "远帆重工(昆明)海风电气设备有限公司签约，甲乙硅业(富源)基地"


@pytest.mark.parametrize(
    ("layers", "expected"),
    [
        # LAC's names inside a rule's name that goes on with a bracketed seat give way to it.
        ([[("lac", (0, 4, "ORG")), ("lac", (8, 18, "ORG"))], [("rule", (0, 18, "ORG")), ("gpe", (5, 7, "GPE"))]],
         [(0, 18, "ORG")]),
        # Without a seat after LAC's name the earlier layer still comes first.
        ([[("lac", (21, 25, "ORG"))], [("rule", (19, 25, "ORG"))]], [(21, 25, "ORG")]),
        # A seat after LAC's name but no longer rule name: LAC's name stays.
        ([[("lac", (21, 25, "ORG"))], [("gpe", (26, 28, "GPE"))]], [(21, 25, "ORG"), (26, 28, "GPE")]),
        # A longer name of another label does not push LAC's organisation out.
        ([[("lac", (0, 4, "ORG"))], [("park", (0, 18, "PARK"))]], [(0, 4, "ORG")]),
    ],
)
def test_fill_in_order_yields_to_a_bracketed_seat(layers: list, expected: list) -> None:
    assert SEATED[0:18] == "远帆重工(昆明)海风电气设备有限公司" and SEATED[21:25] == "甲乙硅业"
    assert fill_in_order(layers, {}, ORDER, 0.0, SEATED) == expected
    # Without the text nothing is known about seats: the earlier layer keeps its names.
    assert fill_in_order(layers, {}, ORDER, 0.0)[0] == layers[0][0][1]


COMPANY_PARK = "甲乙科技光电产业园开园"


@pytest.mark.parametrize(
    ("enclosing", "expected"),
    [
        # A company's park encloses LAC's company name: the whole park wins (outermost name).
        (frozenset({"park_company_led"}), [(0, 9, "PARK")]),
        # Without the enclosing function named, the earlier layer comes first as before.
        (frozenset(), [(0, 4, "ORG")]),
    ],
)
def test_fill_in_order_yields_to_an_enclosing_name(enclosing: frozenset, expected: list) -> None:
    layers = [[("lac_org", (0, 4, "ORG"))], [("park_company_led", (0, 9, "PARK")), ("org", (0, 4, "ORG"))]]
    assert fill_in_order(layers, {}, ORDER, 0.0, COMPANY_PARK, enclosing) == expected
    # Only names strictly inside give way: an equal span of the earlier layer stays first.
    same = [[("lac_org", (0, 9, "ORG"))], [("park_company_led", (0, 9, "PARK"))]]
    assert fill_in_order(same, {}, ORDER, 0.0, COMPANY_PARK, enclosing) == [(0, 9, "ORG")]
