"""Reader for gold files in the ANNOTATION.md format (JSON Lines, one paragraph per line)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

# Re-exported: the evaluation modules read the label set from here.
from zh_industry_ie.contracts import ENTITY_LABELS as ENTITY_LABELS


@dataclass(frozen=True)
class GoldEntity:
    start: int
    end: int
    label: str
    text: str


@dataclass(frozen=True)
class GoldRelation:
    head: int
    tail: int
    label: str


@dataclass(frozen=True)
class GoldParagraph:
    id: str
    text: str
    doc: str = ""
    para: int = 0
    entities: list[GoldEntity] = field(default_factory=list)
    relations: list[GoldRelation] = field(default_factory=list)

    def entity_set(self) -> set[tuple[int, int, str]]:
        return {(e.start, e.end, e.label) for e in self.entities}

    def relation_set(self) -> set[tuple[tuple[int, int, str], tuple[int, int, str], str]]:
        out = set()
        for r in self.relations:
            h, t = self.entities[r.head], self.entities[r.tail]
            out.add(((h.start, h.end, h.label), (t.start, t.end, t.label), r.label))
        return out


class GoldFormatError(ValueError):
    """A gold line that does not follow the ANNOTATION.md format."""


def parse_gold_line(line: str, line_no: int = 0) -> GoldParagraph:
    try:
        record = json.loads(line)
        text = record["text"]
        entities = [
            GoldEntity(
                int(e["start"]), int(e["end"]), str(e["label"]), e.get("text", text[e["start"] : e["end"]])
            )
            for e in record.get("entities", [])
        ]
        relations = [
            GoldRelation(int(r["head"]), int(r["tail"]), str(r["label"])) for r in record.get("relations", [])
        ]
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as err:
        raise GoldFormatError(f"gold line {line_no}: {err}") from err
    for e in entities:
        if not 0 <= e.start < e.end <= len(text):
            raise GoldFormatError(f"gold line {line_no}: entity [{e.start}, {e.end}) outside the text")
    for r in relations:
        if not (0 <= r.head < len(entities) and 0 <= r.tail < len(entities)):
            raise GoldFormatError(f"gold line {line_no}: relation index out of range")
    return GoldParagraph(
        id=str(record.get("id", line_no)), text=text, doc=str(record.get("doc", "")),
        para=int(record.get("para", 0)), entities=entities, relations=relations,
    )


def read_gold(path: str | Path) -> list[GoldParagraph]:
    paragraphs = []
    with Path(path).open(encoding="utf-8") as handle:
        for line_no, line in enumerate(handle, start=1):
            if line.strip():
                paragraphs.append(parse_gold_line(line, line_no))
    return paragraphs
