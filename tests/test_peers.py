"""Peers: tag mapping, offsets in the original text, supported labels."""

from __future__ import annotations

from zhie.evaluate.peers import peer_labels, peer_predict, tagged_spans
from zhie.evaluate.scripts import detect_script


def test_tagged_spans_find_words_and_map_tags() -> None:
    text = "在 云南省昆明市"
    tokens = [("在", "p"), ("云南省", "ns"), ("昆明市", "ns")]  # the space was dropped by the tagger
    assert tagged_spans(text, tokens, {"ns": "GPE"}) == [(2, 5, "GPE"), (5, 8, "GPE")]


def test_jieba_offsets_are_in_the_original_text() -> None:
    text = "中國(guó)雲南省"
    (prediction,) = peer_predict("jieba", [text])
    assert all(label in {"GPE", "ORG"} for _, _, label in prediction.entities)
    spans = {text[s:e] for s, e, _ in prediction.entities}
    assert "中國" in spans
    assert peer_labels("jieba") == ("GPE", "ORG") and peer_labels("thulac") == ("GPE", "ORG")


def test_script_detection() -> None:
    assert detect_script("宁德时代在曲靖投资") == "simplified"
    assert detect_script("寧德時代在曲靖投資") == "traditional"
    assert detect_script("經(jīng)濟(jì)") == "pinyin-annotated"
