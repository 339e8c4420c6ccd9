"""Where a frame sentence's slot fillers come from besides the weak mentions: the tails of the
corpus's relations, seed lexicon columns, names recombined from two mentions, company names
with their registered place in brackets, short trade names of company names, products with a
grade word before them, and product codes."""

import random
import re
import string
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from spacy.tokens import Doc

from zh_industry_ie.contracts import ENTITY_LABELS, RELATIONS_KEY
from zh_industry_ie.rules.seed_schema import read_json_seed
from zh_industry_ie.rules.seeds import read_tsv


def tail_pools(docs: Iterable[Doc], relation_labels: Iterable[str]) -> dict[str, list[str]]:
    """The distinct texts of the relations' tails per ``LABEL@RELATION`` in the training units."""
    wanted = set(relation_labels)
    found: dict[str, set[str]] = {}
    for doc in docs:
        labels = {(e.start_char, e.end_char): e.label_ for e in doc.ents}
        for _, _, ts, te, relation, _ in doc.user_data.get(RELATIONS_KEY, []):
            label = labels.get((ts, te))
            if relation in wanted and label is not None:
                found.setdefault(f"{label}@{relation}", set()).add(doc.text[ts:te])
    return {key: sorted(texts) for key, texts in sorted(found.items())}


def lexicon_mentions(specs: dict[str, list[str]]) -> dict[str, list[str]]:
    """Mentions per label from seed lexicon columns, each spec ``path.tsv:column``."""
    found: dict[str, set[str]] = {}
    for label, columns in specs.items():
        if label not in ENTITY_LABELS:
            raise ValueError(f"lexicon mentions: unknown label {label!r}")
        for spec in columns:
            path, _, column = spec.rpartition(":")
            if not path or not column:
                raise ValueError(f"lexicon mentions: {spec!r} is not 'path.tsv:column'")
            rows = read_tsv(Path(path), (column,))
            found.setdefault(label, set()).update(r[column] for r in rows if r[column])
    return {label: sorted(texts) for label, texts in sorted(found.items())}


def recombine(first: str, second: str, rng: random.Random, max_length: int = 10) -> str:
    """A new name from the start of one mention and the end of another (钠离子电池 + 隔膜 ->
    钠离子隔膜): a filler the student cannot have memorised, with a real beginning and a real
    head, so the frame around it has to carry the label."""
    for _ in range(8):
        head_cut = rng.randint(1, len(first))
        tail_cut = rng.randint(0, len(second) - 1)
        name = first[:head_cut] + second[tail_cut:]
        if 2 <= len(name) <= max_length and name not in (first, second):
            return name
    return first


def read_full_suffixes(path: Path) -> list[str]:
    """The organisation-form suffixes (kind ``full``: 有限公司, 集团股份有限公司 ...) of a seed file,
    longest first."""
    rows = read_tsv(Path(path), ("suffix", "kind"))
    full = {r["suffix"] for r in rows if r["kind"] == "full" and r["suffix"]}
    return sorted(full, key=lambda x: (-len(x), x))


def org_form_suffix(name: str, suffixes: list[str]) -> str | None:
    """The organisation-form suffix a company name ends with after a trade name of two or more
    characters (the longest first when ``suffixes`` is sorted so), else None."""
    return next((x for x in suffixes if name.endswith(x) and len(name) > len(x) + 1), None)


def bracket_place(name: str, place: str, suffixes: list[str], rng: random.Random) -> str | None:
    """A company name with its registered place in brackets (企业名称: 字号(行政区划)行业组织形式):
    合盛硅业有限公司 + 鄯善 -> 合盛硅业(鄯善)有限公司 or 合盛(鄯善)硅业有限公司; None when the name
    has no organisation-form suffix."""
    suffix = org_form_suffix(name, suffixes)
    if suffix is None:
        return None
    stem = len(name) - len(suffix)
    # After a two- or four-character trade name (most are), else before the suffix.
    cuts = [c for c in (2, 4) if c < stem]
    cut = stem if rng.random() < 0.5 or not cuts else rng.choice(cuts)
    # Full-width brackets: the project's tokenizer writes half-width ones as full-width.
    return name[:cut] + "（" + place + "）" + name[cut:]


def trade_names(
    units: Iterable[Doc], derive: Callable[[str, str], list[str]], max_length: int = 4
) -> list[str]:
    """The trade names of the units' full company names, by the rules' own alias deriver
    (``zh_industry_ie.rules.org_generic.alias_deriver``: 河北怡达食品集团有限公司 -> 怡达): its
    shortest short name when that is at most ``max_length`` characters and at least half of its
    occurrences in the units lie inside ORG mentions (参股公司, 人工智能公司 give 参股 and 人工智能,
    which the text mostly uses as plain words). News names a project by such a name written
    straight before the product (金海氟硅新材料项目; ANNOTATION.md: the ORG inside a project name is
    tagged), and the weak ORG fillers are mostly full names, whose suffix shows where a name ends."""
    docs = list(units)
    candidates: set[str] = set()
    for company in sorted({e.text for doc in docs for e in doc.ents if e.label_ == "ORG"}):
        shorts = derive(company, "ORG")
        if shorts and len(shortest := min(shorts, key=lambda x: (len(x), x))) <= max_length:
            candidates.add(shortest)
    inside: Counter[str] = Counter()
    total: Counter[str] = Counter()
    lengths = sorted({len(c) for c in candidates})
    # One walk over each text, looking up every substring of a candidate's length: a regex per
    # candidate and text took 35 s on the weak corpus.
    for doc in docs:
        text = doc.text
        in_org = bytearray(len(text))
        for ent in doc.ents:
            if ent.label_ == "ORG":
                in_org[ent.start_char : ent.end_char] = b"\x01" * len(ent.text)
        for start in range(len(text)):
            for length in lengths:
                name = text[start : start + length]
                if name in candidates:
                    total[name] += 1
                    inside[name] += all(in_org[start : start + length])
    return sorted(name for name in candidates if 2 * inside[name] >= total[name])


def read_grade_prefixes(path: Path) -> list[str]:
    """The grade and purity words of the product rules (``grade_prefixes`` of
    seeds/product/context_patterns.json: 电子级, 电池级, 高纯 ...), longest first."""
    prefixes = read_json_seed(Path(path), "product_context").get("grade_prefixes")
    if not isinstance(prefixes, list) or not all(isinstance(p, str) and p for p in prefixes):
        raise ValueError(f"{path}: no list of non-empty strings under 'grade_prefixes'")
    return sorted(set(prefixes), key=lambda x: (-len(x), x))


def with_grade(name: str, prefixes: list[str], rng: random.Random, max_length: int = 14) -> str:
    """A product name with a grade word before it (氢氟酸 -> 电子级氢氟酸): ANNOTATION.md keeps the
    grade inside the PRODUCT span, as the rules do, but the weak corpus holds no graded product,
    so the student cut the grade off. A name that already starts with one stays as it is."""
    if not prefixes or any(name.startswith(p) for p in prefixes):
        return name
    graded = rng.choice(prefixes) + name
    return graded if len(graded) <= max_length else name


def read_code_pattern(path: Path) -> re.Pattern[str]:
    """The shape of a product code after an amount in the product rules (``product_code`` of
    seeds/product/context_patterns.json: R22, ETFE, PVDF ...)."""
    pattern = read_json_seed(Path(path), "product_context").get("product_code")
    if not isinstance(pattern, str) or not pattern:
        raise ValueError(f"{path}: no regex under 'product_code'")
    return re.compile(pattern)


def product_code(pattern: re.Pattern[str], rng: random.Random) -> str:
    """A random product code that the product rules' code shape accepts (1-4 capitals, digits,
    a small letter: ETFE, R142b): the weak corpus names few products in Latin letters, and the
    student took the code after 0.5万吨 for part of the amount. Random, not a list of real codes,
    so the frame around it carries the label."""
    for _ in range(50):
        code = "".join(rng.choice(string.ascii_uppercase) for _ in range(rng.randint(1, 4)))
        if len(code) == 1 or rng.random() < 0.4:
            code += str(rng.randint(1, 999))
            if rng.random() < 0.2:
                code += rng.choice(string.ascii_lowercase)
        if pattern.fullmatch(code):
            return code
    raise ValueError(f"no product code of the shape {pattern.pattern!r} in 50 draws")
