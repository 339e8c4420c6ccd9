"""LAC's pretrained BiGRU states as token features of the tok2vec (``zhie.LacEmbed.v1``).

Each character token gets the 256-d layer-2 BiGRU state of the LAC input token that covers
it (``zh_industry_ie.lac``, numpy, frozen). LAC reads the Doc's simplified text (the tokens'
NORMs: one character per token, one space per whitespace run), so traditional and pinyin-
annotated input reach it in the script it was trained on, and row i is token i. The states
are projected and mixed with the hashed character embeddings (NORM, SHAPE) of spaCy's
``MultiHashEmbed``, so the CNN encoder and the components listening to it see both LAC's
knowledge of Chinese words and names and the project's own trainable character features.

At run time (not in training) the layer also leaves LAC's words on the Doc
(``doc.user_data[LAC_WORDS_KEY]``: (start, end, tag) over token indices), so ``zhie_rule_ner``
can use LAC's names without running LAC a second time.

The LAC weights are read once from ``lac_dir`` (what ``zhie lac-fetch`` writes) when the
pipeline is initialised and are then serialised inside the tok2vec model, so a saved or
packaged pipeline needs neither the directory nor a download.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import Maxout, Model, chain, concatenate, with_array
from thinc.model import deserialize_attr, serialize_attr
from thinc.types import Floats2d

from .contracts import LAC_WORDS_KEY
from .lac import LacModel
from .rules.text import simplified_text

LAC_ATTR = "lac"


class LacHolder:
    """The LAC model a layer runs; a separate type so thinc (de)serialises it as one blob."""

    def __init__(self, model: LacModel | None = None) -> None:
        self.model = model

    def require(self) -> LacModel:
        if self.model is None:
            raise ValueError(
                "the LAC features layer has no weights: initialise the pipeline with "
                "lac_dir pointing at the output of `zhie lac-fetch`, or load a trained pipeline"
            )
        return self.model


@serialize_attr.register(LacHolder)
def _serialize_lac(_: LacHolder, value: LacHolder, name: str, model: Model) -> bytes:
    return value.require().to_bytes()


@deserialize_attr.register(LacHolder)
def _deserialize_lac(_: LacHolder, value: bytes, name: str, model: Model) -> LacHolder:
    return LacHolder(LacModel.from_bytes(value))


def lac_features(
    lac_dir: str | Path | None, batch_size: int = 32, include_tags: bool = False
) -> Model[list[Doc], list[Floats2d]]:
    """Frozen layer: Docs -> per-token LAC BiGRU states (n_tokens x 256), with ``include_tags``
    followed by the one-hot of LAC's decoded character tag (its CRF's choice: word boundaries,
    part of speech, PER/LOC/ORG/TIME)."""
    return Model(
        "lac_features",
        _lac_forward,
        init=_lac_init,
        attrs={
            LAC_ATTR: LacHolder(),
            "lac_dir": str(lac_dir) if lac_dir else "",
            "batch_size": batch_size,
            "include_tags": include_tags,
        },
        dims={"nO": None},
    )


def _features_width(model: Model, lac: LacModel) -> int:
    return lac.state_width + (len(lac.char_tag_names) if model.attrs["include_tags"] else 0)


def _lac_init(model: Model, X: Any = None, Y: Any = None) -> None:
    holder: LacHolder = model.attrs[LAC_ATTR]
    if holder.model is None:
        lac_dir = model.attrs["lac_dir"]
        if not lac_dir:
            raise ValueError("zhie.LacEmbed.v1 needs lac_dir (the output of `zhie lac-fetch`) to initialise")
        holder.model = LacModel.from_dir(Path(lac_dir))
    model.set_dim("nO", _features_width(model, holder.model))


def _lac_forward(model: Model, docs: list[Doc], is_train: bool) -> tuple[list[Floats2d], Callable]:
    lac = model.attrs[LAC_ATTR].require()
    texts = [simplified_text(doc) for doc in docs]
    analyses = lac.analyse(texts, batch_size=model.attrs["batch_size"], with_states=True)
    if model.attrs["include_tags"]:
        features = [np.hstack([a.states, lac.char_tag_onehot(a)]) for a in analyses]
    else:
        features = [a.states for a in analyses]
    if not is_train:
        for doc, analysis in zip(docs, analyses, strict=True):
            words = zip(analysis.words, analysis.word_tags, strict=True)
            doc.user_data[LAC_WORDS_KEY] = [(start, end, tag) for (start, end), tag in words]
    outputs = [model.ops.asarray2f(f) for f in features]

    def backprop(d_outputs: list[Floats2d]) -> list[Doc]:
        # Frozen: LAC's weights are not trained, and Docs take no gradient.
        return []

    return outputs, backprop


@registry.architectures("zhie.LacEmbed.v1")
def lac_embed(
    hash_embed: Model[list[Doc], list[Floats2d]],
    width: int,
    lac_dir: str | None,
    lac_width: int = 128,
    maxout_pieces: int = 3,
    batch_size: int = 32,
    include_tags: bool = False,
    lexicon: Model[list[Doc], list[Floats2d]] | None = None,
) -> Model[list[Doc], list[Floats2d]]:
    """``hash_embed`` (e.g. spacy.MultiHashEmbed.v2 of ``width``) || projected LAC states
    [|| ``lexicon`` features, e.g. zhie.LexiconFeatures.v1] -> Maxout(width).

    ``include_tags`` adds LAC's decoded character tags to the states before the projection.
    """
    lac_projection = chain(
        lac_features(lac_dir, batch_size=batch_size, include_tags=include_tags),
        # nI is inferred at initialisation (256, or 256 + the tag columns); dropout 0.0 here:
        # spaCy sets every Dropout layer to [training] dropout while training.
        with_array(Maxout(lac_width, normalize=True, dropout=0.0)),
    )
    features = [hash_embed, lac_projection] if lexicon is None else [hash_embed, lac_projection, lexicon]
    # The lexicon's width is known only once its word lists are read: then nI is inferred.
    n_in = width + lac_width if lexicon is None else None
    mixed = chain(
        concatenate(*features),
        with_array(Maxout(width, n_in, nP=maxout_pieces, normalize=True)),
    )
    mixed.name = "lac_embed"
    return mixed
