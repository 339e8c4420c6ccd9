"""Per-function coverage and precision of the relation labelling functions on gold files.

Each gold file is scored twice: with the gold entities as input (what the functions can do
when the entities are right) and with the rules' own entities (what they do in the weak-label
step and in the shipped pipeline). Per function: relations fired, correct ones, precision and
the share of gold relations it finds (recall); ``only`` counts correct relations no other
function found. Candidate reach: gold relations whose pair the relation extractor's candidate
generation cannot produce even with the gold entities (different sentence, too far apart).

``zhie rel-gold-stats --rules DIR --gold FILE [--gold FILE] --out FILE.json``.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from spacy.language import Language
from spacy.tokens import Doc

from zh_industry_ie.normalize import normalize
from zh_industry_ie.relext.candidates import candidate_pairs
from zh_industry_ie.rules.relation_ruler import SOURCES_KEY, RuleRelationRuler
from zhie.evaluate.given_entities import gold_entity_doc
from zhie.evaluate.predict import doc_to_prediction
from zhie.evaluate.scoring import score_relations
from zhie.gold import GoldParagraph, read_gold

from .pipeline import load_rules_pipeline

ENTITY_SOURCES = ("gold_entities", "rule_entities")


def relation_ruler(nlp: Language) -> RuleRelationRuler:
    for _, pipe in nlp.pipeline:
        if isinstance(pipe, RuleRelationRuler):
            return pipe
    raise ValueError("the rules pipeline has no zhie_rule_relations component")


def rule_entity_doc(nlp: Language, para: GoldParagraph) -> Doc:
    """The paragraph with the rules' entities (every component before the relation ruler)."""
    doc = nlp.make_doc(para.text)
    for _, pipe in nlp.pipeline:
        if isinstance(pipe, RuleRelationRuler):
            break
        doc = pipe(doc)
    return doc


def relations_with_sources(ruler: RuleRelationRuler, text: str, doc: Doc) -> list[tuple[Any, list[str]]]:
    merge, ruler.merge = ruler.merge, False
    try:
        doc = ruler(doc)
    finally:
        ruler.merge = merge
    keys = doc_to_prediction(text, doc).relations
    return list(zip(keys, doc.user_data.get(SOURCES_KEY, []), strict=True))


def function_table(
    ruler: RuleRelationRuler, paragraphs: Sequence[GoldParagraph], docs: Sequence[Doc]
) -> dict[str, Any]:
    """Per-function and overall scores of the relation ruler over docs that carry entities."""
    names = ruler.family_names()
    labels = {f.name: f.label for f in ruler.families}
    fired: Counter[str] = Counter()
    correct: Counter[str] = Counter()
    only: Counter[str] = Counter()
    gold_per_label: Counter[str] = Counter()
    gold_sets, pred_sets = [], []
    for para, doc in zip(paragraphs, docs, strict=True):
        gold = para.relation_set()
        gold_per_label.update(r[2] for r in gold)
        found = relations_with_sources(ruler, para.text, doc)
        for key, sources in found:
            fired.update(sources)
            if key in gold:
                correct.update(sources)
                if len(sources) == 1:
                    only[sources[0]] += 1
        gold_sets.append(gold)
        pred_sets.append({key for key, _ in found})
    per_function = {}
    for name in names:
        n_gold = gold_per_label[labels[name]]
        per_function[name] = {
            "label": labels[name],
            "fired": fired[name],
            "correct": correct[name],
            "only": only[name],
            "precision": correct[name] / fired[name] if fired[name] else 0.0,
            "recall": correct[name] / n_gold if n_gold else 0.0,
        }
    return {"per_function": per_function, "overall": score_relations(gold_sets, pred_sets)}


def candidate_reach(nlp: Language, paragraphs: Sequence[GoldParagraph], max_distance: int) -> dict[str, Any]:
    """Gold relations that no candidate pair (gold entities) covers, per label."""
    total: Counter[str] = Counter()
    unreachable: Counter[str] = Counter()
    n_candidates = 0
    for para in paragraphs:
        doc = gold_entity_doc(nlp, para)
        cands = candidate_pairs(doc, list(doc.ents), max_distance)
        n_candidates += len(cands)
        keys = {(c.head.start_char, c.head.end_char, c.tail.start_char, c.tail.end_char) for c in cands}
        cleaned = normalize(para.text)
        for rel in para.relations:
            head, tail = para.entities[rel.head], para.entities[rel.tail]
            total[rel.label] += 1
            hb, tb = cleaned.from_original(head.start, head.end), cleaned.from_original(tail.start, tail.end)
            if hb is None or tb is None or (*hb, *tb) not in keys:
                unreachable[rel.label] += 1
    return {
        "max_distance": max_distance,
        "candidates": n_candidates,
        "gold_relations": sum(total.values()),
        "unreachable": sum(unreachable.values()),
        "unreachable_per_label": {label: unreachable[label] for label in sorted(total)},
    }


def gold_stats(nlp: Language, gold_paths: Sequence[Path], max_distance: int = 200) -> dict[str, Any]:
    ruler = relation_ruler(nlp)
    out: dict[str, Any] = {}
    for path in gold_paths:
        paragraphs = read_gold(path)
        entry: dict[str, Any] = {"paragraphs": len(paragraphs)}
        docs = {
            "gold_entities": [gold_entity_doc(nlp, p) for p in paragraphs],
            "rule_entities": [rule_entity_doc(nlp, p) for p in paragraphs],
        }
        for source in ENTITY_SOURCES:
            entry[source] = function_table(ruler, paragraphs, docs[source])
        entry["candidate_reach"] = candidate_reach(nlp, paragraphs, max_distance)
        out[Path(path).name] = entry
    return out


def summary_lines(stats: dict[str, Any]) -> list[str]:
    lines = []
    for gold_name, entry in stats.items():
        for source in ENTITY_SOURCES:
            micro = entry[source]["overall"]["micro"]
            lines.append(
                f"{gold_name} {source}: P {micro['precision']:.3f} R {micro['recall']:.3f}"
                f" F1 {micro['f1']:.3f}"
            )
            for name, row in entry[source]["per_function"].items():
                lines.append(
                    f"  {name:<34} fired {row['fired']:>4} correct {row['correct']:>4} only {row['only']:>3}"
                    f" P {row['precision']:.2f} R {row['recall']:.2f}"
                )
        reach = entry["candidate_reach"]
        lines.append(f"  candidates unreachable: {reach['unreachable']}/{reach['gold_relations']}"
                     f" {reach['unreachable_per_label']}")
    return lines


def rel_gold_stats(
    rules: Annotated[Path, typer.Option(help="Rules pipeline directory (build/rules) or a seeds directory.")],
    gold: Annotated[list[Path], typer.Option(help="Gold JSONL (ANNOTATION.md format); repeatable.")],
    out: Annotated[Path, typer.Option(help="Output JSON.")],
    max_distance: Annotated[int, typer.Option(help="Candidate distance limit for the reach count.")] = 200,
) -> None:
    """Per-function coverage/precision of the relation labelling functions on gold files."""
    stats = gold_stats(load_rules_pipeline(rules), gold, max_distance)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(stats, ensure_ascii=False, indent=1), encoding="utf-8")
    for line in summary_lines(stats):
        typer.echo(line)


def register(app: typer.Typer) -> None:
    from .relation_extractor_eval import register as register_extractor_eval

    app.command("rel-gold-stats")(rel_gold_stats)
    register_extractor_eval(app)
