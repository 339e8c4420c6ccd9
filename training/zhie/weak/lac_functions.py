"""LAC's decoded tags as labelling functions of the weak-labelling step.

LAC (``zh_industry_ie.lac``) tags words with PER/LOC/ORG/TIME and POS tags (nt organisation
noun, ns place noun, nz other proper noun). It knows organisations that carry no company
suffix (brands, media, universities, government bodies), which the suffix rules cannot find;
the rules know parks, products, money and quantities, which LAC has no tag for. Each LAC source
below is one labelling function (skweak style) whose matches are voted with the rules'.

The functions run on the Doc's simplified text (``rules.text.simplified_text``): LAC was
trained on simplified Chinese, and an index into that text is a token index of the Doc.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from threadpoolctl import threadpool_limits
from tqdm import tqdm

from zh_industry_ie.lac import LacModel
from zh_industry_ie.rules.gpe import GpeSeeds
from zh_industry_ie.rules.seeds import SeedData, words

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

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.sources]

    def is_generic_body(self, term: str) -> bool:
        """省政府, 市工业和信息化局, 管委会: a body named by its level, not by a proper name."""
        return term[0] in _LEVEL_LEADS or term in self.government_suffixes

    def keep(self, source: LacSource, term: str) -> bool:
        if not term:
            return False
        if source.check == "gpe":
            return self.places.is_place(term)
        if source.check == "product":
            return len(term) >= 2 and not term.endswith(self.sector_heads) and not self.places.is_place(term)
        return len(term) >= 2 and not self.is_generic_body(term) and not self.places.is_place(term)

    def matches(self, text: str, lac_words: LacWords) -> Iterator[tuple[str, Span3]]:
        for source in self.sources:
            for start, end, tag in lac_words:
                if tag not in source.tags:
                    continue
                start, end = trim(text, start, end)
                if self.keep(source, text[start:end]):
                    yield source.name, (start, end, source.label)


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Entity spans are tight (ANNOTATION.md): no surrounding space, punctuation or symbol."""
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    return start, end


# --- Running LAC over a corpus, two processes --------------------------------------------------

_WORKER_MODEL: dict[str, LacModel] = {}


def _init_worker(lac_dir: str) -> None:
    # One BLAS thread per worker: the workers already use every core, and BLAS threads on top
    # of them made LAC several times slower (docs/lac.md).
    threadpool_limits(1)
    _WORKER_MODEL["lac"] = LacModel.from_dir(Path(lac_dir))


def _tag_chunk(texts: list[str]) -> list[LacWords]:
    model = _WORKER_MODEL["lac"]
    return [
        [(s, e, tag) for (s, e), tag in zip(a.words, a.word_tags, strict=True)]
        for a in model.analyse(texts, with_states=False)
    ]


def lac_words(
    texts: Sequence[str], lac_dir: Path, processes: int = 2, chunk: int = 256, progress: bool = True
) -> list[LacWords]:
    """LAC words of every text, in order; ``processes`` workers each load the model once."""
    chunks = [list(texts[i : i + chunk]) for i in range(0, len(texts), chunk)]
    out: list[LacWords] = []
    bar = tqdm(total=len(texts), desc="LAC tags", unit="para", disable=not progress)
    if processes <= 1 or len(chunks) < 2 * processes:
        _init_worker(str(lac_dir))
        for part in chunks:
            out.extend(_tag_chunk(part))
            bar.update(len(part))
    else:
        # fork: workers need not re-import the caller's main module (a script without a main
        # guard would start itself again under spawn); each still loads the model itself.
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(processes, initializer=_init_worker, initargs=(str(lac_dir),)) as pool:
            for part, tagged in zip(chunks, pool.imap(_tag_chunk, chunks), strict=True):
                out.extend(tagged)
                bar.update(len(part))
    bar.close()
    return out
