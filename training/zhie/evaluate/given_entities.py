"""The relation layer of a pipeline given the gold's entities.

End-to-end relation scores mix two errors: an entity the pipeline missed or cut differently,
and a pair it read wrong. Here the gold entities are set as ``doc.ents`` and only the
components that do not set entities run (the encoder, the relation extractor, the rule
relations, the value parser), so the score is the relation layer's own.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import filter_spans

from zh_industry_ie.normalize import normalize
from zhie.evaluate.predict import Prediction, doc_to_prediction
from zhie.gold import GoldParagraph

ENTITY_ASSIGNS = frozenset({"doc.ents", "token.ent_iob", "token.ent_type"})
Component = Callable[[Doc], Doc]


def gold_entity_doc(nlp: Language, para: GoldParagraph) -> Doc:
    """The paragraph as the project tokenizer makes it, with the gold entities as ``doc.ents``."""
    doc = nlp.make_doc(para.text)
    cleaned = normalize(para.text)
    spans = []
    for ent in para.entities:
        bounds = cleaned.from_original(ent.start, ent.end)
        span = doc.char_span(*bounds, label=ent.label) if bounds else None
        if span is not None:
            spans.append(span)
    doc.ents = filter_spans(spans)
    return doc


def sets_entities(nlp: Language, name: str) -> bool:
    return bool(ENTITY_ASSIGNS & set(nlp.get_pipe_meta(name).assigns))


def entity_free_components(
    nlp: Language, exclude: Collection[str] = (), until: str | None = None
) -> list[Component]:
    """The pipeline's components that leave ``doc.ents`` as given, in order, without those named
    in ``exclude``, up to and including ``until`` when given."""
    pipes: list[Component] = []
    for name, pipe in nlp.pipeline:
        if name not in exclude and not sets_entities(nlp, name):
            pipes.append(pipe)
        if name == until:
            break
    return pipes


def run_components(pipes: Sequence[Component], docs: Sequence[Doc]) -> list[Doc]:
    out = []
    for doc in docs:
        for pipe in pipes:
            doc = pipe(doc)
        out.append(doc)
    return out


def predict_given_gold_entities(
    nlp: Language, paragraphs: Sequence[GoldParagraph], exclude: Collection[str] = ()
) -> list[Prediction]:
    """Predictions of the components that do not set entities, run on the gold's entities."""
    docs = run_components(entity_free_components(nlp, exclude), [gold_entity_doc(nlp, p) for p in paragraphs])
    return [doc_to_prediction(p.text, d) for p, d in zip(paragraphs, docs, strict=True)]
