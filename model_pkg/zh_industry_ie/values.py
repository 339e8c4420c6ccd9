"""Structured values of entities: amounts, currencies, quantities, units, places.

The parsing is pure functions (:func:`parse_number`, :func:`parse_money`,
:func:`parse_quantity`, :meth:`Gazetteer.lookup`) over tables read from ``seeds/values/`` and
``seeds/gpe/``; the ``zhie_entity_values`` component applies them to ``doc.ents`` and writes
Span extensions (see docs/values.md). Values that cannot be parsed are ``None``, never an error.
"""

# No `from __future__ import annotations`: spaCy validates initialize() arguments with
# pydantic, which needs real (not string) annotations there.
import csv
import re
import unicodedata
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import registry

from .normalize import to_simplified
from .seeded import SeededComponent

SPAN_EXTENSIONS = ("canonical", "amount", "currency", "quantity", "unit", "gpe_name", "adcode")

# Chinese numerals are grammar, not seeds: they do not vary with the news source.
_DIGITS = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
    "九": 9, "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7, "捌": 8, "玖": 9,
}
_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_WAN, _YI = "万", "亿"
_NUMBER_TOKEN = re.compile(r"\d+(?:\.\d+)?|[零〇一二两三四五六七八九壹贰叁肆伍陆柒捌玖十拾百佰千仟万亿]")
_CN_DECIMAL = re.compile(r"([零〇一二两三四五六七八九]+)点([零〇一二三四五六七八九]+)")
# Hedges the guidelines keep outside spans, tolerated here so a slightly wide span still parses.
_LEADING_HEDGE = re.compile(r"^(?:约|大约|超过|超|近|逾|达到|达|共计|合计|总计|高达)+")
_TRAILING_HEDGE = re.compile(r"(?:以上|左右|上下|多|余)+$")
_INNER_HEDGE = re.compile(r"(?<=[\d十百千])[多余]+(?=[万亿千百])")


def _clean(text: str) -> str:
    """NFKC (full-width digits), simplified script, no spaces or thousands separators."""
    text = to_simplified(unicodedata.normalize("NFKC", text))
    text = re.sub(r"\s+", "", text)
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)
    text = _LEADING_HEDGE.sub("", text)
    text = _TRAILING_HEDGE.sub("", text)
    return _INNER_HEDGE.sub("", text)


def parse_number(text: str) -> float | None:
    """Arabic, Chinese or mixed numerals with magnitudes: 4486.20亿 -> 4.4862e11, 百亿 -> 1e10."""
    text = _clean(text)
    text = _CN_DECIMAL.sub(
        lambda m: f"{_cn_digit_string(m.group(1))}.{_cn_digit_string(m.group(2))}", text
    )
    tokens = _NUMBER_TOKEN.findall(text)
    if not tokens or "".join(tokens) != text:
        return None
    total = section = current = Decimal(0)
    has_current = seen_number = False
    prev_was_digit = False
    for token in tokens:
        if token[0].isdigit():
            if has_current:
                return None  # "3 5" with nothing between is not a number
            current, has_current, seen_number = Decimal(token), True, True
            prev_was_digit = False
        elif token in _DIGITS:
            value = Decimal(_DIGITS[token])
            # "一五" read digit by digit; "五千三" keeps its unit reading below.
            current = current * 10 + value if prev_was_digit else value
            has_current = seen_number = prev_was_digit = True
        elif token in _SMALL_UNITS:
            section += (current if has_current else Decimal(1)) * _SMALL_UNITS[token]
            current, has_current, seen_number, prev_was_digit = Decimal(0), False, True, False
        elif token == _WAN:
            if not (seen_number or section or total):
                return None
            section = (section + current) * 10_000
            current, has_current, prev_was_digit = Decimal(0), False, False
        else:  # 亿
            if not (seen_number or section or total):
                return None
            total = (total + section + current) * 100_000_000
            section = current = Decimal(0)
            has_current = prev_was_digit = False
    if not seen_number:
        return None
    return float(total + section + current)


def _cn_digit_string(digits: str) -> str:
    return "".join(str(_DIGITS[c]) for c in digits)


@dataclass(frozen=True)
class UnitEntry:
    unit: str
    factor: float


@dataclass(frozen=True)
class CurrencyEntry:
    code: str
    position: str  # "prefix" or "suffix"


def _read_tsv(path: Path, required: tuple[str, ...]) -> list[dict[str, str]]:
    """Rows of a seed table; a missing file or column is an error naming the file."""
    if not path.is_file():
        raise FileNotFoundError(f"seed file {path} not found")
    text = path.read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        raise ValueError(f"{path}: missing column(s) {missing}")
    return list(reader)


def load_units(path: str | Path) -> dict[str, UnitEntry]:
    """``units.tsv``: surface -> (canonical unit, factor)."""
    return {
        _clean_surface(row["surface"]): UnitEntry(row["unit"], float(row["factor"]))
        for row in _read_tsv(Path(path), ("surface", "unit", "factor"))
    }


def load_currencies(path: str | Path) -> dict[tuple[str, str], CurrencyEntry]:
    """``currencies.tsv``: (surface, position) -> ISO code."""
    return {
        (_clean_surface(row["surface"]), row["position"]): CurrencyEntry(row["code"], row["position"])
        for row in _read_tsv(Path(path), ("surface", "position", "code"))
    }


def _clean_surface(surface: str) -> str:
    return to_simplified(unicodedata.normalize("NFKC", surface.strip()))


def _longest_suffix(text: str, surfaces: Iterable[str]) -> str | None:
    best = None
    for surface in surfaces:
        if text.endswith(surface) and (best is None or len(surface) > len(best)):
            best = surface
    return best


@dataclass(frozen=True)
class Money:
    amount: float
    currency: str


@dataclass(frozen=True)
class Quantity:
    value: float
    unit: str


def parse_money(text: str, currencies: dict[tuple[str, str], CurrencyEntry]) -> Money | None:
    """340亿元 -> Money(3.4e10, 'CNY'); 人民币70亿元 -> Money(7e9, 'CNY'); no currency -> None."""
    if not isinstance(text, str):
        return None
    rest = _clean(text)
    prefixes = sorted((s for s, pos in currencies if pos == "prefix"), key=len, reverse=True)
    prefix = next((s for s in prefixes if rest.startswith(s)), None)
    code_prefix = currencies[(prefix, "prefix")].code if prefix else None
    if prefix:
        rest = rest[len(prefix) :]
    suffix = _longest_suffix(rest, (s for s, pos in currencies if pos == "suffix"))
    code_suffix = currencies[(suffix, "suffix")].code if suffix else None
    if suffix:
        rest = rest[: -len(suffix)]
    code = code_prefix or code_suffix
    amount = parse_number(rest)
    if code is None or amount is None:
        return None
    return Money(amount, code)


_MULTIPLIER = re.compile(r"(\d+)\s?[×xX*]\s?")


def parse_quantity(text: str, units: dict[str, UnitEntry]) -> Quantity | None:
    """20万吨 -> Quantity(200000, 't'); 10平方公里 -> Quantity(10, 'km2'); 2×5000吨/年 ->
    Quantity(10000, 't/a'); no unit -> None."""
    if not isinstance(text, str):
        return None
    cleaned = _clean(text)
    surface = _longest_suffix(cleaned, units)
    if surface is None:
        # Latin units are often written in the wrong case (110KV, 3gwh).
        folded = {s.casefold(): s for s in sorted(units) if s.isascii()}
        hit = _longest_suffix(cleaned.casefold(), folded)
        surface = folded[hit] if hit else None
    if surface is None:
        return None
    amount = cleaned[: len(cleaned) - len(surface)]
    # 2×600MW: lines times their size.
    lines = _MULTIPLIER.match(amount)
    count = float(lines.group(1)) if lines else 1.0
    number = parse_number(amount[lines.end() :] if lines else amount)
    if number is None:
        return None
    number *= count
    entry = units[surface]
    return Quantity(_round(number * entry.factor), entry.unit)


def _round(value: float) -> float:
    # Factors like 0.001 leave float noise (0.30000000000000004); 12 significant digits is
    # more than any amount in the news carries.
    return float(f"{value:.12g}")


# --- places -----------------------------------------------------------------------------

_LEVEL_ORDER = {"country": 0, "province": 1, "city": 2, "prefecture": 2, "county": 3, "district": 3,
                "town": 4, "township": 4, "street": 4, "village": 5}

# Administrative suffixes and the gazetteer levels they can name (reorganisations turn
# counties into districts or county-level cities, so those are interchangeable).
_COUNTY = frozenset({"county", "district", "3"})
_SUFFIX_LEVELS: tuple[tuple[str, frozenset[str]], ...] = (
    ("自治州", frozenset({"city", "prefecture", "2"})),
    ("自治县", _COUNTY),
    ("省", frozenset({"province", "1"})),
    ("州", frozenset({"city", "prefecture", "2"})),
    ("市", frozenset({"city", "prefecture", "2"}) | _COUNTY),
    ("县", _COUNTY),
    ("区", _COUNTY),
    ("旗", _COUNTY),
)


@dataclass(frozen=True)
class Division:
    name: str
    short: str
    adcode: str
    level: str
    parent: str

    def rank(self) -> tuple[int, str]:
        level = self.level.strip().lower()
        order = int(level) if level.isdigit() else _LEVEL_ORDER.get(level, 9)
        return order, self.adcode


class Gazetteer:
    """Administrative divisions: full and short names -> canonical full name and adcode."""

    def __init__(self, divisions: Sequence[Division]) -> None:
        self.divisions = sorted(divisions, key=lambda d: d.adcode)
        self._by_code = {d.adcode: d for d in self.divisions if d.adcode}
        self._by_name: dict[str, list[Division]] = {}
        self._by_short: dict[str, list[Division]] = {}
        for d in self.divisions:
            self._by_name.setdefault(to_simplified(d.name), []).append(d)
            if d.short:
                self._by_short.setdefault(to_simplified(d.short), []).append(d)

    def __len__(self) -> int:
        return len(self.divisions)

    def candidates(self, text: str) -> list[Division]:
        key = to_simplified(re.sub(r"\s+", "", text))
        found = self._by_name.get(key) or self._by_short.get(key) or self._by_stem(key)
        return sorted(found, key=Division.rank)

    def _by_stem(self, key: str) -> list[Division]:
        # The full name may differ from the mention: 寻甸县 for 寻甸回族彝族自治县, or a county
        # that became a district (晋宁区 for 晋宁县). Match the stem on the short name, at
        # the level the suffix implies.
        for suffix, levels in _SUFFIX_LEVELS:
            if key.endswith(suffix) and len(key) > len(suffix) + 1:
                found = self._by_short.get(key[: -len(suffix)], [])
                return [d for d in found if d.level.strip().lower() in levels]
        return []

    def ancestors(self, division: Division) -> set[str]:
        out: set[str] = set()
        code = division.parent
        while code and code in self._by_code and code not in out:
            out.add(code)
            code = self._by_code[code].parent
        return out

    def lookup(self, text: str, context: Iterable[Division] = ()) -> Division | None:
        """The division a mention names; ``context`` (other places of the document) breaks ties.

        A short name shared by several divisions ("朝阳") goes to the one whose ancestor or
        descendant is mentioned nearby, else to the highest level, then the smallest adcode.
        """
        found = self.candidates(text)
        if len(found) <= 1:
            return found[0] if found else None
        context_codes = {d.adcode for d in context}
        related = [d for d in found if self.ancestors(d) & context_codes
                   or any(d.adcode in self.ancestors(c) for c in context)]
        return (related or found)[0]

    def rows(self) -> list[list[str]]:
        return [[d.name, d.short, d.adcode, d.level, d.parent] for d in self.divisions]

    @classmethod
    def from_rows(cls, rows: Iterable[Sequence[str]]) -> "Gazetteer":
        return cls([Division(*map(str, row)) for row in rows])


def load_gazetteer(path: str | Path, countries_path: str | Path | None = None) -> Gazetteer:
    """``admin_divisions.tsv`` (name, short, adcode, level, parent_adcode) plus, optionally,
    ``countries.tsv`` (name, short; countries get no adcode)."""
    rows = _read_tsv(Path(path), ("name", "adcode"))
    divisions = [
        Division(r["name"].strip(), (r.get("short") or "").strip(), r["adcode"].strip(),
                 (r.get("level") or "").strip(), (r.get("parent_adcode") or "").strip())
        for r in rows if r.get("name") and r.get("adcode")
    ]
    if countries_path is not None:
        countries = [((r.get("name") or "").strip(), (r.get("short") or "").strip())
                     for r in _read_tsv(Path(countries_path), ("name",))]
        shorts = {short for _, short in countries if short}
        # "中国" is listed both alone and as the short form of 中华人民共和国: keep the
        # full-name row only, so the canonical name is the full one.
        divisions += [Division(name, short, "", "country", "") for name, short in countries
                      if name and not (not short and name in shorts)]
    return Gazetteer(divisions)


# --- component --------------------------------------------------------------------------

def register_extensions() -> None:
    for name in SPAN_EXTENSIONS:
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)


@dataclass
class ValueTables:
    units: dict[str, UnitEntry]
    currencies: dict[tuple[str, str], CurrencyEntry]
    gazetteer: Gazetteer

    @classmethod
    def from_seeds(cls, seeds_dir: str | Path) -> "ValueTables":
        seeds = Path(seeds_dir)
        gpe_path = seeds / "gpe" / "admin_divisions.tsv"
        countries_path = seeds / "gpe" / "countries.tsv"
        if gpe_path.exists():
            gazetteer = load_gazetteer(gpe_path, countries_path if countries_path.exists() else None)
        else:
            warnings.warn(f"no GPE gazetteer at {gpe_path}: gpe_name/adcode stay None", stacklevel=2)
            gazetteer = Gazetteer([])
        return cls(
            load_units(seeds / "values" / "units.tsv"),
            load_currencies(seeds / "values" / "currencies.tsv"),
            gazetteer,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "units": [[s, e.unit, e.factor] for s, e in sorted(self.units.items())],
            "currencies": [[s, p, e.code] for (s, p), e in sorted(self.currencies.items())],
            "gpe": self.gazetteer.rows(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "ValueTables":
        return cls(
            {s: UnitEntry(u, float(f)) for s, u, f in data["units"]},
            {(s, p): CurrencyEntry(c, p) for s, p, c in data["currencies"]},
            Gazetteer.from_rows(data["gpe"]),
        )


def annotate_span(span: Span, tables: ValueTables, context: Sequence[Any] = ()) -> None:
    """Write the value extensions of one entity span (``None`` where nothing parses)."""
    span._.canonical = to_simplified(span.text)
    if span.label_ == "MONEY":
        money = parse_money(span.text, tables.currencies)
        if money is not None:
            span._.amount, span._.currency = money.amount, money.currency
    elif span.label_ == "QUANTITY":
        quantity = parse_quantity(span.text, tables.units)
        if quantity is not None:
            span._.quantity, span._.unit = quantity.value, quantity.unit
    elif span.label_ == "GPE":
        division = tables.gazetteer.lookup(span.text, context)
        if division is not None:
            span._.gpe_name, span._.adcode = division.name, division.adcode or None


class EntityValues(SeededComponent):
    """Adds structured values to every entity of ``doc.ents``."""

    data_file = "values.json"

    def __init__(
        self, nlp: Language, name: str = "zhie_entity_values", *, scorer: Callable | None = None
    ) -> None:
        self.name = name
        self.scorer = scorer
        self.tables: ValueTables | None = None
        register_extensions()

    def has_seeds(self) -> bool:
        return self.tables is not None

    def load_seeds(self, seeds_dir: Path) -> None:
        self.tables = ValueTables.from_seeds(seeds_dir)

    def __call__(self, doc: Doc) -> Doc:
        if self.tables is None:
            raise ValueError(f"{self.name} has no value tables: call nlp.initialize(...) with seeds_dir")
        gazetteer = self.tables.gazetteer
        # Unambiguous places of the document disambiguate the ambiguous ones.
        context = []
        for ent in doc.ents:
            if ent.label_ == "GPE":
                found = gazetteer.candidates(ent.text)
                if len(found) == 1:
                    context.append(found[0])
        for ent in doc.ents:
            annotate_span(ent, self.tables, context)
        return doc

    def seed_data(self) -> dict[str, Any]:
        assert self.tables is not None
        return self.tables.to_json()

    def set_seed_data(self, data: dict[str, Any]) -> None:
        self.tables = ValueTables.from_json(data)


# The labels whose entities get a parsed value, and the extension that holds it.
_VALUE_OF_LABEL = {"MONEY": "amount", "QUANTITY": "quantity", "GPE": "gpe_name"}


def score_values(examples: Iterable[Any], **_cfg: Any) -> dict[str, Any]:
    """Share of the predicted MONEY / QUANTITY / GPE entities whose value parsed.

    The gold has no values, so this is coverage, not accuracy: it shows how many amounts,
    quantities and places the value tables cannot read (weight null: reported, never used
    to pick a model).
    """
    parsed: dict[str, list[int]] = {label: [0, 0] for label in _VALUE_OF_LABEL}
    for eg in examples:
        for ent in eg.predicted.ents:
            if ent.label_ in parsed:
                counts = parsed[ent.label_]
                counts[0] += getattr(ent._, _VALUE_OF_LABEL[ent.label_]) is not None
                counts[1] += 1
    found, total = sum(c[0] for c in parsed.values()), sum(c[1] for c in parsed.values())
    return {
        "values_parsed": found / total if total else None,
        "values_parsed_per_type": {label: c[0] / c[1] for label, c in parsed.items() if c[1]},
    }


@registry.scorers("zhie.values_scorer.v1")
def make_values_scorer() -> Callable[..., dict[str, Any]]:
    return score_values


@Language.factory(
    "zhie_entity_values",
    requires=["doc.ents"],
    assigns=[f"span._.{name}" for name in SPAN_EXTENSIONS],
    default_config={"scorer": {"@scorers": "zhie.values_scorer.v1"}},
    default_score_weights={"values_parsed": None, "values_parsed_per_type": None},
)
def make_entity_values(nlp: Language, name: str, scorer: Callable | None) -> "EntityValues":
    return EntityValues(nlp, name, scorer=scorer)


register_extensions()
