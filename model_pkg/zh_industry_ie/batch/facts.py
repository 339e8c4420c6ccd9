"""Turn extracted records into a fact table: one row per investment fact.

A fact is centred on an investing ORG of one document and gathers, through that document's
relations: the PARK and GPE it is located in (LOCATED_IN, also via its park), the PRODUCT it
makes (PRODUCES) with the product's capacity (CAPACITY -> QUANTITY value and unit) and the
money it invests (INVESTS -> MONEY; ``money_yuan`` for CNY amounts, other currencies kept in
``money_amount``/``money_currency``). An ORG with no such relation gives no fact.

Names are canonicalised: simplified script (the entity's ``canonical`` value), GPEs to the
full division name (``gpe_name``), and within one document a short ORG or PARK name is merged
into the full name the document introduces (隆基 -> 隆基绿能科技股份有限公司; 曲靖经开区 ->
曲靖经济技术开发区). Identical facts from several documents become one row listing them all.
"""

from __future__ import annotations

import csv
import itertools
import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..normalize import simplified_char

FORMATS = ("sqlite", "csv", "parquet")
COLUMNS = (
    "investor", "park", "gpe", "gpe_adcode", "product", "capacity", "capacity_unit",
    "money_yuan", "money_amount", "money_currency",
)
MERGED_LABELS = ("ORG", "PARK")


@dataclass(frozen=True)
class Fact:
    investor: str
    park: str | None = None
    gpe: str | None = None
    gpe_adcode: str | None = None
    product: str | None = None
    capacity: float | None = None
    capacity_unit: str | None = None
    money_yuan: float | None = None
    money_amount: float | None = None
    money_currency: str | None = None

    def row(self) -> tuple[Any, ...]:
        return tuple(getattr(self, column) for column in COLUMNS)


def simplified(text: str) -> str:
    return "".join(simplified_char(c) for c in text)


def is_short_form(short: str, full: str) -> bool:
    """``short`` abbreviates ``full``: same first character, its characters in order in ``full``."""
    if len(short) < 2 or len(short) >= len(full) or short[0] != full[0]:
        return False
    position = 0
    for char in short:
        position = full.find(char, position) + 1
        if position == 0:
            return False
    return True


def canonical_names(entities: list[dict[str, Any]]) -> list[str]:
    """The canonical name of each entity of one document (short names -> full names)."""
    names = []
    for entity in entities:
        name = entity.get("canonical") or simplified(entity["text"])
        if entity["label"] == "GPE" and entity.get("gpe_name"):
            name = entity["gpe_name"]
        names.append("".join(name.split()))
    for label in MERGED_LABELS:
        # Full names in order of first mention; a short name goes to the first it abbreviates.
        labelled = (n for n, e in zip(names, entities, strict=True) if e["label"] == label)
        candidates = list(dict.fromkeys(labelled))
        full_of = {}
        for name in candidates:
            longer = [other for other in candidates if is_short_form(name, other)]
            if longer:
                full_of[name] = max(longer, key=len) if len(longer) > 1 and _nested(longer) else longer[0]
        for i, entity in enumerate(entities):
            if entity["label"] == label and names[i] in full_of:
                names[i] = full_of[names[i]]
    return names


def _nested(names: list[str]) -> bool:
    """True when the candidates are forms of one name (each abbreviates the longest)."""
    longest = max(names, key=len)
    return all(name == longest or is_short_form(name, longest) for name in names)


def document_facts(record: dict[str, Any]) -> set[Fact]:
    entities = record.get("entities", [])
    names = canonical_names(entities)
    edges: dict[tuple[int, str], list[int]] = {}
    for relation in record.get("relations", []):
        edges.setdefault((relation["head"], relation["label"]), []).append(relation["tail"])

    # All mentions of one name (full and short forms) share their relations.
    mentions_of: dict[tuple[str, str], list[int]] = {}
    for i, entity in enumerate(entities):
        mentions_of.setdefault((entity["label"], names[i]), []).append(i)

    def tails(heads: Iterable[int], label: str, tail_label: str | None = None) -> list[int]:
        every = {m for h in heads for m in mentions_of[(entities[h]["label"], names[h])]}
        found = [t for h in sorted(every) for t in edges.get((h, label), [])]
        return [t for t in found if tail_label is None or entities[t]["label"] == tail_label]

    facts: set[Fact] = set()
    for (label, org), mentions in mentions_of.items():
        if label != "ORG":
            continue
        parks = tails(mentions, "LOCATED_IN", "PARK")
        gpes = tails(mentions, "LOCATED_IN", "GPE") + tails(parks, "LOCATED_IN", "GPE")
        products = tails(mentions, "PRODUCES", "PRODUCT")
        money = tails(mentions, "INVESTS", "MONEY")
        if not (parks or gpes or products or money):
            continue
        park_values = sorted({names[p] for p in parks}) or [None]
        gpe_values = sorted({(names[g], entities[g].get("adcode")) for g in gpes}, key=str) or [(None, None)]
        product_values = sorted(
            {(names[p], *_capacity(entities, tails([p], "CAPACITY", "QUANTITY"))) for p in products}, key=str
        ) or [(None, None, None)]
        money_values = sorted({_money(entities[m]) for m in money}, key=str) or [(None, None, None)]
        for park, (gpe, adcode), (product, qty, unit), (yuan, amount, currency) in itertools.product(
            park_values, gpe_values, product_values, money_values
        ):
            facts.add(Fact(org, park, gpe, adcode, product, qty, unit, yuan, amount, currency))
    return facts


def _capacity(entities: list[dict[str, Any]], quantities: list[int]) -> tuple[float | None, str | None]:
    for q in quantities:
        if entities[q].get("quantity") is not None:
            return entities[q]["quantity"], entities[q].get("unit")
    return None, None


def _money(entity: dict[str, Any]) -> tuple[float | None, float | None, str | None]:
    amount, currency = entity.get("amount"), entity.get("currency")
    if amount is not None and currency in (None, "CNY"):
        return amount, None, None
    return None, amount, currency


def collect_facts(records: Iterable[dict[str, Any]]) -> dict[Fact, list[str]]:
    """Each distinct fact with the ids of the documents stating it (in input order)."""
    sources: dict[Fact, list[str]] = {}
    for record in records:
        for fact in sorted(document_facts(record), key=lambda f: tuple(map(str, f.row()))):
            ids = sources.setdefault(fact, [])
            if record["id"] not in ids:
                ids.append(record["id"])
    return sources


def _ordered(facts: dict[Fact, list[str]]) -> list[tuple[Fact, list[str]]]:
    return sorted(facts.items(), key=lambda item: tuple(map(str, item[0].row())))


def write_sqlite(facts: dict[Fact, list[str]], path: Path) -> None:
    path.unlink(missing_ok=True)
    with sqlite3.connect(path) as db:
        cols = ", ".join(f"{c} {'REAL' if c in ('capacity', 'money_yuan', 'money_amount') else 'TEXT'}"
                         for c in COLUMNS)
        db.execute(
            f"CREATE TABLE facts (fact_id INTEGER PRIMARY KEY, {cols}, sources TEXT, n_sources INTEGER)"
        )
        db.execute("CREATE TABLE fact_sources (fact_id INTEGER REFERENCES facts(fact_id), doc_id TEXT)")
        for fact_id, (fact, ids) in enumerate(_ordered(facts), start=1):
            marks = ", ".join("?" * (len(COLUMNS) + 3))
            db.execute(f"INSERT INTO facts VALUES ({marks})",
                       (fact_id, *fact.row(), json.dumps(ids, ensure_ascii=False), len(ids)))
            db.executemany("INSERT INTO fact_sources VALUES (?, ?)", [(fact_id, i) for i in ids])
        db.execute("CREATE INDEX facts_investor ON facts(investor)")
    db.close()


def write_csv(facts: dict[Fact, list[str]], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as sink:
        writer = csv.writer(sink)
        writer.writerow(["fact_id", *COLUMNS, "sources", "n_sources"])
        for fact_id, (fact, ids) in enumerate(_ordered(facts), start=1):
            writer.writerow([fact_id, *("" if v is None else v for v in fact.row()), ";".join(ids), len(ids)])


def write_parquet(facts: dict[Fact, list[str]], path: Path) -> None:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as err:
        raise RuntimeError("--format parquet needs pyarrow (pip install pyarrow)") from err
    ordered = _ordered(facts)
    columns: dict[str, list[Any]] = {"fact_id": list(range(1, len(ordered) + 1))}
    for n, column in enumerate(COLUMNS):
        columns[column] = [fact.row()[n] for fact, _ in ordered]
    columns["sources"] = [ids for _, ids in ordered]
    columns["n_sources"] = [len(ids) for _, ids in ordered]
    pq.write_table(pa.table(columns), path)


def write_facts(facts: dict[Fact, list[str]], path: str | Path, fmt: str = "sqlite") -> Path:
    writers = {"sqlite": write_sqlite, "csv": write_csv, "parquet": write_parquet}
    if fmt not in writers:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    writers[fmt](facts, out)
    return out
