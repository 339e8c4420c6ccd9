"""PRODUCT frames that need no lexicon: the item of a capacity statement (年产N吨X), of a
production line (建设X生产线) and the items of a product list (主要生产 X、Y和Z).

The frame, not a known term or head, makes the item a product; precision comes from the item
ending at a frame boundary (the regex lookahead) and from rejecting sector and generic words
(ANNOTATION.md: industries, sectors, services are not PRODUCT).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .amounts import AmountPatterns
from .base import LabellingFunction, Match
from .product import ProductVocabulary
from .seeds import SeedData

_LIST_SPLIT = re.compile(r"[、和及与（）()]")
_ENUMERATION = re.compile(r"(?:[\u4e00-\u9fffA-Za-z0-9]{2,10}、)+[\u4e00-\u9fffA-Za-z0-9]{2,12}")
_SENTENCE_ENDS = "。！？；\n"
_BOUNDARY = frozenset("，。；：、,;:（(“\"\n")


class FrameItems:
    """The checks every frame item passes (seeds/product/frames.json + the product vocabulary)."""

    def __init__(self, seeds: SeedData, vocab: ProductVocabulary) -> None:
        frames = seeds["product_frames"]
        self.min_chars = int(frames["min_item_chars"])
        self.max_chars = int(frames["max_item_chars"])
        self.bad_chars = frozenset(frames["item_bad_chars"])
        self.bad_words = tuple(frames["item_bad_words"])
        self.vocab = vocab
        # 检测试剂等领域: a list closed by a sector word lists sectors, not products.
        self.list_sector_after = re.compile(frames["list_sector_after"])

    def ok(self, text: str, start: int, end: int) -> bool:
        item = text[start:end]
        return (
            self.min_chars <= len(item) <= self.max_chars
            and not any(c in self.bad_chars for c in item)
            and not any(w in item for w in self.bad_words)
            and not any(g in item for g in self.vocab.generic)
            and not any(g in item for g in self.vocab.sector_heads)
            and not item.isdigit()
            and not self.vocab.names_sector(text, start, end)
        )


class ProductFrame(LabellingFunction):
    """One frame regex of seeds/product/frames.json: group 'item' or group 'list'."""

    label = "PRODUCT"

    def __init__(self, name: str, regex: str, items: FrameItems, amounts: AmountPatterns) -> None:
        self.name = name
        self.pattern = re.compile(regex.replace("{QUANTITY}", amounts.quantity_source), re.MULTILINE)
        self.items = items
        self.amounts = amounts

    def _quantity_ok(self, qty: str) -> bool:
        unit = self.amounts.quantity.fullmatch(qty)
        return (
            unit is not None
            and any(c.isdigit() for c in unit.group("num"))
            and unit.group("unit") not in self.amounts.non_product_units
        )

    def find(self, text: str) -> Iterator[Match]:
        # A match whose item fails may hide a good one that starts inside it (生产|线每年可加工芒果
        # 4万吨 before 每年可加工|芒果|4万吨): search again from the next character, not after it.
        pos = 0
        while (match := self.pattern.search(text, pos)) is not None:
            found = list(self._matched(text, match))
            yield from found
            pos = match.end() if found else match.start() + 1

    def _matched(self, text: str, match: re.Match[str]) -> Iterator[Match]:
        groups = match.groupdict()
        if groups.get("qty") is not None and not self._quantity_ok(groups["qty"]):
            return
        if groups.get("item") is not None:
            start, end = match.span("item")
            # 建设3GWh储能电池生产线: the amount before the item is a QUANTITY of its own.
            amount = self.amounts.quantity.match(text, start, end)
            if amount:
                start = amount.end()
            # An amount inside the item (2万吨X和3万吨Y) means the frame read too far.
            if self.amounts.quantity.search(text, start, end):
                return
            start, end = self.items.vocab.tight(text, start, end)
            if self.items.ok(text, start, end):
                yield start, end, self.label
        elif groups.get("list") is not None:
            yield from self._list_items(text, *match.span("list"))

    def _list_items(self, text: str, start: int, end: int) -> Iterator[Match]:
        if self.items.list_sector_after.match(text, end):
            return
        pieces = _pieces(_LIST_SPLIT.split(text[start:end]), start)
        trimmed = [self.items.vocab.tight(text, s, e) for s, e in pieces if s < e]
        good = [(s, e) for s, e in trimmed if self.items.ok(text, s, e)]
        # A list is a product list when one of its items is recognisably a product; its other
        # items are then products too (主要生产滤清器、冲压件和电堆 with one known head).
        if any(self.items.vocab.looks_like_product(text[s:e]) for s, e in good):
            for s, e in good:
                yield s, e, self.label


class ProductSharedHeadList(LabellingFunction):
    """An enumeration whose items share a product ending (空调压缩器、冰箱压缩器、汽车压缩器):
    coordinated names of one kind of product. The shared ending (two characters or more) must
    look like a product (seeds/product/heads.tsv or a known term) and the sentence must speak of
    production (a cue of seeds/product/frames.json: 生产, 产能, 产品 …); the first item counts
    only from a clause boundary, since its left edge is otherwise unknown."""

    name = "product_shared_head_list"
    label = "PRODUCT"

    def __init__(self, items: FrameItems, min_shared: int, cues: list[str]) -> None:
        self.items = items
        self.min_shared = min_shared
        self.cue = re.compile("|".join(map(re.escape, cues))) if cues else None

    def find(self, text: str) -> Iterator[Match]:
        for run in _ENUMERATION.finditer(text):
            if not self._in_production_sentence(text, run.start(), run.end()):
                continue
            pieces = _pieces(run.group().split("、"), run.start())
            shared = _common_suffix([text[s:e] for s, e in pieces[:-1]])
            last_start, last_end = pieces[-1]
            # The last item runs on into the sentence (汽车压缩器等相关产品): it ends at the
            # longest part of the shared ending that it holds.
            while len(shared) >= self.min_shared:
                found = text.find(shared, last_start, last_end)
                if found > last_start:
                    pieces[-1] = (last_start, found + len(shared))
                    break
                shared = shared[1:]
            if len(shared) < self.min_shared or not self.items.vocab.looks_like_product(shared):
                continue
            for i, (start, end) in enumerate(pieces):
                if i == 0 and start > 0 and text[start - 1] not in _BOUNDARY:
                    continue
                if not text.endswith(shared, start, end) or end - start <= len(shared):
                    continue
                start, end = self.items.vocab.tight(text, start, end)
                if self.items.ok(text, start, end):
                    yield start, end, self.label

    def _in_production_sentence(self, text: str, start: int, end: int) -> bool:
        if self.cue is None:
            return True
        begin = max(text.rfind(mark, 0, start) for mark in _SENTENCE_ENDS) + 1
        ends = (text.find(mark, end) for mark in _SENTENCE_ENDS)
        finish = min((i for i in ends if i >= 0), default=len(text))
        return self.cue.search(text, begin, finish) is not None


def _pieces(parts: list[str], start: int) -> list[tuple[int, int]]:
    """Text offsets of the parts of a split at one-character separators, from ``start``."""
    spans, pos = [], start
    for part in parts:
        spans.append((pos, pos + len(part)))
        pos += len(part) + 1
    return spans


def _common_suffix(names: list[str]) -> str:
    shortest = min(names, key=len)
    size = 0
    while size < len(shortest) and all(n[-1 - size] == shortest[-1 - size] for n in names):
        size += 1
    return shortest[len(shortest) - size :]


def product_frame_functions(
    seeds: SeedData, vocab: ProductVocabulary, amounts: AmountPatterns
) -> list[LabellingFunction]:
    items = FrameItems(seeds, vocab)
    frames = seeds["product_frames"]
    functions: list[LabellingFunction] = [
        ProductFrame(p["name"], p["regex"], items, amounts) for p in frames["patterns"]
    ]
    functions.append(
        ProductSharedHeadList(
            items, int(frames.get("shared_head_min_chars", 2)), list(frames.get("shared_head_cues", []))
        )
    )
    return functions
