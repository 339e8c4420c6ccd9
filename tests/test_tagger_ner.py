"""zhie_tagger_ner: BILUO constraints, the batched Viterbi, training, missing labels, saving."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy
import pytest
from spacy.tokens import Span
from spacy.training import Example

import zh_industry_ie  # noqa: F401  (registers the factory)
from zh_industry_ie.tagger_ner import (
    biluo_constraints,
    biluo_spans,
    biluo_tag_names,
    viterbi_decode,
)
from zh_industry_ie.tokenizer import blank_pipeline

NAMES = biluo_tag_names(["ORG", "GPE"])


def _path_score(path: tuple[int, ...], scores: numpy.ndarray) -> float:
    start, trans, end = biluo_constraints(NAMES)
    total = start[path[0]] + scores[0, path[0]] + end[path[-1]]
    for prev, cur, row in zip(path, path[1:], scores[1:], strict=False):
        total += trans[prev, cur] + row[cur]
    return float(total)


def test_tag_names_and_constraints() -> None:
    assert NAMES == ["O", "B-ORG", "I-ORG", "L-ORG", "U-ORG", "B-GPE", "I-GPE", "L-GPE", "U-GPE"]
    start, trans, end = biluo_constraints(NAMES)
    allowed = {(NAMES[i], NAMES[j]) for i in range(len(NAMES)) for j in range(len(NAMES)) if trans[i, j] == 0}
    assert ("B-ORG", "L-ORG") in allowed and ("I-ORG", "I-ORG") in allowed
    assert ("B-ORG", "L-GPE") not in allowed  # an entity keeps its label
    assert ("B-ORG", "O") not in allowed and ("O", "I-ORG") not in allowed
    assert ("L-ORG", "U-GPE") in allowed and ("U-GPE", "B-ORG") in allowed
    assert [NAMES[i] for i in range(len(NAMES)) if start[i] < 0] == ["I-ORG", "L-ORG", "I-GPE", "L-GPE"]
    assert [NAMES[i] for i in range(len(NAMES)) if end[i] < 0] == ["B-ORG", "I-ORG", "B-GPE", "I-GPE"]


def test_viterbi_is_the_best_allowed_path_for_every_length_in_one_batch() -> None:
    rng = numpy.random.default_rng(0)
    batch = [numpy.log(rng.dirichlet(numpy.ones(len(NAMES)), size=n)) for n in (4, 0, 1, 3, 2, 4, 5)]
    start, _, end = biluo_constraints(NAMES)
    decoded = viterbi_decode(batch, start, end)
    for scores, path in zip(batch, decoded, strict=True):
        assert len(path) == len(scores)
        if not len(scores):
            continue
        best = max(itertools.product(range(len(NAMES)), repeat=len(scores)), key=lambda p: _path_score(p, scores))
        assert tuple(path.tolist()) == best


def test_viterbi_repairs_what_argmax_would_break() -> None:
    # argmax alone says I-ORG, O: an entity that never opens or closes.
    scores = numpy.log(numpy.full((2, len(NAMES)), 0.01))
    scores[0, NAMES.index("I-ORG")] = numpy.log(0.6)
    scores[0, NAMES.index("B-ORG")] = numpy.log(0.3)
    scores[1, NAMES.index("O")] = numpy.log(0.5)
    scores[1, NAMES.index("L-ORG")] = numpy.log(0.4)
    start, _, end = biluo_constraints(NAMES)
    (path,) = viterbi_decode([scores], start, end)
    assert [NAMES[i] for i in path] == ["B-ORG", "L-ORG"]


def test_biluo_spans() -> None:
    doc = blank_pipeline().make_doc("云南裕能落户曲靖")
    tags = ["B-ORG", "I-ORG", "I-ORG", "L-ORG", "O", "O", "B-GPE", "L-GPE"]
    spans = biluo_spans(doc, [NAMES.index(t) for t in tags], NAMES)
    assert [(s.text, s.label_) for s in spans] == [("云南裕能", "ORG"), ("曲靖", "GPE")]


TRAIN = [
    ("云南裕能落户曲靖经开区", [(0, 4, "ORG"), (6, 8, "GPE")]),
    ("宁德时代在宜宾投资建厂", [(0, 4, "ORG"), (5, 7, "GPE")]),
    ("德方纳米落户曲靖", [(0, 4, "ORG"), (6, 8, "GPE")]),
]


def _pipeline():  # type: ignore[no-untyped-def]
    nlp = blank_pipeline()
    nlp.add_pipe("zhie_tagger_ner", name="ner", config={"labels": ["ORG", "GPE"]})
    return nlp


def _examples(nlp, rows):  # type: ignore[no-untyped-def]
    examples = []
    for text, ents in rows:
        doc = nlp.make_doc(text)
        ref = nlp.make_doc(text)
        ref.ents = [Span(ref, s, e, label=lab) for s, e, lab in ents]
        examples.append(Example(doc, ref))
    return examples


@pytest.fixture(scope="module")
def trained():  # type: ignore[no-untyped-def]
    nlp = _pipeline()
    examples = _examples(nlp, TRAIN)
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(60):
        nlp.update(examples, sgd=optimizer, drop=0.0)
    return nlp


def test_learns_and_predicts_well_formed_entities(trained) -> None:  # type: ignore[no-untyped-def]
    for text, ents in TRAIN:
        doc = trained(text)
        assert [(e.start, e.end, e.label_) for e in doc.ents] == ents
    scores = trained.evaluate(_examples(trained, TRAIN))
    assert scores["ents_f"] == pytest.approx(1.0)


def test_empty_and_mixed_batches(trained) -> None:  # type: ignore[no-untyped-def]
    texts = ["", "云南裕能落户曲靖经开区", "德方纳米", "宁德时代在宜宾投资建厂"]
    batched = [[(e.start, e.end, e.label_) for e in d.ents] for d in trained.pipe(texts, batch_size=4)]
    alone = [[(e.start, e.end, e.label_) for e in trained(t).ents] for t in texts]
    assert batched == alone
    assert batched[0] == [] and batched[1] == TRAIN[0][1]


def test_missing_annotation_gives_no_loss() -> None:
    nlp = _pipeline()
    examples = _examples(nlp, TRAIN)
    nlp.initialize(lambda: examples)
    ner = nlp.get_pipe("ner")
    doc = nlp.make_doc("云南裕能落户曲靖")
    ref = nlp.make_doc("云南裕能落户曲靖")
    # only 云南裕能 is known; the rest of the sentence is missing, not O
    ref.set_ents([Span(ref, 0, 4, "ORG")], missing=[Span(ref, 4, 8, "")], default="outside")
    scores, _ = ner.model.begin_update([doc])
    _, grads = ner.get_loss([Example(doc, ref)], scores)
    assert numpy.abs(grads[0][4:]).sum() == 0.0
    assert numpy.abs(grads[0][:4]).sum() > 0.0


def test_saved_and_loaded_pipeline_predicts_the_same(trained, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import spacy

    trained.to_disk(tmp_path / "nlp")
    loaded = spacy.load(tmp_path / "nlp")
    assert loaded.get_pipe("ner").labels == ("ORG", "GPE")
    text = "宁德时代在宜宾投资建厂"
    assert [(e.text, e.label_) for e in loaded(text).ents] == [(e.text, e.label_) for e in trained(text).ents]


def test_bad_labels_are_rejected() -> None:
    nlp = blank_pipeline()
    with pytest.raises(ValueError, match="labels"):
        nlp.add_pipe("zhie_tagger_ner", config={"labels": ["ORG", "ORG"]})


def _fixed_scores_ner(nlp, scores: numpy.ndarray, **config):  # type: ignore[no-untyped-def]
    """A zhie_tagger_ner whose model returns ``scores`` (log-probabilities) for any Doc."""
    from thinc.api import Model

    from zh_industry_ie.tagger_ner import TaggerNer

    def forward(model, docs, is_train):  # type: ignore[no-untyped-def]
        return [model.ops.asarray2f(scores[: len(doc)]) for doc in docs], lambda d: []

    return TaggerNer(nlp.vocab, Model("fixed_scores", forward), "ner", labels=["PRODUCT", "PARK"], **config)


def test_a_product_that_cuts_a_lac_word_loses_to_the_whole_word() -> None:
    from zh_industry_ie.contracts import LAC_WORDS_KEY

    nlp = blank_pipeline()
    doc = nlp("生产氢氧化锂")
    names = biluo_tag_names(["PRODUCT", "PARK"])
    # The model prefers 氧化锂 (a start inside LAC's word 氢氧化锂) to 氢氧化锂.
    scores = numpy.full((6, len(names)), numpy.log(0.01))
    scores[:, 0] = numpy.log(0.9)
    scores[2, names.index("B-PRODUCT")] = numpy.log(0.3)
    scores[2, 0] = numpy.log(0.6)
    scores[3, names.index("B-PRODUCT")] = numpy.log(0.6)
    scores[3, 0] = numpy.log(0.3)
    scores[3, names.index("I-PRODUCT")] = numpy.log(0.5)
    scores[4:, 0] = numpy.log(0.05)
    scores[4, names.index("I-PRODUCT")] = numpy.log(0.9)
    scores[5, names.index("L-PRODUCT")] = numpy.log(0.9)
    doc.user_data[LAC_WORDS_KEY] = [(0, 2, "v"), (2, 6, "n")]

    plain = _fixed_scores_ner(nlp, scores)
    plain.set_annotations([doc], plain.predict([doc]))
    assert [(e.text, e.label_) for e in doc.ents] == [("氧化锂", "PRODUCT")]

    bounded = _fixed_scores_ner(nlp, scores, boundary_penalty=5.0, boundary_labels=["PRODUCT"])
    bounded.set_annotations([doc], bounded.predict([doc]))
    assert [(e.text, e.label_) for e in doc.ents] == [("氢氧化锂", "PRODUCT")]

    # Only the labels named are bounded; without LAC's words nothing changes.
    other_label = _fixed_scores_ner(nlp, scores, boundary_penalty=5.0, boundary_labels=["PARK"])
    other_label.set_annotations([doc], other_label.predict([doc]))
    assert [e.text for e in doc.ents] == ["氧化锂"]
    del doc.user_data[LAC_WORDS_KEY]
    bounded.set_annotations([doc], bounded.predict([doc]))
    assert [e.text for e in doc.ents] == ["氧化锂"]


def test_bad_boundary_settings_are_rejected() -> None:
    nlp = blank_pipeline()
    with pytest.raises(ValueError, match="boundary_labels"):
        nlp.add_pipe("zhie_tagger_ner", config={"labels": ["ORG"], "boundary_labels": ["PRODUCT"]})
    with pytest.raises(ValueError, match="boundary_penalty"):
        nlp.add_pipe("zhie_tagger_ner", config={"labels": ["ORG"], "boundary_penalty": -1.0})
