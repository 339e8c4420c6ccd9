"""``zhie_rule_relations``: the weak relation labeller (cue patterns over ``doc.ents``).

Cue families load at ``initialize(seeds_dir=...)`` from ``<seeds_dir>/relations/`` (or from
``seeds_dir`` itself when it holds ``macros.json``) and are saved with the pipeline, so a
saved pipeline needs no access to the repository. Each relation found gets score 1.0; the
names of the families that found it are kept in ``doc.user_data["zhie_relation_sources"]``
(parallel to the stored relations) so the weak-label step can count coverage and overlaps
(``relation_source_stats``); the component itself keeps no state that grows with the docs.
"""

# No `from __future__ import annotations`: spaCy validates initialize() arguments with
# pydantic, which needs real (not string) annotations there.
import re
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..contracts import RELATION_SOURCES_KEY, RELATIONS_KEY
from ..relations import Relation, set_relations
from ..seeded import SeededComponent
from .relation_cues import ContainmentClosure, CueFamily, CueSet, load_cue_set, sentence_templates
from .relation_frames import head_skipped

SOURCES_KEY = RELATION_SOURCES_KEY
# Which relations lose a head that the frame families of their label refuse (政府, 管委会 ...:
# a government body hosts a project, it does not produce or settle): none, the merged ones
# (the trained extractor's), or all (the cue families' too).
HEAD_FILTERS = ("none", "merged", "all")


def _relations_dir(seeds_dir: str | Path) -> Path:
    path = Path(seeds_dir)
    return path if (path / "macros.json").exists() else path / "relations"


class RuleRelationRuler(SeededComponent):
    """Pairs entities of one sentence when a cue family's pattern matches."""

    data_file = "cues.json"

    def __init__(
        self,
        nlp: Language,
        name: str = "zhie_rule_relations",
        merge: bool = False,
        *,
        head_filter: str = "none",
        scorer: Callable | None = None,
    ) -> None:
        if head_filter not in HEAD_FILTERS:
            raise ValueError(
                f"{name}: head_filter must be one of {', '.join(HEAD_FILTERS)}, got {head_filter!r}"
            )
        self.name = name
        self.head_filter = head_filter
        self.scorer = scorer
        # merge=True keeps relations already on the Doc (e.g. the trained extractor's) that
        # the cues did not find; otherwise the cue relations replace them.
        self.merge = merge
        self.cue_set: CueSet | None = None
        self.families: list[CueFamily] = []
        self.skipped_heads: dict[str, list[str]] = {}
        self.skipped_followers: dict[str, re.Pattern[str]] = {}

    def has_seeds(self) -> bool:
        return self.cue_set is not None

    def load_seeds(self, seeds_dir: Path) -> None:
        self._set_cues(load_cue_set(_relations_dir(seeds_dir)))

    def _set_cues(self, cue_set: CueSet) -> None:
        self.cue_set = cue_set
        self.families = cue_set.build()
        self.skipped_heads = cue_set.skipped_heads()
        self.skipped_followers = cue_set.skipped_followers()

    def _refused(self, head: Span, label: str) -> bool:
        return head_skipped(head, self.skipped_heads.get(label, []))

    def _source_line(self, head: Span, label: str) -> bool:
        """A dateline's outlet (甲网丙市电): never a head, whatever the head filter."""
        pattern = self.skipped_followers.get(label)
        return pattern is not None and head_skipped(head, (), pattern)

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
        keys = sorted(
            (k for k in found if not self._source_line(k[0], k[2])),
            key=lambda k: (k[0].start, k[0].end, k[1].start, k[1].end, k[2]),
        )
        if self.head_filter == "all":
            keys = [(h, t, label) for h, t, label in keys if not self._refused(h, label)]
        relations = [Relation(h, t, label, 1.0) for h, t, label in keys]
        if self.merge:
            cued = {(h.start, h.end, t.start, t.end, label) for h, t, label in keys}
            relations += [
                r for r in doc._.relations
                if (r.head.start, r.head.end, r.tail.start, r.tail.end, r.label) not in cued
                and (self.head_filter == "none" or not self._refused(r.head, r.label))
                and not self._source_line(r.head, r.label)
            ]
        set_relations(doc, relations)
        doc.user_data[SOURCES_KEY] = [list(found[k]) for k in keys]
        return doc

    def family_names(self) -> list[str]:
        return [f.name for f in self.families]

    def seed_data(self) -> dict[str, Any]:
        assert self.cue_set is not None
        return self.cue_set.to_json()

    def set_seed_data(self, data: dict[str, Any]) -> None:
        self._set_cues(CueSet.from_json(data))


@Language.factory(
    "zhie_rule_relations",
    requires=["doc.ents"],
    assigns=["doc._.relations"],
    default_config={"merge": False, "head_filter": "none", "scorer": {"@scorers": "zhie.relation_scorer.v1"}},
    default_score_weights={"rel_micro_f": 1.0, "rel_micro_p": 0.0, "rel_micro_r": 0.0},
)
def make_rule_relations(
    nlp: Language, name: str, merge: bool, head_filter: str, scorer: Callable | None
) -> "RuleRelationRuler":
    return RuleRelationRuler(nlp, name, merge, head_filter=head_filter, scorer=scorer)


def relation_source_stats(docs: Iterable[Doc], families: Iterable[str] = ()) -> dict[str, Any]:
    """Coverage and overlaps of the cue families over already processed docs.

    ``per_family``: relations each family produced (every name in ``families`` listed, 0 if
    it never fired); ``overlaps``: relations found by more than one family; ``per_label``:
    relations per label; ``relations``: total. Computed from the docs, so the statistics
    belong to whoever processed them (the weak-label step), not to the component.
    """
    per_family: Counter[str] = Counter({name: 0 for name in families})
    per_label: Counter[str] = Counter()
    overlaps = 0
    total = 0
    for doc in docs:
        stored = doc.user_data.get(RELATIONS_KEY, [])
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
