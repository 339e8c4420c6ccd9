"""Candidate entity pairs for the relation extractor and their hand-made pair features.

A candidate is an ordered pair (head, tail) of entities in the same sentence whose labels fit
at least one relation signature, with at most ``max_distance`` tokens between them. Gold
relations outside this set can never be predicted; the scorer counts them as missed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy
from spacy.tokens import Doc, Span

from ..relations import RELATION_SIGNATURES
from ..sentences import sentence_index

# Upper bounds (inclusive) of the token-gap buckets; the last bucket takes everything beyond.
DISTANCE_BUCKETS = (0, 1, 2, 4, 8, 16, 32, 64)
# Number of other entities lying between head and tail: 0, 1, 2, 3 or more.
BETWEEN_BUCKETS = 4


@dataclass(frozen=True)
class Candidate:
    head: Span
    tail: Span

    @property
    def key(self) -> tuple[int, int, int, int]:
        """Character offsets (head_start, head_end, tail_start, tail_end) in ``doc.text``."""
        return self.head.start_char, self.head.end_char, self.tail.start_char, self.tail.end_char


def pair_allowed(head_label: str, tail_label: str) -> bool:
    return any(head_label in heads and tail_label in tails for heads, tails in RELATION_SIGNATURES.values())


def token_gap(head: Span, tail: Span) -> int:
    """Tokens strictly between the two spans (0 when adjacent or overlapping)."""
    return max(tail.start - head.end, head.start - tail.end, 0)


def candidate_pairs(doc: Doc, ents: Sequence[Span], max_distance: int) -> list[Candidate]:
    """All ordered same-sentence pairs of ``ents`` whose labels fit a relation signature."""
    if not ents:
        return []
    sent_of = sentence_index(doc)
    ordered = sorted(ents, key=lambda s: (s.start, s.end, s.label_))
    out: list[Candidate] = []
    for head in ordered:
        for tail in ordered:
            if head is tail or (head.start == tail.start and head.end == tail.end):
                continue
            if sent_of[head.start] != sent_of[tail.start]:
                continue
            if not pair_allowed(head.label_, tail.label_) or token_gap(head, tail) > max_distance:
                continue
            out.append(Candidate(head, tail))
    return out


def _bucket(value: int, bounds: Sequence[int]) -> int:
    for i, bound in enumerate(bounds):
        if value <= bound:
            return i
    return len(bounds)


def feature_width(entity_labels: Sequence[str]) -> int:
    return 2 * len(entity_labels) + len(DISTANCE_BUCKETS) + 1 + 1 + BETWEEN_BUCKETS


def pair_features(
    candidates: Sequence[Candidate], ents: Sequence[Span], entity_labels: Sequence[str]
) -> numpy.ndarray:
    """One row per candidate: label one-hots, distance bucket, direction, entities between."""
    n_labels = len(entity_labels)
    index = {label: i for i, label in enumerate(entity_labels)}
    feats = numpy.zeros((len(candidates), feature_width(entity_labels)), dtype="float32")
    starts = sorted(e.start for e in ents)
    for row, cand in enumerate(candidates):
        head, tail = cand.head, cand.tail
        if head.label_ in index:
            feats[row, index[head.label_]] = 1.0
        if tail.label_ in index:
            feats[row, n_labels + index[tail.label_]] = 1.0
        col = 2 * n_labels
        feats[row, col + _bucket(token_gap(head, tail), DISTANCE_BUCKETS)] = 1.0
        col += len(DISTANCE_BUCKETS) + 1
        feats[row, col] = 1.0 if head.start < tail.start else 0.0
        col += 1
        lo, hi = min(head.end, tail.end), max(head.start, tail.start)
        between = sum(1 for s in starts if lo <= s < hi)
        feats[row, col + min(between, BETWEEN_BUCKETS - 1)] = 1.0
    return feats


def token_offsets(candidates: Sequence[Candidate]) -> numpy.ndarray:
    """Token [start, end) of head and tail, plus the context between them: shape (n, 6)."""
    rows = numpy.zeros((len(candidates), 6), dtype="int32")
    for row, cand in enumerate(candidates):
        head, tail = cand.head, cand.tail
        lo, hi = min(head.end, tail.end), max(head.start, tail.start)
        if hi < lo:  # overlapping spans: no context between them
            hi = lo
        rows[row] = (head.start, head.end, tail.start, tail.end, lo, hi)
    return rows
