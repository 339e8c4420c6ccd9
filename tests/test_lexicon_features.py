"""``zhie.LexiconFeatures.v1``: the seeds' word lists as B/M/E/S token features, saved inside
the pipeline."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import spacy
from conftest import lac_tok2vec_config, make_blank
from spacy.language import Language
from thinc.api import Model

from zh_industry_ie.lexicon_features import LEXICON_BUILDERS, LISTS_ATTR, lexicon_features, match_roles
from zh_industry_ie.rules.lexicon import Lexicon
from zh_industry_ie.rules.seeds import load_seeds

B, M, E, S = range(4)


@pytest.mark.parametrize(
    ("text", "terms", "expected"),
    [
        # A three-character word: B, M, E; a one-character word: S.
        ("在曲靖市建厂", ["曲靖市", "厂"], {1: [B], 2: [M], 3: [E], 5: [S]}),
        # Overlapping matches both count (longest at each start): 曲靖 at 1, 靖市 at 2.
        ("在曲靖市", ["曲靖", "靖市"], {1: [B], 2: [E, B], 3: [E]}),
        ("没有匹配", ["曲靖"], {}),
    ],
)
def test_match_roles_marks_begin_middle_end_single(text: str, terms: list[str], expected: dict) -> None:
    features = match_roles(text, [Lexicon(terms)])
    assert features.shape == (len(text), 4)
    for i in range(len(text)):
        assert sorted(np.flatnonzero(features[i]).tolist()) == sorted(expected.get(i, []))


def test_layer_reads_the_named_seed_lists_in_the_simplified_script(seeds_dir: Path, blank_nlp: Language) -> None:
    layer = lexicon_features(["places", "products", "park_suffixes"], seeds_dir=str(seeds_dir))
    simple, traditional = (blank_nlp.make_doc(t) for t in ("落户曲靖经开区生产磷酸铁锂", "落戶曲靖經開區生產磷酸鐵鋰"))
    layer.initialize(X=[simple])
    assert layer.get_dim("nO") == 12
    out_simple, out_traditional = layer.predict([simple, traditional])
    np.testing.assert_array_equal(out_simple, out_traditional)
    # 曲靖 (places: columns 0-3), 经开区 (park suffixes: 8-11), 磷酸铁锂 (products: 4-7).
    assert out_simple[2, 0] == 1 and out_simple[3, 2] == 1
    assert out_simple[4, 8] == 1 and out_simple[6, 10] == 1
    assert out_simple[9, 4] == 1 and out_simple[12, 6] == 1
    assert out_simple[0].sum() == 0  # 落 is in no list


@pytest.mark.parametrize(
    ("name", "member"),
    [
        ("places", "曲靖"),
        ("products", "磷酸铁锂"),
        ("product_heads", "材料"),
        ("park_suffixes", "经开区"),
        ("org_suffixes", "有限公司"),
        ("industry_words", "新材料"),
    ],
)
def test_each_named_list_is_read_from_its_seeds(seeds_dir: Path, name: str, member: str) -> None:
    terms = LEXICON_BUILDERS[name](load_seeds(seeds_dir))
    assert member in terms and all(terms)


def test_unknown_lexicon_and_missing_seeds_give_clear_errors(blank_nlp: Language) -> None:
    with pytest.raises(ValueError, match="unknown or no lexicons"):
        lexicon_features(["places", "planets"])
    layer = lexicon_features(["places"])
    with pytest.raises(ValueError, match="seeds_dir"):
        layer.initialize(X=[blank_nlp.make_doc("测试")])
    with pytest.raises(ValueError, match="no word lists"):
        lexicon_features(["places"]).predict([blank_nlp.make_doc("测试")])


def test_pipeline_round_trip_keeps_the_lists_without_the_seeds(lac_dir: Path, seeds_dir: Path, tmp_path: Path) -> None:
    nlp = make_blank()
    lexicon = {
        "@architectures": "zhie.LexiconFeatures.v1",
        "lexicons": ["places", "org_suffixes"],
        "seeds_dir": str(seeds_dir),
    }
    nlp.add_pipe("tok2vec", config=lac_tok2vec_config(lac_dir, lexicon=lexicon))
    nlp.initialize()
    texts = ["云南裕能新能源电池材料有限公司落户曲靖", "寧德時代在宜賓建廠"]
    before = [nlp(t).tensor for t in texts]
    nlp.to_disk(tmp_path / "p")
    gone = str(tmp_path / "gone")
    loaded = spacy.load(
        tmp_path / "p",
        config={"components": {"tok2vec": {"model": {"embed": {"lac_dir": gone, "lexicon": {"seeds_dir": gone}}}}}},
    )
    for text, tensor in zip(texts, before, strict=True):
        np.testing.assert_allclose(loaded(text).tensor, tensor, rtol=1e-5, atol=1e-6)
    tok2vec: Model = loaded.get_pipe("tok2vec").model
    (lists,) = [node.attrs[LISTS_ATTR] for node in tok2vec.walk() if LISTS_ATTR in node.attrs]
    assert lists.lists is not None and "曲靖" in lists.lists["places"]
    assert "有限公司" in lists.lists["org_suffixes"]
