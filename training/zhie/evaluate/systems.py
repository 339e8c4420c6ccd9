"""The systems a report compares: spaCy pipelines (ours) and offline peers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import spacy
from spacy.language import Language

import zh_industry_ie  # noqa: F401  (registers the tokenizer and components)
from zhie.evaluate.given_entities import predict_given_gold_entities
from zhie.evaluate.peers import PEERS, load_tagger, peer_labels, peer_predict
from zhie.evaluate.predict import Prediction, predict, predict_model_alone
from zhie.gold import ENTITY_LABELS, GoldParagraph

RELATION_FACTORIES = {"zhie_relation_extractor", "zhie_rule_relations"}
RULE_FACTORIES = {"zhie_rule_ner", "zhie_rule_relations"}


@dataclass
class System:
    name: str
    kind: str  # "pipeline" or "peer"
    source: str
    labels: tuple[str, ...]
    has_relations: bool
    description: str
    run: Callable[[Sequence[str]], list[Prediction]]
    # The relation layer on the gold's entities (None: a system without relations).
    run_given_entities: Callable[[Sequence[GoldParagraph]], list[Prediction]] | None = None


def parse_pipeline_arg(arg: str) -> tuple[str, str]:
    """``NAME=PATH_OR_PACKAGE`` or just ``PATH_OR_PACKAGE`` (the name is then derived)."""
    if "=" in arg:
        name, source = arg.split("=", 1)
        return name, source
    path = Path(arg)
    return (path.name if path.exists() else arg), arg


def load_pipeline(source: str) -> Language:
    """An installed package name or a pipeline directory."""
    return spacy.load(source)


def pipeline_system(name: str, source: str, nlp: Language | None = None) -> System:
    nlp = nlp if nlp is not None else load_pipeline(source)
    factories = {nlp.get_pipe_meta(pipe).factory for pipe in nlp.pipe_names}
    has_relations = bool(factories & RELATION_FACTORIES)
    description = f"spaCy pipeline {source} (components: {', '.join(nlp.pipe_names) or 'none'})"
    return System(
        name=name, kind="pipeline", source=source, labels=ENTITY_LABELS, has_relations=has_relations,
        description=description, run=lambda texts: predict(nlp, texts),
        run_given_entities=(lambda paras: predict_given_gold_entities(nlp, paras)) if has_relations else None,
    )


def model_alone_system(name: str, source: str, nlp: Language) -> System:
    """The trained components of a pipeline without its rule components (what the model learnt)."""
    trained = [p for p in nlp.pipe_names if nlp.get_pipe_meta(p).factory not in RULE_FACTORIES]
    has_relations = "zhie_relation_extractor" in trained
    rules = [p for p in nlp.pipe_names if p not in trained]
    return System(
        name=name, kind="pipeline", source=source, labels=ENTITY_LABELS,
        has_relations=has_relations,
        description=f"spaCy pipeline {source} without its rule components (runs: {', '.join(trained)})",
        run=lambda texts: predict_model_alone(nlp, texts),
        run_given_entities=(
            (lambda paras: predict_given_gold_entities(nlp, paras, exclude=rules))
            if has_relations else None
        ),
    )


def peer_system(name: str) -> System:
    load_tagger(name)  # load the model now so the timed run measures tagging only
    return System(
        name=name, kind="peer", source=name, labels=peer_labels(name), has_relations=False,
        description=PEERS[name].description, run=lambda texts: peer_predict(name, texts),
    )
