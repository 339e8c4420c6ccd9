"""Text normalisation with a character alignment back to the caller's string.

Every step works on a list of (character, original offset) pairs, so whatever is removed or
replaced, each character of the cleaned text still knows where it came from. Spans found on
the cleaned text map back to offsets in the input with :meth:`NormalizedText.to_original`.
"""

from __future__ import annotations

import html
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import opencc

from .paragraphs import SCRIPT_ELEMENT

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# A character that may carry a pinyin annotation: a CJK character, or the '?'/U+FFFD that
# corrupted text leaves where a character was lost (the annotation after it is still noise).
_ANNOTATED = f"[{CJK}?\ufffd]"
_TONED_VOWELS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
_PINYIN_SYLLABLE = (
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ueng|ang|eng|ing|ong|uai|uan|ian|iao|üan|van|ai|ei|ao|ou|an|en|in|un|ün"
    r"|ia|ie|iu|ua|uo|ui|üe|ve|er|ng|a|o|e|i|u|ü|v|m|n)"
)
_PINYIN_BODY = re.compile(rf"^{_PINYIN_SYLLABLE}[1-5]?$")
_ANNOTATION = re.compile(rf"(?<={_ANNOTATED})[(（]([a-z{_TONED_VOWELS}]{{1,7}}[1-5]?)[)）]")
# Corrupted text sometimes lost the opening bracket to a '?': "繕?biāo)".
_BROKEN_ANNOTATION = re.compile(rf"(?<=[{CJK}])\?([a-z{_TONED_VOWELS}]{{1,7}}[1-5]?)[)）]")

# Element tags and comments only: "<5%" or "a<b>c" in running text are not markup.
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]{0,30}(?:\s[^<>\n]{0,500})?/?>|<!--[^\n]{0,2000}?-->")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});")
# Lone surrogates (bytes decoded with surrogateescape) cannot be encoded, and spaCy's string
# store encodes every token: they become U+FFFD, the usual mark of a lost character.
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028\u2029\ufeff]")
# Web addresses, e-mail addresses and long runs of Latin letters and digits without a space
# (hashes, base64 data, page ids, words whose spaces were lost) are page furniture, never a
# mention of ANNOTATION.md; left in, the model read them as organisations (www.cebbank.com,
# finance.huagu.com/work87h in the inews corpus). The longest Latin name the golds hold is 5
# characters (FKM, R142b), a company written in Latin rarely passes 18 (STMicroelectronics):
# a run of 24 or more goes. A URL stops before brackets and commas, which end a sentence's
# parenthesis more often than they belong to the address.
_LONG_LATIN_RUN = 24
_WEB_NOISE = re.compile(
    r"(?:(?:https?|ftp)://|www\.)[A-Za-z0-9\-._~:/?#@!$&'*+=%]*[A-Za-z0-9/_#=-]"
    r"|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
    rf"|(?<![A-Za-z0-9])[A-Za-z0-9+/=_.-]{{{_LONG_LATIN_RUN},}}(?![A-Za-z0-9])"
)

# Half-width punctuation written between Chinese characters takes its full-width form, so
# that cues and sentence boundaries look the same whatever the source used.
_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "!": "！", "(": "（", ")": "）"}
_SENTENCE_PUNCT = "，、。；：！？"
# Spaces between a Chinese character and a digit are typesetting (auto-spaced or justified
# text: 投资 30 亿元, 2023 年 5 月), not separators: amounts and dates read as in unspaced text.
_CJK_DIGIT_SPACE = re.compile(rf"(?<=[{CJK}])[ \u00a0]+(?=\d)|(?<=\d)[ \u00a0]+(?=[{CJK}])")
# A comma directly before another mark is an editing slip (",,", ",、", ",。"): drop it.
_DOUBLED = re.compile(r"，(?=[，、。；：！？])|、(?=[、。；])|。(?=。)|；(?=；)")

Chars = list[tuple[str, int]]


@dataclass(frozen=True)
class NormalizedText:
    """Cleaned text plus, for each cleaned character, its offset in the original string."""

    text: str
    original: str
    offsets: tuple[int, ...]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a cleaned span [start, end) to the smallest original span that covers it."""
        if not 0 <= start < end <= len(self.text):
            raise ValueError(f"span [{start}, {end}) is outside the cleaned text of length {len(self.text)}")
        return self.offsets[start], self.offsets[end - 1] + 1

    def from_original(self, start: int, end: int) -> tuple[int, int] | None:
        """Map an original span to the cleaned characters inside it (None if all were removed)."""
        # Offsets never decrease (steps only delete or replace in place), so bisect works.
        first = bisect_left(self.offsets, start)
        last = bisect_left(self.offsets, end)
        if first >= last:
            return None
        return first, last


def _sub(chars: Chars, pattern: re.Pattern[str], repl: Callable[[re.Match[str]], str]) -> Chars:
    """Regex substitution over aligned characters; inserted text maps to the match start."""
    text = "".join(c for c, _ in chars)
    out: Chars = []
    last = 0
    for match in pattern.finditer(text):
        out.extend(chars[last : match.start()])
        replacement = repl(match)
        anchor = chars[match.start()][1] if match.start() < len(chars) else chars[-1][1]
        out.extend((c, anchor) for c in replacement)
        last = match.end()
    out.extend(chars[last:])
    return out


def _drop_pinyin(match: re.Match[str]) -> str:
    body = match.group(1)
    plain = unicodedata.normalize("NFKD", body).encode("ascii", "ignore").decode()
    return "" if _PINYIN_BODY.match(plain) else match.group(0)


def _unify_width(chars: Chars) -> Chars:
    out: Chars = []
    for i, (c, o) in enumerate(chars):
        code = ord(c)
        if c == "\u3000":
            c = " "
        elif 0xFF10 <= code <= 0xFF19 or 0xFF21 <= code <= 0xFF3A or 0xFF41 <= code <= 0xFF5A or c in "％．":
            c = unicodedata.normalize("NFKC", c)
        elif c in _HALF_TO_FULL:
            prev = chars[i - 1][0] if i else ""
            nxt = chars[i + 1][0] if i + 1 < len(chars) else ""
            # "1,000", "20:45" and "(GW)" between Latin characters stay as they are, and so
            # does the colon of a URL scheme ("http://").
            latin = prev.isascii() and prev.isalnum() and nxt.isascii() and nxt.isalnum()
            if not latin and not (c == ":" and nxt == "/"):
                c = _HALF_TO_FULL[c]
        out.append((c, o))
    return out


def normalize(text: str) -> NormalizedText:
    """Clean one paragraph (or any string) for the model, keeping the alignment.

    Removes HTML tags (script and style elements with their content), unescapes entities,
    removes web and e-mail addresses and long Latin runs, drops pinyin annotations after
    characters, unifies full-width and half-width forms, removes spaces between Chinese
    characters and digits, repairs doubled punctuation and replaces control characters by
    spaces (lone surrogates by U+FFFD).
    Nothing else is dropped: corrupted characters stay in the text.
    """
    if not isinstance(text, str):
        raise TypeError(f"normalize() expects str, got {type(text).__name__}")
    chars: Chars = [(c, i) for i, c in enumerate(text)]
    chars = _sub(chars, _SURROGATE, lambda m: "\ufffd")
    chars = _sub(chars, _CONTROL, lambda m: " ")
    chars = _sub(chars, SCRIPT_ELEMENT, lambda m: "")
    chars = _sub(chars, _TAG, lambda m: "")
    chars = _sub(chars, _ENTITY, lambda m: html.unescape(m.group(0)).replace("\xa0", " "))
    chars = _sub(chars, _WEB_NOISE, lambda m: "")
    chars = _sub(chars, _ANNOTATION, _drop_pinyin)
    chars = _sub(chars, _BROKEN_ANNOTATION, _drop_pinyin)
    chars = _unify_width(chars)
    chars = _sub(chars, _CJK_DIGIT_SPACE, lambda m: "")
    chars = _sub(chars, _DOUBLED, lambda m: "")
    return NormalizedText(
        text="".join(c for c, _ in chars), original=text, offsets=tuple(o for _, o in chars)
    )


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=65536)
def simplified_char(char: str) -> str:
    """The simplified form of one character (itself if OpenCC maps it to several)."""
    converted = _t2s().convert(char)
    return converted if len(converted) == 1 else char


def to_simplified(text: str) -> str:
    """Character-by-character simplified form: same length as the input, so offsets hold."""
    return "".join(simplified_char(c) for c in text)


def count_pinyin_annotations(text: str) -> int:
    """How many pinyin annotations after characters the normaliser would drop from ``text``."""
    count = 0
    for pattern in (_ANNOTATION, _BROKEN_ANNOTATION):
        count += sum(1 for m in pattern.finditer(text) if not _drop_pinyin(m))
    return count


def is_sentence_punct(char: str) -> bool:
    return char in _SENTENCE_PUNCT
