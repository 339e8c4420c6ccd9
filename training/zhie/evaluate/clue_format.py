"""CLUENER2020 as a benchmark for ORG only.

Format: JSON lines ``{"text", "label": {type: {surface: [[start, end_inclusive], ...]}}}``.
Types company, organization and government map to ORG; the other CLUENER types (address,
name, game, book, movie, position, scene) have no counterpart that follows our guidelines
(address mixes GPEs with street addresses), so only ORG is scored. CLUENER's ORG conventions
are not ours (it tags sports clubs, bands and generic bodies), so its figures say how the
ORG recogniser transfers to general news, not how well it follows ANNOTATION.md.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from zhie.gold import GoldEntity, GoldParagraph

ORG_TYPES = ("company", "organization", "government")


@dataclass
class ClueNerData:
    paragraphs: list[GoldParagraph]
    # Per paragraph, the spans of CLUENER type "company" (for company-only recall).
    company_spans: list[set[tuple[int, int, str]]]


def read_cluener(path: str | Path, limit: int | None = None) -> ClueNerData:
    paragraphs: list[GoldParagraph] = []
    companies: list[set[tuple[int, int, str]]] = []
    with Path(path).open(encoding="utf-8") as handle:
        for line_no, line in enumerate(handle):
            if not line.strip():
                continue
            if limit is not None and len(paragraphs) >= limit:
                break
            record = json.loads(line)
            text = record["text"]
            entities: dict[tuple[int, int], GoldEntity] = {}
            company: set[tuple[int, int, str]] = set()
            for kind in ORG_TYPES:
                for _surface, positions in sorted(record.get("label", {}).get(kind, {}).items()):
                    for start, end_inclusive in positions:
                        end = end_inclusive + 1
                        entities[(start, end)] = GoldEntity(start, end, "ORG", text[start:end])
                        if kind == "company":
                            company.add((start, end, "ORG"))
            paragraphs.append(
                GoldParagraph(
                    id=f"cluener-{line_no}", text=text, doc=Path(path).name, para=line_no,
                    entities=[entities[k] for k in sorted(entities)],
                )
            )
            companies.append(company)
    return ClueNerData(paragraphs=paragraphs, company_spans=companies)
