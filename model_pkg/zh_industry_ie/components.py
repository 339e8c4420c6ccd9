"""Everything the package registers with spaCy, in one list: the entry points.

``spacy.load(path)`` finds a registered name through the installed package's entry points
(``spacy_factories``, ``spacy_architectures``, ``spacy_scorers``, ``spacy_tokenizers``, ...),
importing the module that registers it, so a saved pipeline loads in a process that never
imported ``zh_industry_ie``. The same list is

- written into the wheel's ``pyproject.toml`` (``zhie.package.wheel``),
- repeated in the toolkit's ``pyproject.toml`` for the editable install (a test checks the
  two agree, and that every ``@registry.*`` / ``@Language.factory`` name of the package is
  listed),
- imported by :func:`register_all` on ``import zh_industry_ie``.

To register a new function: decorate it as usual, add one line here under its registry's
group (``"spacy_" + registry name``: ``spacy_architectures``, ``spacy_misc``, ...), the same
line under ``[project.entry-points.<group>]`` of ``pyproject.toml``, and reinstall the
editable package (``pip install --no-deps -e .``) so the entry point exists.
"""

from __future__ import annotations

import importlib

# group -> {registered name: "module:function"}
ENTRY_POINTS: dict[str, dict[str, str]] = {
    "spacy_tokenizers": {
        "zh_industry_ie.NormalizingCharTokenizer.v1": "zh_industry_ie.tokenizer:create_normalizing_tokenizer",
    },
    "spacy_factories": {
        "zhie_rule_ner": "zh_industry_ie.rules.entity_ruler:make_rule_ner",
        "zhie_rule_relations": "zh_industry_ie.rules.relation_ruler:make_rule_relations",
        "zhie_relation_extractor": "zh_industry_ie.relext.component:make_relation_extractor",
        "zhie_entity_values": "zh_industry_ie.values:make_entity_values",
        "zhie_tagger_ner": "zh_industry_ie.tagger_ner:make_tagger_ner",
    },
    "spacy_architectures": {
        "zhie.RelationModel.v1": "zh_industry_ie.relext.model:create_relation_model",
        "zhie.LacEmbed.v1": "zh_industry_ie.lac_embed:lac_embed",
        "zhie.LexiconFeatures.v1": "zh_industry_ie.lexicon_features:lexicon_features",
    },
    "spacy_scorers": {
        "zhie.relation_scorer.v1": "zh_industry_ie.relext.component:make_relation_scorer",
        "zhie.values_scorer.v1": "zh_industry_ie.values:make_values_scorer",
    },
}


def registering_modules() -> list[str]:
    """The modules named by the entry points, each once, in the order listed."""
    modules = (target.split(":")[0] for group in ENTRY_POINTS.values() for target in group.values())
    return list(dict.fromkeys(modules))


def register_all() -> None:
    for name in registering_modules():
        importlib.import_module(name)
