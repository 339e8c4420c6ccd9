"""The labelling-function protocol (skweak style) shared by every heuristic."""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc

from .text import simplified_text

Match = tuple[int, int, str]


class LabellingFunction:
    """One heuristic: ``find(text)`` on the simplified text; ``__call__(doc)`` over a Doc.

    Offsets from ``find`` are indices into the simplified text, which are token indices of
    the Doc (one token per character, one per whitespace run), so ``__call__`` returns them
    unchanged as (token start, token end, label).
    """

    name: str = ""
    label: str = ""
    # True for a function whose names are built around another name (a company's park): where
    # sources come in layers, an earlier layer's name inside one of its names gives way.
    encloses_names: bool = False

    def find(self, text: str) -> Iterator[Match]:
        raise NotImplementedError

    def __call__(self, doc: Doc) -> Iterator[Match]:
        yield from self.find(simplified_text(doc))
