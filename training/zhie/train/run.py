"""Train a pipeline from a spaCy config through spaCy's own training loop.

The project's components, corpus reader and augmenters are registered by importing them
here, so the config can name them. The best model (by the config's score weights on the dev
corpus) ends up in the output directory itself, which is then a plain spaCy pipeline.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import spacy
from spacy.cli.train import train as spacy_train
from spacy.util import load_config
from thinc.api import Config

import zh_industry_ie  # noqa: F401  (registers the tokenizer and components)
from zhie.train import augment, callbacks, corpus, frame_sentences  # noqa: F401  (register reader, augmenters, callbacks, frame sentences)

INFO_FILE = "training_info.json"


def parse_overrides(items: list[str]) -> dict[str, Any]:
    """``key=value`` strings from the command line; values are parsed like config values."""
    out: dict[str, Any] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        if not sep or not key:
            raise ValueError(f"override {item!r} is not of the form section.key=value")
        key = key.removeprefix("--")
        try:
            out[key] = json.loads(raw)
        except json.JSONDecodeError:
            out[key] = raw
    return out


def zhie_section(config_path: Path) -> dict[str, Any]:
    """The config's [zhie] section (project settings spaCy itself ignores)."""
    return dict(load_config(config_path, interpolate=False).get("zhie", {}))


def dev_disabled_components(config_path: Path) -> list[str]:
    """[zhie.train] dev_disabled: components switched off while training (dev scoring).

    The dev labels are the rules' own output, so with the rule components running the dev
    score only measures how few spans the ner adds around them and picks an early,
    under-trained checkpoint; without them it scores what the model itself predicts.
    """
    return [str(name) for name in zhie_section(config_path).get("train", {}).get("dev_disabled", [])]


def enable_all(model_dir: Path, names: list[str]) -> None:
    """Switch the components disabled for training back on in the saved pipeline."""
    config = Config().from_disk(model_dir / "config.cfg", interpolate=False)
    config["nlp"]["disabled"] = [n for n in config["nlp"].get("disabled", []) if n not in names]
    config.to_disk(model_dir / "config.cfg")
    meta_path = model_dir / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["disabled"] = [n for n in meta.get("disabled", []) if n not in names]
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")


def train_pipeline(
    config_path: Path,
    out_dir: Path,
    train_path: Path,
    dev_path: Path,
    overrides: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Train, copy the best model to ``out_dir`` and return timing and score information."""
    dev_disabled = dev_disabled_components(config_path)
    all_overrides = {
        "paths.train": str(train_path),
        "paths.dev": str(dev_path),
        **({"nlp.disabled": dev_disabled} if dev_disabled else {}),
        **(overrides or {}),
    }
    work_dir = out_dir.with_name(out_dir.name + ".training")
    if work_dir.exists():
        shutil.rmtree(work_dir)
    start = time.perf_counter()
    spacy_train(config_path, work_dir, overrides=all_overrides)
    seconds = time.perf_counter() - start
    if out_dir.exists():
        shutil.rmtree(out_dir)
    shutil.copytree(work_dir / "model-best", out_dir)
    shutil.rmtree(work_dir)
    enable_all(out_dir, dev_disabled)
    meta = json.loads((out_dir / "meta.json").read_text(encoding="utf-8"))
    size = sum(p.stat().st_size for p in out_dir.rglob("*") if p.is_file())
    info = {
        "config": str(config_path),
        "overrides": {k: v for k, v in sorted(all_overrides.items())},
        "train_seconds": round(seconds, 1),
        "model_bytes": size,
        "dev_performance": meta.get("performance", {}),
    }
    (out_dir / INFO_FILE).write_text(json.dumps(info, ensure_ascii=False, indent=2), encoding="utf-8")
    return info


def load_trained(path: Path) -> spacy.language.Language:
    return spacy.load(path)
