"""PRODUCT labelling functions: a sector lexicon and production context patterns."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .amounts import AmountPatterns
from .base import LabellingFunction, Match
from .lexicon import Lexicon
from .seeds import SeedData, words

_LIST_SPLIT = re.compile(r"[、和及与（）()]")
_LIST_MARKS = frozenset("、和及与")
_CHAIN_MARKS = frozenset("-—－–")


class ProductVocabulary:
    """The lexicon and the 'not a product' heads, shared by the product functions."""

    def __init__(self, seeds: SeedData) -> None:
        self.lexicon = Lexicon(r["term"] for r in seeds["product_lexicon"])
        self.generic = words(seeds["product_generic_heads"])
        self.sector_heads = words(seeds["product_sector_heads"])
        sector_after = seeds["product_context"]["sector_after"]
        # Right after the term: any sector form, or a sector head within 3 characters
        # (有机硅新材料产业, 机床制造产业集群).
        self.sector_direct = re.compile(f"{sector_after}|{seeds['product_context']['sector_head_near']}")
        self.sector_clause = re.compile(f"[^，。；]*?{sector_after}")
        self.bad_starts = frozenset(seeds["product_context"].get("item_bad_starts", ""))
        self.max_item = int(seeds["product_context"].get("max_item_chars", 10))
        # A grade or purity word before a known product is part of its name (电池级碳酸锂,
        # 高纯石英砂); a salt, ester or anhydride of a known acid is another product (磷酸盐).
        self.grade_prefixes = tuple(
            sorted(seeds["product_context"].get("grade_prefixes", []), key=len, reverse=True)
        )
        self.acid_derivatives = frozenset(seeds["product_context"].get("acid_derivatives", ""))
        # Right after a stated capacity a Latin code names the product (6万吨R22, 0.3万吨FEP).
        code = seeds["product_context"].get("product_code")
        self.product_code = re.compile(code) if code else None
        # A grade of quality before an item (高端轴承) and a process after it (铁矿石采选)
        # are not part of the product's name: spans are tight (ANNOTATION.md).
        self.quality_prefixes = tuple(seeds["product_context"].get("quality_prefixes", []))
        self.process_suffixes = tuple(seeds["product_context"].get("process_suffixes", []))
        # Chinese compounds are head-final: 电池 in 锂电池汽车 names the kind of car, not a product.
        self.compound_heads_after = tuple(seeds["product_context"].get("compound_heads_after", []))
        self.heads = tuple(
            sorted({r["head"] for r in seeds["product_heads"] if r["head"]}, key=len, reverse=True)
        )

    def tight(self, text: str, start: int, end: int) -> tuple[int, int]:
        """The item ``[start, end)`` without a quality word before it or a process after it,
        as long as two characters remain."""
        prefix = next((p for p in self.quality_prefixes if text.startswith(p, start, end)), "")
        if end - start - len(prefix) >= 2:
            start += len(prefix)
        suffix = next((s for s in self.process_suffixes if text.endswith(s, start, end)), "")
        if end - start - len(suffix) >= 2:
            end -= len(suffix)
        return start, end

    def modifies_compound(self, text: str, end: int) -> bool:
        """True when a head noun follows the term ending at ``end`` (锂电池|汽车)."""
        return bool(self.compound_heads_after) and text.startswith(self.compound_heads_after, end)

    def looks_like_product(self, item: str) -> bool:
        """A context item counts only with a product head (…材料, …电池, …铝) or a known term."""
        return item.endswith(self.heads) or any(
            self.lexicon.longest_at(item, i) for i in range(len(item)) if item[i]
        )

    def names_sector(self, text: str, start: int, end: int) -> bool:
        """True when the term ``[start, end)`` is a modifier of a sector: 电池产业, 电池千亿级产业,
        or an item of a list of sectors closed by a count or a chain word
        (新能源电池、卷烟及配套3个千亿级产业). A value chain written with dashes
        (多晶硅-单晶硅棒-…-应用全产业链) lists products, not sectors."""
        after = text[end : end + 4]
        if any(after.startswith(g) for g in self.sector_heads) or self.sector_direct.match(text, end):
            return True
        if text[end : end + 1] in _CHAIN_MARKS or text[start - 1 : start] in _CHAIN_MARKS:
            return False
        if not (text[end : end + 1] in _LIST_MARKS or text[start - 1 : start] in _LIST_MARKS):
            return False
        clause_end = len(text)
        for mark in "，。；：！？":
            found = text.find(mark, end)
            if 0 <= found < clause_end:
                clause_end = found
        return bool(self.sector_clause.match(text, end, clause_end))

    def item_ok(self, item: str, strict: bool = True) -> bool:
        if not strict and self.product_code is not None and self.product_code.fullmatch(item):
            return True
        heads = self.generic if strict else self.sector_heads
        return (
            0 < len(item) <= self.max_item
            and item[0] not in self.bad_starts
            and not any(g in item for g in heads)
            and self.looks_like_product(item)
        )


class ProductLexicon(LabellingFunction):
    """Known products (磷酸铁锂, 多晶硅, 水泥); adjacent terms form one (单晶硅+拉棒)."""

    name = "product_lexicon"
    label = "PRODUCT"

    def __init__(self, vocab: ProductVocabulary) -> None:
        self.vocab = vocab

    def find(self, text: str) -> Iterator[Match]:
        spans = list(self.vocab.lexicon.finditer(text))
        merged: list[list[int]] = []
        for start, end in spans:
            # 单晶硅+拉棒 is one product; 锌+铜 (铅锌铜) are separate one-character metals.
            if merged and merged[-1][1] == start and end - start > 1 and merged[-1][1] - merged[-1][0] > 1:
                merged[-1][1] = end
            else:
                merged.append([start, end])
        names = [self._whole_name(text, start, end) for start, end in merged]
        # 电池 of 电池级碳酸锂 is the grade word of the next name, not a product.
        names = [
            (start, end)
            for i, (start, end) in enumerate(names)
            if not (i + 1 < len(names) and names[i + 1][0] <= start)
        ]
        for start, end in names:
            # 电池产业, 铜产业: the term names a sector there; 电池汽车: it modifies a later head.
            if self.vocab.names_sector(text, start, end) or self.vocab.modifies_compound(text, end):
                continue
            # One-character metals (硒, 铂) only inside a list: 硒、碲、铂、钯等.
            if end - start == 1 and not (text[start - 1 : start] == "、" or text[end : end + 1] == "、"):
                continue
            yield start, end, self.label

    def _whole_name(self, text: str, start: int, end: int) -> tuple[int, int]:
        grade = next((g for g in self.vocab.grade_prefixes if text.endswith(g, 0, start)), "")
        if text[end - 1] == "酸" and text[end : end + 1] in self.vocab.acid_derivatives:
            end += 1
        return start - len(grade), end


class ProductContext(LabellingFunction):
    """A product named by its context: after a capacity (年产20万吨X项目), before one
    (年产生X 1800万吨), or in a list after 重点发展/主要布局 (not a lookup)."""

    label = "PRODUCT"

    def __init__(self, name: str, regex: str, vocab: ProductVocabulary, amounts: AmountPatterns) -> None:
        self.name = name
        self.pattern = re.compile(regex.replace("{QUANTITY}", amounts.quantity_source), re.MULTILINE)
        self.vocab = vocab
        self.amounts = amounts

    def find(self, text: str) -> Iterator[Match]:
        for match in self.pattern.finditer(text):
            groups = match.groupdict()
            strict = True
            if groups.get("qty") is not None:
                unit_match = self.amounts.quantity.fullmatch(groups["qty"])
                if unit_match is None or unit_match.group("unit") in self.amounts.non_product_units:
                    continue
                if not any(c.isdigit() for c in unit_match.group("num")):
                    continue
                # Right after a stated capacity the item is a product unless it names a sector.
                strict = False
            if groups.get("item") is not None:
                start, end = self.vocab.tight(text, *match.span("item"))
                if self.vocab.item_ok(text[start:end], strict):
                    yield start, end, self.label
            elif groups.get("list") is not None:
                yield from self._list_items(text, *match.span("list"))

    def _list_items(self, text: str, start: int, end: int) -> Iterator[Match]:
        pos = start
        for piece in _LIST_SPLIT.split(text[start:end]):
            if piece:
                item_start, item_end = self.vocab.tight(text, pos, pos + len(piece))
                if self.vocab.item_ok(text[item_start:item_end]):
                    yield item_start, item_end, self.label
            pos += len(piece) + 1


def product_context_functions(
    seeds: SeedData, vocab: ProductVocabulary, amounts: AmountPatterns
) -> list[ProductContext]:
    return [
        ProductContext(p["name"], p["regex"], vocab, amounts) for p in seeds["product_context"]["patterns"]
    ]
