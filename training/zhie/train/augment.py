"""Augmenters that push the model beyond the weak-labelling rules.

- Mention replacement: entity mentions (of all labels, or of ``replace_labels``) are swapped
  for other mentions of the same label seen in the training docs, relation offsets moved
  along, so the model cannot memorise the names the gazetteers knew and must read the
  context. The reference's missing-value regions (the teacher's unsure spans) stay missing.
- Cue masking: characters that the rules key on (company suffixes, units, currency) get a
  placeholder norm now and then, so the model also learns entities without their cue.

Both only rewrite training examples; the original example is always yielded too.
"""

# No `from __future__ import annotations`: registered functions are validated by pydantic.
import random
from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example
from spacy.util import registry

from zh_industry_ie.relations import RELATIONS_KEY

from .corpus import DOC_KEY, mention_pools, predicted_copy, set_norms

MASK_NORM = "<cue>"


class WeakAugmenter:
    def __init__(
        self,
        mention_replace_prob: float,
        cue_mask_prob: float,
        cue_chars: str,
        seed: int,
        replace_labels: Iterable[str] = (),
    ) -> None:
        self.mention_replace_prob = mention_replace_prob
        self.replace_labels = frozenset(replace_labels)
        self.cue_mask_prob = cue_mask_prob
        self.cue_chars = frozenset(cue_chars)
        self.rng = random.Random(seed)
        self.pool: dict[str, list[str]] = {}

    def fit(self, docs: Iterable[Doc]) -> None:
        """Collect replacement mentions per label from the (already filtered) training docs."""
        pools = mention_pools(docs)
        self.pool = {label: texts for label, texts in pools.items() if self._replaceable(label)}

    def __call__(self, nlp: Language, example: Example) -> Iterator[Example]:
        yield example
        if self.mention_replace_prob > 0 and self.pool and self.rng.random() < self.mention_replace_prob:
            replaced = self._replace_mentions(nlp, example.reference)
            if replaced is not None:
                yield Example(self._mask(predicted_copy(replaced)), replaced)
        elif self.cue_mask_prob > 0:
            yield Example(self._mask(predicted_copy(example.reference)), example.reference)

    def _replaceable(self, label: str) -> bool:
        return not self.replace_labels or label in self.replace_labels

    def _mask(self, doc: Doc) -> Doc:
        if self.cue_mask_prob <= 0:
            return doc
        for token in doc:
            if token.norm_ in self.cue_chars and self.rng.random() < self.cue_mask_prob:
                token.norm_ = MASK_NORM
        return doc

    def _replace_mentions(self, nlp: Language, ref: Doc) -> Doc | None:
        """The reference with its replaceable mentions swapped; None when nothing was swapped or
        the new text would not keep its offsets."""
        text = ref.text
        pieces: list[str] = []
        new_bounds: dict[tuple[int, int], tuple[int, int, str]] = {}
        shifts: list[tuple[int, int]] = []  # (old end of a replaced mention, cumulative shift)
        last = 0
        length = 0
        replaced = False
        for ent in ref.ents:
            pieces.append(text[last : ent.start_char])
            length += ent.start_char - last
            options = self.pool.get(ent.label_, []) if self._replaceable(ent.label_) else []
            mention = self.rng.choice(options) if options else ent.text
            replaced = replaced or mention != ent.text
            new_bounds[(ent.start_char, ent.end_char)] = (length, length + len(mention), ent.label_)
            pieces.append(mention)
            length += len(mention)
            last = ent.end_char
            shifts.append((ent.end_char, length - ent.end_char))
        if not replaced:
            return None
        pieces.append(text[last:])
        new_text = "".join(pieces)
        doc = nlp.make_doc(new_text)
        if doc.text != new_text:  # the normaliser changed something: offsets would not hold
            return None
        spans = [doc.char_span(s, e, label=label) for s, e, label in new_bounds.values()]
        missing = [
            self._moved(doc, token.idx, token.idx + len(token), shifts) for token in ref if token.ent_iob == 0
        ]
        if any(span is None for span in spans) or any(span is None for span in missing):
            return None
        doc.set_ents(spans, missing=missing, default="outside")
        relations = []
        for hs, he, ts, te, label, score in ref.user_data.get(RELATIONS_KEY, []):
            head, tail = new_bounds.get((hs, he)), new_bounds.get((ts, te))
            if head is None or tail is None:
                return None
            relations.append([head[0], head[1], tail[0], tail[1], label, score])
        doc.user_data[RELATIONS_KEY] = relations
        doc.user_data[DOC_KEY] = ref.user_data.get(DOC_KEY, "")
        return set_norms(doc)

    @staticmethod
    def _moved(doc: Doc, start: int, end: int, shifts: list[tuple[int, int]]) -> Span | None:
        """The span of ``doc`` at a reference range outside every mention, shifted by the length
        changes of the mentions before it."""
        shift = 0
        for old_end, cumulative in shifts:
            if old_end > start:
                break
            shift = cumulative
        return doc.char_span(start + shift, end + shift)


@registry.augmenters("zhie.WeakAugmenter.v1")
def create_weak_augmenter(
    mention_replace_prob: float = 0.0,
    cue_mask_prob: float = 0.0,
    cue_chars: str = "",
    seed: int = 0,
    replace_labels: list[str] = [],  # noqa: B006  (spaCy config default)
) -> WeakAugmenter:
    return WeakAugmenter(mention_replace_prob, cue_mask_prob, cue_chars, seed, replace_labels)
