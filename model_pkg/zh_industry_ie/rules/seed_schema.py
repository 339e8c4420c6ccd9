"""Checks of the JSON seed files at load, so a bad file fails there, naming the file and field.

Without them a missing or mistyped field surfaced as a ``KeyError`` deep inside a labelling
function. Each schema lists the fields the code reads, with their kind; other fields (such
as ``source``) are free. A seed file without a schema here only has to be a JSON object.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

# Kinds: "str", "int", "strings" (list of str), "regexes" (list of compilable regex str),
# "patterns" (list of {"name": str, "regex": compilable str}, names unique). A "?" suffix on
# the field name marks it optional.
JSON_SCHEMAS: dict[str, dict[str, str]] = {
    "org_context": {"patterns": "patterns"},
    "product_context": {
        "patterns": "patterns",
        "sector_after": "str",
        "sector_head_near": "str",
        "item_bad_starts?": "str",
        "max_item_chars?": "int",
        "grade_prefixes?": "strings",
        "acid_derivatives?": "str",
        "product_code?": "str",
        "quality_prefixes?": "strings",
        "process_suffixes?": "strings",
        "compound_heads_after?": "strings",
    },
    "amounts": {
        "number": "str",
        "spaced_decimal": "str",
        "chinese_number": "str",
        "approximate_marks?": "strings",
        "range_marks?": "strings",
        "magnitudes": "strings",
        "currencies_after": "strings",
        "currencies_after_magnitude?": "strings",
        "currencies_before": "strings",
        "units": "strings",
        "multiplier?": "str",
        "rate_suffixes?": "strings",
        "count_units_need_production_cue": "strings",
        "production_cues": "strings",
        "production_cues_after?": "strings",
        "non_product_units?": "strings",
    },
    "abbreviation_cues": {"patterns": "regexes", "skip_before": "strings", "skip_names": "strings"},
    "product_frames": {
        "patterns": "patterns",
        "min_item_chars": "int",
        "max_item_chars": "int",
        "item_bad_chars": "str",
        "item_bad_words": "strings",
        "shared_head_min_chars?": "int",
        "shared_head_cues?": "strings",
    },
}


class SeedFileError(ValueError):
    """A seed file that is missing, not JSON, or not of the expected shape."""


def read_json_seed(path: Path, key: str) -> Any:
    """The parsed file, checked against ``JSON_SCHEMAS[key]`` when there is one."""
    if not path.is_file():
        raise FileNotFoundError(f"seed file {path} not found")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise SeedFileError(f"{path}: not valid JSON: {err}") from err
    if not isinstance(data, dict):
        raise SeedFileError(f"{path}: expected a JSON object, got {type(data).__name__}")
    for field, kind in JSON_SCHEMAS.get(key, {}).items():
        name = field.rstrip("?")
        if name not in data:
            if not field.endswith("?"):
                raise SeedFileError(f"{path}: missing field {name!r} ({kind})")
            continue
        problem = _check(data[name], kind)
        if problem:
            raise SeedFileError(f"{path}: field {name!r}: {problem}")
    return data


def _check(value: Any, kind: str) -> str | None:
    if kind == "str":
        return None if isinstance(value, str) else f"expected a string, got {type(value).__name__}"
    if kind == "int":
        ok = isinstance(value, int) and not isinstance(value, bool)
        return None if ok else f"expected an integer, got {type(value).__name__}"
    if not isinstance(value, list):
        return f"expected a list, got {type(value).__name__}"
    if kind in ("strings", "regexes"):
        for i, item in enumerate(value):
            if not isinstance(item, str):
                return f"item {i}: expected a string, got {type(item).__name__}"
            if kind == "regexes" and (error := _regex_error(item)):
                return f"item {i}: {error}"
        return None
    if kind == "patterns":
        seen: set[str] = set()
        for i, item in enumerate(value):
            if not isinstance(item, dict) or not isinstance(item.get("name"), str) \
                    or not isinstance(item.get("regex"), str):
                return f"item {i}: expected an object with string 'name' and 'regex'"
            if item["name"] in seen:
                return f"item {i}: duplicate name {item['name']!r}"
            seen.add(item["name"])
            if error := _regex_error(item["regex"]):
                return f"item {i} ({item['name']}): {error}"
        return None
    raise ValueError(f"unknown schema kind {kind!r}")


def _regex_error(pattern: str) -> str | None:
    try:
        re.compile(pattern)
    except re.error as err:
        return f"bad regex: {err}"
    return None
