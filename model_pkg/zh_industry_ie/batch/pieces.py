"""Cut a paragraph too long for the pipeline into pieces that end at sentence ends.

Sentence ends are those of ANNOTATION.md (。！？； and line breaks); their ASCII forms count
too, since the normaliser makes them full-width before the pipeline sees them. A piece ends
right after the last sentence end that keeps it within the limit; only a stretch with no
sentence end at all within the limit is cut at a comma, then at the limit itself.
"""

from __future__ import annotations

SENTENCE_ENDS = frozenset("。！？；\n!?;")
# Second choice, for a stretch with no sentence end (lists, tables flattened to one line).
CLAUSE_ENDS = frozenset("，、,：:")


def _cut_point(text: str, start: int, limit: int) -> int:
    end = start + limit
    for marks in (SENTENCE_ENDS, CLAUSE_ENDS):
        for i in range(end - 1, start, -1):
            if text[i] in marks:
                return i + 1
    return end


def split_pieces(text: str, limit: int) -> list[tuple[int, str]]:
    """``[(offset, piece), ...]`` covering ``text`` exactly, each piece at most ``limit`` chars."""
    if limit < 1:
        raise ValueError(f"piece limit must be positive, got {limit}")
    pieces: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > limit:
        cut = _cut_point(text, start, limit)
        pieces.append((start, text[start:cut]))
        start = cut
    pieces.append((start, text[start:]))
    return pieces
