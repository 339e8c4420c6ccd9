"""Text helpers shared by the labelling functions.

Functions match on the simplified text ``"".join(t.norm_ for t in doc)``: the tokenizer gives
each character one token and a whitespace run one token whose norm is " ", so an index in this
string is a token index, whatever the script or spacing of the input.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.attrs import NORM
from spacy.tokens import Doc

CJK_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK = re.compile(f"[{CJK_CLASS}]")
# Characters that can never be inside a name found by walking left from a suffix.
BREAK_CHARS = frozenset("。！？；，、：:“”‘’\"'（）()《》〈〉「」【】[]<>—…·|/\\ \t\n-0123456789%％．.,;!?")


def simplified_text(doc: Doc) -> str:
    # Read from the NORM column: a Token object per character costs more than the lookup.
    strings = doc.vocab.strings
    return "".join([strings[norm] or " " for norm in doc.to_array(NORM).tolist()])


def is_cjk(char: str) -> bool:
    return bool(_CJK.match(char))


class LeftWalker:
    """Finds where a name ends on the left: punctuation or a boundary word (seeds/common)."""

    def __init__(self, boundary_words: list[str], names: Iterable[str] = ()) -> None:
        self.words = frozenset(boundary_words)
        self.max_len = max((len(w) for w in self.words), default=0)
        # Names whose last characters are a boundary word (成都: 都 "all"): where one of them ends,
        # the boundary word is part of the name, not a boundary (作为成都银犁冷藏物流股份有限公司).
        self.names = frozenset(
            n for n in names if any(n[-k:] in self.words for k in range(1, min(len(n) - 1, self.max_len) + 1))
        )
        self.name_lens = sorted({len(n) for n in self.names}, reverse=True)

    def start(self, text: str, end: int, max_chars: int, name_end: bool = False) -> int:
        """Leftmost start of a name ending at ``end`` (exclusive), at most ``max_chars`` long.

        ``name_end``: ``end`` is known to close the name (a context pattern delimited it), so a
        boundary word there is the name's own last character (奥飞数据: 据), not a boundary."""
        i = end
        limit = max(0, end - max_chars)
        while i > limit:
            if text[i - 1] in BREAK_CHARS or not (is_cjk(text[i - 1]) or text[i - 1].isalpha()):
                break
            if not (name_end and i == end) and self.ends_with_boundary(text, i):
                break
            i -= 1
        return i

    def ends_with_boundary(self, text: str, i: int) -> bool:
        for n in range(1, self.max_len + 1):
            if i - n < 0:
                break
            if text[i - n : i] in self.words:
                # Checked only here: the walk calls this at every character.
                return not any(i - m >= 0 and text[i - m : i] in self.names for m in self.name_lens)
        return False

    def at_boundary(self, text: str, i: int) -> bool:
        """True when a name may start at ``i`` (text start, punctuation or a boundary word before)."""
        return i == 0 or text[i - 1] in BREAK_CHARS or self.ends_with_boundary(text, i)
