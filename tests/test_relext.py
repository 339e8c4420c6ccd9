"""The trainable relation extractor: candidates, learning known sentences, scorer, save/load."""

from __future__ import annotations

import random
from itertools import pairwise
from pathlib import Path

import numpy
import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example

import zh_industry_ie  # noqa: F401  (registers factories)
from zh_industry_ie.relations import RELATIONS_KEY
from zh_industry_ie.relext.candidates import (
    CLAUSE_BUCKETS,
    SAME_LABEL_BUCKETS,
    _bigram_bucket,
    candidate_pairs,
    feature_width,
    pair_allowed,
    pair_features,
    token_gap,
    token_offsets,
)
from zh_industry_ie.relext.scorer import score_relations
from zh_industry_ie.sentences import sentence_index
from zhie.train.synthetic import synthetic_doc


def _blank() -> Language:
    return spacy.blank(
        "zh", config={"nlp": {"tokenizer": {"@tokenizers": "zh_industry_ie.NormalizingCharTokenizer.v1"}}}
    )


def _doc(nlp: Language, text: str, ents: list[tuple[str, str]], rels: list[tuple[str, str, str]]) -> Doc:
    doc = nlp.make_doc(text)
    spans = {}
    for mention, _label in ents:
        start = text.index(mention)
        spans[mention] = (start, start + len(mention))
    doc.ents = [doc.char_span(*spans[m], label=label) for m, label in ents]
    doc.user_data[RELATIONS_KEY] = [[*spans[h], *spans[t], label, 1.0] for h, t, label in rels]
    return doc


def _with_gold_ents(nlp: Language, reference: Doc) -> Doc:
    doc = nlp.make_doc(reference.text)
    doc.ents = [doc.char_span(e.start_char, e.end_char, label=e.label_) for e in reference.ents]
    return doc


def test_candidates_same_sentence_signature_and_distance() -> None:
    nlp = _blank()
    doc = _doc(
        nlp,
        "甲公司落户江西省。乙公司投资5亿元。",
        [("甲公司", "ORG"), ("江西省", "GPE"), ("乙公司", "ORG"), ("5亿元", "MONEY")],
        [],
    )
    keys = {(c.head.text, c.tail.text) for c in candidate_pairs(doc, list(doc.ents), max_distance=40)}
    # Cross-sentence pairs and pairs no signature allows (GPE -> ORG) are not candidates.
    assert keys == {("甲公司", "江西省"), ("乙公司", "5亿元")}
    assert candidate_pairs(doc, list(doc.ents), max_distance=1) == []
    feats = pair_features(candidate_pairs(doc, list(doc.ents), 40), list(doc.ents), ["ORG", "GPE", "MONEY"])
    assert feats.shape[0] == 2 and feats[0, 0] == 1.0 and feats[0, 3 + 1] == 1.0


@pytest.fixture(scope="module")
def trained() -> Language:
    nlp = _blank()
    nlp.add_pipe("zhie_relation_extractor")
    rng = random.Random(0)
    docs = [synthetic_doc(nlp, rng) for _ in range(40)]
    examples = [Example(nlp.make_doc(d.text), d) for d in docs]
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(15):
        for start in range(0, len(examples), 8):
            nlp.update(examples[start : start + 8], sgd=optimizer)
    return nlp


def test_learns_relations_of_known_sentences(trained: Language) -> None:
    ref = _doc(
        trained,
        "泰和科技有限公司落户赣州市，计划投资30亿元建设年产20万吨碳酸锂项目。",
        [
            ("泰和科技有限公司", "ORG"),
            ("赣州市", "GPE"),
            ("30亿元", "MONEY"),
            ("20万吨", "QUANTITY"),
            ("碳酸锂", "PRODUCT"),
        ],
        [],
    )
    doc = trained.get_pipe("zhie_relation_extractor")(_with_gold_ents(trained, ref))
    found = {(r.head.text, r.tail.text, r.label) for r in doc._.relations}
    assert found == {
        ("泰和科技有限公司", "赣州市", "LOCATED_IN"),
        ("泰和科技有限公司", "30亿元", "INVESTS"),
        ("泰和科技有限公司", "碳酸锂", "PRODUCES"),
        ("碳酸锂", "20万吨", "CAPACITY"),
    }
    assert all(0.5 <= r.score <= 1.0 for r in doc._.relations)
    # A sentence that states no relation gets none.
    neg = _doc(
        trained,
        "启明集团与包头签署合作协议，双方将共同推动产业发展。",
        [("启明集团", "ORG"), ("包头", "GPE")],
        [],
    )
    assert trained.get_pipe("zhie_relation_extractor")(_with_gold_ents(trained, neg))._.relations == []


def test_evaluate_and_save_load(trained: Language, tmp_path: Path) -> None:
    rng = random.Random(7)
    refs = [synthetic_doc(trained, rng) for _ in range(6)]
    scores = trained.evaluate([Example(_with_gold_ents(trained, r), r) for r in refs])
    assert scores["rel_micro_f"] > 0.9
    trained.to_disk(tmp_path / "nlp")
    loaded = spacy.load(tmp_path / "nlp")
    a = trained.get_pipe("zhie_relation_extractor")(_with_gold_ents(trained, refs[0]))
    b = loaded.get_pipe("zhie_relation_extractor")(_with_gold_ents(loaded, refs[0]))
    assert a.user_data[RELATIONS_KEY] == b.user_data[RELATIONS_KEY]


def test_scorer_counts_missed_candidates_and_entities() -> None:
    nlp = _blank()
    # The INVESTS relation crosses a sentence boundary: no candidate can ever produce it.
    ref = _doc(
        nlp,
        "甲公司落户江西省。投资5亿元。乙公司生产铜箔。",
        [("甲公司", "ORG"), ("江西省", "GPE"), ("5亿元", "MONEY"), ("乙公司", "ORG"), ("铜箔", "PRODUCT")],
        [("甲公司", "江西省", "LOCATED_IN"), ("甲公司", "5亿元", "INVESTS"), ("乙公司", "铜箔", "PRODUCES")],
    )
    pred = nlp.make_doc(ref.text)
    # The NER found everything but 铜箔; the relation step found LOCATED_IN only, plus a wrong one.
    pred.ents = [
        pred.char_span(e.start_char, e.end_char, label=e.label_) for e in ref.ents if e.text != "铜箔"
    ]
    pred.user_data[RELATIONS_KEY] = [ref.user_data[RELATIONS_KEY][0], [0, 3, 12, 15, "LOCATED_IN", 0.9]]
    scores = score_relations([Example(pred, ref)], max_distance=40)
    assert scores["rel_micro_p"] == pytest.approx(0.5)
    assert scores["rel_micro_r"] == pytest.approx(1 / 3)
    assert scores["rel_missed_candidate"] == 1
    assert scores["rel_missed_entity"] == 1
    assert scores["rel_per_type"]["INVESTS"]["r"] == 0.0


def test_update_with_only_adjacent_pairs(trained: Language) -> None:
    # No token lies between 20万吨 and 碳酸锂: the context pooling sees an all-empty batch.
    ref = _doc(
        trained,
        "年产20万吨碳酸锂。",
        [("20万吨", "QUANTITY"), ("碳酸锂", "PRODUCT")],
        [("碳酸锂", "20万吨", "CAPACITY")],
    )
    losses = trained.update([Example(trained.make_doc(ref.text), ref)], sgd=None)
    assert losses["zhie_relation_extractor"] > 0.0


def test_dropout_reaches_the_relation_head() -> None:
    """``[training] dropout`` (``nlp.update(drop=...)``) must set the head's dropout rate."""
    nlp = _blank()
    nlp.add_pipe("zhie_relation_extractor")
    rng = random.Random(1)
    examples = [Example(nlp.make_doc(d.text), d) for d in (synthetic_doc(nlp, rng) for _ in range(4))]
    nlp.initialize(lambda: examples)
    model = nlp.get_pipe("zhie_relation_extractor").model
    rated = [node for node in model.walk() if "dropout_rate" in node.attrs]
    assert rated, "the relation head has a dropout layer"
    nlp.update(examples, drop=0.37, sgd=None)
    assert all(node.attrs["dropout_rate"] == pytest.approx(0.37) for node in rated)
    nlp.update(examples, drop=0.0, sgd=None)
    assert all(node.attrs["dropout_rate"] == 0.0 for node in rated)


def test_candidates_are_all_signature_pairs_of_a_long_sentence() -> None:
    nlp = _blank()
    filler = "，" + "该项目建成后将带动上下游产业链发展" * 4 + "，"
    doc = _doc(
        nlp,
        f"甲公司投资建设年产5万吨正极材料项目{filler}主要生产负极材料。乙公司落户丙市。",
        [("甲公司", "ORG"), ("5万吨", "QUANTITY"), ("正极材料", "PRODUCT"), ("负极材料", "PRODUCT"),
         ("乙公司", "ORG"), ("丙市", "GPE")],
        [],
    )
    keys = {(c.head.text, c.tail.text) for c in candidate_pairs(doc, list(doc.ents), max_distance=200)}
    # 负极材料 is more than 40 tokens away from 甲公司 and still a candidate; nothing crosses 。.
    assert keys == {
        ("甲公司", "正极材料"), ("甲公司", "负极材料"), ("正极材料", "5万吨"), ("负极材料", "5万吨"),
        ("乙公司", "丙市"),
    }
    assert ("甲公司", "负极材料") not in {
        (c.head.text, c.tail.text) for c in candidate_pairs(doc, list(doc.ents), max_distance=40)
    }


def test_context_windows_stay_inside_the_sentence() -> None:
    nlp = _blank()
    doc = _doc(nlp, "前句。甲公司落户丙市项目。", [("甲公司", "ORG"), ("丙市", "GPE")], [])
    (cand,) = candidate_pairs(doc, list(doc.ents), max_distance=200)
    rows = token_offsets([cand], window=3)
    head_start, head_end, tail_start, tail_end, lo, hi, ls, le, rs, re_ = rows[0].tolist()
    assert (head_start, head_end, tail_start, tail_end) == (3, 6, 8, 10)
    assert (lo, hi) == (6, 8)  # 落户
    assert (ls, le) == (3, 3)  # the sentence starts at the head: no left context from 前句
    assert doc[rs:re_].text == "项目。"
    assert token_offsets([cand], window=0)[0, 8:].tolist() == [10, 10]


def test_features_count_same_label_entities_between() -> None:
    nlp = _blank()
    doc = _doc(
        nlp,
        "甲公司建设正极材料项目，乙公司建设负极材料项目。",
        [("甲公司", "ORG"), ("正极材料", "PRODUCT"), ("乙公司", "ORG"), ("负极材料", "PRODUCT")],
        [],
    )
    cands = candidate_pairs(doc, list(doc.ents), max_distance=200)
    labels = ["ORG", "PRODUCT"]
    feats = pair_features(cands, list(doc.ents), labels)
    assert feats.shape == (len(cands), feature_width(labels))
    same_head_col = feature_width(labels) - CLAUSE_BUCKETS - 2 * SAME_LABEL_BUCKETS
    row = {(c.head.text, c.tail.text): i for i, c in enumerate(cands)}
    # 甲公司 -> 负极材料 has 乙公司 (an ORG) between; 乙公司 -> 负极材料 has none.
    assert feats[row[("甲公司", "负极材料")], same_head_col + 1] == 1.0
    assert feats[row[("乙公司", "负极材料")], same_head_col] == 1.0


def test_negative_weight_scales_the_loss_of_negatives() -> None:
    nlp = _blank()
    rel = nlp.add_pipe("zhie_relation_extractor")
    rel.add_label("INVESTS")
    truth = numpy.array([[1.0], [0.0], [0.0]], dtype="float32")
    scores = numpy.array([[0.6], [0.4], [0.2]], dtype="float32")
    mask = numpy.ones_like(truth)
    rel.cfg["negative_weight"] = 1.0
    full, d_full = rel._loss(truth, scores, mask)
    rel.cfg["negative_weight"] = 0.0
    positives_only, d_pos = rel._loss(truth, scores, mask)
    assert positives_only == pytest.approx(-numpy.log(0.6), rel=1e-5)
    assert full > positives_only
    assert d_pos[1, 0] == 0.0 and d_full[1, 0] == pytest.approx(0.4)


def test_context_window_of_an_entity_across_a_sentence_end_is_empty() -> None:
    nlp = _blank()
    doc = nlp.make_doc("甲公司生产铜箔。乙")
    # A predicted entity may cover the sentence mark; its pair keeps non-negative spans.
    doc.ents = [doc.char_span(0, 3, label="ORG"), doc.char_span(5, 8, label="PRODUCT")]
    (cand,) = candidate_pairs(doc, list(doc.ents), max_distance=200)
    rows = token_offsets([cand], window=3)
    assert (rows[:, 1::2] >= rows[:, 0::2]).all()


def test_bigram_features_see_the_cue_between_in_any_script() -> None:
    nlp = _blank()
    labels = ["ORG", "MONEY"]
    rows = []
    for text in ("甲公司投资5亿元。", "甲公司投資5億元。"):
        doc = _doc(nlp, text, [("甲公司", "ORG"), (text[5:9], "MONEY")], [])
        cands = candidate_pairs(doc, list(doc.ents), max_distance=200)
        rows.append(pair_features(cands, list(doc.ents), labels, bigram_buckets=64, window=2)[0])
    base = feature_width(labels)
    between = rows[0][base : base + 64]
    assert between.sum() == 1.0  # one bigram between: 投资
    # Simplified and traditional writing give the same features (token.norm_ is simplified).
    assert (rows[0] == rows[1]).all()
    assert len(rows[0]) == feature_width(labels, 64)


def test_relation_layer_on_given_entities(trained: Language, tmp_path: Path) -> None:
    """`zhie rel-extractor-eval`'s runs: an entity component before the extractor is skipped
    (the given entities stay), and the relation layer adds the frame rules merged after it."""
    from zhie.weak.relation_extractor_eval import run_extractor

    trained.to_disk(tmp_path / "nlp")
    model = spacy.load(tmp_path / "nlp")
    model.add_pipe("entity_ruler", first=True).add_patterns([{"label": "GPE", "pattern": "泰和"}])
    model.add_pipe("zhie_rule_relations", config={"merge": True}).initialize(
        seeds_dir=Path(__file__).resolve().parents[1] / "seeds"
    )
    ref = _doc(
        model,
        "泰和科技有限公司落户赣州市，计划投资30亿元建设年产20万吨碳酸锂项目。",
        [("泰和科技有限公司", "ORG"), ("赣州市", "GPE"), ("30亿元", "MONEY"), ("20万吨", "QUANTITY"),
         ("碳酸锂", "PRODUCT")],
        [],
    )
    (alone,) = run_extractor(model, [_with_gold_ents(model, ref)], threshold=1.01)
    assert [e.text for e in alone.ents] == ["泰和科技有限公司", "赣州市", "30亿元", "20万吨", "碳酸锂"]
    assert alone._.relations == []  # no score reaches the threshold: the extractor alone finds nothing
    (layer,) = run_extractor(model, [_with_gold_ents(model, ref)], threshold=1.01, relation_layer=True)
    found = {(r.head.text, r.tail.text, r.label) for r in layer._.relations}
    assert ("泰和科技有限公司", "30亿元", "INVESTS") in found  # the frame rules' pair
    assert model.get_pipe("zhie_relation_extractor").threshold == 0.5  # the threshold is restored


def _brute_force_pairs(doc: Doc, ents: list, max_distance: int) -> list[tuple[int, int, int, int]]:
    """The definition, pair by pair: same sentence, a signature fits, at most max_distance apart."""
    sent_of = sentence_index(doc)
    ordered = sorted(ents, key=lambda s: (s.start, s.end, s.label_))
    return [
        (h.start, h.end, t.start, t.end)
        for h in ordered
        for t in ordered
        if (h.start, h.end) != (t.start, t.end)
        and sent_of[h.start] == sent_of[t.start]
        and pair_allowed(h.label_, t.label_)
        and token_gap(h, t) <= max_distance
    ]


@pytest.mark.parametrize("seed", range(5))
def test_candidates_and_features_equal_their_definition_on_long_paragraphs(seed: int) -> None:
    """Candidates come from a window around each head (so a long sentence with thousands of
    entities stays linear): the same pairs, in the same order, as a scan of every pair, and the
    same features as counting clause marks and hashing the bigrams pair by pair."""
    rng = random.Random(seed)
    nlp = _blank()
    text = "".join(rng.choice("甲乙公司投资亿元，。产线") for _ in range(600))
    doc = nlp.make_doc(text)
    labels = ["ORG", "GPE", "PRODUCT", "MONEY", "QUANTITY", "PARK"]
    spans, i = [], 0
    while i < len(doc) - 6:
        i += rng.randint(0, 12)
        length = rng.randint(1, 6)
        spans.append(Span(doc, i, i + length, label=rng.choice(labels)))
        i += length
    ents = [s for s in spans if s.end <= len(doc)]
    for max_distance in (0, 3, 40):
        cands = candidate_pairs(doc, ents, max_distance)
        assert [(c.head.start, c.head.end, c.tail.start, c.tail.end) for c in cands] == _brute_force_pairs(
            doc, ents, max_distance
        )
    cands = candidate_pairs(doc, ents, 40)
    buckets, window = 64, 3
    feats = pair_features(cands, ents, labels, bigram_buckets=buckets, window=window)
    base = feature_width(labels)
    clause_col = base - CLAUSE_BUCKETS
    for row, cand in enumerate(cands):
        h, t = cand.head, cand.tail
        lo, hi = min(h.end, t.end), max(h.start, t.start)
        marks = sum(1 for k in range(lo, max(lo, hi)) if doc[k].text in "，,：:、")
        assert feats[row, clause_col + min(marks, CLAUSE_BUCKETS - 1)] == 1.0
        between = {_bigram_bucket(a, b, buckets) for a, b in pairwise(tok.norm_ for tok in doc[lo:max(lo, hi)])}
        assert set(numpy.flatnonzero(feats[row, base : base + buckets])) == between
