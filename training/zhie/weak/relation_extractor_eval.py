"""The trained relation extractor alone: relation scores with given entities.

The extractor reads ``doc.ents``; here they come from the gold (or the weak dev labels) or from
the rules pipeline, and only the extractor runs, so the score is the extractor's, not the NER's.
``zhie rel-extractor-eval --model DIR --rules DIR [--gold FILE] [--weak-dev FILE] --out FILE``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import spacy
import typer
from spacy.language import Language
from spacy.tokens import Doc, DocBin

from zh_industry_ie.relations import RELATIONS_KEY
from zh_industry_ie.relext.component import RelationExtractor
from zhie.evaluate.given_entities import entity_free_components, gold_entity_doc, run_components
from zhie.evaluate.predict import doc_to_prediction
from zhie.evaluate.scoring import score_relations
from zhie.gold import read_gold

from .pipeline import load_rules_pipeline
from .relation_gold import relation_ruler, relations_with_sources, rule_entity_doc


def extractor_name(nlp: Language) -> str:
    for name, pipe in nlp.pipeline:
        if isinstance(pipe, RelationExtractor):
            return name
    raise ValueError("the pipeline has no zhie_relation_extractor")


def extractor(nlp: Language) -> RelationExtractor:
    return nlp.get_pipe(extractor_name(nlp))


def run_extractor(
    model: Language, docs: Sequence[Doc], threshold: float | None = None, relation_layer: bool = False
) -> list[Doc]:
    """Run the extractor on ``docs`` after the components it listens to (the encoder); with
    ``relation_layer`` also the components after it (the frame rules' merge, as shipped).

    Components that set entities (ner, rule ner) are skipped, so the given entities stay; the
    encoder can be any component (tok2vec, a LAC or transformer encoder)."""
    name = extractor_name(model)
    rel = model.get_pipe(name)
    saved = rel.cfg["threshold"]
    if threshold is not None:
        rel.cfg["threshold"] = threshold
    try:
        return run_components(entity_free_components(model, until=None if relation_layer else name), docs)
    finally:
        rel.cfg["threshold"] = saved


def _remake(model: Language, doc: Doc) -> Doc:
    """The doc in the model's vocab, entities kept, relations dropped (they are predicted).

    Made again from the original text, so the entities keep their original offsets."""
    fresh = model.make_doc(doc._.original_text)
    fresh.ents = [fresh.char_span(e.start_char, e.end_char, label=e.label_) for e in doc.ents]
    return fresh


def gold_scores(
    model: Language, rules: Language, gold_path: Path, thresholds: Sequence[float]
) -> dict[str, Any]:
    paragraphs = read_gold(gold_path)
    gold_sets = [p.relation_set() for p in paragraphs]
    inputs = {
        "gold_entities": [_remake(model, gold_entity_doc(rules, p)) for p in paragraphs],
        "rule_entities": [_remake(model, rule_entity_doc(rules, p)) for p in paragraphs],
    }
    ruler = relation_ruler(rules)
    out: dict[str, Any] = {}
    for source, docs in inputs.items():
        cued = [
            {key for key, _ in relations_with_sources(ruler, p.text, _remake(rules, d))}
            for p, d in zip(paragraphs, docs, strict=True)
        ]
        out[source] = {"rules": score_relations(gold_sets, cued)}
        for threshold in thresholds:
            # The extractor alone, then the model's whole relation layer (its frame rules merge
            # their pairs with the extractor's and filter heads, as in the shipped pipeline).
            for key, layer in ((str(threshold), False), (f"merge@{threshold}", True)):
                predicted = run_extractor(model, docs, threshold, relation_layer=layer)
                preds = [
                    set(doc_to_prediction(p.text, d).relations)
                    for p, d in zip(paragraphs, predicted, strict=True)
                ]
                out[source][key] = score_relations(gold_sets, preds)
    return out


def weak_dev_scores(model: Language, path: Path, thresholds: Sequence[float]) -> dict[str, Any]:
    """Extractor vs the weak relations of a DocBin, with the weak entities as input."""
    docs = list(DocBin().from_disk(path).get_docs(model.vocab))
    gold_sets = [_keys(d.user_data.get(RELATIONS_KEY, [])) for d in docs]
    out = {}
    for threshold in thresholds:
        predicted = run_extractor(model, [_remake(model, d) for d in docs], threshold)
        preds = [_keys(d.user_data.get(RELATIONS_KEY, [])) for d in predicted]
        out[str(threshold)] = score_relations(gold_sets, preds)
    return out


def _keys(records: list) -> set:
    # Character offsets of the doc stand in for entity keys: both sides share one text.
    return {((hs, he, ""), (ts, te, ""), label) for hs, he, ts, te, label, *_ in records}


def rel_extractor_eval(
    model: Annotated[Path, typer.Option(help="Trained pipeline with a zhie_relation_extractor.")],
    rules: Annotated[Path, typer.Option(help="Rules pipeline directory (build/rules) or seeds directory.")],
    out: Annotated[Path, typer.Option(help="Output JSON.")],
    gold: Annotated[list[Path] | None, typer.Option(help="Gold JSONL; repeatable.")] = None,
    weak_dev: Annotated[Path | None, typer.Option(help="Weak dev DocBin (weak entities as input).")] = None,
    threshold: Annotated[list[float] | None, typer.Option(help="Thresholds to score; repeatable.")] = None,
) -> None:
    """Relation P/R/F1 of the trained extractor alone, on gold and rule entities."""
    nlp = spacy.load(model)
    thresholds = threshold or [extractor(nlp).threshold]
    rules_nlp = load_rules_pipeline(rules)
    result: dict[str, Any] = {}
    for path in gold or []:
        result[path.name] = gold_scores(nlp, rules_nlp, path, thresholds)
    if weak_dev is not None:
        result["weak_dev"] = weak_dev_scores(nlp, weak_dev, thresholds)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    for name, entry in result.items():
        sources = {"weak_entities": entry} if name == "weak_dev" else entry
        for source, per_threshold in sources.items():
            for t, scores in per_threshold.items():
                micro = scores["micro"]
                per = " ".join(f"{k} {v['f1']:.2f}" for k, v in scores["per_label"].items())
                typer.echo(f"{name} {source} t={t}: P {micro['precision']:.3f} R {micro['recall']:.3f}"
                           f" F1 {micro['f1']:.3f} ({per})")


def register(app: typer.Typer) -> None:
    app.command("rel-extractor-eval")(rel_extractor_eval)
