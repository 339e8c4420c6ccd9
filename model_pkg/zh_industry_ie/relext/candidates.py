"""Candidate entity pairs for the relation extractor and their hand-made pair features.

A candidate is an ordered pair (head, tail) of entities in the same sentence whose labels fit
at least one relation signature, with at most ``max_distance`` tokens between them. Gold
relations outside this set can never be predicted; the scorer counts them as missed.
"""

from __future__ import annotations

import zlib
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy
from spacy.tokens import Doc, Span

from ..relations import RELATION_SIGNATURES
from ..sentences import sentence_bounds, sentence_index

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
    starts = [span.start for span in ordered]
    longest = max(len(span) for span in ordered)
    out: list[Candidate] = []
    for head in ordered:
        # Only tails that can lie within max_distance of the head, in the same order as a scan of
        # all entities: a paragraph with no sentence mark and thousands of entities stays linear.
        first = bisect_left(starts, head.start - max_distance - longest)
        last = bisect_right(starts, head.end + max_distance)
        for tail in ordered[first:last]:
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


# Entities of the head's (tail's) label lying between the pair: 0, 1, 2 or more. Another ORG
# between an ORG and a PRODUCT usually owns the PRODUCT itself (two projects in one sentence).
SAME_LABEL_BUCKETS = 3
# Clause marks (，：、) between the pair: 0, 1, 2, 3 or more.
CLAUSE_BUCKETS = 4
_CLAUSE_MARKS = frozenset("，,：:、")


# Context regions whose character bigrams are hashed into features: between, left, right.
BIGRAM_REGIONS = 3


def feature_width(entity_labels: Sequence[str], bigram_buckets: int = 0) -> int:
    return (
        2 * len(entity_labels)
        + 2 * (len(DISTANCE_BUCKETS) + 1)  # signed distance: one bucket set per direction
        + 1
        + BETWEEN_BUCKETS
        + 2 * SAME_LABEL_BUCKETS
        + CLAUSE_BUCKETS
        + BIGRAM_REGIONS * bigram_buckets
    )


def _bigram_bucket(a: str, b: str, buckets: int) -> int:
    # crc32, not hash(): the same bucket in every process (PYTHONHASHSEED).
    return zlib.crc32((a + b).encode("utf-8")) % buckets


def pair_features(
    candidates: Sequence[Candidate],
    ents: Sequence[Span],
    entity_labels: Sequence[str],
    bigram_buckets: int = 0,
    window: int = 0,
) -> numpy.ndarray:
    """One row per candidate: label one-hots, signed distance bucket, direction, entities between
    (all, and of the head's and the tail's label), clause marks between and, with
    ``bigram_buckets``, hashed character bigrams (simplified) between the pair and in the
    ``window`` left and right of it: cue words (投资, 落户, 年产) as sparse indicators that a
    small weak-label set can learn from, unlike an average over a long span."""
    n_labels = len(entity_labels)
    n_dist = len(DISTANCE_BUCKETS) + 1
    index = {label: i for i, label in enumerate(entity_labels)}
    feats = numpy.zeros((len(candidates), feature_width(entity_labels, bigram_buckets)), dtype="float32")
    by_start = sorted(ents, key=lambda e: e.start)
    starts = [e.start for e in by_start]
    tables_doc: Doc | None = None
    mark_counts = bigrams = numpy.zeros(0, dtype="int64")
    for row, cand in enumerate(candidates):
        head, tail = cand.head, cand.tail
        if head.label_ in index:
            feats[row, index[head.label_]] = 1.0
        if tail.label_ in index:
            feats[row, n_labels + index[tail.label_]] = 1.0
        col = 2 * n_labels
        forward = head.start < tail.start
        feats[row, col + (0 if forward else n_dist) + _bucket(token_gap(head, tail), DISTANCE_BUCKETS)] = 1.0
        col += 2 * n_dist
        feats[row, col] = 1.0 if forward else 0.0
        col += 1
        lo, hi = min(head.end, tail.end), max(head.start, tail.start)
        between = by_start[bisect_left(starts, lo) : bisect_left(starts, hi)] if lo < hi else []
        feats[row, col + min(len(between), BETWEEN_BUCKETS - 1)] = 1.0
        col += BETWEEN_BUCKETS
        same_head = sum(1 for e in between if e.label_ == head.label_)
        same_tail = sum(1 for e in between if e.label_ == tail.label_)
        feats[row, col + min(same_head, SAME_LABEL_BUCKETS - 1)] = 1.0
        col += SAME_LABEL_BUCKETS
        feats[row, col + min(same_tail, SAME_LABEL_BUCKETS - 1)] = 1.0
        col += SAME_LABEL_BUCKETS
        doc = head.doc
        if doc is not tables_doc:
            tables_doc, mark_counts, bigrams = doc, *_token_tables(doc, bigram_buckets)
        marks = int(mark_counts[max(lo, hi)] - mark_counts[lo])
        feats[row, col + min(marks, CLAUSE_BUCKETS - 1)] = 1.0
        col += CLAUSE_BUCKETS
        if bigram_buckets:
            first, last = min(head.start, tail.start), max(head.end, tail.end)
            regions = (
                (lo, max(lo, hi)),
                (max(0, first - window), first),
                (last, min(len(doc), last + window)),
            )
            for n, (start, end) in enumerate(regions):
                if end - start > 1:
                    feats[row, col + n * bigram_buckets + bigrams[start : end - 1]] = 1.0
    return feats


def _token_tables(doc: Doc, bigram_buckets: int) -> tuple[numpy.ndarray, numpy.ndarray]:
    """Per Doc, once: clause marks before each token (a prefix count) and the bucket of the
    bigram starting at each token (its NORM and the next one's)."""
    is_mark = [token.text in _CLAUSE_MARKS for token in doc]
    mark_counts = numpy.concatenate([[0], numpy.cumsum(is_mark, dtype="int64")])
    if not bigram_buckets:
        return mark_counts, numpy.zeros(0, dtype="int64")
    norms = [token.norm_ for token in doc]
    bigrams = numpy.array(
        [_bigram_bucket(a, b, bigram_buckets) for a, b in pairwise(norms)], dtype="int64"
    )
    return mark_counts, bigrams


# Pooled token spans per candidate, in this order, as [start, end) columns of token_offsets.
SPAN_NAMES = ("head", "tail", "between", "left", "right")


def token_offsets(candidates: Sequence[Candidate], window: int = 0) -> numpy.ndarray:
    """Token [start, end) of head, tail, the context between them, and ``window`` tokens left of
    the pair and right of it (clipped to the sentence): shape (n, 2 * len(SPAN_NAMES))."""
    rows = numpy.zeros((len(candidates), 2 * len(SPAN_NAMES)), dtype="int32")
    if not candidates:
        return rows
    doc = candidates[0].head.doc
    sentences = sentence_bounds(doc)
    sent_of = sentence_index(doc)
    for row, cand in enumerate(candidates):
        head, tail = cand.head, cand.tail
        lo, hi = min(head.end, tail.end), max(head.start, tail.start)
        if hi < lo:  # overlapping spans: no context between them
            hi = lo
        first, last = min(head.start, tail.start), max(head.end, tail.end)
        sent_start, sent_end = sentences[sent_of[first]]
        left = (max(sent_start, first - window), first)
        # An entity may run over the sentence end (a predicted span across 。): no right context.
        right = (last, max(last, min(sent_end, last + window)))
        rows[row] = (head.start, head.end, tail.start, tail.end, lo, hi, *left, *right)
    return rows
