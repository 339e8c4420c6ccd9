"""JSON seed files are checked at load: a bad file fails there, naming the file and the field."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import SEEDS_DIR, make_blank

from zh_industry_ie.rules.seed_schema import JSON_SCHEMAS, SeedFileError, read_json_seed
from zh_industry_ie.rules.seeds import load_seeds

ORG_CONTEXT = "org/context_patterns.json"


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    """A writable copy of the repository's seeds."""
    return Path(shutil.copytree(SEEDS_DIR, tmp_path / "seeds"))


def _edit(seeds: Path, rel: str, change: Any) -> Path:
    path = seeds / rel
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_repository_seeds_pass() -> None:
    data = load_seeds(SEEDS_DIR)
    assert data["org_context"]["patterns"]
    assert data["amounts"]["units"]


def test_every_schema_names_a_json_seed_file() -> None:
    from zh_industry_ie.rules import seeds as seeds_module

    assert set(JSON_SCHEMAS) <= set(seeds_module._JSON_FILES)


def test_missing_file_names_the_file(seeds: Path) -> None:
    (seeds / ORG_CONTEXT).unlink()
    with pytest.raises(FileNotFoundError, match=r"org/context_patterns\.json not found"):
        load_seeds(seeds)


def test_invalid_json_names_the_file(seeds: Path) -> None:
    (seeds / ORG_CONTEXT).write_text('{"patterns": [', encoding="utf-8")
    with pytest.raises(SeedFileError, match=r"context_patterns\.json: not valid JSON"):
        load_seeds(seeds)


def test_missing_field_names_the_file_and_field(seeds: Path) -> None:
    _edit(seeds, ORG_CONTEXT, lambda d: d.pop("patterns"))
    with pytest.raises(SeedFileError, match=r"org/context_patterns\.json: missing field 'patterns'"):
        load_seeds(seeds)


def test_wrong_type_names_the_field(seeds: Path) -> None:
    _edit(seeds, "numeric/amounts.json", lambda d: d.update(units="吨"))
    with pytest.raises(SeedFileError, match=r"amounts\.json: field 'units': expected a list, got str"):
        load_seeds(seeds)


def test_pattern_without_regex_names_the_item(seeds: Path) -> None:
    _edit(seeds, ORG_CONTEXT, lambda d: d["patterns"][1].pop("regex"))
    with pytest.raises(SeedFileError, match=r"field 'patterns': item 1: expected an object with string"):
        load_seeds(seeds)


def test_bad_regex_names_the_pattern(seeds: Path) -> None:
    def spoil(data: dict) -> None:
        data["patterns"][0]["regex"] = "(?P<name>[a-z]"

    _edit(seeds, ORG_CONTEXT, spoil)
    name = json.loads((SEEDS_DIR / ORG_CONTEXT).read_text(encoding="utf-8"))["patterns"][0]["name"]
    with pytest.raises(SeedFileError, match=rf"item 0 \({name}\): bad regex"):
        load_seeds(seeds)


def test_duplicate_pattern_names_are_refused(seeds: Path) -> None:
    _edit(seeds, ORG_CONTEXT, lambda d: d["patterns"].append(dict(d["patterns"][0])))
    with pytest.raises(SeedFileError, match="duplicate name"):
        load_seeds(seeds)


def test_optional_field_may_be_missing_but_not_mistyped(seeds: Path) -> None:
    path = _edit(seeds, "product/context_patterns.json", lambda d: d.pop("max_item_chars", None))
    assert "max_item_chars" not in read_json_seed(path, "product_context")
    _edit(seeds, "product/context_patterns.json", lambda d: d.update(max_item_chars="10"))
    with pytest.raises(SeedFileError, match="'max_item_chars': expected an integer"):
        read_json_seed(path, "product_context")


def test_component_initialize_reports_the_bad_file(seeds: Path) -> None:
    _edit(seeds, ORG_CONTEXT, lambda d: d.pop("patterns"))
    nlp = make_blank()
    pipe = nlp.add_pipe("zhie_rule_ner")
    with pytest.raises(SeedFileError, match=r"context_patterns\.json: missing field 'patterns'"):
        pipe.initialize(seeds_dir=seeds)
