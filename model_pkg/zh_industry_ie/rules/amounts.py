"""MONEY and QUANTITY labelling functions: regular expressions built from seeds/numeric/amounts.json.

Spans are tight: the regex starts at the number (or at a currency written before it), so
约/超/近 before and 以上/左右 after are never inside; percentages and counts (户, 个, 次, 家)
have no unit in the seeds and are never matched.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from .base import LabellingFunction, Match


def _alternation(items: list[str]) -> str:
    return "|".join(re.escape(i) for i in sorted(set(items), key=lambda s: (-len(s), s)))


class AmountPatterns:
    """The number, money and quantity regexes, compiled once and shared."""

    def __init__(self, spec: dict[str, Any]) -> None:
        single = f"(?:{spec['spaced_decimal']}|{spec['number']})"
        # 80至90亿元: a bare first number shares the second's unit, so the range is one amount
        # (120万吨至200万吨 stays two: the first has its unit and matches on its own).
        ranged = f"(?:{single}(?:{_alternation(spec['range_marks'])}))?" if spec.get("range_marks") else ""
        # 60余亩, 30多万吨: the approximation mark sits inside the numeral, before magnitude and unit.
        approx = f"(?:{_alternation(spec['approximate_marks'])})?" if spec.get("approximate_marks") else ""
        number = f"(?:{ranged}{single}{approx})"
        chinese = spec["chinese_number"]
        chinese_class = chinese[: chinese.index("]") + 1]
        magnitude = f"(?:{_alternation(spec['magnitudes'])})"
        cur_after = f"(?:{_alternation(spec['currencies_after'])})"
        cur_before = f"(?:{_alternation(spec['currencies_before'])})"
        units = f"(?:{_alternation(spec['units'])})"
        # A space may stand between a number and a Latin unit (20 GWh, 110 kV); the normaliser
        # already took out the spaces before Chinese units. Seeds saved without the key: none.
        latin_units = [u for u in spec["units"] if u.isascii()]
        unit_gap = ""
        if spec.get("latin_unit_gap") and latin_units:
            unit_gap = f"(?:{re.escape(spec['latin_unit_gap'])}(?={_alternation(latin_units)}))?"
        # A capacity is written as one amount: 2×600MW (lines times size), 40万吨/年 and
        # 10000t/a (per year) are whole QUANTITY spans, not 600MW or 40万吨.
        multiplier = f"(?:{spec['multiplier']})?" if spec.get("multiplier") else ""
        rate = f"(?:{_alternation(spec['rate_suffixes'])})?" if spec.get("rate_suffixes") else ""
        # A Latin unit is not the start of a longer word (5 t in 5tons); a Chinese one may be
        # followed by a Latin name (6万吨R22).
        tail = "(?:(?<![A-Za-z])|(?![A-Za-z]))"
        # No digit or decimal point right before: never half a number.
        lead = r"(?<![\d.．,A-Za-z])"
        # 11亿人民币: a currency written only after a magnitude (300人民币 is not an amount form).
        after_magnitude = spec.get("currencies_after_magnitude", [])
        magnitude_currency = ""
        if after_magnitude:
            magnitude_currency = f"|(?:{number}|{chinese}){magnitude}(?:{_alternation(after_magnitude)})"
        self.money = re.compile(
            f"{lead}(?:{cur_before}\\s?{number}{magnitude}?{cur_after}?"
            f"|(?:{number}|{chinese}){magnitude}?{cur_after}"
            f"{magnitude_currency}"
            f"|(?<!{chinese_class}){magnitude}{cur_after})"
        )
        # One composition for the matcher (named groups) and for the frames' {QUANTITY} slot.
        amount, before_unit = f"{multiplier}(?:{number}|{chinese})", f"{magnitude}?{unit_gap}"
        self.quantity = re.compile(
            f"{lead}(?P<num>{amount}){before_unit}(?P<unit>{units})(?P<rate>{rate}){tail}"
        )
        self.quantity_source = f"{amount}{before_unit}(?:{units}){rate}{tail}"
        self.count_units = frozenset(spec["count_units_need_production_cue"])
        self.non_product_units = frozenset(spec.get("non_product_units", []))
        self.production_cues = tuple(spec["production_cues"])
        # A count is a production count also where its line or project follows in the clause
        # (5000台电堆自动化产线, 100万套家纺建设项目, 4000万只光模块从这里交付).
        self.production_cues_after = tuple(spec.get("production_cues_after", []))


class MoneyPattern(LabellingFunction):
    """Amounts of money: 340亿元, 人民币70亿元, 15.18美元, 千亿元."""

    name = "money_pattern"
    label = "MONEY"

    def __init__(self, patterns: AmountPatterns) -> None:
        self.patterns = patterns

    def find(self, text: str) -> Iterator[Match]:
        for match in self.patterns.money.finditer(text):
            span = match.group(0)
            # Without digits only a compound magnitude counts (千亿元), not 亿元 or 万元 alone.
            if not any(c.isdigit() for c in span) and len(span) < 3:
                continue
            yield match.start(), match.end(), self.label


class QuantityPattern(LabellingFunction):
    """Physical amounts (20万吨, 3GWh, 110kV, 320亩); piece counts (4.5万台) only near a production cue."""

    name = "quantity_pattern"
    label = "QUANTITY"
    _CUE_WINDOW = 30

    def __init__(self, patterns: AmountPatterns) -> None:
        self.patterns = patterns

    def _sentence_before(self, text: str, start: int) -> str:
        window = text[max(0, start - self._CUE_WINDOW) : start]
        cut = max(window.rfind(c) for c in "。；！？\n")
        return window[cut + 1 :]

    def _clause_after(self, text: str, end: int) -> str:
        window = text[end : end + self._CUE_WINDOW]
        cut = min((i for i in (window.find(c) for c in "，。；！？、\n") if i >= 0), default=len(window))
        return window[:cut]

    def _production_count(self, text: str, start: int, end: int) -> bool:
        before = self._sentence_before(text, start)
        if any(cue in before for cue in self.patterns.production_cues):
            return True
        after = self._clause_after(text, end)
        return any(cue in after for cue in self.patterns.production_cues_after)

    def find(self, text: str) -> Iterator[Match]:
        for match in self.patterns.quantity.finditer(text):
            num = match.group("num")
            if not any(c.isdigit() for c in num) and len(num) < 2:
                continue  # 一吨, 三台: too vague to be a stated amount
            # A per-year rate (t/a) makes it a capacity whatever the sentence says.
            if (
                match.group("unit") in self.patterns.count_units
                and not match.group("rate")
                and not self._production_count(text, match.start(), match.end())
            ):
                continue
            yield match.start(), match.end(), self.label
