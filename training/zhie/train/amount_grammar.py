"""Amounts sampled from the rules' own amount grammar (``seeds/numeric/amounts.json``).

The weak corpus states capacities and investments with a few dozen units and currencies; the
rules know every unit of the seed file (只, 箱, 套, kW, t/a ...). Frame sentences whose MONEY
and capacity slots are partly filled from the grammar teach the student the units the corpus
never shows, in the frames where they occur. Every sampled amount is checked against the rules'
own regular expressions, so the student is taught nothing the rules would not label.
"""

import json
import random
from pathlib import Path
from typing import Any

from zh_industry_ie.rules.amounts import AmountPatterns

# The slot keys the grammar fills: a MONEY slot, a QUANTITY that is a capacity (production
# units: 台, 只, 吨/年 ...) and any other QUANTITY (physical units only: 亩, 公里, 千伏 ...).
GRAMMAR_KEYS = ("MONEY", "QUANTITY@CAPACITY", "QUANTITY")
CHINESE_NUMBERS = ("两", "三", "五", "八", "十", "二十", "三十", "一百")
# News writes 5000万元, 1.5亿元, 20万吨 far more often than 3千亿: 万 and 亿 take most draws.
COMMON_MAGNITUDES = {"万": 0.5, "亿": 0.3}
COMMON_CURRENCY = ("元", 0.7)


class AmountGrammar:
    """Random amounts in the forms the amount rules match, per slot key."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.patterns = AmountPatterns(spec)
        self.magnitudes = list(spec["magnitudes"])
        self.currencies_after = list(spec["currencies_after"])
        self.currencies_before = list(spec["currencies_before"])
        self.rate_suffixes = list(spec.get("rate_suffixes", []))
        units = list(spec["units"])
        count_units = set(spec["count_units_need_production_cue"])
        non_product = set(spec.get("non_product_units", []))
        self.units = {
            "QUANTITY@CAPACITY": [u for u in units if u not in non_product],
            "QUANTITY": [u for u in units if u not in count_units],
        }

    @classmethod
    def from_file(cls, path: Path) -> "AmountGrammar":
        return cls(json.loads(Path(path).read_text(encoding="utf8")))

    def scaled_number(self, rng: random.Random, magnitude_share: float) -> str:
        """A number and, for small and decimal numbers, often a magnitude (20万, 1.5亿, 三千)."""
        draw = rng.random()
        if draw < 0.1:
            number, scalable = rng.choice(CHINESE_NUMBERS), True
        elif draw < 0.3:
            value = rng.randint(1000, 99999)
            number, scalable = (f"{value:,}" if rng.random() < 0.3 else str(value)), False
        elif draw < 0.6:
            number, scalable = f"{rng.randint(1, 99)}.{rng.randint(1, 99)}", True
        else:
            number, scalable = str(rng.randint(1, 999)), True
        if scalable and rng.random() < magnitude_share:
            number += self.magnitude(rng)
        return number

    def magnitude(self, rng: random.Random) -> str:
        draw = rng.random()
        for magnitude, share in COMMON_MAGNITUDES.items():
            if draw < share and magnitude in self.magnitudes:
                return magnitude
            draw -= share
        return rng.choice(self.magnitudes)

    def money(self, rng: random.Random) -> str:
        if rng.random() < 0.15:
            return rng.choice(self.currencies_before) + self.scaled_number(rng, 0.7)
        currency, share = COMMON_CURRENCY
        if rng.random() >= share or currency not in self.currencies_after:
            currency = rng.choice(self.currencies_after)
        return self.scaled_number(rng, 0.8) + currency

    def quantity(self, key: str, rng: random.Random) -> str:
        amount = self.scaled_number(rng, 0.5) + rng.choice(self.units[key])
        if key == "QUANTITY@CAPACITY":
            if self.rate_suffixes and rng.random() < 0.1:
                amount += rng.choice(self.rate_suffixes)
            if rng.random() < 0.05:
                amount = f"{rng.randint(2, 4)}×{amount}"
        return amount

    def matches(self, key: str, amount: str) -> bool:
        pattern = self.patterns.money if key == "MONEY" else self.patterns.quantity
        return pattern.fullmatch(amount) is not None

    def sample(self, key: str, rng: random.Random) -> str:
        """An amount for the slot key that the amount rules match as a whole."""
        if key not in GRAMMAR_KEYS:
            raise ValueError(f"amount grammar: no amounts for {key!r} (one of {', '.join(GRAMMAR_KEYS)})")
        for _ in range(20):
            amount = self.money(rng) if key == "MONEY" else self.quantity(key, rng)
            if self.matches(key, amount):
                return amount
        raise ValueError(f"amount grammar: no {key} amount matched the amount rules in 20 draws")
