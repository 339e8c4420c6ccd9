"""Which script a paragraph is written in: simplified, traditional or pinyin-annotated."""

from __future__ import annotations

from zh_industry_ie.normalize import CJK, count_pinyin_annotations, to_simplified

SCRIPTS = ("simplified", "traditional", "pinyin-annotated")

# Simplified text still holds a few characters OpenCC maps (著 -> 着); a paragraph counts as
# traditional when at least this share of its CJK characters changes under t2s.
TRADITIONAL_SHARE = 0.1


def _is_cjk(char: str) -> bool:
    return any(lo <= char <= hi for lo, hi in zip(CJK[0::3], CJK[2::3], strict=True))


def detect_script(text: str) -> str:
    if count_pinyin_annotations(text) > 0:
        return "pinyin-annotated"
    cjk = [c for c in text if _is_cjk(c)]
    changed = sum(1 for c in cjk if to_simplified(c) != c)
    if cjk and changed / len(cjk) >= TRADITIONAL_SHARE:
        return "traditional"
    return "simplified"
