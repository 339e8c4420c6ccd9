"""The weak teacher: rule labelling functions + LAC's tags -> voting -> document propagation.

One implementation serves the weak-labelling step (the corpus) and the teacher's own scores
on the gold files (``zhie teacher-eval``), so what is measured is what labels the corpus.
Settings come from the ``[zhie.teacher]`` section of the training config:

- ``lac_weights``: voting weight of each LAC source (``lac_functions.LAC_SOURCES``); a source
  missing or at 0 is not used. The rule functions keep the weights of the rules pipeline.
- ``lac_mode``: ``fill`` (the rules' entities first; LAC's entities only where no rule entity
  overlaps them) or ``vote`` (LAC's matches vote with the rules' in one priority voting,
  where the longest span wins).
- ``propagate``: document-level propagation (``zhie_rule_ner.propagate_document``) over the
  paragraphs of each document.
- ``processes``: LAC worker processes.
- ``unknown_sources``: LAC sources (not voting) whose matches that no teacher entity overlaps
  are stored as ``doc.spans["zhie_unknown"]``: names the teacher is unsure of, which the
  training reader can leave unlabelled rather than teach as O (``[corpora.train]
  unknown_spans``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from zh_industry_ie.contracts import UNKNOWN_SPANS_KEY
from zh_industry_ie.rules.aggregate import vote
from zh_industry_ie.rules.entity_ruler import RuleEntityRecognizer
from zh_industry_ie.rules.text import simplified_text

from .lac_functions import LAC_SOURCES, LacFunctions, lac_words

Span3 = tuple[int, int, str]
LAC_MODES = ("fill", "vote")


@dataclass(frozen=True)
class TeacherSettings:
    lac_weights: Mapping[str, float] = field(default_factory=dict)
    propagate: bool = False
    processes: int = 2
    lac_mode: str = "fill"
    unknown_sources: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.lac_mode not in LAC_MODES:
            raise ValueError(f"[zhie.teacher] lac_mode must be one of {LAC_MODES}, got {self.lac_mode!r}")
        known = {s.name for s in LAC_SOURCES}
        missing = sorted(set(self.unknown_sources) - known)
        if missing:
            raise ValueError(f"[zhie.teacher] unknown_sources: unknown source(s) {missing}; "
                             f"known: {sorted(known)}")

    @classmethod
    def from_config(cls, section: Mapping[str, Any] | None) -> TeacherSettings:
        section = dict(section or {})
        unknown = set(section) - {"lac_weights", "propagate", "processes", "lac_mode", "unknown_sources"}
        if unknown:
            raise ValueError(f"[zhie.teacher]: unknown setting(s) {sorted(unknown)}")
        weights = {str(k): float(v) for k, v in dict(section.get("lac_weights", {})).items()}
        known = {s.name for s in LAC_SOURCES}
        if set(weights) - known:
            raise ValueError(f"[zhie.teacher] lac_weights: unknown source(s) {sorted(set(weights) - known)}; "
                             f"known: {sorted(known)}")
        return cls(weights, bool(section.get("propagate", False)), int(section.get("processes", 2)),
                   str(section.get("lac_mode", "fill")), tuple(section.get("unknown_sources", ())))


@dataclass
class TeacherOutput:
    """Per paragraph: the Doc (entities set), every function's matches, the final spans."""

    docs: list[Doc]
    matches: list[list[tuple[str, Span3]]]
    function_names: list[str]


class Teacher:
    def __init__(self, rules: Language, settings: TeacherSettings, lac_dir: Path | None) -> None:
        self.ruler = _rule_ner(rules)
        self.settings = settings
        used = [s for s in LAC_SOURCES if settings.lac_weights.get(s.name, 0.0) > 0]
        unsure = [s for s in LAC_SOURCES if s.name in settings.unknown_sources]
        if (used or unsure) and lac_dir is None:
            raise ValueError("the teacher's LAC sources need the LAC directory (zhie lac-fetch)")
        if (used or unsure) and self.ruler.seeds is None:
            raise ValueError("the rules pipeline has no seeds")
        self.lac_dir = lac_dir if used or unsure else None
        self.lac = LacFunctions(self.ruler.seeds, used) if used else None
        self.unsure = LacFunctions(self.ruler.seeds, unsure) if unsure else None
        self.weights = {**self.ruler.weights, **{s.name: settings.lac_weights[s.name] for s in used}}

    @property
    def function_names(self) -> list[str]:
        return self.ruler.function_names() + (self.lac.names if self.lac else [])

    def label(
        self, nlp: Language, texts: Sequence[str], documents: Sequence[str], progress: bool = True
    ) -> TeacherOutput:
        """Label each text (a paragraph of document ``documents[i]``) with the whole teacher."""
        if len(texts) != len(documents):
            raise ValueError(f"{len(texts)} texts but {len(documents)} document ids")
        docs = [nlp.make_doc(text) for text in texts]
        simplified = [simplified_text(doc) for doc in docs]
        lac = (
            lac_words(simplified, self.lac_dir, self.settings.processes, progress=progress)
            if (self.lac is not None or self.unsure is not None) and self.lac_dir is not None else None
        )
        all_matches: list[list[tuple[str, Span3]]] = []
        spans: list[list[Span3]] = []
        for i, text in enumerate(simplified):
            rule_matches = self.ruler.matches(text)
            lac_matches = [] if self.lac is None or lac is None else list(self.lac.matches(text, lac[i]))
            all_matches.append(rule_matches + lac_matches)
            spans.append(self._aggregate(rule_matches, lac_matches))
        if self.settings.propagate:
            spans = self._propagate(simplified, documents, spans)
        for i, (doc, para_spans) in enumerate(zip(docs, spans, strict=True)):
            doc.ents = [Span(doc, s, e, label=label) for s, e, label in para_spans]
            if self.unsure is not None and lac is not None:
                doc.spans[UNKNOWN_SPANS_KEY] = [
                    Span(doc, s, e, label=label) for s, e, label in unlabelled_regions(
                        (m for _, m in self.unsure.matches(simplified[i], lac[i])), para_spans)
                ]
        return TeacherOutput(docs, all_matches, self.function_names)

    def _aggregate(
        self, rule_matches: list[tuple[str, Span3]], lac_matches: list[tuple[str, Span3]]
    ) -> list[Span3]:
        order, floor = self.ruler.label_order, self.ruler.min_weight
        if self.settings.lac_mode == "vote" or not lac_matches:
            return vote(rule_matches + lac_matches, self.weights, order, floor)
        ruled = vote(rule_matches, self.weights, order, floor)
        free = [(n, m) for n, m in lac_matches if not any(s < m[1] and m[0] < e for s, e, _ in ruled)]
        return sorted(ruled + vote(free, self.weights, order, floor))

    def _propagate(
        self, texts: Sequence[str], documents: Sequence[str], spans: list[list[Span3]]
    ) -> list[list[Span3]]:
        by_document: dict[str, list[int]] = defaultdict(list)
        for i, document in enumerate(documents):
            by_document[document].append(i)
        out = list(spans)
        for indices in by_document.values():
            new = self.ruler.propagate_document([texts[i] for i in indices], [spans[i] for i in indices])
            for i, para_spans in zip(indices, new, strict=True):
                out[i] = para_spans
        return out


def unlabelled_regions(candidates: Iterable[Span3], entities: Sequence[Span3]) -> list[Span3]:
    """The candidates that overlap no entity nor an earlier kept candidate, in text order."""
    taken = list(entities)
    out: list[Span3] = []
    for start, end, label in sorted(set(candidates)):
        if start < end and not any(s < end and start < e for s, e, _ in taken):
            out.append((start, end, label))
            taken.append((start, end, label))
    return out


def _rule_ner(nlp: Language) -> RuleEntityRecognizer:
    for _, pipe in nlp.pipeline:
        if isinstance(pipe, RuleEntityRecognizer):
            return pipe
    raise ValueError("the pipeline has no zhie_rule_ner component")
