"""The longest-match lexicon: matches, overlaps, and the walk shared by several functions."""

from __future__ import annotations

from zh_industry_ie.rules.lexicon import Lexicon


def test_longest_non_overlapping_matches_left_to_right() -> None:
    lexicon = Lexicon(["云南", "云南省", "曲靖", "曲靖市", "南省"])
    text = "云南省曲靖市和曲靖"
    assert list(lexicon.finditer(text)) == [(0, 3), (3, 6), (7, 9)]
    assert list(lexicon.all_matches(text)) == [(0, 3), (1, 3), (3, 6), (7, 9)]
    assert list(lexicon.finditer("")) == []


def test_repeated_walks_give_the_same_matches_and_texts_do_not_mix() -> None:
    lexicon = Lexicon(["电池", "隔膜"])
    first = list(lexicon.finditer("电池和隔膜"))
    # the second walk of the same text is served from the shared result, unchanged by the
    # first caller having consumed its iterator
    assert list(lexicon.finditer("电池和隔膜")) == first == [(0, 2), (3, 5)]
    assert list(lexicon.finditer("隔膜电池")) == [(0, 2), (2, 4)]
    # more distinct texts than the memory holds: every answer is still computed right
    for i in range(Lexicon._RECENT * 2 + 3):
        text = "电池" * (i % 5) + "隔膜"
        assert list(lexicon.finditer(text)) == [(2 * k, 2 * k + 2) for k in range(i % 5 + 1)]
