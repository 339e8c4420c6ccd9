"""Sentence spans as ANNOTATION.md defines them: split at 。！？； and line breaks."""

from __future__ import annotations

from spacy.tokens import Doc

SENTENCE_END = frozenset("。！？；")


def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """Token [start, end) of each sentence; the closing mark belongs to its sentence."""
    bounds: list[tuple[int, int]] = []
    start = 0
    for token in doc:
        if token.text in SENTENCE_END or "\n" in token.text:
            bounds.append((start, token.i + 1))
            start = token.i + 1
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
