"""Relation cue families: small labelling functions over the entities of one sentence.

A sentence is turned into a *template*: each entity becomes one private-use character that
stands for its label, every other token contributes its simplified character
(``token.norm_``). Cue patterns are regular expressions over that template, written with
``{ORG}``, ``{GPE}``, ``{PARK}``, ``{PRODUCT}``, ``{MONEY}``, ``{QUANTITY}`` and the macros of
``seeds/relations/macros.json``. A pattern marks a ``head`` and a ``tail`` region with named
groups; every entity in the head region whose label may head the relation is paired with every
entity in the tail region whose label may end it. That one mechanism covers lists
("隆基、晶澳、阳光3个企业落户曲靖" gives three heads) without one pattern per list length.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.tokens import Doc, Span

from ..relations import RELATION_SIGNATURES
from ..sentences import sentence_bounds

# Private-use characters cannot occur in normalised news text, so a placeholder never
# collides with a real character.
PLACEHOLDERS: dict[str, str] = {
    "ORG": "\ue001",
    "GPE": "\ue002",
    "PARK": "\ue003",
    "PRODUCT": "\ue004",
    "MONEY": "\ue005",
    "QUANTITY": "\ue006",
}
_BUILTIN_MACROS = {**PLACEHOLDERS, "ENT": "\ue001-\ue006"}
_MACRO = re.compile(r"\{([A-Z][A-Z_0-9]*)\}")
_MAX_MACRO_DEPTH = 10

Pair = tuple[Span, Span]


@dataclass
class SentenceTemplate:
    """One sentence as a template string plus, per template character, its entity (or None)."""

    text: str
    entities: list[Span | None]

    def entities_in(self, start: int, end: int) -> list[Span]:
        return [e for e in self.entities[start:end] if e is not None]


def sentence_templates(doc: Doc) -> list[SentenceTemplate]:
    """Templates of the doc's sentences; an entity belongs to the sentence where it starts."""
    starts = {ent.start: ent for ent in doc.ents}
    templates: list[SentenceTemplate] = []
    for start, end in sentence_bounds(doc):
        chars: list[str] = []
        ents: list[Span | None] = []
        i = start
        while i < end:
            ent = starts.get(i)
            if ent is not None and ent.label_ in PLACEHOLDERS:
                chars.append(PLACEHOLDERS[ent.label_])
                ents.append(ent)
                i = ent.end
                continue
            token = doc[i]
            # Whitespace runs are one token; one space keeps the template one char per token.
            chars.append(token.norm_ if len(token.norm_) == 1 else " ")
            ents.append(None)
            i += 1
        templates.append(SentenceTemplate("".join(chars), ents))
    return templates


def expand_macros(pattern: str, macros: dict[str, str]) -> str:
    """Replace ``{NAME}`` by its definition, recursively; ``{0,8}`` quantifiers are left alone."""
    table = {**macros, **_BUILTIN_MACROS}
    for _ in range(_MAX_MACRO_DEPTH):
        expanded = _MACRO.sub(lambda m: _lookup(table, m.group(1)), pattern)
        if expanded == pattern:
            return expanded
        pattern = expanded
    raise ValueError(f"macro expansion does not terminate: {pattern!r}")


def _lookup(table: dict[str, str], name: str) -> str:
    if name not in table:
        raise KeyError(f"unknown macro {{{name}}} in a relation cue pattern")
    return table[name]


class CueFamily:
    """A named labelling function producing relations of one label (skweak-style)."""

    kind = "base"

    def __init__(self, name: str, label: str) -> None:
        if label not in RELATION_SIGNATURES:
            raise ValueError(f"cue family {name!r}: unknown relation label {label!r}")
        self.name = name
        self.label = label

    def allowed(self, head: Span, tail: Span) -> bool:
        heads, tails = RELATION_SIGNATURES[self.label]
        return head.label_ in heads and tail.label_ in tails and head != tail

    def find(self, template: SentenceTemplate) -> Iterator[Pair]:
        raise NotImplementedError

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "label": self.label, "type": self.kind}


class RegionCueFamily(CueFamily):
    """Regex cue patterns with ``head`` and ``tail`` region groups."""

    kind = "regions"

    def __init__(self, name: str, label: str, patterns: Sequence[str], macros: dict[str, str]) -> None:
        super().__init__(name, label)
        self.patterns = list(patterns)
        self.macros = dict(macros)
        self._compiled = []
        for raw in self.patterns:
            compiled = re.compile(expand_macros(raw, self.macros))
            if not {"head", "tail"} <= set(compiled.groupindex):
                raise ValueError(f"cue family {name!r}: pattern {raw!r} needs head and tail groups")
            self._compiled.append(compiled)

    def find(self, template: SentenceTemplate) -> Iterator[Pair]:
        for compiled in self._compiled:
            for match in compiled.finditer(template.text):
                heads = template.entities_in(*match.span("head"))
                tails = template.entities_in(*match.span("tail"))
                for head in heads:
                    for tail in tails:
                        if self.allowed(head, tail):
                            yield head, tail

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "patterns": self.patterns}


class ContainmentClosure(CueFamily):
    """X in PARK and PARK in Y, stated in one sentence, also state X in Y.

    It reads the relations the other families found in the same sentence, so it runs last.
    """

    kind = "closure"

    def close(self, found: Sequence[tuple[Span, Span, str]]) -> list[Pair]:
        located = {(h, t) for h, t, label in found if label == self.label}
        out: list[Pair] = []
        changed = True
        while changed:
            changed = False
            for head, mid in sorted(located, key=_pair_key):
                for mid2, tail in sorted(located, key=_pair_key):
                    if mid == mid2 and self.allowed(head, tail) and (head, tail) not in located:
                        located.add((head, tail))
                        out.append((head, tail))
                        changed = True
        return out

    def find(self, template: SentenceTemplate) -> Iterator[Pair]:
        # Works on relations, not on text: see close().
        return iter(())


def _pair_key(pair: Pair) -> tuple[int, int, int, int]:
    return pair[0].start, pair[0].end, pair[1].start, pair[1].end


def build_family(spec: dict[str, Any], macros: dict[str, str]) -> CueFamily:
    kind = spec.get("type", RegionCueFamily.kind)
    if kind == RegionCueFamily.kind:
        return RegionCueFamily(spec["name"], spec["label"], spec["patterns"], macros)
    if kind == ContainmentClosure.kind:
        return ContainmentClosure(spec["name"], spec["label"])
    if kind == "frame":
        # Imported here: the frame module builds on the classes of this one.
        from .relation_frames import build_frame_family

        return build_frame_family(spec, macros)
    raise ValueError(f"cue family {spec.get('name')!r}: unknown type {kind!r}")


@dataclass
class CueSet:
    """All cue families plus the macros their patterns use (what gets saved with a pipeline)."""

    macros: dict[str, str]
    family_specs: list[dict[str, Any]]

    def build(self) -> list[CueFamily]:
        return [build_family(spec, self.macros) for spec in self.family_specs]

    def to_json(self) -> dict[str, Any]:
        return {"macros": self.macros, "families": self.family_specs}

    def skipped_heads(self) -> dict[str, list[str]]:
        """Per relation label, the head suffixes its frame families refuse (skip_head_suffixes)."""
        found: dict[str, set[str]] = {}
        for spec in self.family_specs:
            suffixes = spec.get("params", {}).get("skip_head_suffixes", [])
            if suffixes:
                found.setdefault(spec["label"], set()).update(suffixes)
        return {label: sorted(s) for label, s in sorted(found.items())}

    def skipped_followers(self) -> dict[str, re.Pattern[str]]:
        """Per relation label, what after a head makes its frame families refuse it
        (skip_heads_followed_by: a dateline); one pattern per label, the families' joined."""
        found: dict[str, list[str]] = {}
        for spec in self.family_specs:
            pattern = spec.get("params", {}).get("skip_heads_followed_by")
            if pattern:
                pattern = expand_macros(pattern, self.macros)
                if pattern not in found.setdefault(spec["label"], []):
                    found[spec["label"]].append(pattern)
        return {label: re.compile("|".join(f"(?:{p})" for p in ps)) for label, ps in sorted(found.items())}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CueSet:
        return cls(dict(data["macros"]), list(data["families"]))


def load_cue_set(relations_dir: str | Path) -> CueSet:
    """Read ``macros.json`` and every other ``*.json`` (sorted by name) of a seeds directory."""
    directory = Path(relations_dir)
    macros_path = directory / "macros.json"
    if not macros_path.exists():
        raise FileNotFoundError(f"no relation cue macros at {macros_path}")
    macros = json.loads(macros_path.read_text(encoding="utf-8"))["macros"]
    specs: list[dict[str, Any]] = []
    for path in sorted(directory.glob("*.json")):
        if path.name == "macros.json":
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        specs.extend(data["families"])
    # Closures read what the text families found, so they go last whatever the file order.
    specs.sort(key=lambda s: s.get("type", RegionCueFamily.kind) == ContainmentClosure.kind)
    cue_set = CueSet(macros, specs)
    cue_set.build()  # fail at load time, not on the first document
    return cue_set
