"""Which script a paragraph is written in: simplified, traditional, or no Chinese at all."""

from __future__ import annotations

import re
from functools import lru_cache

import opencc

from zh_industry_ie.normalize import count_pinyin_annotations, simplified_char

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@lru_cache(maxsize=1)
def _s2t() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


@lru_cache(maxsize=65536)
def _traditional_char(char: str) -> str:
    converted = _s2t().convert(char)
    return converted if len(converted) == 1 else char


def script_of(text: str) -> str:
    """ "traditional", "simplified" or "none" (no Chinese characters).

    A character that OpenCC t2s changes is traditional-only; one that s2t changes is
    simplified-only; characters common to both scripts do not vote. Ties count as simplified.
    """
    traditional = simplified = 0
    for char in _HAN.findall(text):
        if simplified_char(char) != char:
            traditional += 1
        elif _traditional_char(char) != char:
            simplified += 1
    if not traditional and not simplified and not _HAN.search(text):
        return "none"
    return "traditional" if traditional > simplified else "simplified"


def is_pinyin_annotated(text: str, minimum: int = 2) -> bool:
    """True when pinyin follows characters at least ``minimum`` times (經(jīng)濟(jì))."""
    return count_pinyin_annotations(text) >= minimum
