"""The seeded components as spaCy components: metadata and scoring, save/load, no growing state."""

from __future__ import annotations

from collections.abc import Sized
from pathlib import Path
from typing import Any

import pytest
from conftest import make_blank
from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example

from zh_industry_ie.seeded import SeededComponent

SEEDED = ("zhie_rule_ner", "zhie_rule_relations", "zhie_entity_values")
TEXT = "云南裕能落户安宁产业园区，计划投资30亿元建设年产20万吨磷酸铁锂项目。"
TEXTS = [
    TEXT,
    "寧德時代在曲靖經開區建設年產10萬噸正極材料生產線。",
    "宁德时代计划投资30亿元建设电池工厂。",
    "2023年，全市规上工业企业918户，同比增长3.7%。",
]


def _output(nlp: Language, text: str) -> tuple[list, list, list]:
    doc = nlp(text)
    return (
        [(e.start_char, e.end_char, e.label_) for e in doc.ents],
        [(r.head.start_char, r.tail.start_char, r.label) for r in doc._.relations],
        [(e._.amount, e._.quantity, e._.adcode) for e in doc.ents],
    )


def _gold(nlp: Language, text: str, ents: list[tuple[str, str]]) -> Doc:
    doc = nlp.make_doc(text)
    doc.ents = [doc.char_span(text.index(s), text.index(s) + len(s), label=label) for s, label in ents]
    return doc


# --- metadata and scoring (nlp.analyze_pipes, nlp.evaluate) ---------------------------------


def test_analyze_pipes_finds_no_problem(rules_nlp: Language) -> None:
    analysis = rules_nlp.analyze_pipes()
    assert all(problems == [] for problems in analysis["problems"].values())


def test_each_component_declares_what_it_assigns(rules_nlp: Language) -> None:
    summary = rules_nlp.analyze_pipes()["summary"]
    assert summary["zhie_rule_ner"]["assigns"] == ["doc.ents"]
    assert summary["zhie_rule_relations"]["requires"] == ["doc.ents"]
    assert "doc._.relations" in summary["zhie_rule_relations"]["assigns"]
    assert "span._.amount" in summary["zhie_entity_values"]["assigns"]


def test_evaluate_scores_entities_against_the_reference(rules_nlp: Language) -> None:
    right = _gold(rules_nlp, TEXT, [("云南裕能", "ORG"), ("安宁产业园区", "PARK"), ("30亿元", "MONEY"),
                                     ("20万吨", "QUANTITY"), ("磷酸铁锂", "PRODUCT")])
    scores = rules_nlp.evaluate([Example(rules_nlp.make_doc(TEXT), right)])
    assert scores["ents_f"] == 1.0


def test_evaluate_counts_a_wrong_entity_label(rules_nlp: Language) -> None:
    wrong = _gold(rules_nlp, TEXT, [("云南裕能", "PRODUCT")])
    scores = rules_nlp.evaluate([Example(rules_nlp.make_doc(TEXT), wrong)])
    assert scores["ents_per_type"]["PRODUCT"]["r"] == 0.0
    assert scores["ents_f"] < 1.0


def test_evaluate_scores_relations_and_value_coverage(rules_nlp: Language) -> None:
    scores = rules_nlp.evaluate([Example(rules_nlp.make_doc(TEXT), rules_nlp.make_doc(TEXT))])
    # No gold relations: every relation the cues find is a false positive.
    assert scores["rel_micro_p"] == 0.0
    assert scores["values_parsed_per_type"] == {"MONEY": 1.0, "QUANTITY": 1.0}


def test_score_weights_of_the_rule_components_leave_the_training_weights_alone(rules_nlp: Language) -> None:
    # Same keys as ner / zhie_relation_extractor; the value coverage is reported, not weighted.
    weights = rules_nlp.config["training"]["score_weights"]
    assert weights["ents_f"] == weights["rel_micro_f"] == 0.5
    assert weights["values_parsed"] is None


# --- one save/load path ---------------------------------------------------------------------


def _fresh(name: str) -> tuple[Language, SeededComponent]:
    nlp = make_blank()
    return nlp, nlp.add_pipe(name)


def _restored_pipeline(rules_nlp: Language, restore: Any) -> Language:
    nlp = make_blank()
    for name in rules_nlp.pipe_names:
        restore(name, nlp.add_pipe(name), rules_nlp.get_pipe(name))
    return nlp


def test_to_disk_from_disk_round_trip(rules_nlp: Language, tmp_path: Path) -> None:
    def restore(name: str, new: SeededComponent, old: SeededComponent) -> None:
        old.to_disk(tmp_path / name)
        new.from_disk(tmp_path / name)

    nlp = _restored_pipeline(rules_nlp, restore)
    assert [_output(nlp, t) for t in TEXTS] == [_output(rules_nlp, t) for t in TEXTS]


def test_to_bytes_from_bytes_round_trip(rules_nlp: Language) -> None:
    def restore(name: str, new: SeededComponent, old: SeededComponent) -> None:
        new.from_bytes(old.to_bytes())

    nlp = _restored_pipeline(rules_nlp, restore)
    assert [_output(nlp, t) for t in TEXTS] == [_output(rules_nlp, t) for t in TEXTS]


@pytest.mark.parametrize("name", SEEDED)
def test_exclude_skips_the_data_on_disk(rules_nlp: Language, tmp_path: Path, name: str) -> None:
    pipe = rules_nlp.get_pipe(name)
    key = pipe.data_file.split(".")[0]
    pipe.to_disk(tmp_path, exclude=[key])
    assert not (tmp_path / pipe.data_file).exists()
    _, fresh = _fresh(name)
    fresh.from_disk(tmp_path, exclude=[key])
    assert not fresh.has_seeds()


@pytest.mark.parametrize("name", SEEDED)
def test_exclude_skips_the_data_in_bytes(rules_nlp: Language, name: str) -> None:
    pipe = rules_nlp.get_pipe(name)
    key = pipe.data_file.split(".")[0]
    _, fresh = _fresh(name)
    fresh.from_bytes(pipe.to_bytes(), exclude=[key])
    assert not fresh.has_seeds()


@pytest.mark.parametrize("name", SEEDED)
def test_missing_directory_is_a_clear_error(tmp_path: Path, name: str) -> None:
    _, fresh = _fresh(name)
    with pytest.raises(FileNotFoundError, match=rf"{name}: no \w+\.json in .*not_saved_here"):
        fresh.from_disk(tmp_path / "not_saved_here")


@pytest.mark.parametrize("name", SEEDED)
def test_corrupt_data_file_is_a_clear_error(tmp_path: Path, name: str) -> None:
    _, fresh = _fresh(name)
    (tmp_path / fresh.data_file).write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match=rf"{name}: .*{fresh.data_file} is not the JSON"):
        fresh.from_disk(tmp_path)


@pytest.mark.parametrize("name", SEEDED)
def test_saving_before_initialize_is_a_clear_error(tmp_path: Path, name: str) -> None:
    _, fresh = _fresh(name)
    with pytest.raises(ValueError, match=f"{name}: nothing to save before initialize"):
        fresh.to_disk(tmp_path)


# --- no state that grows with the documents -------------------------------------------------


def _state(pipe: SeededComponent) -> dict[str, Any]:
    return {k: len(v) if isinstance(v, Sized) and not isinstance(v, str) else repr(type(v))
            for k, v in vars(pipe).items()}


@pytest.mark.parametrize("name", SEEDED)
def test_processing_documents_leaves_the_component_unchanged(rules_nlp: Language, name: str) -> None:
    pipe = rules_nlp.get_pipe(name)
    before, data = _state(pipe), pipe.to_bytes()
    for _ in range(10):
        for doc in rules_nlp.pipe(TEXTS):
            assert doc.ents is not None
    assert _state(pipe) == before
    assert pipe.to_bytes() == data


def test_rule_ner_puts_lacs_names_first_when_the_doc_carries_them(seeds_dir: Path) -> None:
    from zh_industry_ie.contracts import LAC_WORDS_KEY
    from zhie.weak.pipeline import build_rules_pipeline

    nlp = build_rules_pipeline(seeds_dir, {"lac_first": ["lac_org"]})
    text = "山东黄金集团宣布扩产。"
    # No LAC words on the Doc (a pipeline without LAC): the rules alone.
    assert {(e.text, e.label_) for e in nlp(text).ents} >= {("山东", "GPE"), ("黄金", "PRODUCT")}
    doc = nlp.make_doc(text)
    # What the tok2vec's LAC layer leaves: 山东黄金集团/ORG 宣布/v 扩产/v 。/w
    doc.user_data[LAC_WORDS_KEY] = [(0, 6, "ORG"), (6, 8, "v"), (8, 10, "v"), (10, 11, "w")]
    for _, component in nlp.pipeline:
        doc = component(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [("山东黄金集团", "ORG")]


def test_rule_ner_rejects_an_unknown_lac_source(seeds_dir: Path) -> None:
    from zhie.weak.pipeline import build_rules_pipeline

    with pytest.raises(ValueError, match="lac_first"):
        build_rules_pipeline(seeds_dir, {"lac_first": ["lac_brands"]})
