"""Longest-match lookup of a term list over a string (a dict per term length)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator


class Lexicon:
    _RECENT = 64

    def __init__(self, terms: Iterable[str]) -> None:
        by_first: dict[str, set[int]] = {}
        self.terms: frozenset[str] = frozenset(t for t in terms if t)
        for term in self.terms:
            by_first.setdefault(term[0], set()).add(len(term))
        # Lengths to try at a position, longest first.
        self._lengths = {c: sorted(ls, reverse=True) for c, ls in by_first.items()}
        self._recent: dict[str, list[tuple[int, int]]] = {}

    def __contains__(self, term: str) -> bool:
        return term in self.terms

    def longest_at(self, text: str, i: int) -> int:
        """Length of the longest term starting at ``i`` (0 if none)."""
        room = len(text) - i
        for n in self._lengths.get(text[i], ()):
            if n <= room and text[i : i + n] in self.terms:
                return n
        return 0

    def finditer(self, text: str) -> Iterator[tuple[int, int]]:
        """Non-overlapping longest matches, left to right."""
        # Several labelling functions walk the same gazetteer over the same text (the place
        # names for GPE, village, government-body and park functions): walk it once.
        found = self._recent.get(text)
        if found is None:
            found = list(self._walk(text))
            if len(self._recent) >= self._RECENT:
                self._recent.clear()
            self._recent[text] = found
        return iter(found)

    def _walk(self, text: str) -> Iterator[tuple[int, int]]:
        i = 0
        size = len(text)
        while i < size:
            n = self.longest_at(text, i) if text[i] in self._lengths else 0
            if n:
                yield i, i + n
                i += n
            else:
                i += 1

    def all_matches(self, text: str) -> Iterator[tuple[int, int]]:
        """Every (start, longest end) pair, overlapping ones included."""
        for i, char in enumerate(text):
            if char in self._lengths:
                n = self.longest_at(text, i)
                if n:
                    yield i, i + n
