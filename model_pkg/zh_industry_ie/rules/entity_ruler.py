"""``zhie_rule_ner``: every entity labelling function + priority voting, setting ``doc.ents``.

Seeds load at ``initialize(seeds_dir=...)`` from the repository's ``seeds/`` and are saved with
the pipeline (``seeds.json``), so a saved pipeline works without the repository. The config
chooses the functions (empty list: all) and their voting weights; see ``aggregate.py``.
"""

# No `from __future__ import annotations`: spaCy validates initialize() arguments with
# pydantic, which needs real (not string) annotations there.
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..seeded import SeededComponent
from .aggregate import Span3, vote
from .base import LabellingFunction
from .functions import build_functions
from .seeds import SeedData, load_seeds
from .text import simplified_text

LABELS = ("ORG", "PARK", "GPE", "PRODUCT", "MONEY", "QUANTITY")
_SEEDS_FILE = "seeds.json"


class RuleEntityRecognizer(SeededComponent):
    def __init__(
        self,
        nlp: Language,
        name: str,
        functions: list[str],
        weights: dict[str, float],
        min_weight: float,
        label_order: list[str],
        keep_labels: list[str] | None = None,
    ) -> None:
        self.name = name
        # Entities set by an earlier component (the trained ner) that survive: only these
        # labels (None: all), and only where no rule entity overlaps them.
        self.keep_labels = None if keep_labels is None else frozenset(keep_labels)
        self.selected = list(functions)
        self.weights = dict(weights)
        self.min_weight = float(min_weight)
        self.label_order = list(label_order) or list(LABELS)
        self.seeds: SeedData | None = None
        self.functions: list[LabellingFunction] = []

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

    def function_names(self) -> list[str]:
        return [f.name for f in self.functions]

    def matches(self, text: str) -> list[tuple[str, Span3]]:
        """Every function's raw matches on a simplified text: (function name, span)."""
        return [(f.name, m) for f in self.functions for m in f.find(text)]

    def aggregate(self, matches: Iterable[tuple[str, Span3]]) -> list[Span3]:
        return vote(matches, self.weights, self.label_order, self.min_weight)

    def __call__(self, doc: Doc) -> Doc:
        if self.seeds is None:
            raise ValueError(f"{self.name} has no seeds: call nlp.initialize(...) with seeds_dir")
        spans = self.aggregate(self.matches(simplified_text(doc)))
        ents = [Span(doc, start, end, label=label) for start, end, label in spans]
        covered = {i for ent in ents for i in range(ent.start, ent.end)}
        kept = [
            ent for ent in doc.ents
            if (self.keep_labels is None or ent.label_ in self.keep_labels)
            and not any(i in covered for i in range(ent.start, ent.end))
        ]
        doc.ents = sorted([*ents, *kept], key=lambda span: span.start)
        return doc

    def _payload(self) -> bytes:
        if self.seeds is None:
            raise ValueError(f"{self.name}: nothing to save before initialize")
        return json.dumps(self.seeds, ensure_ascii=False, sort_keys=True).encode("utf-8")

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        directory = Path(path)
        directory.mkdir(parents=True, exist_ok=True)
        (directory / _SEEDS_FILE).write_bytes(self._payload())

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "RuleEntityRecognizer":
        self._set_seeds(json.loads((Path(path) / _SEEDS_FILE).read_text(encoding="utf-8")))
        return self

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return self._payload()

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> "RuleEntityRecognizer":
        self._set_seeds(json.loads(data.decode("utf-8")))
        return self


DEFAULT_CONFIG: dict[str, Any] = {
    "functions": [],
    "weights": {},
    "min_weight": 0.0,
    "label_order": list(LABELS),
    "keep_labels": None,
}


@Language.factory("zhie_rule_ner", default_config=DEFAULT_CONFIG)
def make_rule_ner(
    nlp: Language,
    name: str,
    functions: list[str],
    weights: dict[str, float],
    min_weight: float,
    label_order: list[str],
    keep_labels: list[str] | None,
) -> RuleEntityRecognizer:
    return RuleEntityRecognizer(nlp, name, functions, weights, min_weight, label_order, keep_labels)
