"""``zhie_rule_relations``: the weak relation labeller (cue patterns over ``doc.ents``).

Cue families load at ``initialize(seeds_dir=...)`` from ``<seeds_dir>/relations/`` (or from
``seeds_dir`` itself when it holds ``macros.json``) and are saved with the pipeline, so a
saved pipeline needs no access to the repository. Each relation found gets score 1.0; the
names of the families that found it are kept in ``doc.user_data["zhie_relation_sources"]``
(parallel to the stored relations) so the weak-label step can count coverage and overlaps.
"""

# No `from __future__ import annotations`: spaCy validates initialize() arguments with
# pydantic, which needs real (not string) annotations there.
import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..relations import Relation, set_relations
from ..seeded import SeededComponent
from .relation_cues import ContainmentClosure, CueFamily, CueSet, load_cue_set, sentence_templates

SOURCES_KEY = "zhie_relation_sources"
_CUES_FILE = "cues.json"


def _relations_dir(seeds_dir: str | Path) -> Path:
    path = Path(seeds_dir)
    return path if (path / "macros.json").exists() else path / "relations"


class RuleRelationRuler(SeededComponent):
    """Pairs entities of one sentence when a cue family's pattern matches."""

    def __init__(self, nlp: Language, name: str = "zhie_rule_relations", merge: bool = False) -> None:
        self.name = name
        # merge=True keeps relations already on the Doc (e.g. the trained extractor's) that
        # the cues did not find; otherwise the cue relations replace them.
        self.merge = merge
        self.cue_set: CueSet | None = None
        self.families: list[CueFamily] = []
        # Relations produced per family since the component was created (or reset).
        self.stats: Counter[str] = Counter()

    def has_seeds(self) -> bool:
        return self.cue_set is not None

    def load_seeds(self, seeds_dir: Path) -> None:
        self._set_cues(load_cue_set(_relations_dir(seeds_dir)))

    def _set_cues(self, cue_set: CueSet) -> None:
        self.cue_set = cue_set
        self.families = cue_set.build()

    def __call__(self, doc: Doc) -> Doc:
        if self.cue_set is None:
            raise ValueError(f"{self.name} has no cue patterns: call nlp.initialize(...) with seeds_dir")
        found: dict[tuple[Span, Span, str], list[str]] = {}
        for template in sentence_templates(doc):
            in_sentence: list[tuple[Span, Span, str]] = []
            for family in self.families:
                if isinstance(family, ContainmentClosure):
                    pairs = family.close(in_sentence)
                else:
                    pairs = list(family.find(template))
                for head, tail in pairs:
                    key = (head, tail, family.label)
                    if key not in found:
                        found[key] = []
                        in_sentence.append(key)
                    if family.name not in found[key]:
                        found[key].append(family.name)
        keys = sorted(found, key=lambda k: (k[0].start, k[0].end, k[1].start, k[1].end, k[2]))
        relations = [Relation(h, t, label, 1.0) for h, t, label in keys]
        if self.merge:
            cued = {(h.start, h.end, t.start, t.end, label) for h, t, label in keys}
            relations += [
                r for r in doc._.relations
                if (r.head.start, r.head.end, r.tail.start, r.tail.end, r.label) not in cued
            ]
        set_relations(doc, relations)
        doc.user_data[SOURCES_KEY] = [list(found[k]) for k in keys]
        for key in keys:
            self.stats.update(found[key])
        return doc

    def family_names(self) -> list[str]:
        return [f.name for f in self.families]

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        if self.cue_set is None:
            raise ValueError(f"{self.name}: nothing to save before initialize")
        directory = Path(path)
        directory.mkdir(parents=True, exist_ok=True)
        (directory / _CUES_FILE).write_text(
            json.dumps(self.cue_set.to_json(), ensure_ascii=False, indent=1), encoding="utf-8"
        )

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "RuleRelationRuler":
        data = json.loads((Path(path) / _CUES_FILE).read_text(encoding="utf-8"))
        self._set_cues(CueSet.from_json(data))
        return self

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        if self.cue_set is None:
            raise ValueError(f"{self.name}: nothing to serialise before initialize")
        return json.dumps(self.cue_set.to_json(), ensure_ascii=False).encode("utf-8")

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> "RuleRelationRuler":
        self._set_cues(CueSet.from_json(json.loads(data.decode("utf-8"))))
        return self


@Language.factory("zhie_rule_relations", default_config={"merge": False})
def make_rule_relations(nlp: Language, name: str, merge: bool) -> "RuleRelationRuler":
    return RuleRelationRuler(nlp, name, merge)


def rule_relation_stats(nlp: Language) -> dict[str, dict[str, Any]]:
    """Relations produced per cue family by every ``zhie_rule_relations`` in ``nlp`` so far.

    ``{family: {"label": ..., "relations": n}}``, every family listed (0 if it never fired).
    """
    out: dict[str, dict[str, Any]] = {}
    for _, pipe in nlp.pipeline:
        if isinstance(pipe, RuleRelationRuler):
            for family in pipe.families:
                entry = out.setdefault(family.name, {"label": family.label, "relations": 0})
                entry["relations"] += pipe.stats[family.name]
    return out


def relation_source_stats(docs: Iterable[Doc]) -> dict[str, Any]:
    """Coverage and overlaps of the cue families over already processed docs.

    ``per_family``: relations each family produced; ``overlaps``: relations found by more
    than one family; ``per_label``: relations per label; ``relations``: total.
    """
    per_family: Counter[str] = Counter()
    per_label: Counter[str] = Counter()
    overlaps = 0
    total = 0
    for doc in docs:
        stored = doc.user_data.get("zhie_relations", [])
        sources = doc.user_data.get(SOURCES_KEY, [[] for _ in stored])
        for record, names in zip(stored, sources, strict=True):
            total += 1
            per_label[record[4]] += 1
            per_family.update(names)
            overlaps += len(names) > 1
    return {
        "relations": total,
        "overlaps": overlaps,
        "per_family": dict(sorted(per_family.items())),
        "per_label": dict(sorted(per_label.items())),
    }
