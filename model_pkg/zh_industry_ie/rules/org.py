"""ORG labelling functions: known companies, company and institution suffixes, government bodies
named after a place, and context patterns (source lines, stock codes, 简称)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .base import LabellingFunction, Match
from .gpe import GpeSeeds
from .lexicon import Lexicon
from .seeds import SeedData, words
from .text import LeftWalker, is_cjk

# A name part must have at least this many characters before its suffix.
_MIN_NAME = 2
_MAX_FULL_NAME = 20
_MAX_INSTITUTION_NAME = 14
# Brand + industry word + one of these is an event or a sector (中国硅业大会, 曲靖光伏产业).
_NOT_COMPANY_AFTER = frozenset(
    {"大会", "会议", "论坛", "产业", "行业", "协会", "板块", "领域", "博览", "展会", "峰会"}
)


def _brand_ok(brand: str) -> bool:
    return (
        len(brand) >= _MIN_NAME
        and all(is_cjk(c) or ("A" <= c <= "Z") for c in brand)
        and not any(c in "是的了在着就也都" for c in brand)
    )


def _starts_generic(name: str, generic: list[str]) -> bool:
    return any(name.startswith(g) for g in generic)


class OrgKnownName(LabellingFunction):
    """Known companies (full and short names), also with a place before the short name (云南恩捷)."""

    name = "org_known_name"
    label = "ORG"

    def __init__(self, seeds: SeedData, places: GpeSeeds) -> None:
        names: set[str] = set()
        for row in seeds["known_companies"]:
            names.add(row["name"])
            names.update(s for s in row["short"].split("|") if s)
        self.names = Lexicon(names)
        self.places = places

    def find(self, text: str) -> Iterator[Match]:
        previous_end = 0
        for start, end in self.names.finditer(text):
            # 云南 + 恩捷 -> the regional subsidiary, one ORG; never over the name just before
            # (融创中国|联交所).
            for n in (4, 3, 2):
                if start - n >= previous_end and text[start - n : start] in self.places.any:
                    start -= n
                    break
            previous_end = end
            yield start, end, self.label


class OrgCompanySuffix(LabellingFunction):
    """A name ending in an organisation form (有限公司, 股份有限公司): walk left to a boundary."""

    name = "org_company_suffix"
    label = "ORG"

    def __init__(self, seeds: SeedData, walker: LeftWalker) -> None:
        self.suffixes = Lexicon(r["suffix"] for r in seeds["company_suffixes"] if r["kind"] == "full")
        self.generic = words(seeds["org_generic_prefixes"])
        self.walker = walker

    def find(self, text: str) -> Iterator[Match]:
        for start, end in self.suffixes.finditer(text):
            # An organisation form may follow a bracketed seat: 锅圈食品（上海）股份有限公司.
            name_end = start
            if start > 0 and text[start - 1] in "）)":
                opening = max(text.rfind("（", 0, start), text.rfind("(", 0, start))
                if opening >= 0 and start - opening <= 6:
                    name_end = opening
            begin = self.walker.start(text, name_end, _MAX_FULL_NAME)
            # The seat may stand inside the name too: 远帆重工(昆明)海风设备有限公司.
            if begin > 0 and text[begin - 1] in "）)":
                opening = max(text.rfind("（", 0, begin), text.rfind("(", 0, begin))
                if opening >= 0 and 2 <= begin - 1 - opening <= 4:
                    before = self.walker.start(text, opening, _MAX_FULL_NAME - (end - opening))
                    if opening - before >= _MIN_NAME:
                        begin = before
            if name_end - begin >= _MIN_NAME and not _starts_generic(text[begin:name_end], self.generic):
                yield begin, end, self.label


class OrgBrandSuffix(LabellingFunction):
    """A 2-character brand + industry word (隆基股份, 晶澳科技, 开曼铝业); generic words excluded."""

    name = "org_brand_suffix"
    label = "ORG"

    def __init__(self, seeds: SeedData, walker: LeftWalker, places: GpeSeeds) -> None:
        self.suffixes = Lexicon(r["suffix"] for r in seeds["company_suffixes"] if r["kind"] == "short")
        self.generic = frozenset(words(seeds["org_generic_prefixes"]))
        self.walker = walker
        self.places = places

    def find(self, text: str) -> Iterator[Match]:
        for start, end in self.suffixes.all_matches(text):
            # Not the head of a longer word: 能源结构, 科技创新, 集团化.
            if end < len(text) and text[end] in "化型类业界性局厅委":
                continue
            if text[end : end + 2] in _NOT_COMPANY_AFTER:
                continue
            brand_start = start - 2
            if brand_start < 0:
                continue
            brand = text[brand_start:start]
            if (
                not _brand_ok(brand)
                or brand in self.generic
                or brand in self.places.common_words
                or brand[-1] in "新级型化色"
                or brand[0] in "的在和与及等"
            ):
                continue
            # The brand must start a name: after punctuation/boundary, or be a place (云南铜业).
            if not (self.walker.at_boundary(text, brand_start) or brand in self.places.any):
                continue
            yield brand_start, end, self.label


class OrgInstitution(LabellingFunction):
    """Universities, associations, media, exchanges: name part + suffix (中国有色金属工业协会)."""

    name = "org_institution"
    label = "ORG"

    def __init__(self, seeds: SeedData, walker: LeftWalker, places: GpeSeeds) -> None:
        self.suffixes = Lexicon(r["suffix"] for r in seeds["institution_suffixes"])
        self.generic = words(seeds["org_generic_prefixes"])
        self.walker = walker
        self.places = places

    def find(self, text: str) -> Iterator[Match]:
        for start, end in self.suffixes.all_matches(text):
            begin = self.walker.start(text, start, _MAX_INSTITUTION_NAME)
            name = text[begin:start]
            if (
                len(name) >= _MIN_NAME
                and not _starts_generic(name, self.generic)
                and name[:2] not in self.places.function_words
            ):
                yield begin, end, self.label


class OrgGovernmentBody(LabellingFunction):
    """A body named after a place or park (玉溪市委, 上海市商务委, 玉溪高新区管委会)."""

    name = "org_government_body"
    label = "ORG"

    def __init__(self, seeds: SeedData, places: GpeSeeds) -> None:
        self.suffixes = Lexicon(r["suffix"] for r in seeds["government_suffixes"])
        self.places = places
        park_names = [r["suffix"] for r in seeds["park_suffixes"] if r["kind"] != "subarea"]
        self.parks = Lexicon(park_names)

    def find(self, text: str) -> Iterator[Match]:
        for start, end in self.places.any.finditer(text):
            stop = end
            # 玉溪 + 高新区 + 管委会: a park between the place and the body.
            park = self.parks.longest_at(text, stop) if stop < len(text) else 0
            stop += park
            n = self.suffixes.longest_at(text, stop) if stop < len(text) else 0
            if not n:
                continue
            # 云南省委 but not 云南省委托; 昆明网 but not 昆明网络.
            after = text[stop + n : stop + n + 1]
            if after and after in "托员络站点会":
                continue
            # 中国 + 微山 + 网: a larger place right before belongs to the name.
            for k in (4, 3, 2):
                if start - k >= 0 and text[start - k : start] in self.places.any:
                    start -= k
                    break
            yield start, stop + n, self.label


class OrgContextPattern(LabellingFunction):
    """Organisation names from their context: source lines, reporter credits, stock codes, 简称."""

    label = "ORG"

    def __init__(
        self, name: str, regex: str, walker: LeftWalker, generic: list[str], name_closed: bool = False
    ) -> None:
        self.name = name
        self.pattern = re.compile(regex, re.MULTILINE)
        self.walker = walker
        self.generic = generic
        # The pattern's right context closes the name for certain (a stock code after it), so its
        # last character may be a boundary word (奥飞数据: 据); elsewhere 马尔代夫媒体的 stays out.
        self.name_closed = name_closed

    def find(self, text: str) -> Iterator[Match]:
        for match in self.pattern.finditer(text):
            start, end = match.span("name")
            # Keep the tail name after any boundary word inside the capture (据报道称 X).
            begin = self.walker.start(text, end, end - start, name_end=self.name_closed)
            if end - begin >= _MIN_NAME and not _starts_generic(text[begin:end], self.generic):
                yield begin, end, self.label


def org_context_functions(seeds: SeedData, walker: LeftWalker) -> list[OrgContextPattern]:
    generic = words(seeds["org_generic_prefixes"])
    return [
        OrgContextPattern(p["name"], p["regex"], walker, generic, bool(p.get("name_closed", False)))
        for p in seeds["org_context"]["patterns"]
    ]
