"""Relations on a Doc: ``doc._.relations`` is a list of :class:`Relation`.

Storage: ``doc.user_data["zhie_relations"]`` holds plain lists
``[head_start, head_end, tail_start, tail_end, label, score]`` with character offsets into
``doc.text``, so relations survive ``DocBin(store_user_data=True)`` and pickling; the
extension's getter turns them into Span objects.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span

# Defined in contracts.py; re-exported because the components import them from here.
from .contracts import RELATION_LABELS as RELATION_LABELS
from .contracts import RELATIONS_KEY as RELATIONS_KEY

# Which entity labels may stand at each end of each relation (ANNOTATION.md).
RELATION_SIGNATURES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "LOCATED_IN": (frozenset({"ORG", "PARK"}), frozenset({"GPE", "PARK"})),
    "PRODUCES": (frozenset({"ORG", "PARK"}), frozenset({"PRODUCT"})),
    "CAPACITY": (frozenset({"PRODUCT"}), frozenset({"QUANTITY"})),
    "INVESTS": (frozenset({"ORG"}), frozenset({"MONEY"})),
}


@dataclass(frozen=True)
class Relation:
    head: Span
    tail: Span
    label: str
    score: float = 1.0

    def as_dict(self) -> dict[str, object]:
        return {
            "label": self.label,
            "score": round(float(self.score), 4),
            "head": {"text": self.head.text, "label": self.head.label_,
                     "start": self.head.start_char, "end": self.head.end_char},
            "tail": {"text": self.tail.text, "label": self.tail.label_,
                     "start": self.tail.start_char, "end": self.tail.end_char},
        }


def get_relations(doc: Doc) -> list[Relation]:
    stored = doc.user_data.get(RELATIONS_KEY, [])
    if not stored:
        return []
    # An end that is an entity is that entity (with its label); the lookup is built once, since
    # ``doc.ents`` makes every entity Span anew on each access (a long paragraph has thousands).
    entities = {(ent.start_char, ent.end_char): ent for ent in doc.ents}

    def span(start: int, end: int) -> Span | None:
        return entities.get((start, end)) or doc.char_span(start, end)

    out: list[Relation] = []
    for hs, he, ts, te, label, score in stored:
        head, tail = span(hs, he), span(ts, te)
        if head is not None and tail is not None:
            out.append(Relation(head, tail, label, float(score)))
    return out


def set_relations(doc: Doc, relations: list[Relation]) -> None:
    doc.user_data[RELATIONS_KEY] = [
        [r.head.start_char, r.head.end_char, r.tail.start_char, r.tail.end_char, r.label, float(r.score)]
        for r in relations
    ]


def relation_signature_ok(label: str, head_label: str, tail_label: str) -> bool:
    heads, tails = RELATION_SIGNATURES[label]
    return head_label in heads and tail_label in tails


def register_extensions() -> None:
    if not Doc.has_extension("relations"):
        Doc.set_extension("relations", getter=get_relations, setter=set_relations)
