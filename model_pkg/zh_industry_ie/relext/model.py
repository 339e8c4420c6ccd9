"""``zhie.RelationModel.v1``: token vectors -> pooled entity pair -> multi-label sigmoid.

The input is a :class:`RelBatch`: the docs (fed to the shared tok2vec through a listener) and,
per doc, the token offsets of each candidate pair and its hand-made features (see
``candidates.py``). The pair vector concatenates the pooled head, the pooled tail, the mean of
the tokens between them (where cues such as 年产 or 投资 sit), the means of a small window left
and right of the pair (项目 after a product list, 在 before a place) and the features. The
number of pooled spans is read from the offsets, so older three-span batches still work.
"""

from dataclasses import dataclass

import numpy
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import Linear, Model, Relu, chain
from thinc.types import Floats2d, Ints1d, Ints2d

POOLINGS = ("mean", "max")


@dataclass
class RelBatch:
    docs: list[Doc]
    offsets: list[Ints2d]  # per doc: (n_pairs, 2 * n_spans) [start, end) of head, tail, between, ...
    features: list[Floats2d]  # per doc: (n_pairs, n_features)

    def __len__(self) -> int:
        return sum(len(o) for o in self.offsets)


@registry.architectures("zhie.RelationModel.v1")
def create_relation_model(
    tok2vec: Model[list[Doc], list[Floats2d]],
    pooling: str = "mean",
    hidden_width: int = 64,
    dropout: float = 0.1,
) -> Model[RelBatch, Floats2d]:
    if pooling not in POOLINGS:
        raise ValueError(f"pooling must be one of {POOLINGS}, got {pooling!r}")
    encoder: Model[RelBatch, Floats2d] = Model(
        "zhie_pair_encoder",
        _encode_forward,
        init=_encode_init,
        refs={"tok2vec": tok2vec},
        layers=[tok2vec],
        attrs={"pooling": pooling},
        dims={"nO": None},
    )
    classifier = chain(Relu(nO=hidden_width, dropout=dropout), Linear(), _sigmoid_xent())
    model: Model[RelBatch, Floats2d] = chain(encoder, classifier)
    model.set_ref("tok2vec", tok2vec)
    model.set_ref("encoder", encoder)
    return model


def _sigmoid_xent() -> Model[Floats2d, Floats2d]:
    """Sigmoid whose backprop takes the cross-entropy gradient wrt the logits (p - y) as is.

    thinc's Sigmoid layer multiplies by p(1-p), which with (p - y) gives a squared-error
    gradient that learns rare positives slowly.
    """

    def forward(model: Model, X: Floats2d, is_train: bool):  # type: ignore[no-untyped-def]
        Y = model.ops.sigmoid(X)
        return Y, lambda dY: dY

    return Model("sigmoid_xent", forward)


def _encode_init(model: Model, X: RelBatch | None = None, Y: Floats2d | None = None) -> None:
    tok2vec = model.get_ref("tok2vec")
    if X is not None:
        tok2vec.initialize(X=X.docs)
    if X is not None and X.features and not model.has_dim("nO"):
        n_features = X.features[0].shape[1]
        model.set_dim("nO", _n_spans(X) * tok2vec.get_dim("nO") + n_features)


def _n_spans(batch: RelBatch) -> int:
    """Pooled spans per pair: the offsets hold one [start, end) column pair per span."""
    return int(batch.offsets[0].shape[1]) // 2 if batch.offsets else 3


def _span_rows(starts: Ints1d, ends: Ints1d) -> tuple[Ints1d, Ints1d]:
    """Row indices of every token of every span, concatenated, and the span lengths."""
    lengths = (ends - starts).astype("int32")
    total = int(lengths.sum())
    if total == 0:
        return numpy.zeros((0,), dtype="int32"), lengths
    first_row = numpy.cumsum(lengths) - lengths
    rows = (
        numpy.arange(total, dtype="int32") - numpy.repeat(first_row, lengths) + numpy.repeat(starts, lengths)
    )
    return rows.astype("int32"), lengths


def _encode_forward(model: Model, batch: RelBatch, is_train: bool):  # type: ignore[no-untyped-def]
    ops = model.ops
    tok2vec = model.get_ref("tok2vec")
    tokvecs, bp_tokvecs = tok2vec(batch.docs, is_train)
    width = tok2vec.get_dim("nO")
    n_features = batch.features[0].shape[1] if batch.features else 0
    n_spans = _n_spans(batch)
    doc_lengths = [len(t) for t in tokvecs]
    n_pairs = len(batch)
    if n_pairs == 0:

        def backprop_empty(dY: Floats2d) -> RelBatch:
            bp_tokvecs([ops.alloc2f(n, width) for n in doc_lengths])
            return batch

        return ops.alloc2f(0, n_spans * width + n_features), backprop_empty

    X = ops.xp.concatenate(tokvecs) if tokvecs else ops.alloc2f(0, width)
    doc_starts = numpy.cumsum([0, *doc_lengths[:-1]]).astype("int32")
    offsets = numpy.concatenate(
        [numpy.asarray(o, dtype="int32") + start for o, start in zip(batch.offsets, doc_starts, strict=True)]
    )
    features = ops.asarray2f(numpy.concatenate([numpy.asarray(f, dtype="float32") for f in batch.features]))
    pooling = model.attrs["pooling"]

    pooled: list[Floats2d] = []
    backprops = []
    for col in range(0, 2 * n_spans, 2):
        rows, lengths = _span_rows(offsets[:, col], offsets[:, col + 1])
        gathered = X[rows]
        lengths_arr = ops.asarray1i(lengths)
        if len(rows) == 0:
            # thinc's reduce_mean reads out of bounds on an empty input: every span is empty
            # (only possible for the context between adjacent entities), so its mean is zero.
            out = ops.alloc2f(len(lengths), width)
            backprops.append((rows, lengths_arr, "empty", None))
        elif pooling == "max" and col < 4:  # the entities themselves; context is averaged
            out, which = ops.reduce_max(gathered, lengths_arr)
            backprops.append((rows, lengths_arr, "max", which))
        else:
            out = ops.reduce_mean(gathered, lengths_arr)
            backprops.append((rows, lengths_arr, "mean", None))
        pooled.append(out)
    output = ops.xp.hstack([*pooled, features])

    def backprop(dY: Floats2d) -> RelBatch:
        dX = ops.alloc2f(X.shape[0], width)
        for i, (rows, lengths_arr, kind, which) in enumerate(backprops):
            d_pooled = ops.xp.ascontiguousarray(dY[:, i * width : (i + 1) * width])
            if kind == "empty":
                continue
            if kind == "max":
                d_rows = ops.backprop_reduce_max(d_pooled, which, lengths_arr)
            else:
                d_rows = ops.backprop_reduce_mean(d_pooled, lengths_arr)
            ops.xp.add.at(dX, rows, d_rows)
        d_tokvecs = []
        start = 0
        for n in doc_lengths:
            d_tokvecs.append(dX[start : start + n])
            start += n
        bp_tokvecs(d_tokvecs)
        return batch

    return output, backprop
