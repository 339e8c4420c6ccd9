"""PARK names that begin with something other than a place: a name with a bracketed seat
(中德（揭阳）中小企业合作区, 安徽（淮南）…产业园区) and a company's park (比亚迪产业园区,
海信家电产业园). ANNOTATION.md keeps the outermost name, so these spans win over the place,
company or shorter park inside them. Suffix words: seeds/park/suffixes.tsv and families.tsv."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from .base import LabellingFunction, Match
from .gpe import GpeSeeds
from .lexicon import Lexicon
from .park import park_words
from .seeds import SeedData
from .text import LeftWalker, is_cjk

# The name part between a seat or a company and the park word (光电子产业, 宜宾).
_MAX_MIDDLE = 10
# What stands before a bracketed seat: 中德, 两岸, 海信, 中国 (2-6 characters from a boundary).
_MIN_LEAD, _MAX_LEAD = 2, 6
_SEAT_CLOSERS = "）)"
_SEAT_OPENERS = "（("


def _cjk(part: str) -> bool:
    return all(is_cjk(c) for c in part)


class ParkSeatedName(LabellingFunction):
    """Lead + （place） + name part + park word: a zone named with its seat in brackets, as
    company names are (锅圈食品（上海）股份有限公司). The bracket must hold a known place
    (（含厦门市）, （化名） do not)."""

    name = "park_seated_name"
    label = "PARK"
    encloses_names = True

    def __init__(self, seeds: SeedData, walker: LeftWalker, places: GpeSeeds) -> None:
        self.park_word_list = tuple(park_words(seeds))
        self.parks = Lexicon(self.park_word_list)
        self.walker = walker
        self.places = places

    def _lead(self, text: str, opening: int) -> int:
        """Start of what stands before the seat: a place ending there (走进|安徽（淮南）), else
        a short name from a boundary (中德, 两岸); -1 when neither."""
        lead = self.walker.start(text, opening, _MAX_LEAD)
        for k in range(opening - lead, _MIN_LEAD - 1, -1):
            if text[opening - k : opening] in self.places.any:
                return opening - k
        if opening - lead >= _MIN_LEAD and self.walker.at_boundary(text, lead):
            return lead
        return -1

    def find(self, text: str) -> Iterator[Match]:
        for start, end in self.parks.finditer(text):
            middle = self.walker.start(text, start, _MAX_MIDDLE)
            if middle == 0 or text[middle - 1] not in _SEAT_CLOSERS:
                continue
            opening = max(text.rfind(c, 0, middle - 1) for c in _SEAT_OPENERS)
            seat = text[opening + 1 : middle - 1]
            if opening < 0 or seat not in self.places.any:
                continue
            lead = self._lead(text, opening)
            # 高新区（江海区）: the bracket is that park's other name, and what follows is no park
            # name of its own (…国税局办税服务厅高新区).
            if lead < 0 or text.endswith(self.park_word_list, lead, opening):
                continue
            if _cjk(text[lead:opening]) and _cjk(text[middle:start]):
                yield lead, end, self.label


class ParkCompanyLed(LabellingFunction):
    """A company name + name part + park word (比亚迪产业园区, 海信家电产业园, X科技光电产业研创园): the
    company's park. The company must start the name part (found by the company functions), so a
    park only mentioned after a company (公司入驻X产业园) stays with park_named."""

    name = "park_company_led"
    label = "PARK"
    encloses_names = True

    def __init__(self, seeds: SeedData, walker: LeftWalker, companies: Sequence[LabellingFunction]) -> None:
        self.parks = Lexicon(park_words(seeds))
        self.walker = walker
        self.companies = list(companies)

    def find(self, text: str) -> Iterator[Match]:
        parks = list(self.parks.finditer(text))
        if not parks:
            return  # the company functions run only where a park word stands
        company_ends: dict[int, int] = {}
        for function in self.companies:
            for start, end, _ in function.find(text):
                company_ends[start] = max(end, company_ends.get(start, 0))
        for start, end in parks:
            begin = self.walker.start(text, start, _MAX_MIDDLE + 20)
            for company_start in range(begin, start):
                company_end = company_ends.get(company_start, 0)
                if company_end and company_end <= start and start - company_end <= _MAX_MIDDLE:
                    if self.walker.at_boundary(text, company_start) and _cjk(text[company_end:start]):
                        yield company_start, end, self.label
                    break
