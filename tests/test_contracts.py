"""One definition of each contract (``zh_industry_ie/contracts.py``): label set and user_data keys."""

from __future__ import annotations

import ast
import io
import tokenize
from pathlib import Path

import pytest
from conftest import CONFIGS_DIR, ROOT
from thinc.api import Config

from zh_industry_ie import contracts
from zh_industry_ie.contracts import ENTITY_LABELS

SOURCE_DIRS = (ROOT / "model_pkg" / "zh_industry_ie", ROOT / "training" / "zhie")
CONTRACTS_FILE = ROOT / "model_pkg" / "zh_industry_ie" / "contracts.py"
USER_DATA_KEYS = {
    value for name, value in vars(contracts).items() if name.endswith("_KEY") and isinstance(value, str)
}


def _sources() -> list[Path]:
    return [p for d in SOURCE_DIRS for p in sorted(d.rglob("*.py")) if p != CONTRACTS_FILE]


def test_user_data_keys_are_the_documented_ones() -> None:
    assert {"zhie_relations", "zhie_doc", "zhie_para", "zhie_source"} <= USER_DATA_KEYS


def test_user_data_keys_are_never_written_as_literals() -> None:
    found = []
    for path in _sources():
        tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
        for tok in tokens:
            if tok.type == tokenize.STRING and tok.string.strip("'\"") in USER_DATA_KEYS:
                found.append(f"{path.relative_to(ROOT)}:{tok.start[0]} {tok.string}")
    assert not found, "use the constants of zh_industry_ie.contracts:\n" + "\n".join(found)


def test_the_entity_label_set_is_written_once() -> None:
    found = []
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Tuple | ast.List | ast.Set) and len(node.elts) == len(ENTITY_LABELS):
                values = {e.value for e in node.elts if isinstance(e, ast.Constant)}
                if values == set(ENTITY_LABELS):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not found, "use zh_industry_ie.contracts.ENTITY_LABELS:\n" + "\n".join(found)


@pytest.mark.parametrize("config_path", sorted(CONFIGS_DIR.glob("*.cfg")), ids=lambda p: p.name)
def test_configs_list_the_contract_labels(config_path: Path) -> None:
    # Configs cannot import the constant; they must repeat it exactly.
    components = Config().from_str(config_path.read_text(encoding="utf-8"), interpolate=False)["components"]
    rule_ner = components.get("zhie_rule_ner", {})
    if "label_order" in rule_ner:
        assert sorted(rule_ner["label_order"]) == sorted(ENTITY_LABELS)
    extractor = components.get("zhie_relation_extractor", {})
    if "entity_labels" in extractor:
        assert extractor["entity_labels"] == list(ENTITY_LABELS)
