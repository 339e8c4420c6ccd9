"""``zhie_relation_extractor``: a trainable relation classifier over candidate entity pairs.

Training pairs come from the reference (gold or weak) entities, so the classifier learns
relations independently of the NER's mistakes; at prediction time it pairs ``doc.ents`` as
set by the components before it. Gold relations are read from
``doc.user_data["zhie_relations"]`` of the reference docs (``relations.py``).
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
from spacy.training import Example, validate_examples
from spacy.util import registry
from spacy.vocab import Vocab
from thinc.api import Config, Model, Optimizer, set_dropout_rate
from thinc.types import Floats2d

from ..contracts import ENTITY_LABELS
from ..relations import RELATION_LABELS, RELATIONS_KEY, Relation, relation_signature_ok, set_relations
from .candidates import Candidate, candidate_pairs, feature_width, pair_features, token_offsets
from .model import RelBatch
from .scorer import score_relations

DEFAULT_MODEL_CONFIG = """
[model]
@architectures = "zhie.RelationModel.v1"
pooling = "mean"
hidden_width = 64
dropout = 0.1

[model.tok2vec]
@architectures = "spacy.HashEmbedCNN.v2"
pretrained_vectors = null
width = 96
depth = 2
embed_size = 2000
window_size = 1
maxout_pieces = 3
subword_features = false
"""
DEFAULT_MODEL = Config().from_str(DEFAULT_MODEL_CONFIG)["model"]


@Language.factory(
    "zhie_relation_extractor",
    requires=["doc.ents"],
    assigns=["doc._.relations"],
    default_config={
        "model": DEFAULT_MODEL,
        "threshold": 0.5,
        "max_distance": 200,
        "context_window": 3,
        "bigram_buckets": 0,
        "negative_weight": 1.0,
        "entity_labels": list(ENTITY_LABELS),
        "scorer": {"@scorers": "zhie.relation_scorer.v1"},
    },
    default_score_weights={"rel_micro_f": 1.0, "rel_micro_p": 0.0, "rel_micro_r": 0.0},
)
def make_relation_extractor(
    nlp: Language,
    name: str,
    model: Model,
    threshold: float,
    max_distance: int,
    context_window: int,
    bigram_buckets: int,
    negative_weight: float,
    entity_labels: list[str],
    scorer: Callable | None,
) -> "RelationExtractor":
    return RelationExtractor(
        nlp.vocab,
        model,
        name,
        threshold=threshold,
        max_distance=max_distance,
        context_window=context_window,
        bigram_buckets=bigram_buckets,
        negative_weight=negative_weight,
        entity_labels=entity_labels,
        scorer=scorer,
    )


@registry.scorers("zhie.relation_scorer.v1")
def make_relation_scorer() -> Callable[..., dict[str, Any]]:
    return score_relations


class RelationExtractor(TrainablePipe):
    def __init__(
        self,
        vocab: Vocab,
        model: Model,
        name: str = "zhie_relation_extractor",
        *,
        threshold: float = 0.5,
        max_distance: int = 200,
        context_window: int = 3,
        bigram_buckets: int = 0,
        negative_weight: float = 1.0,
        entity_labels: Sequence[str] = ENTITY_LABELS,
        scorer: Callable | None = score_relations,
    ) -> None:
        self.vocab = vocab
        self.model = model
        self.name = name
        self.scorer = scorer
        self.cfg: dict[str, Any] = {
            "labels": [],
            "threshold": threshold,
            "max_distance": max_distance,
            # Tokens left and right of the pair pooled as context (0: none).
            "context_window": context_window,
            # Hashed character-bigram indicators per context region (0: none).
            "bigram_buckets": bigram_buckets,
            # Loss weight of a negative (pair, label): most candidate pairs are negatives, so a
            # weight below 1 keeps them from drowning the rare positives.
            "negative_weight": negative_weight,
            "entity_labels": list(entity_labels),
        }

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(self.cfg["labels"])

    @property
    def threshold(self) -> float:
        return float(self.cfg["threshold"])

    def add_label(self, label: str) -> int:
        if label not in RELATION_LABELS:
            raise ValueError(
                f"{self.name}: unknown relation label {label!r}; expected one of {RELATION_LABELS}"
            )
        if label in self.cfg["labels"]:
            return 0
        self.cfg["labels"] = [lab for lab in RELATION_LABELS if lab in {*self.cfg["labels"], label}]
        return 1

    # -- batches ------------------------------------------------------------------------------
    def _batch(
        self, docs: Sequence[Doc], ents_per_doc: Sequence[Sequence[Span]]
    ) -> tuple[RelBatch, list[list[Candidate]]]:
        entity_labels = self.cfg["entity_labels"]
        buckets = int(self.cfg.get("bigram_buckets", 0))
        window = int(self.cfg.get("context_window", 0))
        n_features = feature_width(entity_labels, buckets)
        offsets, features, cands_per_doc = [], [], []
        for doc, ents in zip(docs, ents_per_doc, strict=True):
            cands = candidate_pairs(doc, ents, int(self.cfg["max_distance"]))
            cands_per_doc.append(cands)
            offsets.append(token_offsets(cands, window))
            feats = pair_features(cands, ents, entity_labels, buckets, window)
            features.append(feats if len(cands) else numpy.zeros((0, n_features), dtype="float32"))
        return RelBatch(list(docs), offsets, features), cands_per_doc

    def _label_mask(self, cands_per_doc: Sequence[Sequence[Candidate]]) -> numpy.ndarray:
        """1 where the label's signature fits the pair, 0 elsewhere (never predicted, no loss)."""
        rows = [c for cands in cands_per_doc for c in cands]
        mask = numpy.zeros((len(rows), len(self.labels)), dtype="float32")
        for i, cand in enumerate(rows):
            for j, label in enumerate(self.labels):
                if relation_signature_ok(label, cand.head.label_, cand.tail.label_):
                    mask[i, j] = 1.0
        return mask

    @staticmethod
    def _reference_ents(eg: Example) -> list[Span]:
        """The reference entities as spans of the predicted doc (same tokenizer, same offsets)."""
        spans = []
        for ent in eg.reference.ents:
            span = eg.predicted.char_span(ent.start_char, ent.end_char, label=ent.label_)
            if span is not None:
                spans.append(span)
        return spans

    def _truth(
        self, examples: Sequence[Example], cands_per_doc: Sequence[Sequence[Candidate]]
    ) -> numpy.ndarray:
        rows = sum(len(c) for c in cands_per_doc)
        truth = numpy.zeros((rows, len(self.labels)), dtype="float32")
        col = {label: j for j, label in enumerate(self.labels)}
        row = 0
        for eg, cands in zip(examples, cands_per_doc, strict=True):
            gold: dict[tuple[int, int, int, int], set[str]] = {}
            for hs, he, ts, te, label, _score in eg.reference.user_data.get(RELATIONS_KEY, []):
                gold.setdefault((hs, he, ts, te), set()).add(label)
            for cand in cands:
                for label in gold.get(cand.key, ()):
                    if label in col:
                        truth[row, col[label]] = 1.0
                row += 1
        return truth

    # -- prediction ---------------------------------------------------------------------------
    def predict(self, docs: Iterable[Doc]) -> tuple[list[list[Candidate]], Floats2d]:
        docs = list(docs)
        batch, cands_per_doc = self._batch(docs, [list(doc.ents) for doc in docs])
        if len(batch) == 0 or not self.labels:
            return cands_per_doc, numpy.zeros((len(batch), len(self.labels)), dtype="float32")
        scores = self.model.ops.to_numpy(self.model.predict(batch))
        return cands_per_doc, numpy.asarray(scores) * self._label_mask(cands_per_doc)

    def set_annotations(
        self, docs: Iterable[Doc], predictions: tuple[list[list[Candidate]], Floats2d]
    ) -> None:
        cands_per_doc, scores = predictions
        row = 0
        for doc, cands in zip(docs, cands_per_doc, strict=True):
            relations = []
            for cand in cands:
                for j, label in enumerate(self.labels):
                    score = float(scores[row, j])
                    if score >= self.threshold:
                        relations.append(Relation(cand.head, cand.tail, label, score))
                row += 1
            set_relations(doc, relations)

    # -- training -----------------------------------------------------------------------------
    def update(
        self,
        examples: Iterable[Example],
        *,
        drop: float = 0.0,
        sgd: Optimizer | None = None,
        losses: dict[str, float] | None = None,
    ) -> dict[str, float]:
        losses = {} if losses is None else losses
        losses.setdefault(self.name, 0.0)
        examples = list(examples)
        validate_examples(examples, "RelationExtractor.update")
        # [training] dropout reaches the relation head as in spaCy's own trainable pipes.
        set_dropout_rate(self.model, drop)
        docs = [eg.predicted for eg in examples]
        batch, cands_per_doc = self._batch(docs, [self._reference_ents(eg) for eg in examples])
        # The tok2vec listener must see every batch, even one without pairs, or the shared
        # tok2vec would never receive the other listeners' gradients for it.
        scores, backprop = self.model.begin_update(batch)
        if len(batch):
            loss, d_scores = self._loss(
                self._truth(examples, cands_per_doc), scores, self._label_mask(cands_per_doc)
            )
        else:
            loss, d_scores = 0.0, scores
        backprop(d_scores)
        if sgd is not None:
            self.finish_update(sgd)
        losses[self.name] += loss
        return losses

    def _loss(self, truth: numpy.ndarray, scores: Floats2d, mask: numpy.ndarray) -> tuple[float, Floats2d]:
        ops = self.model.ops
        truth_a, mask_a = ops.asarray2f(truth), ops.asarray2f(mask)
        # Binary cross-entropy per (pair, label); the model's last layer expects the gradient
        # wrt the logits, (p - y). Labels whose signature does not fit the pair are masked out.
        # Negatives are weighted by negative_weight (class balance).
        neg_weight = float(self.cfg.get("negative_weight", 1.0))
        weight = mask_a * (truth_a + (1 - truth_a) * neg_weight)
        d_scores = (scores - truth_a) * weight
        probs = ops.xp.clip(scores, 1e-7, 1 - 1e-7)
        loss = -float((weight * (truth_a * ops.xp.log(probs) + (1 - truth_a) * ops.xp.log(1 - probs))).sum())
        return loss, d_scores

    def get_loss(self, examples: Iterable[Example], scores: Floats2d) -> tuple[float, Floats2d]:
        examples = list(examples)
        docs = [eg.predicted for eg in examples]
        _batch, cands_per_doc = self._batch(docs, [self._reference_ents(eg) for eg in examples])
        return self._loss(self._truth(examples, cands_per_doc), scores, self._label_mask(cands_per_doc))

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Example]],
        *,
        nlp: Language | None = None,
        labels: list[str] | None = None,
    ) -> None:
        self._require_labels_from(labels)
        sample = list(islice(get_examples(), 20))
        validate_examples(sample, "RelationExtractor.initialize")
        docs = [eg.predicted for eg in sample]
        batch, cands_per_doc = self._batch(docs, [self._reference_ents(eg) for eg in sample])
        if len(batch) == 0:
            # A sample without any pair still has to give the layers their shapes.
            batch, cands_per_doc = self._synthetic_batch()
            truth = numpy.zeros((len(batch), len(self.labels)), dtype="float32")
        else:
            truth = self._truth(sample, cands_per_doc)
        self.model.initialize(X=batch, Y=self.model.ops.asarray2f(truth))

    def _require_labels_from(self, labels: list[str] | None) -> None:
        for label in labels if labels is not None else RELATION_LABELS:
            self.add_label(label)

    def _synthetic_batch(self) -> tuple[RelBatch, list[list[Candidate]]]:
        doc = Doc(self.vocab, words=["甲", "乙"], spaces=[False, False])
        ents = [Span(doc, 0, 1, label="ORG"), Span(doc, 1, 2, label="MONEY")]
        return self._batch([doc], [ents])
