"""``zhie_rule_ner``: every entity labelling function + priority voting, setting ``doc.ents``.

Seeds load at ``initialize(seeds_dir=...)`` from the repository's ``seeds/`` and are saved with
the pipeline (``seeds.json``), so a saved pipeline works without the repository. The config
chooses the functions (empty list: all) and their voting weights; see ``aggregate.py``.

``lac_first`` names LAC sources (``lac_sources.py``) whose names come before the rules' where
they overlap, as in the weak teacher (``[zhie.teacher] lac_first``): LAC's words are those the
LAC features layer of the tok2vec left on the Doc (``contracts.LAC_WORDS_KEY``). Without them
(a pipeline without LAC, or with the tok2vec disabled) the component is the rules alone.
``trim_process_words`` uses the same LAC words to cut verbal nouns off the end of PRODUCT
entities (锌冶炼 -> 锌), as the teacher does.
"""

# No `from __future__ import annotations`: spaCy validates initialize() arguments with
# pydantic, which needs real (not string) annotations there.
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..contracts import ENTITY_LABELS, LAC_WORDS_KEY
from ..seeded import SeededComponent
from .aggregate import Span3, fill_in_order, vote
from .base import LabellingFunction
from .functions import build_functions
from .lac_sources import LacFunctions, ProcessWordTrimmer, lac_sources
from .org_generic import alias_deriver
from .propagate import Accept, Derive, occurrence_filter
from .propagate import propagate as propagate_spans
from .seeds import SeedData, load_seeds
from .text import simplified_text

# Default voting order (a tie goes to the earlier label): ORG, then PARK, then the rest of
# the label set in its contract order.
_FIRST_IN_TIES = ("ORG", "PARK")
LABELS = (*_FIRST_IN_TIES, *(label for label in ENTITY_LABELS if label not in _FIRST_IN_TIES))


class RuleEntityRecognizer(SeededComponent):
    data_file = "seeds.json"

    def __init__(
        self,
        nlp: Language,
        name: str,
        functions: list[str],
        weights: dict[str, float],
        min_weight: float,
        label_order: list[str],
        keep_labels: list[str] | None = None,
        *,
        scorer: Callable | None = None,
        propagate: bool = True,
        lac_first: list[str] | None = None,
        trim_process_words: bool = False,
        names_over_parts: dict[str, list[str]] | None = None,
    ) -> None:
        self.name = name
        self.lac_first = lac_sources(list(lac_first or []), f"{name} lac_first")
        self.lac_functions: LacFunctions | None = None
        self.trim_process_words = bool(trim_process_words)
        self.trimmer: ProcessWordTrimmer | None = None
        # Label the other exact occurrences of a mention found once in the Doc (propagate.py).
        self.propagate = bool(propagate)
        self.accept: Accept | None = None
        self.derive: Derive | None = None
        self.scorer = scorer
        # Entities set by an earlier component (the trained ner) that survive: only these
        # labels (None: all), and only where no rule entity overlaps them.
        self.keep_labels = None if keep_labels is None else frozenset(keep_labels)
        # A kept ner name that strictly contains rule entities of these labels, and overlaps no
        # other, replaces them: ANNOTATION.md tags no GPE inside a longer ORG or PARK name
        # (宜昌 in 宜昌丙丁循环园), which the rules cut out where their park words stop.
        self.names_over_parts = {
            label: frozenset(parts) for label, parts in (names_over_parts or {}).items()
        }
        self.selected = list(functions)
        self.weights = dict(weights)
        self.min_weight = float(min_weight)
        self.label_order = list(label_order) or list(LABELS)
        self.seeds: SeedData | None = None
        self.functions: list[LabellingFunction] = []
        self.enclosing: frozenset[str] = frozenset()

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(self.label_order)

    def has_seeds(self) -> bool:
        return self.seeds is not None

    def load_seeds(self, seeds_dir: Path) -> None:
        self._set_seeds(load_seeds(seeds_dir))

    def _set_seeds(self, seeds: SeedData) -> None:
        functions = build_functions(seeds)
        if self.selected:
            known = {f.name for f in functions}
            unknown = sorted(set(self.selected) - known)
            if unknown:
                raise ValueError(
                    f"{self.name}: unknown labelling function(s) {unknown}; known: {sorted(known)}"
                )
            functions = [f for f in functions if f.name in self.selected]
        self.seeds = seeds
        self.functions = functions
        # The functions whose names enclose an earlier layer's names (aggregate.fill_in_order).
        self.enclosing = frozenset(f.name for f in functions if f.encloses_names)
        self.accept = occurrence_filter(seeds)
        self.derive = alias_deriver(seeds)
        self.lac_functions = LacFunctions(seeds, self.lac_first) if self.lac_first else None
        self.trimmer = ProcessWordTrimmer(seeds) if self.trim_process_words else None

    def function_names(self) -> list[str]:
        return [f.name for f in self.functions]

    def matches(self, text: str) -> list[tuple[str, Span3]]:
        """Every function's raw matches on a simplified text: (function name, span)."""
        return [(f.name, m) for f in self.functions for m in f.find(text)]

    def aggregate(self, matches: Iterable[tuple[str, Span3]]) -> list[Span3]:
        return vote(matches, self.weights, self.label_order, self.min_weight)

    def propagate_document(self, texts: Sequence[str], spans: Sequence[Sequence[Span3]]) -> list[list[Span3]]:
        """Document-level propagation over the simplified texts of one document's paragraphs."""
        return propagate_spans(texts, spans, accept=self.accept, derive=self.derive)

    def __call__(self, doc: Doc) -> Doc:
        if self.seeds is None:
            raise ValueError(f"{self.name} has no seeds: call nlp.initialize(...) with seeds_dir")
        text = simplified_text(doc)
        lac_words = doc.user_data.get(LAC_WORDS_KEY) or []
        if self.lac_functions is not None and lac_words:
            first = list(self.lac_functions.matches(text, lac_words))
            spans = fill_in_order(
                [first, self.matches(text)], self.weights, self.label_order, self.min_weight, text,
                self.enclosing,
            )
        else:
            spans = self.aggregate(self.matches(text))
        if self.trimmer is not None and lac_words:
            spans = self.trimmer.trim(text, spans, lac_words)
        if self.propagate:
            spans = self.propagate_document([text], [spans])[0]
        ents = [Span(doc, start, end, label=label) for start, end, label in spans]
        candidates = [
            ent for ent in doc.ents if self.keep_labels is None or ent.label_ in self.keep_labels
        ]
        wrapping = [ent for ent in candidates if self._wraps_parts(ent, ents)]
        ents = [ent for ent in ents if not any(_inside(ent, name) for name in wrapping)]
        covered = {i for ent in ents for i in range(ent.start, ent.end)}
        kept = [
            ent for ent in candidates if not any(i in covered for i in range(ent.start, ent.end))
        ]
        doc.ents = sorted([*ents, *kept], key=lambda span: span.start)
        return doc

    def _wraps_parts(self, name: Span, rule_ents: Sequence[Span]) -> bool:
        parts = self.names_over_parts.get(name.label_)
        if not parts:
            return False
        overlapping = [e for e in rule_ents if e.start < name.end and name.start < e.end]
        return bool(overlapping) and all(
            e.label_ in parts and _inside(e, name) for e in overlapping
        )

    def seed_data(self) -> SeedData:
        assert self.seeds is not None
        return self.seeds

    def set_seed_data(self, data: SeedData) -> None:
        self._set_seeds(data)


def _inside(part: Span, name: Span) -> bool:
    """``part`` lies inside ``name`` and is shorter."""
    return name.start <= part.start and part.end <= name.end and len(part) < len(name)


DEFAULT_CONFIG: dict[str, Any] = {
    "functions": [],
    "weights": {},
    "min_weight": 0.0,
    "label_order": list(LABELS),
    "keep_labels": None,
    "propagate": True,
    "lac_first": [],
    "trim_process_words": False,
    "names_over_parts": {},
    "scorer": {"@scorers": "spacy.ner_scorer.v1"},
}


@Language.factory(
    "zhie_rule_ner",
    assigns=["doc.ents"],
    default_config=DEFAULT_CONFIG,
    default_score_weights={"ents_f": 1.0, "ents_p": 0.0, "ents_r": 0.0, "ents_per_type": None},
)
def make_rule_ner(
    nlp: Language,
    name: str,
    functions: list[str],
    weights: dict[str, float],
    min_weight: float,
    label_order: list[str],
    keep_labels: list[str] | None,
    scorer: Callable | None,
    propagate: bool,
    lac_first: list[str],
    trim_process_words: bool,
    names_over_parts: dict[str, list[str]],
) -> RuleEntityRecognizer:
    return RuleEntityRecognizer(
        nlp, name, functions, weights, min_weight, label_order, keep_labels, scorer=scorer,
        propagate=propagate, lac_first=lac_first, trim_process_words=trim_process_words,
        names_over_parts=names_over_parts,
    )
