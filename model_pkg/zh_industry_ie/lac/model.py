"""``LacModel``: Baidu LAC 2.1.2's lexical analyser (word cut, POS and PER/LOC/ORG/TIME) in numpy."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from .lexicon import Lexicon
from .network import HIDDEN, LacNetwork
from .resources import from_blob, read_dir, to_blob


@dataclass
class LacAnalysis:
    """LAC's reading of one text. Offsets are character offsets into ``text``."""

    text: str
    words: list[tuple[int, int]]
    word_tags: list[str]
    char_tags: list[str]
    # float32 [len(text), 256]: layer-2 BiGRU output (forward || reverse) of the LAC input token
    # covering each character; None when not asked for.
    states: np.ndarray | None


class LacModel:
    """The converted LAC model: ``from_dir`` (what ``zhie lac-fetch`` wrote) or ``from_bytes``."""

    state_width = 2 * HIDDEN
    embedding_width = 128

    def __init__(self, weights: dict[str, np.ndarray], dicts: dict[str, bytes], meta: dict) -> None:
        self._weights, self._dicts, self.meta = weights, dicts, meta
        text = {name: data.decode("utf-8") for name, data in dicts.items()}
        self.lexicon = Lexicon.from_texts(
            text["word.dic"], text["tag.dic"], text["q2b.dic"], text["small_seg.dic"]
        )
        self.network = LacNetwork(weights)
        if self.lexicon.vocab_size != self.network.embedding.shape[0]:
            raise ValueError(
                f"word.dic has {self.lexicon.vocab_size} ids, the embedding {self.network.embedding.shape[0]}"
            )
        if len(self.lexicon.tag_names) != self.network.num_tags:
            raise ValueError(
                f"tag.dic has {len(self.lexicon.tag_names)} tags, the network {self.network.num_tags}"
            )
        self._init_tag_tables()

    def _init_tag_tables(self) -> None:
        names = self.lexicon.tag_names
        labels = [n[:-2] if n.endswith(("-B", "-I")) else n for n in names]
        self._labels = np.array(labels, dtype=object)
        self._first_names = np.array(names, dtype=object)
        # The original writes tag[:-2] + "-I" for the further characters of a multi-character
        # token, which turns "O" into "-I"; here those characters stay "O".
        self._next_names = np.array(
            [f"{lab}-I" if lab != n else n for n, lab in zip(names, labels, strict=True)], dtype=object
        )
        # A word starts at a token tagged X-B, or O (each O token a word of its own).
        self._starts_word = np.array(
            [n.endswith("-B") or lab == n for n, lab in zip(names, labels, strict=True)]
        )
        # Every name a character can get (X-B, X-I, O), in a fixed order: the columns of
        # ``char_tag_onehot``.
        self.char_tag_names: tuple[str, ...] = tuple(
            sorted(set(self._first_names.tolist()) | set(self._next_names.tolist()))
        )
        self._char_tag_column = {name: i for i, name in enumerate(self.char_tag_names)}

    def char_tag_onehot(self, analysis: LacAnalysis) -> np.ndarray:
        """float32 [len(text), len(char_tag_names)]: each character's decoded tag, one-hot."""
        onehot = np.zeros((len(analysis.char_tags), len(self.char_tag_names)), dtype=np.float32)
        columns = [self._char_tag_column[name] for name in analysis.char_tags]
        onehot[np.arange(len(columns)), columns] = 1.0
        return onehot

    @classmethod
    def from_dir(cls, path: str | Path) -> LacModel:
        return cls(*read_dir(Path(path)))

    @classmethod
    def from_bytes(cls, blob: bytes) -> LacModel:
        return cls(*from_blob(blob))

    def to_bytes(self) -> bytes:
        return to_blob(self._weights, self._dicts, self.meta)

    def analyse(
        self, texts: Sequence[str], batch_size: int = 32, with_states: bool = True
    ) -> list[LacAnalysis]:
        """Analyse texts; texts of similar length are batched together, results keep input order."""
        if isinstance(texts, str):
            raise TypeError("analyse takes a sequence of texts, not one str")
        encoded = [self.lexicon.encode(text) for text in texts]
        todo = sorted((i for i, (ids, _) in enumerate(encoded) if ids), key=lambda i: -len(encoded[i][0]))
        tags: dict[int, np.ndarray] = {}
        states: dict[int, np.ndarray] = {}
        # One BLAS thread: the recurrence multiplies small matrices thousands of times, and BLAS
        # threads cost more than they give there (several times slower on a busy machine).
        with threadpool_limits(1, user_api="blas"):
            for start in range(0, len(todo), max(1, batch_size)):
                chunk = todo[start : start + max(1, batch_size)]
                batch_tags, batch_states = self.network.run([np.asarray(encoded[i][0]) for i in chunk])
                for i, t, s in zip(chunk, batch_tags, batch_states, strict=True):
                    tags[i], states[i] = t, s
        out = []
        for i, text in enumerate(texts):
            if i in tags:
                out.append(self._decode(text, tags[i], states[i], encoded[i][1], with_states))
            else:
                empty = np.zeros((0, self.state_width), dtype=np.float32) if with_states else None
                out.append(LacAnalysis(text, [], [], [], empty))
        return out

    def _decode(
        self, text: str, tag_ids: np.ndarray, states: np.ndarray, lengths: list[int], with_states: bool
    ) -> LacAnalysis:
        lengths_arr = np.asarray(lengths)
        char_ids = np.repeat(tag_ids, lengths_arr)
        token_start = np.zeros(len(text), dtype=bool)
        token_start[np.cumsum(lengths_arr) - lengths_arr] = True
        char_tags = np.where(token_start, self._first_names[char_ids], self._next_names[char_ids]).tolist()
        word_start = token_start & self._starts_word[char_ids]
        word_start[0] = True
        starts = np.flatnonzero(word_start)
        ends = np.append(starts[1:], len(text))
        words = list(zip(starts.tolist(), ends.tolist(), strict=True))
        # The word's tag is its last character's, as in the original.
        word_tags = self._labels[char_ids[ends - 1]].tolist()
        char_states = np.repeat(states, lengths_arr, axis=0) if with_states else None
        return LacAnalysis(text, words, word_tags, char_tags, char_states)
