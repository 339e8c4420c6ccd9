"""The weak teacher: rule labelling functions + LAC's tags -> voting -> document propagation.

One implementation serves the weak-labelling step (the corpus) and the teacher's own scores
on the gold files (``zhie teacher-eval``), so what is measured is what labels the corpus.
Settings come from the ``[zhie.teacher]`` section of the training config:

- ``lac_weights``: voting weight of each LAC source (``zh_industry_ie.rules.lac_sources``); a source
  missing or at 0 is not used. The rule functions keep the weights of the rules pipeline.
- ``lac_mode``: ``fill`` (the rules' entities first; LAC's entities only where no rule entity
  overlaps them) or ``vote`` (LAC's matches vote with the rules' in one priority voting,
  where the longest span wins).
- ``lac_first``: in ``fill`` mode, LAC sources whose entities come *before* the rules' (the
  rules then fill where none of them overlaps): LAC's whole organisation name wins over a
  rule's place prefix or shorter name inside it (臺灣 of 臺灣統一集團).
- ``trim_process_words``: PRODUCT entities lose the verbal nouns (LAC's ``vn``) at their end
  (锌冶炼 -> 锌; ``lac_sources.ProcessWordTrimmer``).
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
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from zh_industry_ie.contracts import UNKNOWN_SPANS_KEY
from zh_industry_ie.rules.aggregate import fill_in_order, vote
from zh_industry_ie.rules.entity_ruler import RuleEntityRecognizer
from zh_industry_ie.rules.lac_sources import LAC_SOURCES, LacFunctions, ProcessWordTrimmer, lac_sources
from zh_industry_ie.rules.text import simplified_text

from .lac_functions import lac_words

Span3 = tuple[int, int, str]
LAC_MODES = ("fill", "vote")


@dataclass(frozen=True)
class TeacherSettings:
    lac_weights: Mapping[str, float] = field(default_factory=dict)
    propagate: bool = False
    processes: int = 2
    lac_mode: str = "fill"
    unknown_sources: tuple[str, ...] = ()
    lac_first: tuple[str, ...] = ()
    trim_process_words: bool = False

    def __post_init__(self) -> None:
        if self.lac_mode not in LAC_MODES:
            raise ValueError(f"[zhie.teacher] lac_mode must be one of {LAC_MODES}, got {self.lac_mode!r}")
        for setting in ("lac_weights", "unknown_sources", "lac_first"):
            lac_sources(list(getattr(self, setting)), f"[zhie.teacher] {setting}")
        if self.lac_first and self.lac_mode != "fill":
            raise ValueError(f"[zhie.teacher] lac_first orders the sources in lac_mode = \"fill\"; "
                             f"lac_mode is {self.lac_mode!r}")
        silent = sorted(s for s in self.lac_first if self.lac_weights.get(s, 0.0) <= 0)
        if silent:
            raise ValueError(f"[zhie.teacher] lac_first: {silent} have no weight in lac_weights, so they "
                             "label nothing; give them a weight or remove them")

    @classmethod
    def from_config(cls, section: Mapping[str, Any] | None) -> TeacherSettings:
        section = dict(section or {})
        unknown = set(section) - {"lac_weights", "propagate", "processes", "lac_mode", "unknown_sources",
                                  "lac_first", "trim_process_words"}
        if unknown:
            raise ValueError(f"[zhie.teacher]: unknown setting(s) {sorted(unknown)}")
        weights = {str(k): float(v) for k, v in dict(section.get("lac_weights", {})).items()}
        return cls(weights, bool(section.get("propagate", False)), int(section.get("processes", 2)),
                   str(section.get("lac_mode", "fill")), tuple(section.get("unknown_sources", ())),
                   tuple(section.get("lac_first", ())), bool(section.get("trim_process_words", False)))


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
        needs_lac = bool(used or unsure or settings.trim_process_words)
        if needs_lac and lac_dir is None:
            raise ValueError("the teacher's LAC sources need the LAC directory (zhie lac-fetch)")
        if needs_lac and self.ruler.seeds is None:
            raise ValueError("the rules pipeline has no seeds")
        self.lac_dir = lac_dir if needs_lac else None
        self.lac = LacFunctions(self.ruler.seeds, used) if used else None
        self.unsure = LacFunctions(self.ruler.seeds, unsure) if unsure else None
        self.trimmer = ProcessWordTrimmer(self.ruler.seeds) if settings.trim_process_words else None
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
            if self.lac_dir is not None else None
        )
        all_matches: list[list[tuple[str, Span3]]] = []
        spans: list[list[Span3]] = []
        for i, text in enumerate(simplified):
            rule_matches = self.ruler.matches(text)
            lac_matches = [] if self.lac is None or lac is None else list(self.lac.matches(text, lac[i]))
            all_matches.append(rule_matches + lac_matches)
            para_spans = self._aggregate(text, rule_matches, lac_matches)
            if self.trimmer is not None and lac is not None:
                para_spans = self.trimmer.trim(text, para_spans, lac[i])
            spans.append(para_spans)
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
        self, text: str, rule_matches: list[tuple[str, Span3]], lac_matches: list[tuple[str, Span3]]
    ) -> list[Span3]:
        order, floor = self.ruler.label_order, self.ruler.min_weight
        if self.settings.lac_mode == "vote" or not lac_matches:
            return vote(rule_matches + lac_matches, self.weights, order, floor)
        return fill_in_order(
            [[m for m in lac_matches if m[0] in self.settings.lac_first],
             rule_matches,
             [m for m in lac_matches if m[0] not in self.settings.lac_first]],
            self.weights, order, floor, text, self.ruler.enclosing,
        )

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


def teacher_from_config(
    rules: Language, config: Path | None, lac_dir: Path | None, processes: int | None = None
) -> Teacher:
    """The teacher of ``[zhie.teacher]`` in ``config`` (the rules alone without a config);
    ``processes`` overrides its LAC worker count (the held-out folds already run in parallel)."""
    from spacy.util import load_config

    section = load_config(config).get("zhie", {}).get("teacher") if config is not None else None
    settings = TeacherSettings.from_config(section)
    if processes is not None:
        settings = replace(settings, processes=processes)
    return Teacher(rules, settings, lac_dir)
