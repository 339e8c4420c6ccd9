"""``zhie.WeakCorpus.v1``: the weak-labelled DocBins as training / dev examples.

Documents can be left out by id (held-out folds: ``doc.user_data["zhie_doc"]``), a fixed
fraction of the documents can be kept (learning curves), and an augmenter can rewrite the
examples. Paragraphs can be cut into sentences and the sentences without any weak entity
thinned out (``unlabelled_fraction``), so that training steps are spent where the labels
are; with ``focus_labels`` the units whose entities are all of other labels are thinned out
too (``unfocused_fraction``: a large general-news corpus is mostly names and places);
documents of a source (``source_repeats``, e.g. the seed articles) can be repeated, and
sentences built from relation frames can be added (``frame_sentences``,
``zhie.FrameSentences.v1`` in ``frame_sentences.py``).
With ``unknown_spans`` the regions that the teacher stored as unsure (``doc.spans
["zhie_unknown"]``) are missing values in the reference rather than O: the ner is not taught
that a name the rules did not know is no entity.
Every step is deterministic for a given config.
"""

# No `from __future__ import annotations`: spaCy validates registered functions' arguments
# with pydantic, which needs real annotations.
import math
import random
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, DocBin
from spacy.training import Example
from spacy.util import registry

from zh_industry_ie.contracts import DOC_KEY, RELATIONS_KEY, SOURCE_KEY, UNKNOWN_SPANS_KEY
from zh_industry_ie.normalize import simplified_char
from zh_industry_ie.sentences import sentence_bounds
from zh_industry_ie.tokenizer import OFFSETS_KEY, ORIGINAL_KEY


def set_norms(doc: Doc) -> Doc:
    """DocBins do not store NORM: restore the tokenizer's simplified-character norms."""
    for token in doc:
        token.norm_ = simplified_char(token.text) if len(token.text) == 1 else " "
    return doc


def predicted_copy(reference: Doc) -> Doc:
    """A bare doc with the reference's tokens and norms (no entities, no relations).

    Built from the tokens rather than by re-tokenising ``reference.text``: normalising an
    already normalised text could shift offsets, and the Example must align one-to-one.
    """
    words = [t.text for t in reference]
    spaces = [bool(t.whitespace_) for t in reference]
    doc = set_norms(Doc(reference.vocab, words=words, spaces=spaces))
    for key in (ORIGINAL_KEY, OFFSETS_KEY):
        if key in reference.user_data:
            doc.user_data[key] = reference.user_data[key]
    return doc


def select_documents(
    doc_ids: Iterable[str], exclude: Iterable[str], max_fraction: float, seed: int = 0
) -> set[str]:
    """The document ids kept: excluded ones removed, then a seeded fraction of the rest."""
    if not 0.0 < max_fraction <= 1.0:
        raise ValueError(f"max_fraction must be in (0, 1], got {max_fraction}")
    excluded = set(exclude)
    kept = sorted(set(doc_ids) - excluded)
    random.Random(seed).shuffle(kept)
    return set(kept[: max(1, math.ceil(len(kept) * max_fraction))] if kept else [])


def mark_unknown(doc: Doc) -> Doc:
    """The tokens of the teacher's unsure regions become missing values (neither entity nor O)."""
    unsure = list(doc.spans.get(UNKNOWN_SPANS_KEY, []))
    if unsure:
        doc.set_ents([], missing=unsure, default="unmodified")
    return doc


def load_reference_docs(
    path: Path, nlp: Language, exclude_docs: Iterable[str] = (), max_fraction: float = 1.0, seed: int = 0
) -> list[Doc]:
    docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
    ids = [str(d.user_data.get(DOC_KEY, "")) for d in docs]
    keep = select_documents(ids, exclude_docs, max_fraction, seed)
    return [set_norms(d) for d, i in zip(docs, ids, strict=True) if i in keep]


def split_sentences(doc: Doc) -> list[Doc]:
    """One doc per sentence, with its entities and the relations wholly inside it.

    The original-text alignment is not carried over: training needs the normalised text only.
    """
    out: list[Doc] = []
    relations = doc.user_data.get(RELATIONS_KEY, [])
    for start, end in sentence_bounds(doc):
        span = doc[start:end]
        if not span.text.strip():
            continue
        sentence = set_norms(span.as_doc())
        low, high = span.start_char, span.end_char
        sentence.user_data[RELATIONS_KEY] = [
            [hs - low, he - low, ts - low, te - low, label, score]
            for hs, he, ts, te, label, score in relations
            if low <= min(hs, ts) and max(he, te) <= high
        ]
        for key in (DOC_KEY, SOURCE_KEY):
            if key in doc.user_data:
                sentence.user_data[key] = doc.user_data[key]
        out.append(sentence)
    return out


def select_training_units(
    docs: Iterable[Doc],
    sentences: bool,
    unlabelled_fraction: float,
    source_repeats: dict[str, int],
    seed: int = 0,
    unknown_spans: bool = False,
    label_repeats: dict[str, int] | None = None,
    focus_labels: Iterable[str] = (),
    unfocused_fraction: float = 1.0,
) -> list[Doc]:
    """Paragraphs or sentences; those without entities kept with a seeded probability, those
    whose entities include none of ``focus_labels`` (when given) with another; a unit repeated
    per its source and per the rarest-label repeat of its entities (``label_repeats``)."""
    fractions = (("unlabelled_fraction", unlabelled_fraction), ("unfocused_fraction", unfocused_fraction))
    for name, value in fractions:
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"{name} must be in [0, 1], got {value}")
    focus = frozenset(focus_labels)
    rng = random.Random(seed)
    units: list[Doc] = []
    for doc in docs:
        if unknown_spans:
            doc = mark_unknown(doc)
        pieces = split_sentences(doc) if sentences else [doc]
        repeats = max(1, int(source_repeats.get(str(doc.user_data.get(SOURCE_KEY, "")), 1)))
        for piece in pieces:
            if len(piece.ents) == 0:
                keep_share = unlabelled_fraction
            elif focus and not any(e.label_ in focus for e in piece.ents):
                keep_share = unfocused_fraction
            else:
                keep_share = 1.0
            if keep_share < 1.0 and rng.random() >= keep_share:
                continue
            by_label = max((int((label_repeats or {}).get(e.label_, 1)) for e in piece.ents), default=1)
            units.extend([piece] * (repeats * max(1, by_label)))
    return units


def mention_pools(docs: Iterable[Doc], min_counts: dict[str, int] | None = None) -> dict[str, list[str]]:
    """The distinct one-line entity texts per label of the training units (sorted), each seen at
    least ``min_counts[label]`` times (default once): a name the teacher found once is more often
    a fragment than one it found twice."""
    min_counts = min_counts or {}
    counts: dict[str, Counter[str]] = {}
    for doc in docs:
        for ent in doc.ents:
            if ent.text and "\n" not in ent.text and ent.text == ent.text.strip():
                counts.setdefault(ent.label_, Counter())[ent.text] += 1
    return {
        label: sorted(t for t, n in texts.items() if n >= min_counts.get(label, 1))
        for label, texts in sorted(counts.items())
    }


@registry.readers("zhie.WeakCorpus.v1")
def create_weak_corpus(
    path: Path | None,
    exclude_docs: list[str] = [],  # noqa: B006  (spaCy config default)
    max_fraction: float = 1.0,
    seed: int = 0,
    augmenter: Callable[[Language, Example], Iterable[Example]] | None = None,
    sentences: bool = False,
    unlabelled_fraction: float = 1.0,
    source_repeats: dict[str, int] = {},  # noqa: B006  (spaCy config default)
    unknown_spans: bool = False,
    label_repeats: dict[str, int] = {},  # noqa: B006  (spaCy config default)
    focus_labels: list[str] = [],  # noqa: B006  (spaCy config default)
    unfocused_fraction: float = 1.0,
    frame_sentences: Callable[[Language, list[Doc]], list[Doc]] | None = None,
) -> Callable[[Language], Iterator[Example]]:
    cache: dict[str, list[Doc]] = {}

    def read(nlp: Language) -> Iterator[Example]:
        if path is None:
            raise ValueError("zhie.WeakCorpus.v1: no path given (set paths.train / paths.dev)")
        if "docs" not in cache:
            docs = load_reference_docs(Path(path), nlp, exclude_docs, max_fraction, seed)
            cache["docs"] = select_training_units(
                docs,
                sentences,
                unlabelled_fraction,
                source_repeats,
                seed,
                unknown_spans,
                label_repeats,
                focus_labels,
                unfocused_fraction,
            )
            if frame_sentences is not None:
                synthetic = frame_sentences(nlp, cache["docs"])
                # spaCy reshuffles the examples every epoch; this seeded shuffle only fixes the
                # order that the main job of record (docs/teacher_student.md, "Eighth round")
                # was trained with, so that the same config gives the same model.
                units = cache["docs"] + synthetic
                random.Random(seed).shuffle(units)
                cache["docs"] = units
            fit = getattr(augmenter, "fit", None)
            if fit is not None:
                fit(cache["docs"])
        for reference in cache["docs"]:
            example = Example(predicted_copy(reference), reference)
            if augmenter is None:
                yield example
            else:
                yield from augmenter(nlp, example)

    return read
