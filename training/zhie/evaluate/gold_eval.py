"""Score a pipeline on gold paragraphs (entities exact span, relations exact)."""

from __future__ import annotations

from collections.abc import Sequence

from spacy.language import Language

from zhie.evaluate.predict import Prediction, predict
from zhie.evaluate.scoring import score_entities, score_relations
from zhie.gold import GoldParagraph


def score_predictions(paragraphs: Sequence[GoldParagraph], predictions: Sequence[Prediction]) -> dict:
    return {
        "entities": score_entities(
            [p.entity_set() for p in paragraphs], [set(pr.entities) for pr in predictions]
        ),
        "relations": score_relations(
            [p.relation_set() for p in paragraphs], [set(pr.relations) for pr in predictions]
        ),
        "paragraphs": len(paragraphs),
    }


def evaluate_nlp_on_gold(nlp: Language, paragraphs: Sequence[GoldParagraph]) -> dict:
    predictions = predict(nlp, [p.text for p in paragraphs])
    return score_predictions(paragraphs, predictions)
