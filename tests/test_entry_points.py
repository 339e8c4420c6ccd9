"""Registered, not imported: a saved pipeline loads in a process that never imported the package.

The factories, architectures and scorers of ``zh_industry_ie`` are declared as entry points
(``zh_industry_ie/components.py`` ENTRY_POINTS), in the toolkit's ``pyproject.toml`` for the
editable install and in the wheel's generated ``pyproject.toml``.
"""

from __future__ import annotations

import ast
import importlib
import json
import random
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import spacy
from conftest import ROOT, SEEDS_DIR
from spacy.training import Example

from zh_industry_ie.components import ENTRY_POINTS, registering_modules
from zhie.train.synthetic import synthetic_doc

PACKAGE_DIR = ROOT / "model_pkg" / "zh_industry_ie"
TEXT = "云南裕能落户安宁产业园区，计划投资30亿元建设年产20万吨磷酸铁锂项目。"

LOAD_SCRIPT = """
import json, sys
import spacy
assert not any(m == "zh_industry_ie" or m.startswith("zh_industry_ie.") for m in sys.modules)
nlp = spacy.load(sys.argv[1])
doc = nlp(sys.argv[2])
print(json.dumps({
    "pipe_names": nlp.pipe_names,
    "ents": [[e.text, e.label_] for e in doc.ents],
    "relations": [[r.head.text, r.label, r.tail.text] for r in doc._.relations],
    "amounts": [e._.amount for e in doc.ents if e.label_ == "MONEY"],
}, ensure_ascii=False))
"""


def _registered_in_source() -> dict[str, dict[str, str]]:
    """Every ``@registry.<name>("...")`` and ``@Language.factory("...")`` of the package:
    {group: {registered name: "module:function"}}."""
    found: dict[str, dict[str, str]] = {}
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        module = ".".join(path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        # Module-level string constants, for names given as e.g. @registry.tokenizers(TOKENIZER_NAME).
        constants = {
            target.id: node.value.value
            for node in tree.body if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
            for target in node.targets if isinstance(target, ast.Name)
        }
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef):
                continue
            for deco in node.decorator_list:
                if not (isinstance(deco, ast.Call) and isinstance(deco.func, ast.Attribute) and deco.args):
                    continue
                arg = deco.args[0]
                name = arg.value if isinstance(arg, ast.Constant) else constants.get(getattr(arg, "id", ""))
                owner = deco.func.value
                if not isinstance(owner, ast.Name):
                    continue
                if owner.id == "registry":  # @registry.architectures("..."), ...
                    group = f"spacy_{deco.func.attr}"
                elif owner.id == "Language" and deco.func.attr == "factory":
                    group = "spacy_factories"
                else:
                    continue
                found.setdefault(group, {})[str(name)] = f"{module}:{node.name}"
    return found


def test_every_registered_name_of_the_package_is_an_entry_point() -> None:
    assert _registered_in_source() == ENTRY_POINTS


def test_every_entry_point_target_exists() -> None:
    for group in ENTRY_POINTS.values():
        for target in group.values():
            module, function = target.split(":")
            assert callable(getattr(importlib.import_module(module), function)), target


def test_register_all_imports_every_registering_module() -> None:
    assert all(name in sys.modules for name in registering_modules())


def test_toolkit_pyproject_declares_the_same_entry_points() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {group: targets for group, targets in project["entry-points"].items() if group.startswith("spacy_")}
    assert declared == ENTRY_POINTS


def test_the_editable_install_has_the_entry_points() -> None:
    from importlib.metadata import entry_points

    for group, targets in ENTRY_POINTS.items():
        installed = {ep.name: ep.value for ep in entry_points(group=group)}
        missing = {name for name in targets if installed.get(name) != targets[name]}
        assert not missing, f"{group}: {sorted(missing)} not installed; run pip install --no-deps -e ."


@pytest.fixture(scope="module")
def saved_pipeline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Rules + a relation extractor on spaCy's own Chinese tokenizer: nothing in its config
    names a function of the package outside the components, so only the entry points can
    make spacy.load find them."""
    nlp = spacy.blank("zh")
    for name in ("zhie_rule_ner", "zhie_relation_extractor", "zhie_rule_relations", "zhie_entity_values"):
        nlp.add_pipe(name)
    for name in ("zhie_rule_ner", "zhie_rule_relations", "zhie_entity_values"):
        nlp.config["initialize"]["components"][name] = {"seeds_dir": str(SEEDS_DIR)}
    rng = random.Random(0)
    examples = [Example(nlp.make_doc(doc.text), doc) for doc in (synthetic_doc(nlp, rng) for _ in range(8))]
    nlp.initialize(lambda: examples)
    path = tmp_path_factory.mktemp("saved") / "pipeline"
    nlp.to_disk(path)
    return path


def test_saved_pipeline_loads_in_a_fresh_process(saved_pipeline: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", LOAD_SCRIPT, str(saved_pipeline), TEXT],
        capture_output=True, text=True, cwd=tmp_path, check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["pipe_names"] == ["zhie_rule_ner", "zhie_relation_extractor", "zhie_rule_relations",
                                 "zhie_entity_values"]
    assert ["30亿元", "MONEY"] in out["ents"] and out["amounts"] == [3e9]
    assert ["磷酸铁锂", "CAPACITY", "20万吨"] in out["relations"]


def test_wheel_pyproject_declares_the_entry_points(saved_pipeline: Path, tmp_path: Path) -> None:
    from zhie.package.wheel import stage_package

    stage = stage_package(saved_pipeline, tmp_path / "stage", "0.0.1")
    project = tomllib.loads((stage / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["entry-points"] == ENTRY_POINTS
