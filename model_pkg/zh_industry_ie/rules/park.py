"""PARK labelling functions: a name part + park suffix, standalone short forms, sub-areas."""

from __future__ import annotations

from collections.abc import Iterator

from .base import LabellingFunction, Match
from .gpe import GpeSeeds
from .lexicon import Lexicon
from .seeds import SeedData, words
from .text import LeftWalker, is_cjk

_MAX_PARK_NAME = 10
# The kinds of seeds/park rows that end a park name (not the sub-areas 片区, 直管区).
_NAME_KINDS = ("named", "standalone", "place_named")
_MAX_SUBAREA_NAME = 4
_MAX_UNPLACED_NAME = 6


def park_words(seeds: SeedData) -> list[str]:
    """Every word that ends a park name: the zone list and the name families (科技城, 研创园)."""
    tables = ("park_suffixes", "park_families")
    return [r["suffix"] for table in tables for r in seeds.get(table, []) if r["kind"] in _NAME_KINDS]


class ParkNamed(LabellingFunction):
    """X + 产业园区/经开区/物流园…: the name part runs left to a boundary; generic names dropped."""

    name = "park_named"
    label = "PARK"

    def __init__(self, seeds: SeedData, walker: LeftWalker, places: GpeSeeds) -> None:
        rows = seeds["park_suffixes"]
        self.suffixes = Lexicon(r["suffix"] for r in rows if r["kind"] in ("named", "standalone"))
        self.standalone = frozenset(r["suffix"] for r in rows if r["kind"] == "standalone")
        # 新区, 开发区, 保税区: too common as words to take any name part, only a place.
        self.place_only = frozenset(r["suffix"] for r in rows if r["kind"] == "place_named") | self.standalone
        self.suffixes = Lexicon(
            r["suffix"] for r in rows if r["kind"] in ("named", "standalone", "place_named")
        )
        self.generic = words(seeds["park_generic_prefixes"])
        self.walker = walker
        self.places = places

    def _generic(self, name: str) -> bool:
        return any(g in name for g in self.generic)

    def _place_start(self, text: str, begin: int, start: int) -> int:
        """The first place name inside ``text[begin:start]`` (前往丹东新区 -> 丹东新区), or -1."""
        for i in range(begin, start - 1):
            n = self.places.any.longest_at(text, i)
            if n and i + n <= start and text[i : i + n] not in self.places.ambiguous:
                return i
        return -1

    def find(self, text: str) -> Iterator[Match]:
        for start, end in self.suffixes.finditer(text):
            begin = self.walker.start(text, start, _MAX_PARK_NAME)
            bounded = self.walker.at_boundary(text, begin)
            first_place = self._place_start(text, begin, start)
            if first_place > begin:
                begin, bounded = first_place, True
            name = text[begin:start]
            place = self.places.any.longest_at(text, begin) if begin < start else 0
            if text[start:end] in self.place_only and not place:
                if text[start:end] in self.standalone:
                    yield start, end, self.label
                continue
            if not place and (
                not bounded or len(name) > _MAX_UNPLACED_NAME or name[:2] in self.places.function_words
            ):
                if text[start:end] in self.standalone and self.walker.at_boundary(text, start):
                    yield start, end, self.label
                continue
            if place and name[:place] in self.places.countries:
                continue  # 中国自由贸易试验区: a category, not a named zone
            placed_ok = place and (place == len(name) or not self._generic(name[place:]))
            unplaced_ok = len(name) >= 2 and not self._generic(name) and all(is_cjk(c) for c in name)
            if placed_ok or unplaced_ok:
                yield begin, end, self.label
            elif text[start:end] in self.standalone:
                yield start, end, self.label


class ParkSubarea(LabellingFunction):
    """A sub-area after a park or place: 曲靖经开区南海子片区, 自贸试验区昆明片区, 滇中新区直管区."""

    name = "park_subarea"
    label = "PARK"

    def __init__(self, seeds: SeedData, walker: LeftWalker) -> None:
        rows = seeds["park_suffixes"]
        self.walker = walker
        self.parks = Lexicon(r["suffix"] for r in rows if r["kind"] in ("named", "standalone", "place_named"))
        self.subareas = Lexicon(r["suffix"] for r in rows if r["kind"] == "subarea")

    def find(self, text: str) -> Iterator[Match]:
        for start, end in self.parks.finditer(text):
            # Up to 4 name characters then 片区/直管区 right after the park word.
            for n in range(0, _MAX_SUBAREA_NAME + 1):
                pos = end + n
                if pos >= len(text) or not all(is_cjk(c) for c in text[end:pos]):
                    break
                m = self.subareas.longest_at(text, pos)
                if m and (n >= 2 or text[pos : pos + m] == "直管区"):
                    begin = self.walker.start(text, start, _MAX_PARK_NAME)
                    if start - begin < 2:
                        begin = start
                    yield begin, pos + m, self.label
                    break
