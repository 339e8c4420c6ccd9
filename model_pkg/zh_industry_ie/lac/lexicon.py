"""LAC's input side: pre-segmentation over ``small_seg.dic`` and token -> embedding ids.

LAC 2.1.2 does not feed pure characters: it first cuts the text with a small dictionary, and a
piece that is an entry of ``word.dic`` takes one id (a word), any other piece one id per
character. Every detail below (scores, tie-breaks, which lookups see the q2b mapping) follows the
original, since each one changes tags.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

# Single characters of these are glued into one piece by the original.
_LATIN_DIGIT = re.compile("[a-zA-Z0-9]")


def _lines(text: str) -> list[str]:
    # The original reads with ``io.open`` (universal newlines) and iterates lines, i.e. splits on
    # "\n" only: ``str.splitlines`` would also split on \x1c, \x85, \u2028, ...
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def parse_kv(text: str, reverse: bool = False) -> dict[str, str]:
    """``load_kv_dict`` of LAC: tab-separated pairs, later lines win, only "\\n" stripped."""
    out: dict[str, str] = {}
    for line in _lines(text):
        terms = line.strip("\n").split("\t")
        if len(terms) != 2:
            continue
        key, value = (terms[1], terms[0]) if reverse else (terms[0], terms[1])
        out[key] = value
    return out


@dataclass
class PreSegmenter:
    """The DAG cut of LAC's ``Segment.fast_cut`` (a jieba-like max-score route).

    Every dictionary word scores log(len(word)) - log(total count); the counts themselves are
    unused by the original (its prefix tree stores the word length). Ties go to the longer end.
    """

    prefixes: dict[str, int | None]
    log_total: float
    _log_len: list[float] = field(default_factory=list)

    @classmethod
    def from_text(cls, text: str) -> PreSegmenter:
        prefixes: dict[str, int | None] = {}
        total = 0
        for line in _lines(text):
            if not line:
                continue
            word, count = line.strip().split(" ")
            prefixes[word] = len(word)
            for i in range(1, len(word)):
                prefixes.setdefault(word[:i], None)
            total += int(count)
        max_len = max((len(w) for w in prefixes), default=1)
        return cls(prefixes, math.log(total), [0.0] + [math.log(n) for n in range(1, max_len + 1)])

    def cut(self, text: str) -> list[str]:
        n = len(text)
        prefixes, log_total, log_len = self.prefixes, self.log_total, self._log_len
        score = [0.0] * (n + 1)
        best_end = [0] * (n + 1)
        for i in range(n - 1, -1, -1):
            # The single character is always a candidate, scored log(1) = 0 (a one-character
            # word has length 1, so it scores the same as a non-word).
            top, top_end = 0.0 - log_total + score[i + 1], i + 1
            end = i + 2
            while end <= n:
                value = prefixes.get(text[i:end], -1)
                if value == -1:
                    break
                if value:
                    s = log_len[value] - log_total + score[end]
                    if s >= top:  # equal score: the later (longer) end wins, as Python's max of tuples
                        top, top_end = s, end
                end += 1
            score[i], best_end[i] = top, top_end
        pieces: list[str] = []
        glued = ""
        i = 0
        while i < n:
            end = best_end[i]
            piece = text[i:end]
            if end - i == 1 and _LATIN_DIGIT.match(piece):
                glued += piece
            else:
                if glued:
                    pieces.append(glued)
                    glued = ""
                pieces.append(piece)
            i = end
        if glued:
            pieces.append(glued)
        return pieces


@dataclass
class Lexicon:
    """Dictionaries of the LAC model: word ids, q2b replacements, tag names, the pre-segmenter."""

    word_ids: dict[str, int]
    q2b: dict[str, str]
    tag_names: list[str]
    segmenter: PreSegmenter
    oov_id: int
    _cache: dict[str, tuple[list[int], list[int]]] = field(default_factory=dict, repr=False)

    @classmethod
    def from_texts(cls, word_dic: str, tag_dic: str, q2b_dic: str, seg_dic: str) -> Lexicon:
        word_ids = {w: int(i) for w, i in parse_kv(word_dic, reverse=True).items()}
        tags = {int(i): t for i, t in parse_kv(tag_dic).items()}
        tag_names = [tags.get(i, "O") for i in range(max(tags) + 1)]
        return cls(word_ids, parse_kv(q2b_dic), tag_names, PreSegmenter.from_text(seg_dic), word_ids["OOV"])

    @property
    def vocab_size(self) -> int:
        return max(self.word_ids.values()) + 1

    def piece_ids(self, piece: str) -> tuple[list[int], list[int]]:
        """(ids, character lengths) of one pre-segmented piece."""
        hit = self._cache.get(piece)
        if hit is not None:
            return hit
        ids, q2b, oov = self.word_ids, self.q2b, self.oov_id
        # The dictionary test sees the raw piece; the q2b replacement applies only to the id lookup.
        if piece in ids:
            out = ([ids.get(q2b.get(piece, piece), oov)], [len(piece)])
        else:
            out = ([ids.get(q2b.get(c, c), oov) for c in piece], [1] * len(piece))
        if len(self._cache) < 200_000:
            self._cache[piece] = out
        return out

    def encode(self, text: str) -> tuple[list[int], list[int]]:
        """Token ids of a text and the number of characters each token covers."""
        ids: list[int] = []
        lengths: list[int] = []
        for piece in self.segmenter.cut(text):
            piece_ids, piece_lengths = self.piece_ids(piece)
            ids.extend(piece_ids)
            lengths.extend(piece_lengths)
        return ids, lengths
