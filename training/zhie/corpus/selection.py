"""Choose the industry and investment text of a general news corpus with a keyword rule.

The rule (keywords in ``seeds/corpus_selection.json``, explained in docs/corpus.md):

1. An article is an *industry article* when its title and content (simplified form) mention
   a park, an amount of money, at least N distinct investment/production words and at least
   M industry words. Its paragraphs that hold a relevant or an industry word are kept whole.
2. From every other article that mentions industry words at least K times, the sentences
   that hold a key investment/production cue *and* an amount of money or a physical quantity
   are kept, with their neighbouring sentences as context; consecutive kept sentences of one
   paragraph form one excerpt.
3. Excerpts shorter than ``min_chars`` or with too few Chinese characters are dropped, and
   so is an excerpt whose text was already selected (web news repeats itself).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from zh_industry_ie.normalize import to_simplified
from zh_industry_ie.paragraphs import split_paragraphs

_SENTENCE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]*|[。！？；!?;]+")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _alternation(words: Iterable[str]) -> str:
    # Longest first, so "亿元" wins over "元" and "千瓦时" over "千瓦".
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


@dataclass(frozen=True)
class SelectionRule:
    park: re.Pattern[str]
    investment: re.Pattern[str]
    industry: re.Pattern[str]
    relevant: re.Pattern[str]
    key_cues: re.Pattern[str]
    money: re.Pattern[str]
    quantity: re.Pattern[str]
    min_park: int
    min_money: int
    min_investment_kinds: int
    min_industry: int
    min_industry_for_sentences: int
    context: int
    min_han_share: float
    min_chars: int

    @classmethod
    def from_file(cls, path: str | Path) -> SelectionRule:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        article, paragraph, number = data["article"], data["paragraph"], data["number"]
        return cls(
            park=re.compile(_alternation(article["park"])),
            investment=re.compile(_alternation(article["investment"])),
            industry=re.compile(_alternation(article["industry"])),
            relevant=re.compile(_alternation(paragraph["relevant"])),
            key_cues=re.compile(_alternation(paragraph["key_cues"])),
            money=re.compile(f"{number}(?:{_alternation(data['money_units'])})"),
            quantity=re.compile(f"{number}(?:{_alternation(data['quantity_units'])})"),
            min_park=int(article["min_park_mentions"]),
            min_money=int(article["min_money_mentions"]),
            min_investment_kinds=int(article["min_investment_kinds"]),
            min_industry=int(article["min_industry_mentions"]),
            min_industry_for_sentences=int(paragraph["min_article_industry_mentions"]),
            context=int(paragraph["context_sentences"]),
            min_han_share=float(data["min_han_share"]),
            min_chars=int(data["min_chars"]),
        )

    def is_industry_article(self, simplified: str) -> bool:
        return (
            len(self.park.findall(simplified)) >= self.min_park
            and len(self.money.findall(simplified)) >= self.min_money
            and len(set(self.investment.findall(simplified))) >= self.min_investment_kinds
            and len(self.industry.findall(simplified)) >= self.min_industry
        )

    def has_amount(self, simplified: str) -> bool:
        return bool(self.money.search(simplified) or self.quantity.search(simplified))

    def is_relevant_paragraph(self, simplified: str) -> bool:
        """Inside an industry article: a paragraph with a relevant or industry word."""
        return bool(self.relevant.search(simplified) or self.industry.search(simplified))

    def is_key_sentence(self, simplified: str) -> bool:
        return bool(self.key_cues.search(simplified)) and self.has_amount(simplified)

    def is_chinese_text(self, text: str) -> bool:
        stripped = "".join(text.split())
        return len(stripped) >= self.min_chars and len(_HAN.findall(stripped)) >= self.min_han_share * len(
            stripped
        )


def split_sentences(paragraph: str) -> list[str]:
    """Sentences with their closing marks; joining them gives the paragraph back."""
    return _SENTENCE.findall(paragraph)


def article_paragraphs(content: str) -> list[str]:
    # inews contents write paragraph breaks as the two characters backslash + n.
    return split_paragraphs(content.replace("\\n", "\n"), "txt")


def _excerpts(paragraph: str, rule: SelectionRule, wanted: Callable[[str], bool]) -> list[str]:
    sentences = split_sentences(paragraph)
    key = [wanted(to_simplified(s)) for s in sentences]
    keep = [any(key[max(0, i - rule.context) : i + rule.context + 1]) for i in range(len(sentences))]
    excerpts: list[str] = []
    run: list[str] = []
    for sentence, kept in zip(sentences, keep, strict=True):
        if kept:
            run.append(sentence)
        elif run:
            excerpts.append("".join(run).strip())
            run = []
    if run:
        excerpts.append("".join(run).strip())
    return excerpts


@dataclass(frozen=True)
class Selected:
    """Paragraphs chosen from one article and which part of the rule chose them."""

    paragraphs: list[str]
    # "article" (industry article), "sentence" (key sentences of another article) or "none"
    tier: str


def select_article(title: str, content: str, rule: SelectionRule) -> Selected:
    paragraphs = article_paragraphs(content)
    whole = to_simplified(f"{title}\n{content}")
    if rule.is_industry_article(whole):
        chosen = [p.strip() for p in paragraphs if rule.is_relevant_paragraph(to_simplified(p))]
        tier = "article"
    elif len(rule.industry.findall(whole)) < rule.min_industry_for_sentences:
        return Selected([], "none")
    else:
        chosen = [e for p in paragraphs for e in _excerpts(p, rule, rule.is_key_sentence)]
        tier = "sentence"
    return Selected([p for p in chosen if rule.is_chinese_text(p)], tier)


def deduplicate(items: Iterable[tuple[str, list[str]]]) -> list[tuple[str, list[str]]]:
    """Drop paragraphs seen earlier (in the given order) and documents left empty."""
    seen: set[str] = set()
    out: list[tuple[str, list[str]]] = []
    for doc_id, paragraphs in items:
        fresh = []
        for p in paragraphs:
            key = "".join(p.split())
            if key not in seen:
                seen.add(key)
                fresh.append(p)
        if fresh:
            out.append((doc_id, fresh))
    return out
