"""Imports every module that registers a factory or architecture with spaCy."""

from __future__ import annotations

import importlib

# Each module registers its spaCy factories / architectures when imported.
_REGISTERING_MODULES = (
    "zh_industry_ie.tokenizer",
    "zh_industry_ie.rules.entity_ruler",
    "zh_industry_ie.rules.relation_ruler",
    "zh_industry_ie.values",
    "zh_industry_ie.relext.model",
    "zh_industry_ie.relext.component",
)


def register_all() -> None:
    for name in _REGISTERING_MODULES:
        importlib.import_module(name)
