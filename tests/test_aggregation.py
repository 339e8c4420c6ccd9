"""Priority voting: overlapping and conflicting spans become flat, outermost entities."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.tokens import Span

from zh_industry_ie.rules.aggregate import vote
from zh_industry_ie.tokenizer import blank_pipeline

SEEDS_DIR = Path(__file__).resolve().parents[1] / "seeds"

ORDER = ["ORG", "PARK", "GPE", "PRODUCT", "MONEY", "QUANTITY"]
SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def test_nested_spans_keep_the_outermost() -> None:
    # 玉溪高新区管委会: GPE 玉溪 inside PARK 玉溪高新区 inside ORG.
    matches = [("gpe", (0, 2, "GPE")), ("park", (0, 5, "PARK")), ("org", (0, 8, "ORG"))]
    assert vote(matches, {}, ORDER) == [(0, 8, "ORG")]


def test_crossing_spans_keep_the_longer_then_the_heavier() -> None:
    crossing = [("a", (0, 4, "ORG")), ("b", (2, 8, "PARK"))]
    assert vote(crossing, {}, ORDER) == [(2, 8, "PARK")]
    same_length = [("a", (0, 4, "ORG")), ("b", (2, 6, "PARK"))]
    assert vote(same_length, {"b": 2.0}, ORDER) == [(2, 6, "PARK")]
    assert vote(same_length, {"a": 2.0}, ORDER) == [(0, 4, "ORG")]


def test_conflicting_labels_on_one_span_are_voted() -> None:
    matches = [("f1", (3, 6, "PRODUCT")), ("f2", (3, 6, "ORG")), ("f3", (3, 6, "ORG"))]
    assert vote(matches, {}, ORDER) == [(3, 6, "ORG")]
    assert vote(matches, {"f1": 5.0}, ORDER) == [(3, 6, "PRODUCT")]
    # A tie goes to the label earlier in label_order.
    tie = [("f1", (3, 6, "PRODUCT")), ("f2", (3, 6, "GPE"))]
    assert vote(tie, {}, ORDER) == [(3, 6, "GPE")]


def test_min_weight_and_disjoint_spans() -> None:
    matches = [("weak", (0, 2, "GPE")), ("strong", (5, 9, "MONEY")), ("weak", (10, 12, "GPE"))]
    assert vote(matches, {"weak": 0.5}, ORDER, min_weight=1.0) == [(5, 9, "MONEY")]
    assert vote(matches, {}, ORDER) == [(0, 2, "GPE"), (5, 9, "MONEY"), (10, 12, "GPE")]


def test_same_input_same_output_in_any_order() -> None:
    matches = [("a", (0, 3, "ORG")), ("b", (1, 4, "GPE")), ("c", (4, 7, "PRODUCT")), ("d", (2, 7, "PARK"))]
    assert vote(matches, {}, ORDER) == vote(list(reversed(matches)), {}, ORDER)


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    from zhie.weak.pipeline import build_rules_pipeline

    return build_rules_pipeline(SEEDS)


def test_component_sets_flat_entities(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp(
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


def test_rule_ner_keeps_earlier_entities_of_allowed_labels_where_rules_are_silent() -> None:
    nlp = blank_pipeline()
    nlp.add_pipe("zhie_rule_ner", config={"keep_labels": ["ORG"]})
    nlp.get_pipe("zhie_rule_ner").initialize(seeds_dir=SEEDS_DIR)
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
