"""The rules-only pipeline: project tokenizer + ``zhie_rule_ner`` (+ ``zhie_rule_relations``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language

import zh_industry_ie  # noqa: F401  (registers the tokenizer and the factories)
from zh_industry_ie.tokenizer import BLANK_CONFIG

RELATION_FACTORY = "zhie_rule_relations"


def build_rules_pipeline(seeds_dir: Path, ner_config: dict[str, Any] | None = None) -> Language:
    """A blank Chinese pipeline with the project tokenizer, initialised from ``seeds_dir``."""
    nlp = spacy.blank("zh", config=BLANK_CONFIG)
    nlp.add_pipe("zhie_rule_ner", config=ner_config or {})
    nlp.add_pipe(RELATION_FACTORY)
    nlp.add_pipe("zhie_entity_values")
    # Seeds are read once here and saved with the pipeline; spacy.load never reads them again.
    nlp.config["initialize"]["components"] = {name: {"seeds_dir": str(seeds_dir)} for name in nlp.pipe_names}
    nlp.initialize()
    return nlp


# The rule ner's voting settings, which the teacher must share with the shipped rule ner; the
# other settings of [components.zhie_rule_ner] (keep_labels, names_over_parts, lac_first) combine
# the rules with the trained ner, which the teacher has not.
VOTING_SETTINGS = ("functions", "weights", "min_weight", "label_order")


def rule_ner_voting(config: Path | None) -> dict[str, Any]:
    """The voting settings of ``[components.zhie_rule_ner]`` in a training config ({} without one)."""
    if config is None:
        return {}
    from spacy.util import load_config

    section = load_config(config).get("components", {}).get("zhie_rule_ner", {})
    return {key: section[key] for key in VOTING_SETTINGS if key in section}


def load_rules_pipeline(path: Path) -> Language:
    """A saved rules pipeline (``build/rules``), or one built from a seeds directory."""
    if (Path(path) / "config.cfg").exists():
        return spacy.load(path)
    return build_rules_pipeline(Path(path))
