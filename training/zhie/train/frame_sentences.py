"""``zhie.FrameSentences.v1``: training sentences built from relation frames (templates) and
the weak corpus's own mentions.

The rules find products, parks and relations on unseen news mostly through frames (年产 N X
项目, X 落户 P, 主要生产 X、Y 和 Z), but a general news corpus states such a frame in a few
dozen sentences: the student learns the rules' lexicons, not their frames. Each synthetic
sentence is a template from a data file (``seeds/training/frame_templates.json``) whose slots
are filled with mentions of the same label drawn from the training units (the teacher's own
entities), so the frame is seen with hundreds of different fillers and the filler alone does
not tell the label. Entities and relations come from the template; a share of the sentences is
converted to traditional script (OpenCC) as unseen news often is.
"""

# No `from __future__ import annotations`: registered functions are validated by pydantic.
import json
import random
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import opencc
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry
from wasabi import msg

from zh_industry_ie.contracts import DOC_KEY, ENTITY_LABELS, RELATIONS_KEY, SOURCE_KEY
from zh_industry_ie.relations import RELATION_SIGNATURES, relation_signature_ok
from zh_industry_ie.rules.org_generic import alias_deriver
from zh_industry_ie.rules.seeds import load_seeds

from .amount_grammar import GRAMMAR_KEYS, AmountGrammar
from .corpus import mention_pools, set_norms
from .fillers import (
    bracket_place,
    lexicon_mentions,
    org_form_suffix,
    product_code,
    read_code_pattern,
    read_full_suffixes,
    read_grade_prefixes,
    recombine,
    tail_pools,
    trade_names,
    with_grade,
)

SLOT_PATTERN = re.compile(r"\{([A-Z]+)(\d*)\}")
SYNTHETIC_SOURCE = "frames"
PROJECT_NAME_ROLE = "@project_name"
TRADE_NAME_SLOTS = ("project_name", "all")
MIN_TAIL_POOL = 20

Filler = Callable[[str, random.Random], str]


@dataclass(frozen=True)
class FrameTemplate:
    text: str
    relations: tuple[tuple[str, str, str], ...]

    @property
    def slots(self) -> list[str]:
        return [m.group(1) + m.group(2) for m in SLOT_PATTERN.finditer(self.text)]


def check_share(option: str, share: float, source: object, needs: str) -> None:
    """A share option is in [0, 1], and a non-zero share has the file it draws from."""
    if not 0.0 <= share <= 1.0:
        raise ValueError(f"{option} must be in [0, 1], got {share}")
    if share and source is None:
        raise ValueError(f"{option} needs {needs}")


def slot_label(slot: str) -> str:
    """The entity label of a slot name (PRODUCT2 -> PRODUCT)."""
    return slot.rstrip("0123456789")


def parse_templates(rows: Iterable[dict[str, object]]) -> list[FrameTemplate]:
    """Templates from their JSON rows, with every slot and relation checked."""
    templates: list[FrameTemplate] = []
    for number, row in enumerate(rows):
        text = str(row["text"])
        relations = tuple(tuple(str(x) for x in rel) for rel in row.get("relations", []))  # type: ignore[union-attr]
        template = FrameTemplate(text, relations)  # type: ignore[arg-type]
        slots = template.slots
        unknown = [s for s in slots if slot_label(s) not in ENTITY_LABELS]
        if unknown:
            raise ValueError(f"frame template {number}: unknown slot label(s) {unknown} in {text!r}")
        if len(set(slots)) != len(slots):
            raise ValueError(f"frame template {number}: a slot is used twice in {text!r}")
        for rel in relations:
            if len(rel) != 3 or rel[0] not in slots or rel[1] not in slots:
                raise ValueError(f"frame template {number}: relation {list(rel)} names no slot of {text!r}")
            if rel[2] not in RELATION_SIGNATURES or not relation_signature_ok(
                rel[2], slot_label(rel[0]), slot_label(rel[1])
            ):
                raise ValueError(f"frame template {number}: {list(rel)} is not a valid relation")
        templates.append(template)
    if not templates:
        raise ValueError("no frame templates")
    return templates


def read_templates(path: Path) -> tuple[list[str], list[FrameTemplate]]:
    """Lead-ins and templates of a frame template file."""
    data = json.loads(Path(path).read_text(encoding="utf8"))
    return [str(x) for x in data.get("lead_ins", [""])], parse_templates(data["templates"])


def fill_template(
    template: FrameTemplate,
    lead_in: str,
    fill: Filler,
    rng: random.Random,
    tail_roles: Iterable[str] = (),
) -> tuple[str, list[tuple[int, int, str]], list[list[object]]]:
    """The sentence text, its entity spans and its relations (character offsets). A slot that is
    the tail of a relation in ``tail_roles`` is filled by key ``LABEL@RELATION`` (a capacity is
    an amount of output, not any quantity), an ORG slot written straight before a PRODUCT slot by
    ``ORG@project_name``, the others by their label."""
    roles = {tail: f"@{label}" for _, tail, label in template.relations if label in set(tail_roles)}
    for match in SLOT_PATTERN.finditer(template.text):
        # An organisation written straight before its product names a project (金海氟硅新材料项目).
        if match.group(1) == "ORG" and template.text.startswith("{PRODUCT", match.end()):
            roles.setdefault(match.group(1) + match.group(2), PROJECT_NAME_ROLE)
    text = lead_in
    spans: dict[str, tuple[int, int, str]] = {}
    last = 0
    for match in SLOT_PATTERN.finditer(template.text):
        text += template.text[last : match.start()]
        label, slot = match.group(1), match.group(1) + match.group(2)
        value = fill(label + roles.get(slot, ""), rng)
        spans[slot] = (len(text), len(text) + len(value), label)
        text += value
        last = match.end()
    text += template.text[last:]
    relations: list[list[object]] = []
    for head, tail, label in template.relations:
        (hs, he, _), (ts, te, _) = spans[head], spans[tail]
        relations.append([hs, he, ts, te, label, 1.0])
    return text, list(spans.values()), relations


class FrameSentences:
    """Callable of the weak-corpus reader: the training units -> synthetic frame sentences."""

    def __init__(
        self,
        templates_path: Path,
        n_sentences: int,
        traditional_share: float,
        min_mention_counts: dict[str, int],
        seed: int,
        lexicons: dict[str, list[str]] | None = None,
        recombine_shares: dict[str, float] | None = None,
        tail_roles: Iterable[str] = (),
        amounts: Path | None = None,
        amount_shares: dict[str, float] | None = None,
        bracketed_place_share: float = 0.0,
        company_suffixes: Path | None = None,
        grade_prefix_share: float = 0.0,
        product_context: Path | None = None,
        code_share: float = 0.0,
        trade_name_share: float = 0.0,
        org_seeds: Path | None = None,
        trade_name_slots: str = "project_name",
    ) -> None:
        if n_sentences < 0:
            raise ValueError(f"n_sentences must be >= 0, got {n_sentences}")
        if not 0.0 <= traditional_share <= 1.0:
            raise ValueError(f"traditional_share must be in [0, 1], got {traditional_share}")
        self.lead_ins, self.templates = read_templates(templates_path)
        self.n_sentences = n_sentences
        self.traditional_share = traditional_share
        self.min_mention_counts = dict(min_mention_counts)
        self.lexicon_pools = lexicon_mentions(lexicons or {})
        self.recombine_shares = dict(recombine_shares or {})
        self.tail_roles = tuple(tail_roles)
        for label, share in self.recombine_shares.items():
            if label not in ENTITY_LABELS or not 0.0 <= share <= 1.0:
                raise ValueError(
                    f"recombine_shares: {label!r} must be an entity label with a share in [0, 1]"
                )
        self.amount_shares = dict(amount_shares or {})
        for key, share in self.amount_shares.items():
            if key not in GRAMMAR_KEYS or not 0.0 <= share <= 1.0:
                raise ValueError(
                    f"amount_shares: {key!r} must be one of {', '.join(GRAMMAR_KEYS)} with a share in [0, 1]"
                )
        if self.amount_shares and amounts is None:
            raise ValueError("amount_shares need an amount grammar file (amounts)")
        self.amount_grammar = AmountGrammar.from_file(amounts) if amounts is not None else None
        suffix_file = "the company suffix file (company_suffixes)"
        check_share("bracketed_place_share", bracketed_place_share, company_suffixes, suffix_file)
        self.bracketed_place_share = bracketed_place_share
        self.company_suffixes = read_full_suffixes(company_suffixes) if company_suffixes is not None else []
        for option, share in (("grade_prefix_share", grade_prefix_share), ("code_share", code_share)):
            check_share(option, share, product_context, "the product rules' context file (product_context)")
        self.grade_prefix_share = grade_prefix_share
        self.code_share = code_share
        # Each option reads only its own key: a user's context file may have one of the two.
        self.grade_prefixes: list[str] = []
        self.code_pattern: re.Pattern[str] | None = None
        if product_context is not None:
            self.grade_prefixes = read_grade_prefixes(product_context) if grade_prefix_share else []
            self.code_pattern = read_code_pattern(product_context) if code_share else None
        check_share("trade_name_share", trade_name_share, org_seeds, "the rules' seed directory (org_seeds)")
        if trade_name_slots not in TRADE_NAME_SLOTS:
            raise ValueError(f"trade_name_slots must be one of {TRADE_NAME_SLOTS}, got {trade_name_slots!r}")
        self.trade_name_share = trade_name_share
        self.trade_name_slots = trade_name_slots
        self.derive_aliases: Callable[[str, str], list[str]] | None = None
        if trade_name_share and org_seeds is not None:
            self.derive_aliases = alias_deriver(load_seeds(org_seeds))
        self.seed = seed

    def __call__(self, nlp: Language, units: list[Doc]) -> list[Doc]:
        pools = mention_pools(units, self.min_mention_counts)
        for label, texts in self.lexicon_pools.items():
            pools[label] = sorted(set(pools.get(label, [])) | set(texts))
        needed = {slot_label(s) for t in self.templates for s in t.slots}
        missing = sorted(label for label in needed if not pools.get(label))
        if missing and self.n_sentences:
            raise ValueError(
                f"frame sentences: the training units have no {', '.join(missing)} mention to fill slots"
            )
        rng = random.Random(self.seed)
        to_traditional = opencc.OpenCC("s2t")

        for key, texts in tail_pools(units, self.tail_roles).items():
            # Too few distinct tails would be memorised: then the label's pool serves.
            if len(texts) >= MIN_TAIL_POOL:
                pools[key] = texts

        # Registered places are short names (南京, 鄯善), not 南京市 or 江宁区.
        short_places = [p for p in pools.get("GPE", []) if 2 <= len(p) <= 3 and p[-1] not in "省市县区州"]
        places = short_places or pools.get("GPE", [""])

        companies = [
            m for m in pools.get("ORG", []) if self.bracketed_place_share and "(" not in m and "（" not in m
            and org_form_suffix(m, self.company_suffixes) is not None
        ]

        trade = trade_names(units, self.derive_aliases) if self.derive_aliases is not None else []

        def fill(key: str, generator: random.Random) -> str:
            label = key.partition("@")[0]
            if self.amount_grammar is not None and generator.random() < self.amount_shares.get(key, 0.0):
                return self.amount_grammar.sample(key, generator)
            mention = generator.choice(pools.get(key) or pools[label])
            if generator.random() < self.recombine_shares.get(label, 0.0):
                mention = recombine(mention, generator.choice(pools[label]), generator)
            if label == "PRODUCT":
                if self.code_pattern is not None and generator.random() < self.code_share:
                    return product_code(self.code_pattern, generator)
                if self.grade_prefix_share and generator.random() < self.grade_prefix_share:
                    return with_grade(mention, self.grade_prefixes, generator)
                return mention
            if label == "ORG" and companies and generator.random() < self.bracketed_place_share:
                company = generator.choice(companies)
                place = generator.choice(places)
                return bracket_place(company, place, self.company_suffixes, generator) or company
            in_slots = self.trade_name_slots == "all" or key == "ORG" + PROJECT_NAME_ROLE
            if label == "ORG" and trade and in_slots and generator.random() < self.trade_name_share:
                return generator.choice(trade)
            return mention

        docs: list[Doc] = []
        for index in range(self.n_sentences):
            template = rng.choice(self.templates)
            text, spans, relations = fill_template(
                template, rng.choice(self.lead_ins), fill, rng, self.tail_roles
            )
            if rng.random() < self.traditional_share:
                converted = to_traditional.convert(text)
                # Character-for-character conversions only: the offsets must hold.
                if len(converted) == len(text):
                    text = converted
            doc = nlp.make_doc(text)
            ents = [doc.char_span(s, e, label=label) for s, e, label in spans]
            if doc.text != text or any(span is None for span in ents):
                continue
            doc.set_ents(ents, default="outside")
            doc.user_data[RELATIONS_KEY] = relations
            doc.user_data[DOC_KEY] = f"{SYNTHETIC_SOURCE}-{index:05d}"
            doc.user_data[SOURCE_KEY] = SYNTHETIC_SOURCE
            docs.append(set_norms(doc))
        relation_counts = Counter(rel[4] for doc in docs for rel in doc.user_data[RELATIONS_KEY])
        msg.info(
            f"Frame sentences: {len(docs)} of {self.n_sentences} built, relations "
            + ", ".join(f"{label} {n}" for label, n in sorted(relation_counts.items()))
            + "; fillers "
            + ", ".join(f"{label} {len(texts)}" for label, texts in sorted(pools.items()))
            + (f", trade names {len(trade)}" if trade else "")
        )
        return docs


@registry.misc("zhie.FrameSentences.v1")
def create_frame_sentences(
    templates: Path,
    n_sentences: int = 2000,
    traditional_share: float = 0.3,
    min_mention_counts: dict[str, int] = {},  # noqa: B006  (spaCy config default)
    lexicons: dict[str, list[str]] = {},  # noqa: B006  (spaCy config default)
    recombine_shares: dict[str, float] = {},  # noqa: B006  (spaCy config default)
    tail_roles: list[str] = [],  # noqa: B006  (spaCy config default)
    seed: int = 0,
    amounts: Path | None = None,
    amount_shares: dict[str, float] = {},  # noqa: B006  (spaCy config default)
    bracketed_place_share: float = 0.0,
    company_suffixes: Path | None = None,
    grade_prefix_share: float = 0.0,
    product_context: Path | None = None,
    code_share: float = 0.0,
    trade_name_share: float = 0.0,
    org_seeds: Path | None = None,
    trade_name_slots: str = "project_name",
) -> FrameSentences:
    return FrameSentences(
        Path(templates),
        n_sentences,
        traditional_share,
        min_mention_counts,
        seed,
        lexicons=lexicons,
        recombine_shares=recombine_shares,
        tail_roles=tail_roles,
        amounts=Path(amounts) if amounts is not None else None,
        amount_shares=amount_shares,
        bracketed_place_share=bracketed_place_share,
        company_suffixes=Path(company_suffixes) if company_suffixes is not None else None,
        grade_prefix_share=grade_prefix_share,
        product_context=Path(product_context) if product_context is not None else None,
        code_share=code_share,
        trade_name_share=trade_name_share,
        org_seeds=Path(org_seeds) if org_seeds is not None else None,
        trade_name_slots=trade_name_slots,
    )
