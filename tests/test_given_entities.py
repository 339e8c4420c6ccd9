"""The relation layer scored on the gold's entities, apart from the pipeline's entity errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from spacy.language import Language

import zh_industry_ie  # noqa: F401  (registers factories)
from zhie.evaluate.given_entities import entity_free_components, predict_given_gold_entities
from zhie.evaluate.readme_table import results_block
from zhie.evaluate.runs import run_report
from zhie.evaluate.systems import pipeline_system
from zhie.gold import read_gold

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
TEXT = "宁德时代在云南省曲靖市投资100亿元。"
GOLD = [
    {"id": "d-p0", "doc": "d", "para": 0, "text": TEXT,
     "entities": [{"start": 0, "end": 4, "label": "ORG"}, {"start": 5, "end": 8, "label": "GPE"},
                  {"start": 8, "end": 11, "label": "GPE"}, {"start": 13, "end": 18, "label": "MONEY"}],
     "relations": [{"head": 0, "tail": 3, "label": "INVESTS"}, {"head": 0, "tail": 1, "label": "LOCATED_IN"},
                   {"head": 0, "tail": 2, "label": "LOCATED_IN"}]},
]


def entity_then_relation_pipeline() -> Language:
    """An entity ruler that cuts the company name short, then the project's relation rules."""
    nlp = spacy.blank(
        "zh", config={"nlp": {"tokenizer": {"@tokenizers": "zh_industry_ie.NormalizingCharTokenizer.v1"}}}
    )
    nlp.add_pipe("entity_ruler").add_patterns([
        {"label": "ORG", "pattern": "德时代"}, {"label": "MONEY", "pattern": "100亿元"},
    ])
    nlp.add_pipe("zhie_rule_relations").initialize(seeds_dir=SEEDS)
    return nlp


@pytest.fixture(scope="module")
def gold_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("given") / "gold.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in GOLD) + "\n", encoding="utf-8")
    return path


def test_components_that_set_entities_are_skipped() -> None:
    nlp = entity_then_relation_pipeline()
    assert [type(p).__name__ for p in entity_free_components(nlp)] == ["RuleRelationRuler"]
    assert entity_free_components(nlp, exclude=["zhie_rule_relations"]) == []


def test_gold_entities_reach_the_relation_layer(gold_path: Path) -> None:
    nlp = entity_then_relation_pipeline()
    paragraphs = read_gold(gold_path)
    (given,) = predict_given_gold_entities(nlp, paragraphs)
    assert given.entities == [(0, 4, "ORG"), (5, 8, "GPE"), (8, 11, "GPE"), (13, 18, "MONEY")]
    assert set(given.relations) == {
        ((0, 4, "ORG"), (13, 18, "MONEY"), "INVESTS"),
        ((0, 4, "ORG"), (5, 8, "GPE"), "LOCATED_IN"),
        ((0, 4, "ORG"), (8, 11, "GPE"), "LOCATED_IN"),
    }
    (without_rules,) = predict_given_gold_entities(nlp, paragraphs, exclude=["zhie_rule_relations"])
    assert without_rules.relations == []


def test_report_separates_entity_errors_from_relation_errors(gold_path: Path, tmp_path: Path) -> None:
    """End to end the short company name loses its investment and sites; given the gold's
    entities the same relation rules find them, and the report and the README block say so."""
    system = pipeline_system("fake", "in-memory", entity_then_relation_pipeline())
    run_report("fake", [], gold_path, "gold", [], tmp_path / "out", systems=[system])
    metrics = json.loads((tmp_path / "out" / "metrics.json").read_text(encoding="utf-8"))
    fake = metrics["systems"]["fake"]
    assert fake["relations"]["micro"]["tp"] == 0 and fake["relations"]["micro"]["fn"] == 3
    given = fake["relations_given_gold_entities"]
    assert (given["micro"]["tp"], given["micro"]["fp"], given["micro"]["fn"]) == (3, 0, 0)
    assert given["per_label"]["INVESTS"]["f1"] == 1.0
    summary = (tmp_path / "out" / "summary.md").read_text(encoding="utf-8")
    assert "Relations per label given the gold's entities" in summary
    assert "| micro | fake | 1.000 | 1.000 | 1.000 | 3 | 0 | 0 |" in summary
    block = results_block([tmp_path / "out" / "metrics.json"])
    assert "given the gold's entities" in block
    assert "| INVESTS | 1.000 (1.00 / 1.00) |" in block


def test_systems_without_relations_report_none(gold_path: Path, tmp_path: Path) -> None:
    nlp = entity_then_relation_pipeline()
    nlp.remove_pipe("zhie_rule_relations")
    system = pipeline_system("entities_only", "in-memory", nlp)
    assert system.run_given_entities is None
    run_report("fake", [], gold_path, "gold", [], tmp_path / "out", systems=[system])
    metrics = json.loads((tmp_path / "out" / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["systems"]["entities_only"]["relations_given_gold_entities"] is None
