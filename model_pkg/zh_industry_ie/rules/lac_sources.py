"""LAC's decoded tags as labelling functions: of the weak teacher and of ``zhie_rule_ner``.

LAC (``zh_industry_ie.lac``) tags words with PER/LOC/ORG/TIME and POS tags (nt organisation
noun, ns place noun, nz other proper noun). It knows organisations that carry no company
suffix (brands, media, universities, government bodies), which the suffix rules cannot find;
the rules know parks, products, money and quantities, which LAC has no tag for. Each LAC source
below is one labelling function (skweak style) whose matches are voted with the rules'.
The weak-labelling step (``zhie.weak.teacher``) and the shipped rule component (``lac_first``)
both use these, so the runtime filters are the ones the teacher was measured with.

The functions run on the Doc's simplified text (``rules.text.simplified_text``): LAC was
trained on simplified Chinese, and an index into that text is a token index of the Doc.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from .gpe import GpeSeeds
from .park import park_words
from .seeds import SeedData, words

Span3 = tuple[int, int, str]
LacWords = list[tuple[int, int, str]]  # (start, end, LAC word tag) over the simplified text


@dataclass(frozen=True)
class LacSource:
    """One LAC-derived labelling function: LAC tags -> a label, with a filter on the word."""

    name: str
    tags: frozenset[str]
    label: str
    # "gpe": keep only names of the place gazetteer; "org": drop generic bodies and bare places.
    check: str


# LAC 2's model tags names PER/LOC/ORG where its POS set would say nr/ns/nt, so those POS
# tags never occur; nz (other proper noun) names products and materials among other things.
LAC_SOURCES: tuple[LacSource, ...] = (
    LacSource("lac_org", frozenset({"ORG"}), "ORG", "org"),
    LacSource("lac_loc_gpe", frozenset({"LOC"}), "GPE", "gpe"),
    LacSource("lac_nz_product", frozenset({"nz"}), "PRODUCT", "product"),
)
LAC_FUNCTION_NAMES = tuple(s.name for s in LAC_SOURCES)


def lac_sources(names: Sequence[str], setting: str) -> list[LacSource]:
    """The sources named (in ``LAC_SOURCES`` order); an unknown name is a clear error."""
    unknown = sorted(set(names) - set(LAC_FUNCTION_NAMES))
    if unknown:
        raise ValueError(f"{setting}: unknown source(s) {unknown}; known: {list(LAC_FUNCTION_NAMES)}")
    return [s for s in LAC_SOURCES if s.name in names]
# A name that starts with a bare level word (省, 市, 全, 本...) has no proper-name part: that is
# the rule (ANNOTATION.md), not a list of names, so it stays here rather than in seeds/.
_LEVEL_LEADS = frozenset("省市县区州镇乡村全本该")


class LacFunctions:
    """Matches of every LAC source on one paragraph's LAC words."""

    def __init__(self, seeds: SeedData, sources: Sequence[LacSource] = LAC_SOURCES) -> None:
        self.sources = tuple(sources)
        self.places = GpeSeeds(seeds)
        # ANNOTATION.md: bodies without a proper-name part (省政府, 管委会) are not ORG.
        self.government_suffixes = frozenset(words(seeds["government_suffixes"], "suffix"))
        # ANNOTATION.md: industries and sectors (电池产业, 生物医药行业) are not products.
        self.sector_heads = tuple(words(seeds["product_sector_heads"]))
        # Pipelines saved before the facility words existed carry no such seeds: no cut.
        facility = seeds.get("org_facility_words", [])
        self.facility_suffixes = tuple(r["word"] for r in facility if r["kind"] == "suffix")
        self.facility_qualifiers = tuple(r["word"] for r in facility if r["kind"] == "qualifier")
        # ANNOTATION.md: a named park is a PARK, also when a company names it; LAC calls such a
        # word an organisation (X科技光电子产业研创园), so the park functions decide.
        self.park_words = tuple(park_words(seeds))

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.sources]

    def is_generic_body(self, term: str) -> bool:
        """省政府, 市工业和信息化局, 管委会: a body named by its level, not by a proper name."""
        return term[0] in _LEVEL_LEADS or term in self.government_suffixes

    def organisation_end(self, term: str) -> int:
        """Where the organisation inside an organisation word ends: before the place name or
        qualifier of a site (中国纸业南方基地 -> 中国纸业, 浩云长盛宁夏数据中心 -> 浩云长盛); the
        whole word if it names no facility, 0 if it names a facility with no organisation."""
        if not term.endswith(self.facility_suffixes):
            return len(term)
        # A qualifier first: short place names hide inside words (中国交建华南 holds 建华).
        for start in range(2, len(term) - 1):
            if term.startswith(self.facility_qualifiers, start):
                return start
        for start in range(2, len(term) - 1):
            for end in range(start + 2, min(len(term), start + 6) + 1):
                place = term[start:end]
                if self.places.is_place(place) and place not in self.places.ambiguous:
                    return start
        return 0

    def keep(self, source: LacSource, term: str) -> bool:
        if not term:
            return False
        if source.check == "gpe":
            return self.places.is_place(term)
        if source.check == "product":
            return len(term) >= 2 and not term.endswith(self.sector_heads) and not self.places.is_place(term)
        return (
            len(term) >= 2 and not self.is_generic_body(term) and not self.places.is_place(term)
            and not term.endswith(self.park_words)
        )

    def matches(self, text: str, lac_words: LacWords) -> Iterator[tuple[str, Span3]]:
        for source in self.sources:
            for start, end, tag in lac_words:
                if tag not in source.tags:
                    continue
                start, end = trim(text, start, end)
                if source.label == "ORG":
                    # Cut back to the organisation, then tight again: 合盛硅业(鄯善)基地 -> 合盛硅业
                    start, end = trim(text, start, start + self.organisation_end(text[start:end]))
                if self.keep(source, text[start:end]):
                    yield source.name, (start, end, source.label)


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Entity spans are tight (ANNOTATION.md): no surrounding space, punctuation or symbol."""
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    return start, end


# LAC's part-of-speech tag of verbal nouns (冶炼, 采选, 精制, 改造, 净化).
VERBAL_NOUN = "vn"


class ProcessWordTrimmer:
    """PRODUCT spans lose the verbal nouns LAC finds at their end: in 年产30万吨锌冶炼项目 the product
    is 锌 and 冶炼 names the process (ANNOTATION.md: a product, not an activity). Terms of the
    product lexicon stay whole (生物制药 is a product category there), and a span never shrinks
    to nothing."""

    def __init__(self, seeds: SeedData) -> None:
        self.lexicon_terms = frozenset(words(seeds["product_lexicon"], "term"))

    def trim(self, text: str, spans: Sequence[Span3], lac_words: LacWords) -> list[Span3]:
        out: list[Span3] = []
        for start, end, label in spans:
            if label == "PRODUCT" and text[start:end] not in self.lexicon_terms:
                end = self._product_end(start, end, lac_words)
            out.append((start, end, label))
        return out

    @staticmethod
    def _product_end(start: int, end: int, lac_words: LacWords) -> int:
        inside = [(s, e, tag) for s, e, tag in lac_words if start <= s and e <= end]
        while len(inside) > 1 and inside[-1][1] == end and inside[-1][2] == VERBAL_NOUN:
            end = inside[-1][0]
            inside.pop()
        return end
