"""Generic ORG heuristics that need no lexicon of names: short names a text defines (以下简称),
short names implied by a full company name, and government departments named after a place."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from .base import LabellingFunction, Match
from .gpe import GpeSeeds, left_walker
from .lexicon import Lexicon
from .org import OrgCompanySuffix
from .seeds import SeedData, words
from .text import LeftWalker, is_cjk

_MIN_SHORT = 2
# How far left of a definition bracket the defined name may end (its own closing quote etc.).
_DEFINIENDUM_WINDOW = 16
_MAX_NAME_WALK = 30
# After these heads a government body word is part of a longer common word (局势, 司法, 办法).
_BAD_AFTER_HEAD = {"局": "势面部限长", "司": "法机长令", "办": "法理事", "厅": "长", "委": "托员屈婉"}


def _latin_cut(text: str, start: int, end: int) -> bool:
    """True when [start, end) cuts a Latin word or number (ICC inside ICCA)."""
    def latin(c: str) -> bool:
        return c.isascii() and c.isalnum()

    return (start > 0 and latin(text[start - 1]) and latin(text[start])) or (
        end < len(text) and latin(text[end]) and latin(text[end - 1])
    )


def starts_name(walker: LeftWalker, text: str, start: int) -> bool:
    """A name may start here: text start, punctuation, a boundary word or a non-CJK character."""
    return walker.at_boundary(text, start) or not is_cjk(text[start - 1])


def occurrences(text: str, term: str) -> Iterator[int]:
    i = text.find(term)
    while i >= 0:
        if not _latin_cut(text, i, i + len(term)):
            yield i
        i = text.find(term, i + 1)


class OrgAbbreviationDefinition(LabellingFunction):
    """X（以下简称“Y”）, X（简称Y）, X（下称Y）, X，以下简称“Y”: Y takes X's label (ORG unless X ends
    with a park suffix or a product head) at the definition and at every other occurrence."""

    name = "org_abbreviation_definition"
    label = "ORG"

    def __init__(self, seeds: SeedData, walker: LeftWalker, places: GpeSeeds) -> None:
        self.walker = walker
        cues = seeds["abbreviation_cues"]
        self.patterns = [re.compile(p) for p in cues["patterns"]]
        self.skip_before = tuple(cues["skip_before"])
        self.skip_names = frozenset(cues["skip_names"])
        self.org_ends = tuple(
            [r["suffix"] for r in seeds["company_suffixes"] if r["kind"] == "full"]
            + [r["suffix"] for r in seeds["institution_suffixes"]]
            + [r["suffix"] for r in seeds["government_suffixes"]]
            + list(cues["org_name_ends"])
        )
        self.park_ends = tuple(
            [r["suffix"] for r in seeds["park_suffixes"] if r["kind"] != "subarea"]
            + [r["suffix"] for r in seeds["park_families"] if r["kind"] == "named"]
        )
        self.product_ends = tuple(r["head"] for r in seeds["product_heads"] if r["head"])
        self.places = places
        self.common = places.common_words

    def definiendum_label(self, before: str) -> str | None:
        """The label of the name written right before the definition, None for a non-name."""
        before = before.rstrip("”\"」』’' ")
        if before.endswith(self.org_ends):
            return "ORG"
        if before.endswith(self.skip_before) or before.endswith("》"):
            return None
        if before.endswith(self.park_ends):
            return "PARK"
        if before.endswith(self.product_ends):
            return "PRODUCT"
        return None  # 服务部职工食堂（下称职工食堂）: nothing says what the name is

    def short_ok(self, short: str) -> bool:
        return (
            len(short) >= _MIN_SHORT
            and short not in self.skip_names
            and short not in self.common
            and short not in self.places.any
        )

    def find(self, text: str) -> Iterator[Match]:
        defined: dict[str, str] = {}
        # The defined full names: a short name inside one (金石 in 河南金石化肥有限公司) is not
        # an occurrence of its own.
        inside = bytearray(len(text))
        for pattern in self.patterns:
            for match in pattern.finditer(text):
                short = match.group("name")
                before = text[max(0, match.start() - _DEFINIENDUM_WINDOW) : match.start()]
                label = self.definiendum_label(before)
                if label and self.short_ok(short):
                    defined.setdefault(short, label)
                    begin = self._name_start(text, match.start())
                    inside[begin : match.start()] = b"\x01" * (match.start() - begin)
        for short, label in defined.items():
            # 度假区 defined as the short name of one zone is still the head of other zone names
            # (滇池国家旅游度假区): a generic short name counts only where a name may start.
            generic = any(end.endswith(short) for end in (*self.park_ends, *self.org_ends))
            for start in occurrences(text, short):
                if any(inside[start : start + len(short)]):
                    continue
                if generic and not starts_name(self.walker, text, start):
                    continue
                yield start, start + len(short), label

    @staticmethod
    def _name_start(text: str, end: int) -> int:
        """Start of the run of name characters ending at ``end`` (quotes before a bracket skipped)."""
        i = end
        while i > 0 and text[i - 1] in "”\"」』’' ":
            i -= 1
        while i > 0 and end - i < _MAX_NAME_WALK and (is_cjk(text[i - 1]) or text[i - 1].isalnum()):
            i -= 1
        return i


class OrgShortAlias(LabellingFunction):
    """Short names implied by a full company name in the same text: 中国XY化肥有限公司 -> XY化肥,
    XY (place, organisation form and industry words stripped), labelled where they recur."""

    name = "org_short_alias"
    label = "ORG"

    def __init__(self, seeds: SeedData, walker: LeftWalker, places: GpeSeeds) -> None:
        self.full_names = OrgCompanySuffix(seeds, walker)
        rows = seeds["org_industry_words"]
        self.forms = tuple(sorted((r["word"] for r in rows if r["kind"] == "form"), key=len, reverse=True))
        self.industry = tuple(
            sorted((r["word"] for r in rows if r["kind"] == "industry"), key=len, reverse=True)
        )
        self.places = places
        self.generic = frozenset(words(seeds["org_generic_prefixes"]))
        self.industry_set = frozenset(self.industry) | frozenset(self.forms)
        self.walker = walker
        # 南玻 + 集团: the group word written after a short name belongs to it.
        self.group_words = Lexicon(["集团", "控股", "股份"])

    def _strip_end(self, name: str, tails: tuple[str, ...]) -> str:
        changed = True
        while changed:
            changed = False
            for tail in tails:
                if name.endswith(tail) and len(name) > len(tail):
                    name, changed = name[: -len(tail)], True
                    break
        return name

    def _strip_places(self, name: str) -> tuple[str, str]:
        """(place prefix, rest): every leading place name (中国, 云南省昆明市) is taken off."""
        place = ""
        while True:
            n = self.places.any.longest_at(name, 0) if name else 0
            if not n or len(name) - n < _MIN_SHORT:
                return place, name
            place, name = place + name[:n], name[n:]

    def aliases(self, full: str) -> list[str]:
        """Short names of a full company name, longest first; each passes the precision checks."""
        name = re.sub(r"[（(][^（）()]{1,6}[)）]", "", full)
        name = self._strip_end(name, self.forms)
        place, rest = self._strip_places(name)
        core = self._strip_end(rest, self.industry)
        candidates = [rest, core]
        if place and core != rest:
            candidates.append(self.places_last(place) + core)
        out = []
        for c in candidates:
            if c != full and c not in out and self._ok(c):
                out.append(c)
        return sorted(out, key=len, reverse=True)

    def places_last(self, place: str) -> str:
        """The innermost place of a prefix run (云南省昆明市 -> 昆明市), in its short form if any."""
        i, last = 0, place
        while i < len(place):
            n = self.places.any.longest_at(place, i)
            if not n:
                break
            last, i = place[i : i + n], i + n
        return last

    def _ok(self, short: str) -> bool:
        return (
            len(short) >= _MIN_SHORT
            and all(is_cjk(c) or (c.isascii() and c.isalnum()) for c in short)
            and short not in self.places.common_words
            and short not in self.places.any
            and short not in self.generic
            and short not in self.industry_set
        )

    def find(self, text: str) -> Iterator[Match]:
        fulls = [(s, e) for s, e, _ in self.full_names.find(text)]
        taken = bytearray(len(text))
        for s, e in fulls:
            taken[s:e] = b"\x01" * (e - s)
        for s, e in fulls:
            for short in self.aliases(text[s:e]):
                for start in occurrences(text, short):
                    end = start + len(short)
                    # Not the tail of another name (讯飞 inside 科大讯飞).
                    if any(taken[start:end]) or not starts_name(self.walker, text, start):
                        continue
                    end += self.group_words.longest_at(text, end) if end < len(text) else 0
                    taken[start:end] = b"\x01" * (end - start)
                    yield start, end, self.label


class OrgGovernmentDepartment(LabellingFunction):
    """A place (or 国家) + department + body word: 某某市发展和改革局, 某某县商务局, 国家统计局.
    Bare departments (市工业和信息化局) have no proper-name part and are left alone."""

    name = "org_government_department"
    label = "ORG"

    def __init__(self, seeds: SeedData, places: GpeSeeds) -> None:
        rows = seeds["government_departments"]
        self.departments = Lexicon(r["word"] for r in rows if r["kind"] == "department")
        self.heads = Lexicon(r["word"] for r in rows if r["kind"] == "head")
        self.places = places
        self.parks = Lexicon(r["suffix"] for r in seeds["park_suffixes"] if r["kind"] != "subarea")
        self.national = Lexicon(["国家", "中央"])

    def _body_end(self, text: str, stop: int) -> int:
        stop += self.parks.longest_at(text, stop) if stop < len(text) else 0
        n = self.departments.longest_at(text, stop) if stop < len(text) else 0
        if not n:
            return 0
        stop += n
        m = self.heads.longest_at(text, stop) if stop < len(text) else 0
        if not m:
            return 0
        head = text[stop : stop + m]
        after = text[stop + m : stop + m + 1]
        if after and after in _BAD_AFTER_HEAD.get(head, ""):
            return 0
        return stop + m

    def find(self, text: str) -> Iterator[Match]:
        starts = [*self.places.any.finditer(text), *self.national.finditer(text)]
        for start, end in sorted(starts):
            if text[start:end] in self.places.ambiguous:
                continue  # 会同 (a county, and the verb of 会同发展改革委)
            body_end = self._body_end(text, end) or self._body_end(
                text, self.places.with_level_suffix(text, end)
            )
            if not body_end:
                continue
            for k in (4, 3, 2):  # 中国 + 微山 + ...: a larger place right before belongs to it
                if start - k >= 0 and text[start - k : start] in self.places.any:
                    start -= k
                    break
            yield start, body_end, self.label


def alias_deriver(seeds: SeedData) -> Callable[[str, str], list[str]]:
    """A ``derive`` for document propagation: the short names of a full company name (ORG)."""
    aliases = OrgShortAlias(seeds, left_walker(seeds), GpeSeeds(seeds))

    def derive(mention: str, label: str) -> list[str]:
        if label == "ORG" and mention.endswith(aliases.forms):
            return aliases.aliases(mention)
        return []

    return derive
