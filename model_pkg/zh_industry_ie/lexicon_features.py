"""Gazetteer matches as token features of the tok2vec (``zhie.LexiconFeatures.v1``).

The lexicon-enhanced input of Chinese character NER (SoftLexicon, Ma et al. 2020): for each
named word list and each character, four bits say whether a list word that matches the text
Begins, is in the Middle of, Ends or is a Single character at that position. The lists are the
rule seeds' own (place names, product terms and endings, park and organisation suffixes,
industry words), so the student sees where the teacher's gazetteers fire and learns from the
context when to trust them, instead of having to memorise 3,000 place names from examples.

The word lists are read from ``seeds_dir`` when the pipeline is initialised and saved inside
the tok2vec model, so a saved or packaged pipeline needs neither the repository nor the seeds.
Matching runs on the simplified text (one character per token), as the rules do.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import Model
from thinc.model import deserialize_attr, serialize_attr
from thinc.types import Floats2d

from .rules.gpe import GpeSeeds
from .rules.lexicon import Lexicon
from .rules.seeds import SeedData, load_seeds, words
from .rules.text import simplified_text

LISTS_ATTR = "lexicon_lists"
# Begin, Middle, End, Single.
_ROLES = 4


def _places(seeds: SeedData) -> list[str]:
    return sorted(GpeSeeds(seeds).any.terms)


def _products(seeds: SeedData) -> list[str]:
    return words(seeds["product_lexicon"], "term")


def _product_heads(seeds: SeedData) -> list[str]:
    return words(seeds["product_heads"], "head")


def _park_suffixes(seeds: SeedData) -> list[str]:
    families = [r for r in seeds["park_families"] if r["kind"] in ("named", "place_named")]
    return sorted({*words(seeds["park_suffixes"], "suffix"), *words(families, "suffix")})


def _org_suffixes(seeds: SeedData) -> list[str]:
    return sorted({
        *words(seeds["company_suffixes"], "suffix"),
        *words(seeds["institution_suffixes"], "suffix"),
        *words(seeds["government_suffixes"], "suffix"),
    })


def _industry_words(seeds: SeedData) -> list[str]:
    return words([r for r in seeds["org_industry_words"] if r["kind"] == "industry"])


def _known_companies(seeds: SeedData) -> list[str]:
    rows = seeds["known_companies"]
    return sorted({*words(rows, "name"), *words(rows, "short")})


# Name in the config -> the seed words it stands for.
LEXICON_BUILDERS: dict[str, Callable[[SeedData], list[str]]] = {
    "places": _places,
    "products": _products,
    "product_heads": _product_heads,
    "park_suffixes": _park_suffixes,
    "org_suffixes": _org_suffixes,
    "industry_words": _industry_words,
    "known_companies": _known_companies,
}


class LexiconLists:
    """The named word lists a layer matches; one type so thinc (de)serialises them as a blob."""

    def __init__(self, lists: dict[str, list[str]] | None = None) -> None:
        self.lists = lists
        self._lexicons: list[Lexicon] | None = None

    def require_lists(self) -> dict[str, list[str]]:
        if self.lists is None:
            raise ValueError(
                "the lexicon features layer has no word lists: initialise the pipeline with "
                "seeds_dir pointing at the rule seeds, or load a trained pipeline"
            )
        return self.lists

    def require(self) -> list[Lexicon]:
        if self._lexicons is None:
            self._lexicons = [Lexicon(terms) for terms in self.require_lists().values()]
        return self._lexicons


@serialize_attr.register(LexiconLists)
def _serialize_lists(_: LexiconLists, value: LexiconLists, name: str, model: Model) -> bytes:
    return json.dumps(value.require_lists(), ensure_ascii=False).encode("utf-8")


@deserialize_attr.register(LexiconLists)
def _deserialize_lists(_: LexiconLists, value: bytes, name: str, model: Model) -> LexiconLists:
    return LexiconLists(json.loads(value.decode("utf-8")))


def match_roles(text: str, lexicons: list[Lexicon]) -> np.ndarray:
    """(len(text), 4 * len(lexicons)) 0/1 matrix: B, M, E, S of every list's matches (the
    longest match at each start, overlapping ones included)."""
    features = np.zeros((len(text), _ROLES * len(lexicons)), dtype="float32")
    for k, lexicon in enumerate(lexicons):
        column = _ROLES * k
        for start, end in lexicon.all_matches(text):
            if end - start == 1:
                features[start, column + 3] = 1.0
                continue
            features[start, column] = 1.0
            features[start + 1 : end - 1, column + 1] = 1.0
            features[end - 1, column + 2] = 1.0
    return features


def _init(model: Model, X: Any = None, Y: Any = None) -> None:
    holder: LexiconLists = model.attrs[LISTS_ATTR]
    names: list[str] = model.attrs["lexicons"]
    if holder.lists is None:
        seeds_dir = model.attrs["seeds_dir"]
        if not seeds_dir:
            raise ValueError("zhie.LexiconFeatures.v1 needs seeds_dir (the rule seeds) to initialise")
        seeds = load_seeds(Path(seeds_dir))
        holder.lists = {name: LEXICON_BUILDERS[name](seeds) for name in names}
    model.set_dim("nO", _ROLES * len(holder.lists))


def _forward(model: Model, docs: list[Doc], is_train: bool) -> tuple[list[Floats2d], Callable]:
    lexicons = model.attrs[LISTS_ATTR].require()
    outputs = [model.ops.asarray2f(match_roles(simplified_text(doc), lexicons)) for doc in docs]

    def backprop(d_outputs: list[Floats2d]) -> list[Doc]:
        return []

    return outputs, backprop


@registry.architectures("zhie.LexiconFeatures.v1")
def lexicon_features(
    lexicons: list[str], seeds_dir: str | None = None
) -> Model[list[Doc], list[Floats2d]]:
    """Docs -> per-token B/M/E/S bits of the named seed word lists (see ``LEXICON_BUILDERS``)."""
    unknown = sorted(set(lexicons) - set(LEXICON_BUILDERS))
    if unknown or not lexicons:
        raise ValueError(
            f"zhie.LexiconFeatures.v1: unknown or no lexicons {unknown or lexicons}; "
            f"known: {sorted(LEXICON_BUILDERS)}"
        )
    return Model(
        "lexicon_features",
        _forward,
        init=_init,
        attrs={LISTS_ATTR: LexiconLists(), "lexicons": list(lexicons), "seeds_dir": str(seeds_dir or "")},
        dims={"nO": None},
    )
