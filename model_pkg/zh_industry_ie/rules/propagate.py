"""Document-level label propagation: a mention labelled once labels its other exact occurrences.

News names a company in full once and repeats it (or its defined short name) later without the
cue that let a rule find it; the repetitions are the same entity (one sense per discourse).
The function is pure: it takes the simplified texts of one document's paragraphs (one
character per token, see ``text.py``) and their entity spans, and returns new span lists.

An occurrence is added when it overlaps no entity, or when every entity it overlaps lies
inside it (a nested span loses to the outermost one, ANNOTATION.md: 湛江 inside a propagated
湛江中纸). It must not cut a Latin word or number (ICC inside ICCA), and a mention whose text
carries two labels in the document is ambiguous and not propagated.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence

from .gpe import left_walker
from .org_generic import starts_name
from .product import ProductVocabulary
from .seeds import SeedData

Span3 = tuple[int, int, str]
# accept(text, start, end, label): False vetoes one occurrence (e.g. a product word naming a sector).
Accept = Callable[[str, int, int, str], bool]
# derive(mention, label): more strings that name the same entity (the short names of a full name).
Derive = Callable[[str, str], Iterable[str]]

DEFAULT_LABELS = ("ORG", "PARK", "PRODUCT")
_MIN_CHARS = 2
# A product word right before one of these names a sector there (电池产业), not a product.
_SECTOR_AFTER = ("产业", "行业", "领域", "板块", "集群", "企业")
# Product words compound freely (新能源电池, 电池材料): a propagated product must start after a
# non-CJK character or one of these, not in the middle of a longer word.
_PRODUCT_LEFT = frozenset("、，。；：（(“\"和及与的了产在为是等将把向吨台套件片只辆条万个")


def _is_latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _cuts_word(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    return bool(
        (before and _is_latin(before) and _is_latin(text[start]))
        or (after and _is_latin(after) and _is_latin(text[end - 1]))
    )


def document_mentions(
    texts: Sequence[str], spans: Sequence[Sequence[Span3]], labels: Collection[str] = DEFAULT_LABELS
) -> dict[str, str]:
    """Mention text -> label for every unambiguous labelled mention of the document."""
    seen: dict[str, Counter[str]] = defaultdict(Counter)
    for text, para_spans in zip(texts, spans, strict=True):
        for start, end, label in para_spans:
            mention = text[start:end]
            if label in labels and len(mention.strip()) >= _MIN_CHARS:
                seen[mention][label] += 1
    return {mention: next(iter(c)) for mention, c in seen.items() if len(c) == 1}


def derived_mentions(mentions: dict[str, str], derive: Derive) -> dict[str, str]:
    """The mentions plus what ``derive`` adds; a derived string that two entities share, or that
    the document labels otherwise, is ambiguous and left out."""
    derived: dict[str, set[str]] = defaultdict(set)
    for mention, label in mentions.items():
        for other in derive(mention, label):
            if len(other) >= _MIN_CHARS and other != mention:
                derived[other].add(mention)
    out = dict(mentions)
    for other, sources in derived.items():
        labels = {mentions[s] for s in sources}
        if other not in mentions and len(sources) == 1 and len(labels) == 1:
            out[other] = labels.pop()
    return out


def _occurrences(text: str, mention: str) -> list[int]:
    found, i = [], text.find(mention)
    while i >= 0:
        found.append(i)
        i = text.find(mention, i + 1)
    return found


def _product_left_ok(text: str, start: int) -> bool:
    if start == 0:
        return True
    before = text[start - 1]
    return before in _PRODUCT_LEFT or not ("\u3400" <= before <= "\u9fff" or "\uf900" <= before <= "\ufaff")


def propagate_paragraph(
    text: str, spans: Sequence[Span3], mentions: dict[str, str], accept: Accept | None = None
) -> list[Span3]:
    """``spans`` plus the occurrences of ``mentions`` in ``text`` that fit (longest first)."""
    current = sorted(set(spans))
    for mention in sorted(mentions, key=lambda m: (-len(m), m)):
        label = mentions[mention]
        for start in _occurrences(text, mention):
            end = start + len(mention)
            if _cuts_word(text, start, end):
                continue
            if label == "PRODUCT" and (
                text.startswith(_SECTOR_AFTER, end) or not _product_left_ok(text, start)
            ):
                continue
            hit = [s for s in current if s[0] < end and start < s[1]]
            # A rule entity that starts at the same character (the place of 促进|中国纸业) has already
            # put a name start there: the ORG left-boundary test is not needed.
            anchored = label == "ORG" and any(s[0] == start for s in hit)
            if accept is not None and not anchored and not accept(text, start, end, label):
                continue
            # Crossing an entity, or the very span already there (with any label: the voting
            # decided it): leave the paragraph as it is.
            if any(s[0] < start or s[1] > end or (s[0], s[1]) == (start, end) for s in hit):
                continue
            current = sorted([s for s in current if s not in hit] + [(start, end, label)])
    return current


def propagate(
    texts: Sequence[str],
    spans: Sequence[Sequence[Span3]],
    labels: Collection[str] = DEFAULT_LABELS,
    accept: Accept | None = None,
    derive: Derive | None = None,
) -> list[list[Span3]]:
    """New full span lists (sorted, non-overlapping) for the paragraphs of one document.

    ``accept`` may veto single occurrences, ``derive`` adds the other names of a labelled mention
    (see ``occurrence_filter`` and ``org_generic.alias_deriver``)."""
    if len(texts) != len(spans):
        raise ValueError(f"{len(texts)} texts but {len(spans)} span lists")
    mentions = document_mentions(texts, spans, labels)
    if derive is not None:
        mentions = derived_mentions(mentions, derive)
    if not mentions:
        return [sorted(set(s)) for s in spans]
    return [propagate_paragraph(text, s, mentions, accept) for text, s in zip(texts, spans, strict=True)]


def occurrence_filter(seeds: SeedData) -> Accept:
    """An ``accept`` with the functions' own tests: a product word where it names a sector
    (电池产业, 电池、卷烟及配套3个千亿级产业) and an ORG name that continues another word
    (远帆 inside 科大远帆: a name starts after punctuation, a boundary word or a non-CJK char)."""
    vocab = ProductVocabulary(seeds)
    walker = left_walker(seeds)

    def accept(text: str, start: int, end: int, label: str) -> bool:
        if label == "PRODUCT":
            return not vocab.names_sector(text, start, end)
        if label == "ORG":
            return starts_name(walker, text, start)
        return True

    return accept
