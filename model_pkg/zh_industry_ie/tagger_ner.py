"""``zhie_tagger_ner``: entities from one BILUO tag per character, decoded under BILUO's rules.

A softmax over each token's tok2vec vector gives the probabilities of O and of B/I/L/U for
every entity label; a Viterbi pass over the log-probabilities picks the best tag sequence that
BILUO allows (I/L only after B/I of the same label, every entity closed, none across a
sentence end), so the spans are always well formed. Compared with spaCy's transition-based
``ner`` it does one matrix product per batch instead of one network step per character, which
is what the pipeline's throughput needed (docs/teacher_student.md, "Fifth round"). Missing
reference annotation (the teacher's unsure regions, ``unknown_spans``) gives no loss, as with
spaCy's ``ner``.

Where the tok2vec's LAC layer left LAC's words on the Doc (``contracts.LAC_WORDS_KEY``), the
decoder can lower the score of an entity of ``boundary_labels`` that begins or ends inside a
word (``boundary_penalty`` per broken edge, in log-probability): a character model with a short
window otherwise starts names in the middle of words (氧化锂 in 氢氧化锂, 酸锂 in 碳酸锂). The
penalty is soft, so a strong entity still cuts a word LAC segmented wrongly.
"""

# No `from __future__ import annotations`: spaCy validates factory and initialize() arguments
# with pydantic, which needs real (not string) annotations.
from collections.abc import Callable, Iterable, Sequence
from itertools import islice
from typing import Any

import numpy
from spacy.language import Language
from spacy.pipeline import TrainablePipe
from spacy.tokens import Doc, Span
from spacy.training import Example, validate_examples, validate_get_examples
from spacy.vocab import Vocab
from thinc.api import Config, Model, SequenceCategoricalCrossentropy
from thinc.types import Floats2d

from .contracts import ENTITY_LABELS, LAC_WORDS_KEY
from .sentences import sentence_bounds

DEFAULT_MODEL_CONFIG = """
[model]
@architectures = "spacy.Tagger.v2"
nO = null
normalize = false

[model.tok2vec]
@architectures = "spacy.HashEmbedCNN.v2"
pretrained_vectors = null
width = 96
depth = 4
embed_size = 2000
window_size = 1
maxout_pieces = 3
subword_features = false
"""
DEFAULT_MODEL = Config().from_str(DEFAULT_MODEL_CONFIG)["model"]

_FORBIDDEN = -1e9


def biluo_tag_names(labels: Sequence[str]) -> list[str]:
    """O, then B/I/L/U of each label: the softmax's columns."""
    return ["O"] + [f"{prefix}-{label}" for label in labels for prefix in "BILU"]


def biluo_constraints(tag_names: Sequence[str]) -> tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray]:
    """Scores (0 allowed, very negative forbidden) of the first tag, of each transition
    [from, to] and of the last tag."""
    n = len(tag_names)
    start, end = numpy.zeros(n), numpy.zeros(n)
    trans = numpy.zeros((n, n))
    for i, tag in enumerate(tag_names):
        prefix, _, label = tag.partition("-")
        inside = prefix in ("B", "I")  # an entity is open after this tag
        if prefix in ("I", "L"):
            start[i] = _FORBIDDEN
        if inside:
            end[i] = _FORBIDDEN
        for j, nxt in enumerate(tag_names):
            nxt_prefix, _, nxt_label = nxt.partition("-")
            continues = nxt_prefix in ("I", "L")
            if inside != continues or (continues and nxt_label != label):
                trans[i, j] = _FORBIDDEN
    return start, trans, end


def viterbi_decode(
    log_probs: Sequence[numpy.ndarray], start: numpy.ndarray, end: numpy.ndarray
) -> list[numpy.ndarray]:
    """The best tag ids that BILUO allows for each [n_tokens, n_tags] score matrix (columns in
    the order of ``biluo_tag_names``; ``start``/``end`` from ``biluo_constraints``), all in one pass.

    BILUO's transitions are few: after O, L or U (a closed tag) come O, B or U; after B-x or
    I-x come I-x or L-x. So each step takes the best closed tag once and the better of B-x and
    I-x per label, instead of a [from, to] maximum. Ties go to the lowest tag id. Sequences are
    sorted by length (longest first), so at step t the live ones are a prefix of the batch and
    the work is proportional to the number of tokens, not to batch x longest.
    """
    out = [numpy.zeros(0, dtype=numpy.int64) for _ in log_probs]
    order = [i for i in sorted(range(len(log_probs)), key=lambda i: -len(log_probs[i])) if len(log_probs[i])]
    if not order:
        return out
    lengths = numpy.array([len(log_probs[i]) for i in order])
    steps, batch, k = int(lengths[0]), len(order), len(start)
    begin_ids, inside_ids = numpy.arange(1, k, 4), numpy.arange(2, k, 4)
    closed_ids = numpy.sort(numpy.concatenate([[0], numpy.arange(3, k, 4), numpy.arange(4, k, 4)]))
    after_closed = numpy.concatenate([[0], begin_ids, numpy.arange(4, k, 4)])  # O, B-x, U-x
    live = (lengths[None, :] > numpy.arange(steps)[:, None]).sum(axis=1)
    emissions = numpy.zeros((steps, batch, k))
    for col, i in enumerate(order):
        emissions[: lengths[col], col] = log_probs[i]
    back = numpy.zeros((steps, batch, k), dtype=numpy.int16)
    alpha = emissions[0] + start
    for t in range(1, steps):
        n = live[t]
        prev = alpha[:n]
        closed = prev[:, closed_ids]
        closed_arg = closed.argmax(axis=1)
        closed_best = closed[numpy.arange(n), closed_arg]
        begin, inside = prev[:, begin_ids], prev[:, inside_ids]
        from_inside = inside > begin
        open_best = numpy.where(from_inside, inside, begin)
        open_arg = numpy.where(from_inside, inside_ids, begin_ids)
        step = back[t, :n]
        step[:, after_closed] = closed_ids[closed_arg][:, None]
        step[:, 2::4] = open_arg
        step[:, 3::4] = open_arg
        new = emissions[t, :n].copy()
        new[:, after_closed] += closed_best[:, None]
        new[:, 2::4] += open_best
        new[:, 3::4] += open_best
        alpha[:n] = new
    cur = (alpha + end).argmax(axis=1)
    path = numpy.zeros((steps, batch), dtype=numpy.int64)
    for t in range(steps - 1, -1, -1):
        n = live[t]
        path[t, :n] = cur[:n]
        if t:
            cur[:n] = back[t, numpy.arange(n), cur[:n]]
    for col, i in enumerate(order):
        out[i] = path[: lengths[col], col]
    return out


def biluo_spans(doc: Doc, tag_ids: Sequence[int] | numpy.ndarray, tag_names: Sequence[str]) -> list[Span]:
    """Entity spans of a well-formed BILUO tag sequence (O is tag id 0)."""
    ids = numpy.asarray(tag_ids, dtype=numpy.int64)
    spans, begin = [], 0
    for i in numpy.flatnonzero(ids).tolist():
        prefix, _, label = tag_names[ids[i]].partition("-")
        if prefix == "U":
            spans.append(Span(doc, i, i + 1, label=label))
        elif prefix == "B":
            begin = i
        elif prefix == "L":
            spans.append(Span(doc, begin, i + 1, label=label))
    return spans


@Language.factory(
    "zhie_tagger_ner",
    assigns=["doc.ents", "token.ent_iob", "token.ent_type"],
    default_config={
        "model": DEFAULT_MODEL,
        "labels": list(ENTITY_LABELS),
        "scorer": {"@scorers": "spacy.ner_scorer.v1"},
        "boundary_penalty": 0.0,
        "boundary_labels": [],
    },
    default_score_weights={"ents_f": 1.0, "ents_p": 0.0, "ents_r": 0.0, "ents_per_type": None},
)
def make_tagger_ner(
    nlp: Language,
    name: str,
    model: Model,
    labels: list[str],
    scorer: Callable | None,
    boundary_penalty: float,
    boundary_labels: list[str],
) -> "TaggerNer":
    return TaggerNer(
        nlp.vocab,
        model,
        name,
        labels=labels,
        scorer=scorer,
        boundary_penalty=boundary_penalty,
        boundary_labels=boundary_labels,
    )


class TaggerNer(TrainablePipe):
    def __init__(
        self,
        vocab: Vocab,
        model: Model,
        name: str = "ner",
        *,
        labels: Sequence[str] = ENTITY_LABELS,
        scorer: Callable | None = None,
        boundary_penalty: float = 0.0,
        boundary_labels: Sequence[str] = (),
    ) -> None:
        if not labels or len(set(labels)) != len(labels) or any("-" in label for label in labels):
            raise ValueError(f"{name}: labels must be distinct names without '-', got {list(labels)}")
        if boundary_penalty < 0:
            raise ValueError(f"{name}: boundary_penalty must be >= 0, got {boundary_penalty}")
        unknown = sorted(set(boundary_labels) - set(labels))
        if unknown:
            raise ValueError(f"{name}: boundary_labels {unknown} are not among the labels {list(labels)}")
        self.vocab = vocab
        self.model = model
        self.name = name
        self.scorer = scorer
        self.cfg: dict[str, Any] = {"labels": list(labels)}
        self.boundary_penalty = float(boundary_penalty)
        self.boundary_labels = tuple(boundary_labels)
        self._constraints_for: tuple[str, ...] = ()
        self._constraints: tuple[numpy.ndarray, numpy.ndarray] = (numpy.zeros(0), numpy.zeros(0))
        self._edge_columns_for: tuple[tuple[str, ...], tuple[str, ...]] | None = None
        self._edge_columns_cache: tuple[list[int], list[int]] = ([], [])

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(self.cfg["labels"])

    @property
    def tag_names(self) -> list[str]:
        return biluo_tag_names(self.labels)

    def predict(self, docs: Iterable[Doc]) -> list[numpy.ndarray]:
        docs = list(docs)
        if not any(len(doc) for doc in docs):
            return [numpy.zeros(0, dtype=numpy.int64) for _ in docs]
        outputs = [self.model.ops.to_numpy(out).astype(numpy.float64) for out in self.model.predict(docs)]
        start, end = self._start_end()
        # Decoded sentence by sentence: no entity holds 。！？； or a line break (ANNOTATION.md),
        # and the recurrence then runs as many steps as the longest sentence, not paragraph.
        pieces, counts = [], []
        for doc, out in zip(docs, outputs, strict=True):
            log_probs = self._word_edge_penalised(doc, self._log_probs(out))
            bounds = sentence_bounds(doc)
            pieces.extend(log_probs[begin:stop] for begin, stop in bounds)
            counts.append(len(bounds))
        paths = iter(viterbi_decode(pieces, start, end))
        return [
            numpy.concatenate([next(paths) for _ in range(n)]) if n else numpy.zeros(0, dtype=numpy.int64)
            for n in counts
        ]

    def _start_end(self) -> tuple[numpy.ndarray, numpy.ndarray]:
        # Built once per label set, not per predicted batch (a Python loop over tag pairs).
        labels = self.labels
        if self._constraints_for != labels:
            start, _, end = biluo_constraints(biluo_tag_names(labels))
            self._constraints, self._constraints_for = (start, end), labels
        return self._constraints

    def _edge_columns(self) -> tuple[list[int], list[int]]:
        """The columns of ``boundary_labels`` that open (B, U) and close (L, U) an entity; built
        once per label set, not per Doc."""
        key = (self.labels, self.boundary_labels)
        if self._edge_columns_for != key:
            opens, closes = [], []
            for column, tag in enumerate(self.tag_names):
                prefix, _, label = tag.partition("-")
                if label in self.boundary_labels:
                    if prefix in ("B", "U"):
                        opens.append(column)
                    if prefix in ("L", "U"):
                        closes.append(column)
            self._edge_columns_cache, self._edge_columns_for = (opens, closes), key
        return self._edge_columns_cache

    def _log_probs(self, outputs: numpy.ndarray) -> numpy.ndarray:
        # spacy.Tagger.v2 with normalize = false gives unnormalised scores outside training
        # (its argmax is the same; Viterbi needs log-probabilities).
        softmax = self.model.get_ref("softmax") if self.model.has_ref("softmax") else None
        if softmax is not None and softmax.attrs.get("softmax_normalize", True):
            return numpy.log(outputs + 1e-12)
        shifted = outputs - outputs.max(axis=1, keepdims=True)
        return shifted - numpy.log(numpy.exp(shifted).sum(axis=1, keepdims=True))

    def _word_edge_penalised(self, doc: Doc, log_probs: numpy.ndarray) -> numpy.ndarray:
        words = doc.user_data.get(LAC_WORDS_KEY)
        if not self.boundary_penalty or not self.boundary_labels or not words:
            return log_probs
        spans = numpy.asarray([(start, end) for start, end, _ in words], dtype=numpy.int64)
        word_start = numpy.zeros(len(doc), dtype=bool)
        word_end = numpy.zeros(len(doc), dtype=bool)
        word_start[spans[:, 0]] = True
        word_end[spans[:, 1] - 1] = True
        opens, closes = self._edge_columns()
        penalised = log_probs.copy()
        # A one-character entity (U) inside a word breaks both of its edges.
        penalised[numpy.ix_(~word_start, opens)] -= self.boundary_penalty
        penalised[numpy.ix_(~word_end, closes)] -= self.boundary_penalty
        return penalised

    def set_annotations(self, docs: Iterable[Doc], tag_ids: Sequence[numpy.ndarray]) -> None:
        names = self.tag_names
        for doc, ids in zip(docs, tag_ids, strict=True):
            doc.set_ents(biluo_spans(doc, ids, names), default="outside")

    def get_loss(self, examples: Iterable[Example], scores: list[Floats2d]) -> tuple[float, list[Floats2d]]:
        examples = list(examples)
        validate_examples(examples, "TaggerNer.get_loss")
        names = self.tag_names
        known = set(names)
        # None (missing or unaligned reference annotation, or a label this component does not
        # predict) gives no gradient.
        truths = [[tag if tag in known else None for tag in eg.get_aligned_ner()] for eg in examples]
        loss_func = SequenceCategoricalCrossentropy(names=names, normalize=False)
        d_scores, loss = loss_func(scores, truths)
        if self.model.ops.xp.isnan(loss):
            raise ValueError(f"{self.name}: the loss is NaN")
        return float(loss), d_scores

    def initialize(
        self, get_examples: Callable[[], Iterable[Example]], *, nlp: Language | None = None
    ) -> None:
        validate_get_examples(get_examples, "TaggerNer.initialize")
        width = len(self.tag_names)
        docs, shapes = [], []
        for eg in islice(get_examples(), 10):
            docs.append(eg.x)
            shapes.append(self.model.ops.alloc2f(len(eg.x), width))
        if not docs:
            raise ValueError(f"{self.name}: initialize needs at least one example")
        self.model.initialize(X=docs, Y=shapes)

    def add_label(self, label: str) -> int:
        raise NotImplementedError(
            f"{self.name}: the labels come from the config ([components.{self.name}] labels)"
        )
