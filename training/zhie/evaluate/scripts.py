"""Which script a gold paragraph is written in: simplified, traditional or pinyin-annotated.

One detector serves the corpus statistics and the reports (``zhie.corpus.scripts``); this
module only folds its answers into the three report groups.
"""

from __future__ import annotations

from zhie.corpus.scripts import is_pinyin_annotated, script_of

SCRIPTS = ("simplified", "traditional", "pinyin-annotated")


def detect_script(text: str) -> str:
    if is_pinyin_annotated(text, minimum=1):
        return "pinyin-annotated"
    # Lines with no Chinese characters (dates, bylines) are reported with the simplified group.
    return "traditional" if script_of(text) == "traditional" else "simplified"
