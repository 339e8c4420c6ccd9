"""GPE labelling functions: full names, short forms (with context for ambiguous ones), villages."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .base import LabellingFunction, Match
from .lexicon import Lexicon
from .seeds import SeedData, words
from .text import CJK_CLASS, LeftWalker

# Context that makes an ambiguous short form (安宁, 富民) a place: a location verb before it,
# or a list / another place right next to it. Kept here (not in seeds) because it is the rule's
# logic, not a list of names.
_PLACE_CUE_BEFORE = ("在", "到", "赴", "于", "落户", "落地", "位于", "地处", "来自", "如")
_PLACE_CUE_AFTER = ("等地", "地区", "境内", "当地", "“", '"')
_LIST_MARKS = "、和及与"
_FUNCTION_TAGS = frozenset({"v", "vd", "vn", "vg", "d", "ad", "p", "c", "r", "u", "m", "q", "t", "f"})
# A short form + one of these is the full name even when the table has another form (寻甸县,
# 晋宁区: the table's names are older or longer).
_ADMIN_SUFFIX = "省市县区州"
_VILLAGE = re.compile(f"[{CJK_CLASS}]{{2,3}}(?:村|镇|乡|街道)")
# 河南省长, 昆明市长: a title after the place, the place is the short form.
_TITLE_AFTER = "长"


class GpeSeeds:
    """Place names from the seeds, shared by the GPE and the name-prefix rules of ORG/PARK."""

    def __init__(self, seeds: SeedData) -> None:
        full: set[str] = set()
        short: set[str] = set()
        for row in seeds["admin_divisions"] + seeds["countries"]:
            full.add(row["name"])
            if row["short"]:
                short.add(row["short"])
        not_places = set(words(seeds["gpe_not_places"]))
        self.full = Lexicon(full - not_places)
        self.short_names = frozenset(short - full - not_places)
        ambiguous = words(seeds["gpe_ambiguous"], "short") + words(seeds["gpe_ambiguous_manual"], "short")
        self.ambiguous = frozenset(ambiguous) - full
        self.any = Lexicon((full | short) - not_places)
        self.countries = frozenset(r["name"] for r in seeds["countries"]) | frozenset(
            r["short"] for r in seeds["countries"] if r["short"]
        )
        self.common_words = frozenset(words(seeds["common_words"]))
        # Verbs, adverbs, conjunctions...: a name never starts with one (伪造银行, 报告虚增银行).
        self.function_words = frozenset(
            r["word"] for r in seeds["common_words"] if r["jieba_tag"] in _FUNCTION_TAGS
        )

    def cut_from_word(self, text: str, start: int, end: int) -> bool:
        """True when the match's first or last character forms a common word with its neighbour
        (壮大|新兴 -> not 大新; 小金|属 -> not 小金)."""
        return (
            text[max(0, start - 1) : start + 1] in self.common_words
            or text[end - 1 : end + 1] in self.common_words
        )

    def is_place(self, term: str) -> bool:
        return term in self.any

    @staticmethod
    def with_level_suffix(text: str, end: int) -> int:
        """``end`` past a level word written after a short name (兴仁 + 市: the gazetteer may
        still list the county a city was made from), unless a title follows (市长)."""
        if text[end : end + 1] and text[end] in _ADMIN_SUFFIX and text[end + 1 : end + 2] != _TITLE_AFTER:
            return end + 1
        return end


def left_walker(seeds: SeedData) -> LeftWalker:
    """The name walker of the rules: the seeds' boundary words, place names kept whole."""
    rows = seeds["admin_divisions"] + seeds["countries"]
    places = [r[key] for r in rows for key in ("name", "short") if r[key]]
    return LeftWalker(words(seeds["left_boundaries"]), names=places)


class GpeFullName(LabellingFunction):
    """Official names (云南省, 安宁市, 西山区) and country names: unambiguous lookups."""

    name = "gpe_full_name"
    label = "GPE"

    def __init__(self, places: GpeSeeds) -> None:
        self.places = places

    def find(self, text: str) -> Iterator[Match]:
        for start, end in self.places.full.finditer(text):
            if text[end : end + 1] == _TITLE_AFTER and text[end - 1] in _ADMIN_SUFFIX and end - start > 2:
                end -= 1
            yield start, end, self.label


class GpeShortName(LabellingFunction):
    """Short forms (云南, 曲靖, 昆明); an ambiguous one (an ordinary word too) needs context."""

    name = "gpe_short_name"
    label = "GPE"

    def __init__(self, places: GpeSeeds) -> None:
        self.places = places

    def _in_context(self, text: str, start: int, end: int) -> bool:
        before = text[max(0, start - 2) : start]
        after = text[end : end + 2]
        if any(before.endswith(c) for c in _PLACE_CUE_BEFORE) or any(
            after.startswith(c) for c in _PLACE_CUE_AFTER
        ):
            return True
        if _VILLAGE.match(text, end):
            return True
        # Next to another place name (云南水富, 安宁桃花村), or listed with one (昆明、安宁).
        for gap in (0, 1):
            if gap and not (text[end : end + 1] and text[end] in _LIST_MARKS):
                continue
            if end + gap < len(text) and self.places.any.longest_at(text, end + gap) > 0:
                return True
        for gap in (0, 1):
            if gap and not (start > 0 and text[start - 1] in _LIST_MARKS):
                continue
            if any(text[max(0, start - gap - n) : start - gap] in self.places.any for n in (2, 3, 4)):
                return True
        return False

    def find(self, text: str) -> Iterator[Match]:
        for start, end in self.places.any.finditer(text):
            term = text[start:end]
            if term not in self.places.short_names:
                continue
            if term in self.places.ambiguous and not self._in_context(text, start, end):
                continue
            if self.places.cut_from_word(text, start, end):
                continue
            yield start, self.places.with_level_suffix(text, end), self.label


class GpeVillage(LabellingFunction):
    """A township or village named right after a place: 安宁桃花村, 富民县款庄镇 (not a lookup)."""

    name = "gpe_village"
    label = "GPE"

    def __init__(self, places: GpeSeeds) -> None:
        self.places = places
        self._pattern = re.compile(
            f"[{CJK_CLASS}]{{2,3}}?(?:村|镇|乡|街道|社区)(?![{CJK_CLASS}]{{0,1}}(?:委|民|级|党))"
        )

    def find(self, text: str) -> Iterator[Match]:
        for _, end in self.places.any.finditer(text):
            match = self._pattern.match(text, end)
            if match:
                yield match.start(), match.end(), self.label
