"""A character tokenizer that normalises its input and remembers where each character came from.

``doc.text`` is the cleaned text (pinyin annotations and HTML removed, punctuation repaired);
``token.norm_`` is the character's simplified form, so one model serves both scripts; the
original string and the alignment are kept in ``doc.user_data`` and exposed as extensions:

- ``doc._.original_text``: the string the caller passed in;
- ``span._.original_start`` / ``span._.original_end``: the span's offsets in that string;
- ``span._.original_text``: the original characters of the span (annotations included).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from spacy.tokens import Doc, Span
from spacy.util import registry
from spacy.vocab import Vocab

from .normalize import normalize, simplified_char

ORIGINAL_KEY = "zhie_original"
OFFSETS_KEY = "zhie_offsets"


def _original_text(doc: Doc) -> str:
    return doc.user_data.get(ORIGINAL_KEY, doc.text)


def _original_bounds(span: Span) -> tuple[int, int]:
    offsets = span.doc.user_data.get(OFFSETS_KEY)
    if offsets is None or span.end_char <= span.start_char:
        return span.start_char, span.end_char
    return offsets[span.start_char], offsets[span.end_char - 1] + 1


def register_extensions() -> None:
    if not Doc.has_extension("original_text"):
        Doc.set_extension("original_text", getter=_original_text)
    if not Span.has_extension("original_start"):
        Span.set_extension("original_start", getter=lambda s: _original_bounds(s)[0])
        Span.set_extension("original_end", getter=lambda s: _original_bounds(s)[1])
        Span.set_extension(
            "original_text",
            getter=lambda s: _original_text(s.doc)[slice(*_original_bounds(s))],
        )


class NormalizingCharTokenizer:
    """One token per character; a run of whitespace is one token."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab
        register_extensions()

    def __call__(self, text: str) -> Doc:
        if not isinstance(text, str):
            raise TypeError(f"the pipeline expects str input, got {type(text).__name__}")
        cleaned = normalize(text)
        words: list[str] = []
        for char in cleaned.text:
            if words and char.isspace() and words[-1].isspace():
                words[-1] += char
            else:
                words.append(char)
        doc = Doc(self.vocab, words=words, spaces=[False] * len(words))
        for token in doc:
            token.norm_ = simplified_char(token.text) if len(token.text) == 1 else " "
        doc.user_data[ORIGINAL_KEY] = text
        doc.user_data[OFFSETS_KEY] = list(cleaned.offsets)
        return doc

    def pipe(self, texts: Any, batch_size: int = 1000) -> Any:
        for text in texts:
            yield self(text)

    # The tokenizer has no state; these exist so nlp.to_disk / from_disk work.
    def to_bytes(self, **kwargs: Any) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs: Any) -> NormalizingCharTokenizer:
        return self

    def to_disk(self, path: str | Path, **kwargs: Any) -> None:
        Path(path).mkdir(parents=True, exist_ok=True)

    def from_disk(self, path: str | Path, **kwargs: Any) -> NormalizingCharTokenizer:
        return self


TOKENIZER_NAME = "zh_industry_ie.NormalizingCharTokenizer.v1"
BLANK_CONFIG = {"nlp": {"tokenizer": {"@tokenizers": TOKENIZER_NAME}}}


def blank_pipeline() -> Any:
    """An empty Chinese pipeline with the project tokenizer."""
    import spacy

    return spacy.blank("zh", config=BLANK_CONFIG)


@registry.tokenizers(TOKENIZER_NAME)
def create_normalizing_tokenizer() -> Any:
    def make(nlp: Any) -> NormalizingCharTokenizer:
        return NormalizingCharTokenizer(nlp.vocab)

    return make
