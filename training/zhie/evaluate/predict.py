"""Run a pipeline over texts and express its output in ORIGINAL input offsets."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span

EntityKey = tuple[int, int, str]
RelationKey = tuple[EntityKey, EntityKey, str]


@dataclass
class Prediction:
    text: str
    entities: list[EntityKey] = field(default_factory=list)
    relations: list[RelationKey] = field(default_factory=list)


def _key(span: Span) -> EntityKey:
    if span.has_extension("original_start"):
        return span._.original_start, span._.original_end, span.label_
    return span.start_char, span.end_char, span.label_


def doc_to_prediction(text: str, doc: Doc) -> Prediction:
    entities = [_key(ent) for ent in doc.ents]
    relations: list[RelationKey] = []
    if doc.has_extension("relations"):
        relations = [(_key(r.head), _key(r.tail), r.label) for r in doc._.relations]
    return Prediction(text=text, entities=entities, relations=relations)


# The shipped pipeline's rule components; without them the trained model runs alone.
RULE_COMPONENTS = ("zhie_rule_ner", "zhie_rule_relations")


def predict_model_alone(nlp: Language, texts: Iterable[str], batch_size: int = 64) -> list[Prediction]:
    """Predictions with the rule components switched off: what the trained model learnt."""
    with nlp.select_pipes(disable=[name for name in RULE_COMPONENTS if name in nlp.pipe_names]):
        return predict(nlp, texts, batch_size)


def predict(nlp: Language, texts: Iterable[str], batch_size: int = 64) -> list[Prediction]:
    texts = list(texts)
    docs = nlp.pipe(texts, batch_size=batch_size)
    return [doc_to_prediction(t, d) for t, d in zip(texts, docs, strict=True)]
