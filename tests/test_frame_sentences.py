"""Frame sentences (``zhie.FrameSentences.v1``): templates checked, slots filled with the
training units' mentions, entities and relations at the right offsets, deterministic."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from conftest import SEEDS_DIR, make_blank
from spacy.language import Language
from spacy.tokens import Doc

from zh_industry_ie.contracts import RELATIONS_KEY, SOURCE_KEY
from zh_industry_ie.relations import relation_signature_ok
from zh_industry_ie.rules.amounts import AmountPatterns
from zhie.train import fillers
from zhie.train.amount_grammar import AmountGrammar
from zhie.train.corpus import create_weak_corpus, mention_pools
from zhie.train.fillers import bracket_place, read_full_suffixes, recombine, tail_pools
from zhie.train.frame_sentences import (
    SYNTHETIC_SOURCE,
    FrameSentences,
    fill_template,
    parse_templates,
    read_templates,
    slot_label,
)
from zhie.train.synthetic import write_synthetic_docbin

TEMPLATES = SEEDS_DIR / "training" / "frame_templates.json"
AMOUNTS = SEEDS_DIR / "numeric" / "amounts.json"
COMPANY_SUFFIXES = SEEDS_DIR / "org" / "company_suffixes.tsv"
PRODUCT_CONTEXT = SEEDS_DIR / "product" / "context_patterns.json"


def _weak_doc(text: str, ents: list[tuple[str, str]]) -> Doc:
    nlp = make_blank()
    doc = nlp.make_doc(text)
    spans = []
    for mention, label in ents:
        start = text.index(mention)
        spans.append(doc.char_span(start, start + len(mention), label=label))
    doc.set_ents(spans)
    return doc


def _units() -> list[Doc]:
    return [
        _weak_doc(
            "启明新材料有限公司在江宁开发区建设年产3万吨六氟磷酸锂项目，总投资12亿元。",
            [
                ("启明新材料有限公司", "ORG"),
                ("江宁开发区", "PARK"),
                ("3万吨", "QUANTITY"),
                ("六氟磷酸锂", "PRODUCT"),
                ("12亿元", "MONEY"),
            ],
        ),
        _weak_doc(
            "泰和重工落户宜宾市，主要生产风电叶片。",
            [("泰和重工", "ORG"), ("宜宾市", "GPE"), ("风电叶片", "PRODUCT")],
        ),
        _weak_doc(
            "泰和重工与博远电子在赣州签约。", [("泰和重工", "ORG"), ("博远电子", "ORG"), ("赣州", "GPE")]
        ),
    ]


def test_shipped_templates_parse_and_every_relation_has_a_valid_signature() -> None:
    lead_ins, templates = read_templates(TEMPLATES)
    assert "" in lead_ins and len(templates) >= 20
    for template in templates:
        for head, tail, label in template.relations:
            assert relation_signature_ok(label, slot_label(head), slot_label(tail)), (
                template.text,
                head,
                tail,
            )
    labels = {label for t in templates for *_, label in t.relations}
    assert labels == {"LOCATED_IN", "PRODUCES", "CAPACITY", "INVESTS"}


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"text": "{ORG}生产{WIDGET}。", "relations": []}, "unknown slot label"),
        ({"text": "{ORG}与{ORG}签约。", "relations": []}, "used twice"),
        ({"text": "{ORG}生产{PRODUCT}。", "relations": [["ORG", "PRODUCT2", "PRODUCES"]]}, "names no slot"),
        ({"text": "{ORG}生产{PRODUCT}。", "relations": [["PRODUCT", "ORG", "PRODUCES"]]}, "not a valid relation"),
        ({"text": "{ORG}生产{PRODUCT}。", "relations": [["ORG", "PRODUCT", "MAKES"]]}, "not a valid relation"),
    ],
)
def test_bad_templates_are_refused_with_a_clear_error(row: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_templates([row])


def test_fill_template_puts_entities_and_list_relations_at_their_offsets() -> None:
    (template,) = parse_templates(
        [
            {
                "text": "{ORG}年产{QUANTITY1}{PRODUCT1}、{QUANTITY2}{PRODUCT2}项目落户{GPE}。",
                "relations": [
                    ["PRODUCT1", "QUANTITY1", "CAPACITY"],
                    ["PRODUCT2", "QUANTITY2", "CAPACITY"],
                    ["ORG", "GPE", "LOCATED_IN"],
                ],
            }
        ]
    )
    values = iter(["鼎盛化工", "5万吨", "氟化铝", "2万吨", "冰晶石", "遂宁"])
    text, spans, relations = fill_template(
        template, "近日，", lambda label, rng: next(values), random.Random(0)
    )
    assert text == "近日，鼎盛化工年产5万吨氟化铝、2万吨冰晶石项目落户遂宁。"
    assert [(text[s:e], label) for s, e, label in spans] == [
        ("鼎盛化工", "ORG"),
        ("5万吨", "QUANTITY"),
        ("氟化铝", "PRODUCT"),
        ("2万吨", "QUANTITY"),
        ("冰晶石", "PRODUCT"),
        ("遂宁", "GPE"),
    ]
    pairs = [(text[hs:he], text[ts:te], label) for hs, he, ts, te, label, _ in relations]
    assert pairs == [
        ("氟化铝", "5万吨", "CAPACITY"),
        ("冰晶石", "2万吨", "CAPACITY"),
        ("鼎盛化工", "遂宁", "LOCATED_IN"),
    ]


def test_mention_pools_count_per_label() -> None:
    pools = mention_pools(_units(), {"ORG": 2})
    assert pools["ORG"] == ["泰和重工"]  # the others were seen once
    assert pools["GPE"] == ["宜宾市", "赣州"]


def test_frame_sentences_fill_slots_with_corpus_mentions_deterministically() -> None:
    nlp = make_blank()
    make = FrameSentences(TEMPLATES, 60, traditional_share=0.0, min_mention_counts={}, seed=3)
    docs = make(nlp, _units())
    again = FrameSentences(TEMPLATES, 60, traditional_share=0.0, min_mention_counts={}, seed=3)(nlp, _units())
    assert [d.text for d in docs] == [d.text for d in again]
    assert len(docs) == 60
    pools = mention_pools(_units())
    for doc in docs:
        assert doc.user_data[SOURCE_KEY] == SYNTHETIC_SOURCE
        assert all(ent.text in pools[ent.label_] for ent in doc.ents)
        by_offsets = {(e.start_char, e.end_char): e.label_ for e in doc.ents}
        for hs, he, ts, te, label, _ in doc.user_data[RELATIONS_KEY]:
            assert relation_signature_ok(label, by_offsets[(hs, he)], by_offsets[(ts, te)])
    assert sum(len(d.user_data[RELATIONS_KEY]) for d in docs) > 60


def test_traditional_share_converts_the_sentence_and_keeps_offsets() -> None:
    docs = FrameSentences(TEMPLATES, 20, traditional_share=1.0, min_mention_counts={}, seed=1)(
        make_blank(), _units()
    )
    assert any("項目" in d.text or "產" in d.text for d in docs)
    for doc in docs:
        assert all(ent.text.strip() == ent.text and ent.text for ent in doc.ents)


def test_a_label_without_any_mention_is_a_clear_error() -> None:
    units = [_weak_doc("泰和重工落户宜宾市。", [("泰和重工", "ORG"), ("宜宾市", "GPE")])]
    with pytest.raises(ValueError, match=r"no .*PRODUCT"):
        FrameSentences(TEMPLATES, 5, 0.0, {}, 0)(make_blank(), units)


def test_weak_corpus_mixes_frame_sentences_into_the_training_units(tmp_path: Path) -> None:
    nlp = make_blank()
    write_synthetic_docbin(nlp, tmp_path / "train.spacy", 40, seed=1)
    plain = list(create_weak_corpus(tmp_path / "train.spacy", sentences=True)(nlp))
    make = FrameSentences(TEMPLATES, 25, 0.3, {}, 0)
    mixed = list(create_weak_corpus(tmp_path / "train.spacy", sentences=True, frame_sentences=make)(nlp))
    assert len(mixed) == len(plain) + 25
    framed = [eg for eg in mixed if eg.reference.user_data.get(SOURCE_KEY) == SYNTHETIC_SOURCE]
    assert len(framed) == 25 and all(not eg.predicted.ents and eg.reference.ents for eg in framed)
    assert json.loads(TEMPLATES.read_text(encoding="utf8"))["templates"]


def test_lexicon_columns_join_the_pools(tmp_path: Path) -> None:
    lexicon = tmp_path / "products.tsv"
    lexicon.write_text(
        "# source: test\nterm\tsector\n氟化铝\tchemicals\n冰晶石\tchemicals\n", encoding="utf-8"
    )
    make = FrameSentences(TEMPLATES, 200, 0.0, {}, 2, lexicons={"PRODUCT": [f"{lexicon}:term"]})
    products = {e.text for d in make(make_blank(), _units()) for e in d.ents if e.label_ == "PRODUCT"}
    assert {"氟化铝", "冰晶石", "六氟磷酸锂", "风电叶片"} <= products
    with pytest.raises(ValueError, match=r"not 'path\.tsv:column'"):
        FrameSentences(TEMPLATES, 1, 0.0, {}, 0, lexicons={"PRODUCT": [str(lexicon)]})
    with pytest.raises(ValueError, match="missing column"):
        FrameSentences(TEMPLATES, 1, 0.0, {}, 0, lexicons={"PRODUCT": [f"{lexicon}:name"]})


def test_recombine_joins_the_start_of_one_name_to_the_end_of_another() -> None:
    rng = random.Random(0)
    names = {recombine("钠离子电池", "聚苯硫醚", rng) for _ in range(50)}
    assert len(names) > 5 and not names & {"钠离子电池", "聚苯硫醚"}
    for name in names:
        assert any(
            name.startswith("钠离子电池"[:i]) and name.endswith("聚苯硫醚"[j:]) and len(name) == i + 4 - j
            for i in range(1, 6)
            for j in range(4)
        )


def test_capacity_tails_come_from_the_amounts_of_capacity_relations() -> None:
    doc = _units()[0]
    by_text = {e.text: e for e in doc.ents}
    product, amount = by_text["六氟磷酸锂"], by_text["3万吨"]
    doc.user_data[RELATIONS_KEY] = [
        [product.start_char, product.end_char, amount.start_char, amount.end_char, "CAPACITY", 1.0]
    ]
    assert tail_pools([doc], ["CAPACITY"]) == {"QUANTITY@CAPACITY": ["3万吨"]}
    (template,) = parse_templates(
        [
            {
                "text": "{ORG}占地{QUANTITY1}，年产{QUANTITY2}{PRODUCT}。",
                "relations": [["PRODUCT", "QUANTITY2", "CAPACITY"]],
            }
        ]
    )
    keys: list[str] = []
    fill_template(template, "", lambda key, rng: keys.append(key) or "x", random.Random(0), ["CAPACITY"])
    assert keys == ["ORG", "QUANTITY", "QUANTITY@CAPACITY", "PRODUCT"]


def test_amount_grammar_samples_what_the_amount_rules_match_with_the_units_of_the_role() -> None:
    spec = json.loads(AMOUNTS.read_text(encoding="utf8"))
    patterns = AmountPatterns(spec)
    grammar = AmountGrammar(spec)
    rng = random.Random(4)
    money = [grammar.sample("MONEY", rng) for _ in range(300)]
    capacities = [grammar.sample("QUANTITY@CAPACITY", rng) for _ in range(300)]
    physical = [grammar.sample("QUANTITY", rng) for _ in range(300)]
    assert all(patterns.money.fullmatch(a) for a in money)
    assert all(patterns.quantity.fullmatch(a) for a in capacities + physical)
    assert not any(patterns.quantity.fullmatch(a) for a in money)

    def unit(amount: str) -> str:
        for rate in spec["rate_suffixes"]:
            amount = amount.removesuffix(rate)
        return max((u for u in spec["units"] if amount.endswith(u)), key=len)

    # A capacity is an amount of output (台, 只, 吨), never land or voltage; other quantities
    # are physical amounts, never counts of goods (which need a production cue).
    assert not {unit(a) for a in capacities} & set(spec["non_product_units"])
    assert not {unit(a) for a in physical} & set(spec["count_units_need_production_cue"])
    # The grammar reaches units the weak corpus rarely shows.
    assert len({unit(a) for a in capacities}) > 30
    assert len(set(money)) > 250
    with pytest.raises(ValueError, match="no amounts for 'PRODUCT'"):
        grammar.sample("PRODUCT", rng)


def test_amount_shares_fill_money_and_capacity_slots_from_the_grammar() -> None:
    patterns = AmountPatterns(json.loads(AMOUNTS.read_text(encoding="utf8")))
    units = _units()
    make = FrameSentences(
        TEMPLATES,
        80,
        0.0,
        {},
        5,
        tail_roles=["CAPACITY"],
        amounts=AMOUNTS,
        amount_shares={"MONEY": 1.0, "QUANTITY@CAPACITY": 1.0},
    )
    docs = make(make_blank(), units)
    money = {e.text for d in docs for e in d.ents if e.label_ == "MONEY"}
    assert len(money) > 20 and all(patterns.money.fullmatch(m) for m in money)
    capacities = set()
    for doc in docs:
        by_offsets = {(e.start_char, e.end_char): e for e in doc.ents}
        capacities |= {
            by_offsets[(ts, te)].text for *_, ts, te, label, _ in doc.user_data[RELATIONS_KEY] if label == "CAPACITY"
        }
    assert len(capacities) > 20 and "3万吨" not in capacities
    # Quantities that are not capacities still come from the corpus.
    plain = FrameSentences(TEMPLATES, 80, 0.0, {}, 5, tail_roles=["CAPACITY"])(make_blank(), units)
    assert {e.text for d in plain for e in d.ents if e.label_ == "MONEY"} == {"12亿元"}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"amounts": AMOUNTS, "amount_shares": {"PRODUCT": 0.5}}, "must be one of"),
        ({"amounts": AMOUNTS, "amount_shares": {"MONEY": 1.5}}, "must be one of"),
        ({"amount_shares": {"MONEY": 0.5}}, "need an amount grammar file"),
    ],
)
def test_bad_amount_options_are_refused(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        FrameSentences(TEMPLATES, 1, 0.0, {}, 0, **kwargs)  # type: ignore[arg-type]


def test_bracket_place_writes_the_registered_place_into_a_company_name() -> None:
    suffixes = read_full_suffixes(COMPANY_SUFFIXES)
    assert suffixes.index("股份有限公司") < suffixes.index("有限公司")  # longest first
    rng = random.Random(1)
    names = {bracket_place("合盛硅业有限公司", "鄯善", suffixes, rng) for _ in range(40)}
    assert names == {"合盛硅业（鄯善）有限公司", "合盛（鄯善）硅业有限公司"}
    assert bracket_place("宁德时代", "宁德", suffixes, rng) is None  # no organisation form
    assert bracket_place("有限公司", "宁德", suffixes, rng) is None  # no trade name


def test_bracketed_places_become_whole_org_entities() -> None:
    units = _units()
    make = FrameSentences(
        TEMPLATES, 60, 0.0, {}, 2, bracketed_place_share=1.0, company_suffixes=COMPANY_SUFFIXES
    )
    docs = make(make_blank(), units)
    assert len(docs) == 60
    orgs = {e.text for d in docs for e in d.ents if e.label_ == "ORG"}
    bracketed = {o for o in orgs if "（" in o}
    assert bracketed and all(o.endswith("有限公司") for o in bracketed)
    assert {o.replace(o[o.index("（") : o.index("）") + 1], "") for o in bracketed} == {"启明新材料有限公司"}
    # The place inside is never a GPE entity of its own.
    for doc in docs:
        assert not any(e.label_ == "GPE" and "（" in doc.text[e.start_char - 1 : e.start_char] for e in doc.ents)
    with pytest.raises(ValueError, match="needs the company suffix file"):
        FrameSentences(TEMPLATES, 1, 0.0, {}, 0, bracketed_place_share=0.5)


def test_with_grade_puts_a_grade_word_of_the_product_rules_before_a_product() -> None:
    prefixes = fillers.read_grade_prefixes(PRODUCT_CONTEXT)
    assert {"电子级", "电池级", "高纯"} <= set(prefixes)
    assert [len(p) for p in prefixes] == sorted((len(p) for p in prefixes), reverse=True)
    rng = random.Random(0)
    graded = {fillers.with_grade("氢氟酸", prefixes, rng) for _ in range(60)}
    assert len(graded) > 5
    assert all(g.endswith("氢氟酸") and g[: -len("氢氟酸")] in prefixes for g in graded)
    assert fillers.with_grade("电池级碳酸锂", prefixes, rng) == "电池级碳酸锂"  # graded already
    assert fillers.with_grade("六氟磷酸锂", prefixes, rng, max_length=6) == "六氟磷酸锂"  # would be too long


def test_grade_prefix_share_labels_the_graded_name_as_one_product(tmp_path: Path) -> None:
    units = _units()
    make = FrameSentences(
        TEMPLATES, 80, 0.0, {}, 3, grade_prefix_share=1.0, product_context=PRODUCT_CONTEXT
    )
    docs = make(make_blank(), units)
    prefixes = fillers.read_grade_prefixes(PRODUCT_CONTEXT)
    products = [e for d in docs for e in d.ents if e.label_ == "PRODUCT"]
    assert products
    assert all(any(p.text.startswith(g) for g in prefixes) for p in products)
    # The grade word is inside the span, never left outside before it.
    for doc in docs:
        for ent in doc.ents:
            if ent.label_ == "PRODUCT":
                before = doc.text[: ent.start_char]
                assert not any(before.endswith(g) for g in prefixes)
    # Without the share the sentences are those of a run without the option.
    plain = FrameSentences(TEMPLATES, 30, 0.0, {}, 3)(make_blank(), units)
    zero = FrameSentences(
        TEMPLATES, 30, 0.0, {}, 3, grade_prefix_share=0.0, product_context=PRODUCT_CONTEXT
    )(make_blank(), units)
    assert [d.text for d in plain] == [d.text for d in zero]
    bad = tmp_path / "context.json"
    context = json.loads(PRODUCT_CONTEXT.read_text(encoding="utf-8"))
    bad.write_text(json.dumps({**context, "grade_prefixes": ["电子级", ""]}), encoding="utf-8")
    with pytest.raises(ValueError, match="grade_prefixes"):
        fillers.read_grade_prefixes(bad)
    with pytest.raises(ValueError, match="needs the product rules' context file"):
        FrameSentences(TEMPLATES, 1, 0.0, {}, 0, grade_prefix_share=0.5)
    with pytest.raises(ValueError, match=r"grade_prefix_share must be in \[0, 1\]"):
        FrameSentences(TEMPLATES, 1, 0.0, {}, 0, grade_prefix_share=1.5, product_context=PRODUCT_CONTEXT)


def test_product_codes_have_the_shape_the_product_rules_accept(rules_nlp: Language) -> None:
    pattern = fillers.read_code_pattern(PRODUCT_CONTEXT)
    rng = random.Random(0)
    codes = [fillers.product_code(pattern, rng) for _ in range(200)]
    assert len(set(codes)) > 150
    assert all(pattern.fullmatch(c) and c[0].isupper() and len(c) >= 2 for c in codes)
    assert any(c.isalpha() for c in codes) and any(c[-1].isdigit() for c in codes)
    # A code after an amount is a PRODUCT for the rules too (product_after_quantity).
    for code in codes[:20]:
        text = f"项目建成后年产3万吨{code}。"
        ents = {(e.start_char, e.end_char, e.label_) for e in rules_nlp(text).ents}
        assert (text.index(code), text.index(code) + len(code), "PRODUCT") in ents
    with pytest.raises(ValueError, match="no product code"):
        fillers.product_code(re.compile("[a-z]+"), rng)


def test_code_share_fills_product_slots_with_codes_labelled_product() -> None:
    units = _units()
    make = FrameSentences(TEMPLATES, 80, 0.0, {}, 5, code_share=1.0, product_context=PRODUCT_CONTEXT)
    docs = make(make_blank(), units)
    pattern = fillers.read_code_pattern(PRODUCT_CONTEXT)
    products = [e.text for d in docs for e in d.ents if e.label_ == "PRODUCT"]
    assert products and all(pattern.fullmatch(p) for p in products)
    # The amount before a code stays an amount of its own.
    for doc in docs:
        for ent in doc.ents:
            if ent.label_ == "QUANTITY":
                assert not any(ch.isupper() for ch in ent.text)
    with pytest.raises(ValueError, match="code_share needs the product rules' context file"):
        FrameSentences(TEMPLATES, 1, 0.0, {}, 0, code_share=0.5)


def _alias_deriver():
    from zh_industry_ie.rules.org_generic import alias_deriver
    from zh_industry_ie.rules.seeds import load_seeds

    return alias_deriver(load_seeds(SEEDS_DIR))


def test_trade_names_are_the_rules_shortest_short_names_used_as_names() -> None:
    units = [
        _weak_doc("河北怡达食品集团有限公司在石家庄投资。", [("河北怡达食品集团有限公司", "ORG")]),
        _weak_doc("江苏乐成老年事业投资有限公司成立。", [("江苏乐成老年事业投资有限公司", "ORG")]),
        # 参股 is the trade name of 参股公司 by the rules' stripping, but the text mostly uses it as
        # a plain word, outside any ORG mention.
        _weak_doc("参股公司与控股公司不同，参股比例较低，参股收益稳定。", [("参股公司", "ORG")]),
        _weak_doc("泰和重工落户宜宾市。", [("泰和重工", "ORG")]),
    ]
    names = fillers.trade_names(units, _alias_deriver())
    # 怡达 (the shortest of 怡达食品, 河北怡达, 怡达); 乐成老年事业 is longer than four characters;
    # 泰和重工 has no organisation form, so the rules derive no short name from it.
    assert names == ["怡达"]
    assert fillers.trade_names(units, _alias_deriver(), max_length=6) == ["乐成老年事业", "怡达"]


def test_trade_names_fill_the_project_name_slots_as_org_with_their_products() -> None:
    units = _units()
    make = FrameSentences(TEMPLATES, 200, 0.0, {}, 3, trade_name_share=1.0, org_seeds=SEEDS_DIR)
    docs = make(make_blank(), units)
    named, elsewhere = 0, set()
    for doc in docs:
        for org in (e for e in doc.ents if e.label_ == "ORG"):
            product = next((e for e in doc.ents if e.start_char == org.end_char), None)
            if product is None or product.label_ != "PRODUCT":
                elsewhere.add(org.text)
                continue
            # A project named by the company (启明 + product + 项目): the trade name of the units'
            # only full company name is the ORG, the product after it a PRODUCT of its own and a
            # PRODUCES tail of the company.
            assert org.text == "启明"
            relations = {tuple(r[:5]) for r in doc.user_data[RELATIONS_KEY]}
            assert (org.start_char, org.end_char, product.start_char, product.end_char, "PRODUCES") in relations
            named += 1
    assert named >= 10
    # Other ORG slots keep the weak mentions (trade_name_slots = "project_name", the default).
    assert "启明" not in elsewhere and "启明新材料有限公司" in elsewhere
    everywhere = FrameSentences(
        TEMPLATES, 60, 0.0, {}, 3, trade_name_share=1.0, org_seeds=SEEDS_DIR, trade_name_slots="all"
    )
    assert {e.text for d in everywhere(make_blank(), units) for e in d.ents if e.label_ == "ORG"} == {"启明"}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"trade_name_share": 0.5}, "trade_name_share needs the rules' seed directory"),
        ({"trade_name_share": 1.5, "org_seeds": SEEDS_DIR}, "trade_name_share must be in"),
        ({"trade_name_share": 0.5, "org_seeds": SEEDS_DIR, "trade_name_slots": "some"}, "trade_name_slots must be"),
    ],
)
def test_bad_trade_name_options_are_refused(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        FrameSentences(TEMPLATES, 1, 0.0, {}, 0, **kwargs)  # type: ignore[arg-type]
