"""Repository paths and the shared pipelines of the tests.

Paths are module constants (some tests need them at import time, e.g. in ``parametrize``:
``from conftest import SEEDS_DIR``) and fixtures. The pipelines are built once per session;
tests that change a pipeline (add pipes, set config) build their own with ``blank_nlp``'s
factory ``make_blank`` instead of mutating the shared one.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from spacy.language import Language

import zh_industry_ie  # noqa: F401  (registers the tokenizer and the factories)
from zh_industry_ie.tokenizer import blank_pipeline

ROOT = Path(__file__).resolve().parents[1]
SEEDS_DIR = ROOT / "seeds"  # rule seeds
CORPUS_SEEDS_DIR = ROOT / "corpus" / "seeds"  # the five seed articles
CONFIGS_DIR = ROOT / "configs"
CI_CFG = CONFIGS_DIR / "ci.cfg"
SHARED_DIR = ROOT.parent / "shared"
SEED_GOLD = SHARED_DIR / "gold" / "seeds_gold.jsonl"

needs_seed_gold = pytest.mark.skipif(not SEED_GOLD.exists(), reason="../shared gold not available")


def make_blank() -> Language:
    """A new empty Chinese pipeline with the project tokenizer (safe to modify)."""
    return blank_pipeline()


def lac_tok2vec_config(lac_dir: Path, include_tags: bool = False, lexicon: dict | None = None) -> dict:
    """A tiny tok2vec over ``zhie.LacEmbed.v1`` (optionally with a ``lexicon`` sub-layer)."""
    embed = {
        "@architectures": "zhie.LacEmbed.v1",
        "width": 16,
        "lac_dir": str(lac_dir),
        "lac_width": 8,
        "include_tags": include_tags,
        "hash_embed": {
            "@architectures": "spacy.MultiHashEmbed.v2",
            "width": 16,
            "attrs": ["NORM"],
            "rows": [100],
            "include_static_vectors": False,
        },
    }
    if lexicon is not None:
        embed["lexicon"] = lexicon
    return {
        "model": {
            "@architectures": "spacy.Tok2Vec.v2",
            "embed": embed,
            "encode": {
                "@architectures": "spacy.MaxoutWindowEncoder.v2",
                "width": 16,
                "depth": 1,
                "window_size": 1,
                "maxout_pieces": 2,
            },
        }
    }


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS_DIR


@pytest.fixture(scope="session")
def blank_nlp() -> Language:
    """Shared empty pipeline with the project tokenizer: use it for make_doc / tokenizing only."""
    return make_blank()


@pytest.fixture(scope="session")
def rules_nlp() -> Language:
    """Shared rules-only pipeline (what ``zhie weak-label`` builds) over the repository's seeds.

    Read-only: tests that change components build their own pipeline."""
    from zhie.weak.pipeline import build_rules_pipeline

    return build_rules_pipeline(SEEDS_DIR)


@pytest.fixture(scope="session")
def lac_dir() -> Path:
    """The converted LAC model: $ZHIE_LAC_DIR, or ``zhie lac-fetch``'s code run once into the cache
    (PyPI download and conversion, both kept under $ZHIE_CACHE or ~/.cache/zh_industry_ie)."""
    from zh_industry_ie.lac.resources import dir_is_complete
    from zhie.lac.fetch import SDIST_SHA256, default_cache, fetch

    given = os.environ.get("ZHIE_LAC_DIR")
    if given and dir_is_complete(Path(given), SDIST_SHA256):
        return Path(given)
    out = default_cache() / "lac-2.1.2-converted"
    fetch(out, default_cache())
    return out


@pytest.fixture(scope="session")
def lac(lac_dir: Path):  # type: ignore[no-untyped-def]
    from zh_industry_ie.lac import LacModel

    return LacModel.from_dir(lac_dir)


def doc_with_ents(nlp: Language, text: str, ents: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
    """A Doc of ``text`` with entities given as (surface in the cleaned text, label); a surface
    given twice means its next occurrence."""
    doc = nlp.make_doc(text)
    spans, seen = [], {}
    for surface, label in ents:
        start = doc.text.index(surface, seen.get(surface, 0))
        seen[surface] = start + len(surface)
        spans.append(doc.char_span(start, start + len(surface), label=label))
    doc.ents = spans
    return doc


def tiny_ruler_pipeline(path: Path) -> Path:
    """A small saved pipeline (project tokenizer + an entity ruler for 曲靖 and 隆基) for tests
    that run whole extraction jobs and need speed, not the project's rules."""
    nlp = make_blank()
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(
        [
            {"label": "GPE", "pattern": [{"NORM": "曲"}, {"NORM": "靖"}]},
            {"label": "ORG", "pattern": [{"NORM": "隆"}, {"NORM": "基"}]},
        ]
    )
    nlp.to_disk(path)
    return path
