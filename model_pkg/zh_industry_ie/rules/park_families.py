"""PARK suffix families beyond the development-zone list: 科技城, 合作区, 产业新城 ... (named like
the parks of ``park.py``), a place's industry valley (中国光谷-style X谷) and a park name
continued by a sub-zone (…工业园东区). Word lists: seeds/park/families.tsv."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .base import LabellingFunction, Match
from .gpe import GpeSeeds
from .lexicon import Lexicon
from .park import ParkNamed
from .seeds import SeedData
from .text import CJK_CLASS, LeftWalker

# After 区 these make a longer common word (区域, 区块, 区内): not a sub-zone name.
_NOT_ZONE_AFTER = "域块内外别间划位长"
_NOT_IN_ZONE = frozenset("和及与、的等在是为了其各该园所")
_VALLEY_NAME = 2
_STREET = re.compile(r"[一二三四五六七八九十0-9东南西北中]{0,3}[街路道号巷弄村]")


class ParkFamilyNamed(ParkNamed):
    """A place-led name + a family suffix (绵阳科技城, 江北新区研创园): park_named's checks, and the
    name must start with a place, since these words also name categories (生命科学城)."""

    name = "park_family_named"

    def __init__(self, seeds: SeedData, walker: LeftWalker, places: GpeSeeds) -> None:
        super().__init__(seeds, walker, places)
        rows = [r for r in seeds["park_families"] if r["kind"] in ("named", "place_named")]
        self.suffixes = Lexicon(r["suffix"] for r in rows)
        self.standalone = frozenset()
        self.place_only = frozenset(r["suffix"] for r in rows if r["kind"] == "place_named")

    def find(self, text: str) -> Iterator[Match]:
        for start, end, label in super().find(text):
            if self.places.any.longest_at(text, start):
                yield start, end, label


class ParkValley(LabellingFunction):
    """A place + 1-2 characters + 谷 (an industry valley named after its place); not a common
    word such as 山谷 or 低谷."""

    name = "park_valley"
    label = "PARK"

    def __init__(self, seeds: SeedData, places: GpeSeeds) -> None:
        heads = [r["suffix"] for r in seeds["park_families"] if r["kind"] == "valley"]
        self.pattern = re.compile(
            f"[{CJK_CLASS}]{{1,{_VALLEY_NAME}}}?(?:{'|'.join(map(re.escape, heads))})"
            if heads else r"(?!)"
        )
        rows = seeds["park_families"]
        self.not_valleys = frozenset(r["suffix"] for r in rows if r["kind"] == "not_valley")
        self.countries = frozenset(r["suffix"] for r in rows if r["kind"] == "valley_country")
        self.places = places

    def find(self, text: str) -> Iterator[Match]:
        for start, end in self.places.any.finditer(text):
            match = self.pattern.match(text, end)
            if not match:
                continue
            place = text[start:end]
            if place in self.places.countries and place not in self.countries:
                continue
            # 北京市平谷(区): the valley word is itself a place; 智谷二街: a street.
            if self.places.any.longest_at(text, end) or _STREET.match(text, match.end()):
                continue
            # 山谷, 稻谷 (a landform or grain), 谷歌, 谷物 (谷 starts a common word).
            if text[match.end() - 2 : match.end()] in self.not_valleys or (
                text[match.end() - 1 : match.end() + 1] in self.places.common_words
            ):
                continue
            yield start, match.end(), self.label


class ParkZone(LabellingFunction):
    """A park name continued by a sub-zone: …工业园东区, …产业园重工区 (the whole span, one PARK)."""

    name = "park_zone"
    label = "PARK"

    def __init__(self, seeds: SeedData, walker: LeftWalker, places: GpeSeeds) -> None:
        self.parks = [ParkNamed(seeds, walker, places), ParkFamilyNamed(seeds, walker, places)]
        heads = [r["suffix"] for r in seeds["park_families"] if r["kind"] == "zone"]
        self.zone = re.compile(
            f"(?P<z>[{CJK_CLASS}A-Z]{{1,3}}?)(?:{'|'.join(map(re.escape, heads))})"
            if heads else r"(?!)"
        )
        rows = seeds["park_suffixes"]
        self.other_parks = Lexicon(
            [r["suffix"] for r in rows]
            + [r["suffix"] for r in seeds["park_families"] if r["kind"] in ("named", "place_named")]
        )

    def find(self, text: str) -> Iterator[Match]:
        seen = set()
        for park in self.parks:
            for start, end, _ in park.find(text):
                match = self.zone.match(text, end)
                if not match or (start, match.end()) in seen:
                    continue
                zone = match.group("z")
                if any(c in _NOT_IN_ZONE for c in zone):
                    continue
                # 工业园高新区 is two parks, 工业园片区 a sub-area of park_subarea.
                if any(self.other_parks.longest_at(text, i) for i in range(end, match.end())):
                    continue
                if match.end() < len(text) and text[match.end()] in _NOT_ZONE_AFTER:
                    continue
                seen.add((start, match.end()))
                yield start, match.end(), self.label
