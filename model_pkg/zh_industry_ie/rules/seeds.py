"""Rule seeds: read the human-edited files under ``seeds/`` into one JSON-serialisable dict.

The dict is what ``zhie_rule_ner`` saves with a pipeline, so a saved pipeline needs no access
to the repository. Lines starting with ``#`` in a TSV are comments (each file states its source
there); the first other line is the header. JSON files are checked against the schemas in
``seed_schema.py`` as they are read, so a bad file fails at load naming the file and field.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from .seed_schema import read_json_seed

SeedData = dict[str, Any]

# seeds key -> (relative path, columns kept)
_TSV_FILES: dict[str, tuple[str, tuple[str, ...]]] = {
    "admin_divisions": ("gpe/admin_divisions.tsv", ("name", "short", "level")),
    "countries": ("gpe/countries.tsv", ("name", "short")),
    "gpe_ambiguous": ("gpe/ambiguous_short.tsv", ("short",)),
    "gpe_ambiguous_manual": ("gpe/ambiguous_manual.tsv", ("short",)),
    "gpe_not_places": ("gpe/not_places.tsv", ("word",)),
    "company_suffixes": ("org/company_suffixes.tsv", ("suffix", "kind")),
    "org_generic_prefixes": ("org/generic_prefixes.tsv", ("word",)),
    "institution_suffixes": ("org/institution_suffixes.tsv", ("suffix",)),
    "government_suffixes": ("org/government_suffixes.tsv", ("suffix",)),
    "known_companies": ("org/known_companies.tsv", ("name", "short")),
    "park_suffixes": ("park/suffixes.tsv", ("suffix", "kind")),
    "park_generic_prefixes": ("park/generic_prefixes.tsv", ("word",)),
    "product_lexicon": ("product/lexicon.tsv", ("term", "sector")),
    "product_generic_heads": ("product/generic_heads.tsv", ("word",)),
    "product_sector_heads": ("product/sector_heads.tsv", ("word",)),
    "left_boundaries": ("common/left_boundaries.tsv", ("word",)),
    "common_words": ("common/common_words.tsv", ("word", "jieba_tag")),
    "product_heads": ("product/heads.tsv", ("head",)),
    "org_industry_words": ("org/industry_words.tsv", ("word", "kind")),
    "government_departments": ("org/government_departments.tsv", ("word", "kind")),
    "park_families": ("park/families.tsv", ("suffix", "kind")),
    "org_facility_words": ("org/facility_words.tsv", ("word", "kind")),
}
_JSON_FILES: dict[str, str] = {
    "org_context": "org/context_patterns.json",
    "product_context": "product/context_patterns.json",
    "amounts": "numeric/amounts.json",
    "abbreviation_cues": "org/abbreviation_cues.json",
    "product_frames": "product/frames.json",
}


def read_tsv(path: Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    lines = [
        line
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    if not lines:
        return []
    header = lines[0].split("\t")
    if len(header) == 1 and header[0] not in columns:
        # Single-column word lists may omit the header.
        header, body = [columns[0]], lines
    else:
        body = lines[1:]
    missing = [c for c in columns if c not in header]
    if missing:
        raise ValueError(f"{path}: missing column(s) {missing}")
    rows = []
    for record in csv.reader(body, delimiter="\t", quoting=csv.QUOTE_NONE):
        row = dict(zip(header, record, strict=False))
        rows.append({c: (row.get(c) or "").strip() for c in columns})
    return rows


def load_seeds(seeds_dir: str | Path) -> SeedData:
    root = Path(seeds_dir)
    data: SeedData = {}
    for key, (rel, columns) in _TSV_FILES.items():
        path = root / rel
        if not path.is_file():
            raise FileNotFoundError(f"seed file {path} not found (seeds_dir={root})")
        data[key] = read_tsv(path, columns)
    for key, rel in _JSON_FILES.items():
        data[key] = read_json_seed(root / rel, key)
    return data


def words(rows: list[dict[str, str]], column: str = "word") -> list[str]:
    return sorted({r[column] for r in rows if r[column]})
