"""LAC-based refinements shared by the teacher and ``zhie_rule_ner``: verbal nouns cut off products."""

from __future__ import annotations

import pytest
from spacy.language import Language

from zh_industry_ie.contracts import LAC_WORDS_KEY
from zh_industry_ie.rules.lac_sources import ProcessWordTrimmer
from zh_industry_ie.rules.seeds import load_seeds
from zhie.weak.pipeline import build_rules_pipeline
from zhie.weak.teacher import Teacher, TeacherSettings


@pytest.fixture(scope="module")
def trimmer(seeds_dir) -> ProcessWordTrimmer:  # type: ignore[no-untyped-def]
    return ProcessWordTrimmer(load_seeds(seeds_dir))


@pytest.mark.parametrize(
    ("text", "span", "words", "expected"),
    [
        # 年产30万吨锌冶炼项目: 冶炼 (vn) is the process, 锌 the product
        ("锌冶炼项目", (0, 3), [(0, 1, "n"), (1, 3, "vn"), (3, 5, "n")], "锌"),
        # two verbal nouns at the end both go
        ("茶叶精制加工", (0, 6), [(0, 2, "n"), (2, 4, "vn"), (4, 6, "vn")], "茶叶"),
        # a verbal noun inside the span, not at its end, stays
        ("铜加工材", (0, 4), [(0, 1, "n"), (1, 3, "vn"), (3, 4, "n")], "铜加工材"),
        # a span that is one verbal noun is never emptied
        ("冶炼", (0, 2), [(0, 2, "vn")], "冶炼"),
        # a LAC word that runs past the span's end does not count as inside it
        ("锌冶炼厂", (0, 3), [(0, 1, "n"), (1, 4, "vn")], "锌冶炼"),
        # a term of the product lexicon stays whole (生物制药: 生物/n 制药/vn)
        ("生物制药", (0, 4), [(0, 2, "n"), (2, 4, "vn")], "生物制药"),
    ],
)
def test_trailing_verbal_nouns_leave_product_spans(trimmer, text, span, words, expected) -> None:  # type: ignore[no-untyped-def]
    (start, end, label), = trimmer.trim(text, [(*span, "PRODUCT")], words)
    assert (text[start:end], label) == (expected, "PRODUCT")


def test_other_labels_are_not_trimmed(trimmer) -> None:  # type: ignore[no-untyped-def]
    spans = [(0, 3, "ORG")]
    assert trimmer.trim("锌冶炼", spans, [(0, 1, "n"), (1, 3, "vn")]) == spans


def test_teacher_trims_with_lacs_own_tags(rules_nlp: Language, lac_dir) -> None:  # type: ignore[no-untyped-def]
    texts = ["公司将建设年产30万吨锌冶炼项目。", "新建年產10萬噸銅加工項目。"]

    def products(trim: bool) -> list[str]:
        settings = TeacherSettings.from_config({"trim_process_words": trim, "processes": 1})
        out = Teacher(rules_nlp, settings, lac_dir).label(rules_nlp, texts, ["d1", "d2"], progress=False)
        return [e.text for doc in out.docs for e in doc.ents if e.label_ == "PRODUCT"]

    assert products(False) == ["锌冶炼", "銅加工"]
    assert products(True) == ["锌", "銅"]


def test_rule_ner_trims_when_the_doc_carries_lac_words(seeds_dir) -> None:  # type: ignore[no-untyped-def]
    nlp = build_rules_pipeline(seeds_dir, {"trim_process_words": True})
    text = "公司将建设年产30万吨锌冶炼项目。"
    assert ("锌冶炼", "PRODUCT") in {(e.text, e.label_) for e in nlp(text).ents}  # no LAC words: rules alone
    doc = nlp.make_doc(text)
    doc.user_data[LAC_WORDS_KEY] = [
        (0, 2, "n"), (2, 3, "d"), (3, 5, "v"), (5, 7, "v"), (7, 11, "m"), (11, 12, "n"), (12, 14, "vn"),
        (14, 16, "n"), (16, 17, "w"),
    ]
    for _, component in nlp.pipeline:
        doc = component(doc)
    assert ("锌", "PRODUCT") in {(e.text, e.label_) for e in doc.ents}
