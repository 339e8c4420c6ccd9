"""Build ``seeds/gpe/admin_divisions.tsv`` from the adcode table shipped in the cpca package.

cpca's ``resources/adcodes.csv`` lists China's administrative divisions with their 12-digit
adcodes (province ``PP0000000000``, prefecture ``PPCC00000000``, county ``PPCCDD000000``).
The package itself cannot be imported here (its ``__init__`` needs ``pkg_resources``), so the
file is located through the import system without executing the package.
"""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

from zh_industry_ie.values import Division

# Longest first so 自治县 is removed before 县.
_SUFFIXES = (
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "地区",
    "林区",
    "省",
    "市",
    "县",
    "区",
    "盟",
)
# Table rows that are groupings, not places.
_NOT_PLACES = frozenset({"县", "市辖区", "省直辖县级行政区划", "自治区直辖县级行政区划", "直辖县级行政区划"})
HEADER = ("name", "short", "adcode", "level", "parent_adcode")


def cpca_resource(name: str) -> Path:
    spec = importlib.util.find_spec("cpca")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the cpca package is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / "resources" / name
    if not path.is_file():
        raise FileNotFoundError(path)
    return path


def _level(adcode: str) -> str:
    if adcode[2:] == "0" * 10:
        return "province"
    if adcode[4:] == "0" * 8:
        return "city"
    return "county"


def short_form(name: str, nations: list[str]) -> str:
    """The name without its administrative suffix and ethnic names; '' when < 2 chars remain."""
    stem = name
    for suffix in _SUFFIXES:
        if stem.endswith(suffix) and len(stem) - len(suffix) >= 2:
            stem = stem[: -len(suffix)]
            break
    # 威宁彝族回族苗族自治县 -> 威宁: peel ethnic names (with or without 族) repeatedly.
    changed = True
    while changed:
        changed = False
        for nation in nations:
            for form in (nation, nation.removesuffix("族")):
                if len(form) >= 1 and stem.endswith(form) and len(stem) - len(form) >= 2:
                    stem = stem[: -len(form)]
                    changed = True
                    break
            if changed:
                break
    return stem if stem != name and len(stem) >= 2 else ""


def build_divisions(adcodes_csv: Path, nations_csv: Path) -> list[Division]:
    nations = sorted(
        (line.strip() for line in nations_csv.read_text(encoding="utf-8").splitlines() if line.strip()),
        key=lambda n: (-len(n), n),
    )
    rows: dict[str, str] = {}
    with adcodes_csv.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            name = row["name"].strip()
            if name and name not in _NOT_PLACES:
                rows[row["adcode"].strip()] = name
    out: list[Division] = []
    for adcode in sorted(rows):
        level = _level(adcode)
        if level == "province":
            parent = ""
        else:
            city = adcode[:4] + "0" * 8
            province = adcode[:2] + "0" * 10
            # Counties of municipalities and 省直辖 counties have no prefecture row.
            parent = city if level == "county" and city in rows else province
            parent = parent if parent in rows else ""
        name = rows[adcode]
        out.append(Division(name, short_form(name, nations), adcode, level, parent))
    return out


def write_divisions(divisions: list[Division], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        # No comment lines: other readers take the file as plain TSV; its source is in seeds/README.md.
        handle.write("\t".join(HEADER) + "\n")
        for d in divisions:
            handle.write("\t".join((d.name, d.short, d.adcode, d.level, d.parent)) + "\n")


# jieba tags of names (place, person, organisation, other proper noun): a short form with one
# of these is taken as a place; any other tag with some frequency (资源, 比如, 合作, 延长)
# marks an ordinary word.
_NAME_TAGS = frozenset({"ns", "nr", "nrt", "nrfg", "nt", "nz"})
_MIN_WORD_FREQ = 100
# Common words: two characters, frequent, not a name. The rules use them to see that a short
# place name is really part of a word (壮大新兴 is not 大新; 小金属 is not 小金).
_COMMON_WORD_FREQ = 500


def jieba_dictionary() -> Path:
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the jieba package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "dict.txt"


def _jieba_entries(dictionary: Path) -> dict[str, tuple[str, int]]:
    entries: dict[str, tuple[str, int]] = {}
    for line in dictionary.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 3:
            entries[parts[0]] = (parts[2], int(parts[1]))
    return entries


def common_words(dictionary: Path) -> list[tuple[str, str, int]]:
    """Frequent two-character non-name words of jieba's dictionary: (word, tag, frequency)."""
    return sorted(
        (w, tag, freq)
        for w, (tag, freq) in _jieba_entries(dictionary).items()
        if len(w) == 2 and freq >= _COMMON_WORD_FREQ and tag not in _NAME_TAGS
    )


def write_common_words(rows: list[tuple[str, str, int]], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("# source: generated by `zhie seeds-gpe` from jieba 0.42.1's dict.txt:\n")
        handle.write(f"# two-character words with frequency >= {_COMMON_WORD_FREQ} and a non-name POS tag\n")
        handle.write("# (used to reject names cut out of words).\n")
        handle.write("word\tjieba_tag\tjieba_freq\n")
        for word, tag, freq in rows:
            handle.write(f"{word}\t{tag}\t{freq}\n")


def ambiguous_short_forms(divisions: list[Division], dictionary: Path) -> list[tuple[str, str, int]]:
    """County-level short forms that jieba lists as frequent ordinary words: (short, tag, freq).

    Prefecture and province short forms (大连, 保定) are well-known places and stay unambiguous.
    """
    entries = _jieba_entries(dictionary)
    out = []
    upper = {d.short for d in divisions if d.short and d.level != "county"}
    for short in sorted({d.short for d in divisions if d.short} - upper):
        tag, freq = entries.get(short, ("", 0))
        if tag and tag not in _NAME_TAGS and freq >= _MIN_WORD_FREQ:
            out.append((short, tag, freq))
    return out


def write_ambiguous(rows: list[tuple[str, str, int]], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(
            "# source: generated by `zhie seeds-gpe`: county-level short forms of admin_divisions.tsv\n"
        )
        handle.write(
            f"# that jieba 0.42.1's dict.txt lists as a word (frequency >= {_MIN_WORD_FREQ}, non-name tag);\n"
        )
        handle.write(
            "# they need context to be a GPE. Hand-added ambiguous forms are in ambiguous_manual.tsv.\n"
        )
        handle.write("short\tjieba_tag\tjieba_freq\n")
        for short, tag, freq in rows:
            handle.write(f"{short}\t{tag}\t{freq}\n")
