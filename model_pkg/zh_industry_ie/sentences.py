"""Sentence spans as ANNOTATION.md defines them: split at 。！？； and line breaks."""

from __future__ import annotations

from spacy.attrs import ORTH
from spacy.tokens import Doc

SENTENCE_END = frozenset("。！？；")


def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """Token [start, end) of each sentence; the closing mark belongs to its sentence."""
    bounds: list[tuple[int, int]] = []
    start = 0
    strings = doc.vocab.strings
    # The ORTH column rather than Token objects: this runs several times per Doc.
    for i, orth in enumerate(doc.to_array(ORTH).tolist()):
        text = strings[orth]
        if text in SENTENCE_END or "\n" in text:
            bounds.append((start, i + 1))
            start = i + 1
    if start < len(doc):
        bounds.append((start, len(doc)))
    return bounds


def sentence_index(doc: Doc) -> list[int]:
    """For each token, the number of the sentence it belongs to."""
    index = [0] * len(doc)
    for n, (start, end) in enumerate(sentence_bounds(doc)):
        for i in range(start, end):
            index[i] = n
    return index
