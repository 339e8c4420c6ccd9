"""zh_industry_ie: Chinese information extraction for industrial and investment news.

``spacy.load("zh_industry_ie")`` loads the trained pipeline bundled in this package (the
main job copies it into ``pipeline/`` before building the wheel). Importing the package
registers the project's tokenizer, components and architectures with spaCy.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from . import relations, tokenizer
from .components import register_all

__version__ = "0.1.0"

PIPELINE_DIR = Path(__file__).parent / "pipeline"

register_all()
relations.register_extensions()
tokenizer.register_extensions()


def load(**overrides: Any) -> Any:
    import spacy

    if not (PIPELINE_DIR / "config.cfg").exists():
        raise OSError(
            f"no trained pipeline is bundled at {PIPELINE_DIR}: this is the source tree; "
            "run the main job (see README) and install the wheel from dist/, "
            "or load a pipeline directory with spacy.load(path)"
        )
    return spacy.load(PIPELINE_DIR, **overrides)
