"""Precision and coverage of each labelling function on gold paragraphs, and the rules' scores.

A function's match counts as correct when span and label equal a gold entity ("exact"), and as
an overlap hit when it overlaps a gold entity of the same label ("overlap": the function found
the mention but cut it differently). Coverage is the share of the gold entities of the
function's labels that it finds exactly. The rules as a whole (priority voting, and the voting
followed by document-level propagation across the paragraphs of a gold document) are scored
with the evaluation's own scorers: exact spans in original offsets and mention level
(label + simplified text per paragraph).

Works on any list of labelling functions: ``build_functions(seeds)`` or the functions of a
``zhie_rule_ner`` component of a loaded pipeline, so functions added later are measured too.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import typer
from spacy.language import Language
from spacy.tokens import Doc, Span

from zh_industry_ie.rules.base import LabellingFunction
from zh_industry_ie.rules.propagate import propagate
from zh_industry_ie.rules.text import simplified_text
from zhie.evaluate.scoring import mention_sets, score_entities, score_mentions
from zhie.gold import ENTITY_LABELS, GoldParagraph

Span3 = tuple[int, int, str]
RULE_COMPONENT = "zhie_rule_ner"


@dataclass
class FunctionTally:
    matches: int = 0
    exact: int = 0
    overlap: int = 0
    per_label: Counter[str] = field(default_factory=Counter)

    def to_json(self, gold_by_label: Counter[str]) -> dict[str, Any]:
        labels = [label for label in self.per_label if self.per_label[label]]
        gold = sum(gold_by_label[label] for label in labels)
        return {
            "matches": self.matches,
            "exact": self.exact,
            "overlap": self.overlap,
            "precision": self.exact / self.matches if self.matches else 0.0,
            "overlap_precision": self.overlap / self.matches if self.matches else 0.0,
            "coverage": self.exact / gold if gold else 0.0,
            "labels": dict(sorted(self.per_label.items())),
        }


def _to_original(doc: Doc, start: int, end: int, label: str) -> Span3:
    """A token span of the simplified text -> (start, end, label) in ORIGINAL text offsets."""
    span = Span(doc, start, end, label=label)
    return span._.original_start, span._.original_end, label


def _original(doc: Doc, spans: Sequence[Span3]) -> set[Span3]:
    return {_to_original(doc, *span) for span in spans}


def _overlaps(span: Span3, gold: set[Span3]) -> bool:
    return any(g[2] == span[2] and g[0] < span[1] and span[0] < g[1] for g in gold)


def tally_matches(
    tallies: dict[str, FunctionTally], doc: Doc, matches: Sequence[tuple[str, Span3]], gold: set[Span3]
) -> None:
    """Count each function's matches on one paragraph against its gold (original offsets)."""
    for name, match in matches:
        tally = tallies[name]
        key = _to_original(doc, *match)
        tally.matches += 1
        tally.per_label[match[2]] += 1
        tally.exact += key in gold
        tally.overlap += _overlaps(key, gold)


def rules_component(nlp: Language) -> Any:
    return nlp.get_pipe(RULE_COMPONENT)


def gold_stats(
    nlp: Language,
    paragraphs: Sequence[GoldParagraph],
    functions: Sequence[LabellingFunction] | None = None,
) -> dict[str, Any]:
    """Per-function figures and the rules' scores (voting, voting + document propagation).

    ``nlp`` supplies the tokenizer and the ``zhie_rule_ner`` component (its voting weights);
    ``functions`` defaults to that component's functions.
    """
    component = rules_component(nlp)
    functions = list(component.functions if functions is None else functions)
    tallies = {f.name: FunctionTally() for f in functions}
    gold_sets = [p.entity_set() for p in paragraphs]
    gold_by_label: Counter[str] = Counter(label for g in gold_sets for _, _, label in g)
    voted: list[set[Span3]] = []
    docs: list[Doc] = []
    token_spans: list[list[Span3]] = []
    for paragraph, gold in zip(paragraphs, gold_sets, strict=True):
        doc = nlp.make_doc(paragraph.text)
        text = simplified_text(doc)
        matches = [(f.name, m) for f in functions for m in f.find(text)]
        tally_matches(tallies, doc, matches, gold)
        spans = component.aggregate(matches)
        if getattr(component, "propagate", False):
            spans = _document_propagation(component, [text], [spans])[0]  # as the component does
        docs.append(doc)
        token_spans.append(spans)
        voted.append(_original(doc, spans))
    propagated = _propagate_by_document(component, paragraphs, docs, token_spans)
    return {
        "paragraphs": len(paragraphs),
        "gold_entities": dict(sorted(gold_by_label.items())),
        "functions": {name: t.to_json(gold_by_label) for name, t in tallies.items()},
        "rules": entity_scores(paragraphs, gold_sets, voted),
        "rules_doc_propagation": entity_scores(paragraphs, gold_sets, propagated),
    }


def _document_propagation(component: Any, texts: list[str], spans: list[list[Span3]]) -> list[list[Span3]]:
    """The component's own propagation (with its vetoes) where it has one, else the plain one."""
    if hasattr(component, "propagate_document"):
        return component.propagate_document(texts, spans)
    return propagate(texts, spans)


def _propagate_by_document(
    component: Any, paragraphs: Sequence[GoldParagraph], docs: Sequence[Doc], spans: Sequence[list[Span3]]
) -> list[set[Span3]]:
    """Voting output propagated across the paragraphs of each gold document (``doc`` field)."""
    by_doc: dict[str, list[int]] = defaultdict(list)
    for i, paragraph in enumerate(paragraphs):
        by_doc[paragraph.doc or paragraph.id].append(i)
    out: list[set[Span3]] = [set() for _ in paragraphs]
    for indices in by_doc.values():
        texts = [simplified_text(docs[i]) for i in indices]
        new = _document_propagation(component, texts, [spans[i] for i in indices])
        for i, doc_spans in zip(indices, new, strict=True):
            out[i] = _original(docs[i], doc_spans)
    return out


def entity_scores(
    paragraphs: Sequence[GoldParagraph], gold: Sequence[set[Span3]], pred: Sequence[set[Span3]]
) -> dict[str, Any]:
    texts = [p.text for p in paragraphs]
    exact = score_entities(list(gold), list(pred))
    mention = score_mentions(mention_sets(texts, list(gold)), mention_sets(texts, list(pred)))
    return {
        "exact": {"micro": exact["micro"], "per_label": exact["per_label"]},
        "mention": {"micro": mention["micro"], "per_label": mention["per_label"]},
    }


def format_table(name: str, stats: dict[str, Any]) -> list[str]:
    """Plain-text lines: one per function, then the rules' F1 (exact / mention)."""
    lines = [f"== {name}: {stats['paragraphs']} paragraphs, gold {stats['gold_entities']}"]
    lines.append(f"{'function':<30} {'match':>6} {'exact':>6} {'ovl':>5} {'P':>6} {'P_ovl':>6} {'cov':>6}")
    for fn, s in stats["functions"].items():
        lines.append(
            f"{fn:<30} {s['matches']:>6} {s['exact']:>6} {s['overlap']:>5} {s['precision']:>6.3f} "
            f"{s['overlap_precision']:>6.3f} {s['coverage']:>6.3f}"
        )
    for system in ("rules", "rules_doc_propagation"):
        for level in ("exact", "mention"):
            scores = stats[system][level]
            cells = " ".join(
                f"{label} {scores['per_label'][label]['f1']:.3f}"
                for label in ENTITY_LABELS if label in scores["per_label"]
            )
            lines.append(f"{system:<22} {level:<8} micro F1 {scores['micro']['f1']:.3f} | {cells}")
    return lines


def load_rules(seeds: Path | None, rules: Path | None) -> Language:
    """A rules pipeline built from a seeds directory, or a saved one (``spacy.load``)."""
    from .pipeline import load_rules_pipeline

    path = rules if rules is not None else seeds
    if path is None:
        raise ValueError("give a seeds directory or a rules pipeline")
    return load_rules_pipeline(path)


def lf_gold_stats(
    gold: Annotated[list[Path], typer.Option(help="Gold JSONL (repeat for several).")],
    out: Annotated[Path, typer.Option(help="Output JSON.")],
    seeds: Annotated[Path | None, typer.Option(help="Seeds directory (builds the rules).")] = None,
    rules: Annotated[Path | None, typer.Option(help="A saved pipeline with zhie_rule_ner instead.")] = None,
) -> None:
    """Per-labelling-function precision/coverage and the rules' F1 on each gold file."""
    import json

    from zhie.gold import read_gold

    if (seeds is None) == (rules is None):
        raise typer.BadParameter("give exactly one of --seeds and --rules", param_hint="--seeds")
    nlp = load_rules(seeds, rules)
    result = {}
    for path in gold:
        stats = gold_stats(nlp, read_gold(path))
        result[str(path)] = stats
        typer.echo("\n".join(format_table(path.name, stats)))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    typer.echo(f"-> {out}")
