"""Peer systems that run offline: POS taggers whose place/organisation tags map to our labels.

Each peer only supports the labels its tag set can express, and is scored on those alone:

- jieba 0.42.1 posseg: ``ns`` (place) -> GPE, ``nt`` (organisation) -> ORG;
- thulac 0.2.2: ``ns`` (place) -> GPE, ``ni`` (organisation) -> ORG.

Peers get the project's normalised text (pinyin annotations and HTML removed, as our own
pipeline sees it) and their spans are mapped back to offsets in the original string, so
every system is compared on the same gold offsets.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from zh_industry_ie.normalize import normalize
from zhie.evaluate.predict import EntityKey, Prediction

JIEBA_TAGS = {"ns": "GPE", "nt": "ORG"}
THULAC_TAGS = {"ns": "GPE", "ni": "ORG"}

Tagger = Callable[[str], Iterable[tuple[str, str]]]


@dataclass(frozen=True)
class PeerSpec:
    name: str
    tag_map: dict[str, str]
    description: str


PEERS: dict[str, PeerSpec] = {
    "jieba": PeerSpec("jieba", JIEBA_TAGS, "jieba 0.42.1 posseg (HMM on): ns -> GPE, nt -> ORG"),
    "thulac": PeerSpec("thulac", THULAC_TAGS, "thulac 0.2.2 default model: ns -> GPE, ni -> ORG"),
}


def peer_labels(name: str) -> tuple[str, ...]:
    return tuple(sorted(set(PEERS[name].tag_map.values())))


@lru_cache(maxsize=1)
def _jieba_tagger() -> Tagger:
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()

    def tag(text: str) -> Iterable[tuple[str, str]]:
        return ((p.word, p.flag) for p in jieba.posseg.cut(text))

    return tag


@lru_cache(maxsize=1)
def _thulac_tagger() -> Tagger:
    import thulac

    model: Any = thulac.thulac()

    def tag(text: str) -> Iterable[tuple[str, str]]:
        return ((word, flag) for word, flag in model.cut(text))

    return tag


def load_tagger(name: str) -> Tagger:
    """Load a peer's model (slow for thulac: keep it out of the timed part)."""
    if name == "jieba":
        return _jieba_tagger()
    if name == "thulac":
        return _thulac_tagger()
    raise ValueError(f"unknown peer {name!r}; known: {sorted(PEERS)}")


def tagged_spans(text: str, tokens: Iterable[tuple[str, str]], tag_map: dict[str, str]) -> list[EntityKey]:
    """Spans of mapped tokens in ``text``; tokens are located by search because some
    taggers drop or merge whitespace."""
    spans: list[EntityKey] = []
    position = 0
    for word, flag in tokens:
        if not word:
            continue
        start = text.find(word, position)
        if start < 0:
            continue
        position = start + len(word)
        label = tag_map.get(flag)
        if label is not None and word.strip():
            spans.append((start, position, label))
    return spans


def peer_predict(name: str, texts: Iterable[str]) -> list[Prediction]:
    spec = PEERS[name]
    tagger = load_tagger(name)
    predictions = []
    for text in texts:
        cleaned = normalize(text)
        entities = [
            (*cleaned.to_original(start, end), label)
            for start, end, label in tagged_spans(cleaned.text, tagger(cleaned.text), spec.tag_map)
        ]
        predictions.append(Prediction(text=text, entities=entities))
    return predictions
