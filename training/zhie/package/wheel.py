"""Build the installable ``zh_industry_ie`` wheel from a trained pipeline directory.

The wheel is the runtime package ``model_pkg/zh_industry_ie`` (components, normaliser,
rules) with the trained pipeline copied into ``zh_industry_ie/pipeline/``; nothing from the
build toolkit goes in, so it installs and loads with no access to this repository.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import srsly

import zh_industry_ie
from zh_industry_ie.components import ENTRY_POINTS

PACKAGE_NAME = "zh_industry_ie"
RUNTIME_REQUIREMENTS = (
    "spacy==3.8.18", "thinc==8.3.14", "opencc==1.4.2", "numpy>=1.26,<2.4", "threadpoolctl>=3.1,<4"
)
# `pip install zh_industry_ie[dist]`: the dask engine of `python -m zh_industry_ie extract`.
DIST_REQUIREMENTS = ("dask==2026.8.0", "distributed==2026.8.0")
SOURCE_DIR = Path(zh_industry_ie.__file__).parent

_PYPROJECT = """\
[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "{name}"
version = "{version}"
description = "{description}"
requires-python = ">=3.11"
# The code is MIT; the bundled LAC weights (zh_industry_ie/lac/LICENSE-LAC.txt) are Apache-2.0.
license = "MIT AND Apache-2.0"
license-files = ["zh_industry_ie/lac/LICENSE-LAC.txt"]
dependencies = {dependencies}

[project.optional-dependencies]
dist = {dist_dependencies}

{entry_points}
# Namespace discovery makes every pipeline sub-directory a package, so its data files ship.
[tool.setuptools.packages.find]
where = ["."]
include = ["{name}*"]
namespaces = true

[tool.setuptools.package-data]
"*" = ["*"]
"""


def entry_points_toml(entry_points: dict[str, dict[str, str]] = ENTRY_POINTS) -> str:
    """``[project.entry-points.<group>]`` tables: spacy.load finds the factories and
    architectures of a saved pipeline without importing the package first."""
    tables = []
    for group, targets in entry_points.items():
        lines = [f"[project.entry-points.{group}]"]
        lines += [f"{json.dumps(name)} = {json.dumps(target)}" for name, target in targets.items()]
        tables.append("\n".join(lines) + "\n")
    return "\n".join(tables)


def stage_package(model_dir: Path, stage_dir: Path, version: str) -> Path:
    """Lay out the package sources plus the pipeline under ``stage_dir``."""
    if not (model_dir / "config.cfg").exists():
        raise FileNotFoundError(f"{model_dir} is not a spaCy pipeline directory (no config.cfg)")
    if stage_dir.exists():
        shutil.rmtree(stage_dir)
    package_dir = stage_dir / PACKAGE_NAME
    shutil.copytree(
        SOURCE_DIR, package_dir, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "pipeline")
    )
    pipeline_dir = package_dir / "pipeline"
    shutil.copytree(model_dir, pipeline_dir)
    meta = srsly.read_json(pipeline_dir / "meta.json")
    meta.update({"name": "industry_ie", "version": version,
                 "license": "MIT (code) AND Apache-2.0 (LAC 2.1.2 weights, lac/LICENSE-LAC.txt)",
                 "description": "Chinese IE for industrial and investment news: entities and relations"})
    srsly.write_json(pipeline_dir / "meta.json", meta)
    srsly.write_json(package_dir / "meta.json", meta)
    (stage_dir / "pyproject.toml").write_text(
        _PYPROJECT.format(
            name=PACKAGE_NAME,
            version=version,
            description=meta["description"],
            dependencies=json.dumps(list(RUNTIME_REQUIREMENTS)),
            dist_dependencies=json.dumps(list(DIST_REQUIREMENTS)),
            entry_points=entry_points_toml(),
        ),
        encoding="utf-8",
    )
    return stage_dir


def build_wheel(model_dir: Path, dist_dir: Path, stage_dir: Path, version: str) -> Path:
    stage_package(model_dir, stage_dir, version)
    dist_dir.mkdir(parents=True, exist_ok=True)
    for old in dist_dir.glob(f"{PACKAGE_NAME}-*.whl"):
        old.unlink()
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(dist_dir), str(stage_dir)],
        check=True,
    )
    wheels = sorted(dist_dir.glob(f"{PACKAGE_NAME}-{version}-*.whl"))
    if not wheels:
        raise RuntimeError(f"pip wheel produced no {PACKAGE_NAME} wheel in {dist_dir}")
    return wheels[-1]
