"""Per-function statistics of the labelling functions over a corpus (skweak-style analysis).

For each function: spans proposed, spans per label, paragraphs covered, characters covered,
overlaps (a span overlapping a span of another function with the same label), conflicts
(overlapping a span of another function with a different label) and spans kept by the
aggregation (exactly equal to a final entity).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

Span3 = tuple[int, int, str]


@dataclass
class FunctionStats:
    spans: int = 0
    per_label: Counter[str] = field(default_factory=Counter)
    paragraphs: int = 0
    chars: int = 0
    overlaps: int = 0
    conflicts: int = 0
    kept: int = 0


@dataclass
class LabellingStats:
    function_names: Sequence[str]
    paragraphs: int = 0
    characters: int = 0
    functions: dict[str, FunctionStats] = field(default_factory=dict)
    entities: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        for name in self.function_names:
            self.functions.setdefault(name, FunctionStats())

    def add(self, length: int, matches: Iterable[tuple[str, Span3]], final: Iterable[Span3]) -> None:
        self.paragraphs += 1
        self.characters += length
        by_function: dict[str, list[Span3]] = defaultdict(list)
        for name, span in matches:
            by_function[name].append(span)
        final_set = set(final)
        self.entities.update(label for _, _, label in final_set)
        # Spans sorted by start for a sweep of overlaps between functions.
        flat = sorted(((s, e, lab, name) for name, spans in by_function.items() for s, e, lab in spans))
        for name, spans in by_function.items():
            stats = self.functions.setdefault(name, FunctionStats())
            stats.spans += len(spans)
            stats.paragraphs += 1
            stats.per_label.update(lab for _, _, lab in spans)
            covered = bytearray(length)
            for s, e, _ in spans:
                covered[s:e] = b"\x01" * (e - s)
            stats.chars += sum(covered)
            stats.kept += sum(1 for span in spans if span in final_set)
        for i, (s, e, lab, name) in enumerate(flat):
            same = other = False
            for j in range(len(flat)):
                s2, e2, lab2, name2 = flat[j]
                if s2 >= e:
                    break
                if j == i or name2 == name or e2 <= s:
                    continue
                if lab2 == lab:
                    same = True
                else:
                    other = True
            self.functions[name].overlaps += same
            self.functions[name].conflicts += other

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "paragraphs": self.paragraphs,
            "characters": self.characters,
            "entities": dict(sorted(self.entities.items())),
            "functions": {},
        }
        for name in self.function_names:
            st = self.functions[name]
            out["functions"][name] = {
                "spans": st.spans,
                "per_label": dict(sorted(st.per_label.items())),
                "paragraphs_covered": st.paragraphs,
                "coverage": round(st.paragraphs / self.paragraphs, 4) if self.paragraphs else 0.0,
                "char_coverage": round(st.chars / self.characters, 5) if self.characters else 0.0,
                "overlaps": st.overlaps,
                "conflicts": st.conflicts,
                "kept": st.kept,
                "precision_vs_aggregate": round(st.kept / st.spans, 4) if st.spans else 0.0,
            }
        return out
