"""Scorers on hand-made cases, and the exact-span figures against seqeval's own report."""

from __future__ import annotations

import pytest
from seqeval.metrics import classification_report

from zhie.evaluate.errors import analyse_errors
from zhie.evaluate.scoring import (
    mention_sets,
    score_entities,
    score_entities_seqeval,
    score_mentions,
    score_relations,
    spans_to_bio,
)

TEXT = "宁德时代在曲靖市投资100亿元"
ORG, GPE, MONEY = (0, 4, "ORG"), (5, 8, "GPE"), (10, 15, "MONEY")


def test_perfect_and_empty() -> None:
    perfect = score_entities_seqeval([len(TEXT)], [{ORG, GPE, MONEY}], [{ORG, GPE, MONEY}])
    assert perfect["micro"]["f1"] == 1.0 and perfect["per_label"]["GPE"]["tp"] == 1
    empty = score_entities_seqeval([len(TEXT)], [{ORG}], [set()])
    assert empty["micro"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "tp": 0, "fp": 0, "fn": 1}
    nothing = score_entities_seqeval([0], [set()], [set()])
    assert nothing["micro"]["f1"] == 0.0 and nothing["micro"]["tp"] == 0


def test_partial_overlap_and_wrong_label() -> None:
    scores = score_entities_seqeval([len(TEXT)], [{ORG, GPE}], [{(0, 2, "ORG"), (5, 8, "ORG")}])
    assert scores["per_label"]["ORG"] == pytest.approx(
        {"precision": 0.0, "recall": 0.0, "f1": 0.0, "tp": 0, "fp": 2, "fn": 1})
    assert scores["per_label"]["GPE"]["fn"] == 1
    errors = analyse_errors(["p"], [TEXT], [{ORG, GPE}], [{(0, 2, "ORG"), (5, 8, "ORG")}], ["ORG", "GPE"])
    assert errors["counts"]["boundary"] == 1 and errors["counts"]["wrong_label"] == 1
    axis = errors["labels"]
    assert errors["matrix"][axis.index("GPE")][axis.index("ORG")] == 1


def test_duplicate_mentions_merge_per_paragraph() -> None:
    text = "宁德时代和宁德时代"
    gold = [{(0, 4, "ORG"), (5, 9, "ORG")}]
    exact = score_entities_seqeval([len(text)], gold, [{(0, 4, "ORG")}])
    assert (exact["micro"]["tp"], exact["micro"]["fn"]) == (1, 1)
    mention = score_mentions(mention_sets([text], gold), mention_sets([text], [{(0, 4, "ORG")}]))
    assert mention["micro"]["f1"] == 1.0


def test_mentions_tolerate_offsets_script_and_pinyin() -> None:
    gold_text, pred_text = "寧德時代在曲(qǔ)靖", "宁德时代在曲靖"
    gold = mention_sets([gold_text], [{(0, 4, "ORG"), (5, 11, "GPE")}])
    pred = mention_sets([gold_text], [{(0, 4, "ORG")}])
    assert gold[0] == {("ORG", "宁德时代"), ("GPE", "曲靖")}
    assert score_mentions(gold, pred)["per_label"]["GPE"]["fn"] == 1
    assert mention_sets([pred_text], [{(5, 7, "GPE")}])[0] <= gold[0]


def test_relations_with_a_missed_entity_are_false_negatives() -> None:
    gold = [{(ORG, MONEY, "INVESTS"), (ORG, GPE, "LOCATED_IN")}]
    pred = [{(ORG, MONEY, "INVESTS"), ((0, 2, "ORG"), GPE, "LOCATED_IN")}]
    scores = score_relations(gold, pred)
    assert scores["per_label"]["INVESTS"]["f1"] == 1.0
    assert scores["per_label"]["LOCATED_IN"] == pytest.approx(
        {"precision": 0.0, "recall": 0.0, "f1": 0.0, "tp": 0, "fp": 1, "fn": 1})
    assert scores["micro"]["tp"] == 1 and scores["micro"]["fn"] == 1


CASES = [
    ("宁德时代在曲靖市投资100亿元", {ORG, GPE, MONEY}, {ORG, (5, 7, "GPE"), (10, 15, "QUANTITY")}),
    ("云南省昆明市", {(0, 3, "GPE"), (3, 6, "GPE")}, {(0, 6, "GPE")}),
    ("年产20万吨磷酸铁锂", {(2, 6, "QUANTITY"), (6, 10, "PRODUCT")},
     {(2, 6, "QUANTITY"), (6, 10, "PRODUCT")}),
    ("没有实体", set(), {(0, 2, "ORG")}),
]


def test_exact_span_matches_seqeval_classification_report() -> None:
    lengths = [len(t) for t, _, _ in CASES]
    gold, pred = [g for _, g, _ in CASES], [p for _, _, p in CASES]
    ours = score_entities_seqeval(lengths, gold, pred)
    assert ours == score_entities(gold, pred)  # flat spans: set scoring and BIO chunks agree
    y_true = [spans_to_bio(n, g) for n, g in zip(lengths, gold, strict=True)]
    y_pred = [spans_to_bio(n, p) for n, p in zip(lengths, pred, strict=True)]
    report = classification_report(y_true, y_pred, output_dict=True, zero_division=0)
    for label in ("ORG", "GPE", "MONEY", "QUANTITY", "PRODUCT"):
        for ours_key, theirs_key in (("precision", "precision"), ("recall", "recall"), ("f1", "f1-score")):
            assert ours["per_label"][label][ours_key] == pytest.approx(float(report[label][theirs_key]))
    for key, theirs_key in (("precision", "precision"), ("recall", "recall"), ("f1", "f1-score")):
        assert ours["micro"][key] == pytest.approx(float(report["micro avg"][theirs_key]))


def test_bio_keeps_the_outermost_of_overlapping_spans() -> None:
    assert spans_to_bio(4, {(0, 4, "ORG"), (1, 3, "GPE")}) == ["B-ORG", "I-ORG", "I-ORG", "I-ORG"]


def test_relation_errors_say_which_pairs_were_missed_or_spurious_and_whether_entities_were_found() -> None:
    from zhie.evaluate.errors import analyse_relation_errors
    from zhie.evaluate.report import relation_error_groups

    gold_entities = [{ORG, GPE, MONEY}]
    pred_entities = [{ORG, MONEY, (5, 7, "GPE")}]  # 曲靖 instead of 曲靖市
    gold = [{(ORG, MONEY, "INVESTS"), (ORG, GPE, "LOCATED_IN")}]
    pred = [{(ORG, MONEY, "INVESTS"), (ORG, (5, 7, "GPE"), "LOCATED_IN"), (MONEY, ORG, "INVESTS")}]
    errors = analyse_relation_errors(["p0"], [TEXT], gold, pred, gold_entities, pred_entities)
    assert errors["counts"] == {
        "correct": 1, "missed_relation": 1, "spurious_relation": 2, "missed_with_both_entities": 0
    }
    (missed,) = errors["examples"]["missed_relation"]
    assert missed["relation"] == "LOCATED_IN" and missed["entities_found"] is False  # 曲靖市 not found
    assert [f[3] for f in missed["focus"]] == ["宁德时代", "曲靖市"]
    assert missed["gold"] == [list(ORG), list(GPE), list(MONEY)] and [5, 7, "GPE"] in missed["pred"]
    spurious = errors["examples"]["spurious_relation"]
    assert {(s["relation"], s["entities_found"]) for s in spurious} == {("LOCATED_IN", False), ("INVESTS", True)}

    groups = dict(relation_error_groups({"relation_errors": errors}))
    assert set(groups) == {
        "Missed relations (gold pair not predicted: 1 in all, 0 of them with both entities found)",
        "Spurious relations (predicted pair not in the gold: 2 in all)",
    }
    (rendered,) = groups["Missed relations (gold pair not predicted: 1 in all, 0 of them with both entities found)"]
    assert rendered["focus"] == "宁德时代 [ORG] -LOCATED_IN-> 曲靖市 [GPE] (an entity not found by the system)"
    assert "<mark" in rendered["gold_html"] and "曲靖市" in rendered["gold_html"]
    assert relation_error_groups({"relation_errors": None}) == []
