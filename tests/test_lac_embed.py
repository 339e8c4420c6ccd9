"""``zhie.LacEmbed.v1``: LAC's BiGRU states as tok2vec features, frozen, saved inside the pipeline."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import spacy
from conftest import lac_tok2vec_config, make_blank
from spacy.language import Language
from thinc.api import Model

from zh_industry_ie.lac_embed import LAC_ATTR, lac_features
from zh_industry_ie.rules.text import simplified_text

TEXTS = ["寧德時代在曲靖經開區投資建廠。", "小米  在武汉建厂", ""]


@pytest.fixture(scope="module", params=[False, True], ids=["states", "states+tags"])
def nlp(lac_dir: Path, request: pytest.FixtureRequest) -> Language:
    nlp = make_blank()
    nlp.add_pipe("tok2vec", config=lac_tok2vec_config(lac_dir, include_tags=request.param))
    nlp.initialize()
    return nlp


def test_features_are_the_lac_states_of_the_simplified_text(lac_dir, lac, blank_nlp) -> None:  # type: ignore[no-untyped-def]
    layer = lac_features(lac_dir)
    docs = [blank_nlp.make_doc(t) for t in TEXTS]
    layer.initialize(X=docs)
    outputs = layer.predict(docs)
    expected = lac.analyse([simplified_text(d) for d in docs])
    for doc, out, analysis in zip(docs, outputs, expected, strict=True):
        assert out.shape == (len(doc), 256)
        np.testing.assert_allclose(out, analysis.states)
    # Traditional and simplified spellings of one sentence give the same features.
    simple, traditional = layer.predict(
        [blank_nlp.make_doc("宁德时代在曲靖投资"), blank_nlp.make_doc("寧德時代在曲靖投資")]
    )
    # Equal up to float32 rounding: on some CPUs the BLAS kernels round rows of one batch
    # differently (differences of 1e-6 seen), which is not what this checks.
    np.testing.assert_allclose(simple, traditional, rtol=1e-5, atol=1e-5)


def test_tag_features_are_the_one_hot_of_lacs_decoded_tags(lac_dir, lac, blank_nlp) -> None:  # type: ignore[no-untyped-def]
    layer = lac_features(lac_dir, include_tags=True)
    doc = blank_nlp.make_doc("小米在武汉建厂")
    layer.initialize(X=[doc])
    (out,) = layer.predict([doc])
    n_tags = len(lac.char_tag_names)
    assert layer.get_dim("nO") == 256 + n_tags == out.shape[1]
    (analysis,) = lac.analyse([simplified_text(doc)])
    np.testing.assert_allclose(out[:, :256], analysis.states)
    tag_block = out[:, 256:]
    assert (tag_block.sum(axis=1) == 1).all()
    decoded = [lac.char_tag_names[i] for i in tag_block.argmax(axis=1)]
    assert decoded == analysis.char_tags
    # LAC reads 小米 as an organisation and 武汉 as a place: the features carry that.
    assert decoded[:2] == ["ORG-B", "ORG-I"] and decoded[3:5] == ["LOC-B", "LOC-I"]


def test_layer_is_frozen(lac_dir, blank_nlp) -> None:  # type: ignore[no-untyped-def]
    layer = lac_features(lac_dir)
    docs = [blank_nlp.make_doc(TEXTS[0])]
    layer.initialize(X=docs)
    outputs, backprop = layer(docs, is_train=True)
    assert backprop([np.ones_like(outputs[0])]) == []
    assert layer.param_names == ()


def test_missing_lac_dir_gives_a_clear_error(tmp_path, blank_nlp) -> None:  # type: ignore[no-untyped-def]
    layer = lac_features(None)
    with pytest.raises(ValueError, match="lac_dir"):
        layer.initialize(X=[blank_nlp.make_doc("测试")])
    uninitialised = lac_features(tmp_path / "nothing")
    with pytest.raises(ValueError, match="no weights"):
        uninitialised.predict([blank_nlp.make_doc("测试")])


def test_pipeline_round_trip_keeps_the_weights_without_the_directory(nlp, tmp_path) -> None:  # type: ignore[no-untyped-def]
    before = [nlp(t).tensor for t in TEXTS]
    nlp.to_disk(tmp_path / "p")
    loaded = spacy.load(
        tmp_path / "p",
        config={"components": {"tok2vec": {"model": {"embed": {"lac_dir": str(tmp_path / "gone")}}}}},
    )
    for text, tensor in zip(TEXTS, before, strict=True):
        np.testing.assert_allclose(loaded(text).tensor, tensor, rtol=1e-5, atol=1e-6)
    tok2vec: Model = loaded.get_pipe("tok2vec").model
    holders = [node.attrs[LAC_ATTR] for node in tok2vec.walk() if LAC_ATTR in node.attrs]
    assert len(holders) == 1 and holders[0].model is not None


def test_predict_leaves_lacs_words_on_the_doc_for_the_rules(nlp, lac) -> None:  # type: ignore[no-untyped-def]
    from zh_industry_ie.contracts import LAC_WORDS_KEY

    doc = nlp("四川長虹電器在綿陽投資建設新工廠。")
    analysis = lac.analyse([simplified_text(doc)], with_states=False)[0]
    expected = [(s, e, tag) for (s, e), tag in zip(analysis.words, analysis.word_tags, strict=True)]
    assert doc.user_data[LAC_WORDS_KEY] == expected
    assert (0, 6, "ORG") in expected  # 四川长虹电器, read in simplified script
