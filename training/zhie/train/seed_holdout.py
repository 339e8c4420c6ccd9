"""Seeds for a held-out fold: lexicon rows that only the held-out document contains are dropped.

A hand-written name lexicon (known companies, product terms) can hold names that occur in
one seed article and in no other text of the corpus. Such a row is that article's text
leaking into the weak labeller: a fold that holds the article out must drop it from the
seeds it labels and scores with, or the rules "know" the held-out article. A row is
document-only when at least one of its names occurs in the held-out document and none of
them occurs in any other corpus paragraph. Other seed files are copied unchanged (tables
generated from public data, patterns, negative lists).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from zh_industry_ie.normalize import normalize, to_simplified

NAME_SEPARATOR = "|"


def matching_text(text: str) -> str:
    """The normalised simplified form that lexicon names are matched against."""
    return to_simplified(normalize(text).text)


def corpus_text(texts: Iterable[str]) -> str:
    """Normalised simplified texts joined by line breaks (names never span them)."""
    return "\n".join(matching_text(t) for t in texts)


def _names(row: Sequence[str], columns: Sequence[int]) -> list[str]:
    return [
        name.strip()
        for i in columns
        if i < len(row)
        for name in row[i].split(NAME_SEPARATOR)
        if name.strip()
    ]


def document_only_rows(
    lines: Sequence[str], name_columns: Sequence[str], held_out: str, others: str
) -> tuple[list[str], list[str]]:
    """Split a TSV's lines into (kept lines, dropped data lines); comments and header stay."""
    kept: list[str] = []
    dropped: list[str] = []
    header: list[str] | None = None
    for line in lines:
        if not line.strip() or line.startswith("#"):
            kept.append(line)
            continue
        cells = line.rstrip("\n").split("\t")
        if header is None:
            header = cells
            missing = [c for c in name_columns if c not in header]
            if missing:
                raise ValueError(f"name column(s) {missing} not in header {header}")
            kept.append(line)
            continue
        names = _names(cells, [header.index(c) for c in name_columns])
        if any(n in held_out for n in names) and not any(n in others for n in names):
            dropped.append(line.rstrip("\n"))
        else:
            kept.append(line)
    return kept, dropped


def write_fold_seeds(
    seeds_dir: Path,
    out_dir: Path,
    lexicons: Mapping[str, Sequence[str]],
    held_out: str,
    others: str,
) -> dict[str, list[str]]:
    """Copy ``seeds_dir`` to ``out_dir`` minus document-only rows; returns the dropped rows.

    ``lexicons`` maps a seed file (relative path) to the columns holding its names.
    """
    if out_dir.exists():
        shutil.rmtree(out_dir)
    shutil.copytree(seeds_dir, out_dir)
    dropped: dict[str, list[str]] = {}
    for relative, columns in sorted(lexicons.items()):
        path = out_dir / relative
        if not path.is_file():
            raise FileNotFoundError(f"lexicon {relative} not found in {seeds_dir}")
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        kept, removed = document_only_rows(lines, columns, held_out, others)
        path.write_text("".join(kept), encoding="utf-8")
        dropped[relative] = removed
    return dropped
