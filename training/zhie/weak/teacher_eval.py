"""The weak teacher (rules + LAC + propagation) scored on gold files, with per-source figures.

The same ``Teacher`` that labels the corpus labels the gold paragraphs (each gold ``doc`` is a
document for propagation); every labelling function's matches are tallied as in
``gold_stats`` (precision = exact span and label, coverage = share of the gold entities of
its labels), so the LAC sources and the rule functions stand in one table.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from spacy.language import Language

from zhie.gold import GoldParagraph

from .gold_stats import FunctionTally, entity_scores, tally_matches
from .teacher import Teacher

Span3 = tuple[int, int, str]


def teacher_gold_stats(
    nlp: Language, teacher: Teacher, paragraphs: Sequence[GoldParagraph]
) -> dict[str, Any]:
    output = teacher.label(nlp, [p.text for p in paragraphs], [p.doc or p.id for p in paragraphs],
                           progress=False)
    tallies = {name: FunctionTally() for name in output.function_names}
    gold_sets = [p.entity_set() for p in paragraphs]
    gold_by_label: Counter[str] = Counter(label for g in gold_sets for _, _, label in g)
    predicted: list[set[Span3]] = []
    for doc, matches, gold in zip(output.docs, output.matches, gold_sets, strict=True):
        tally_matches(tallies, doc, matches, gold)
        predicted.append({(e._.original_start, e._.original_end, e.label_) for e in doc.ents})
    return {
        "paragraphs": len(paragraphs),
        "gold_entities": dict(sorted(gold_by_label.items())),
        "functions": {name: t.to_json(gold_by_label) for name, t in tallies.items()},
        "teacher": entity_scores(paragraphs, gold_sets, predicted),
    }
