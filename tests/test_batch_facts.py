"""Fact table: canonical names, short names merged into full ones, facts merged across documents."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from zh_industry_ie.batch.cli import main
from zh_industry_ie.batch.facts import canonical_names, collect_facts, is_short_form


def ent(label: str, text: str, **values: Any) -> dict[str, Any]:
    return {"label": label, "text": text, **values}


def rel(head: int, tail: int, label: str) -> dict[str, Any]:
    return {"head": head, "tail": tail, "label": label, "score": 1.0}


FULL_NAME_DOC = {
    "id": "news-a",
    "entities": [
        ent("ORG", "隆基綠能科技股份有限公司", canonical="隆基绿能科技股份有限公司"),
        ent("ORG", "隆基", canonical="隆基"),
        ent("PARK", "曲靖經濟技術開發區", canonical="曲靖经济技术开发区"),
        ent("GPE", "曲靖", canonical="曲靖", gpe_name="曲靖市", adcode="530300"),
        ent("MONEY", "100亿元", canonical="100亿元", amount=1e10, currency="CNY"),
        ent("PRODUCT", "单晶硅棒", canonical="单晶硅棒"),
        ent("QUANTITY", "20万吨", canonical="20万吨", quantity=200000.0, unit="t"),
    ],
    "relations": [rel(1, 2, "LOCATED_IN"), rel(2, 3, "LOCATED_IN"), rel(1, 4, "INVESTS"),
                  rel(0, 5, "PRODUCES"), rel(5, 6, "CAPACITY")],
}
# Another document: the company by its full name only, the park by its short name.
SHORT_NAME_DOC = {
    "id": "news-b",
    "entities": [
        ent("ORG", "隆基绿能科技股份有限公司", canonical="隆基绿能科技股份有限公司"),
        ent("PARK", "曲靖经济技术开发区", canonical="曲靖经济技术开发区"),
        ent("PARK", "曲靖经开区", canonical="曲靖经开区"),
        ent("GPE", "曲靖市", canonical="曲靖市", gpe_name="曲靖市", adcode="530300"),
        ent("MONEY", "100亿元", canonical="100亿元", amount=1e10, currency="CNY"),
        ent("PRODUCT", "单晶硅棒", canonical="单晶硅棒"),
        ent("QUANTITY", "20万吨", canonical="20万吨", quantity=200000.0, unit="t"),
        ent("ORG", "另一家公司", canonical="另一家公司"),
        ent("MONEY", "5亿美元", canonical="5亿美元", amount=5e8, currency="USD"),
    ],
    "relations": [rel(0, 2, "LOCATED_IN"), rel(1, 3, "LOCATED_IN"), rel(0, 4, "INVESTS"),
                  rel(0, 5, "PRODUCES"), rel(5, 6, "CAPACITY"), rel(7, 8, "INVESTS")],
}


def test_short_names() -> None:
    assert is_short_form("隆基", "隆基绿能科技股份有限公司")
    assert is_short_form("曲靖经开区", "曲靖经济技术开发区")
    assert not is_short_form("绿能", "隆基绿能科技股份有限公司")  # must start like the full name
    assert not is_short_form("隆基绿能科技股份有限公司", "隆基")
    names = canonical_names(FULL_NAME_DOC["entities"])
    assert names[:4] == ["隆基绿能科技股份有限公司"] * 2 + ["曲靖经济技术开发区", "曲靖市"]


def test_same_fact_from_two_documents_is_one_row(tmp_path: Path) -> None:
    facts = collect_facts([FULL_NAME_DOC, SHORT_NAME_DOC])
    rows = {(f.investor, f.money_currency): (f, ids) for f, ids in facts.items()}
    assert set(rows) == {("隆基绿能科技股份有限公司", None), ("另一家公司", "USD")}
    fact, sources = rows[("隆基绿能科技股份有限公司", None)]
    assert sources == ["news-a", "news-b"]
    assert (fact.park, fact.gpe, fact.gpe_adcode) == ("曲靖经济技术开发区", "曲靖市", "530300")
    assert (fact.product, fact.capacity, fact.capacity_unit, fact.money_yuan) == ("单晶硅棒", 200000.0, "t", 1e10)
    foreign, foreign_sources = rows[("另一家公司", "USD")]
    assert foreign.money_yuan is None and foreign.money_amount == 5e8 and foreign_sources == ["news-b"]


def _run_dir(tmp_path: Path) -> Path:
    run = tmp_path / "run"
    (run / "shards").mkdir(parents=True)
    for n, doc in enumerate([FULL_NAME_DOC, SHORT_NAME_DOC]):
        (run / "shards" / f"{n:06d}.jsonl").write_text(json.dumps(doc, ensure_ascii=False) + "\n", encoding="utf-8")
        (run / "shards" / f"{n:06d}.errors.jsonl").write_text("", encoding="utf-8")
    manifest = {"format": 1, "complete": True, "shards": [{"index": 0}, {"index": 1}]}
    (run / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return run


def test_facts_command_writes_sqlite_and_csv(tmp_path: Path) -> None:
    run = _run_dir(tmp_path)
    assert main(["facts", str(run), "--out", str(tmp_path / "facts.sqlite")]) == 0
    with sqlite3.connect(tmp_path / "facts.sqlite") as db:
        rows = db.execute("SELECT investor, sources, n_sources FROM facts ORDER BY investor").fetchall()
        links = db.execute("SELECT COUNT(*) FROM fact_sources").fetchone()[0]
    assert rows == [("另一家公司", '["news-b"]', 1), ("隆基绿能科技股份有限公司", '["news-a", "news-b"]', 2)]
    assert links == 3
    assert main(["facts", str(run), "--out", str(tmp_path / "facts.csv")]) == 0
    with (tmp_path / "facts.csv").open(encoding="utf-8") as stream:
        table = list(csv.DictReader(stream))
    assert {r["investor"]: r["sources"] for r in table}["隆基绿能科技股份有限公司"] == "news-a;news-b"


def test_facts_parquet(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    run = _run_dir(tmp_path)
    assert main(["facts", str(run), "--out", str(tmp_path / "f.parquet")]) == 0
    table = pq.read_table(tmp_path / "f.parquet").to_pylist()
    assert sorted(len(r["sources"]) for r in table) == [1, 2]
