"""Assemble the corpus: seed articles, selected inews paragraphs and user documents.

Output (all deterministic: documents sorted by source then id, no randomness):
- ``paragraphs.jsonl``: ``{"id": "<doc>-pNN", "doc", "para", "source", "text"}`` per paragraph;
- ``errors.jsonl``: ``{"id", "source", "reason"}`` per record that could not be used;
- ``stats.json``: documents, paragraphs, characters and scripts per source.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqdm import tqdm

from . import inews
from .readers import Document, ReadError, ReadResult, read_corpus, read_many
from .scripts import is_pinyin_annotated, script_of
from .selection import SelectionRule, article_paragraphs, deduplicate, select_article, split_sentences

SOURCES = ("seed", "inews", "user")
MAX_PARAGRAPH_CHARS = 2000


def split_long(text: str, limit: int = MAX_PARAGRAPH_CHARS) -> list[str]:
    """Pieces of at most ``limit`` characters, cut after sentence ends where possible.

    Joining the pieces gives the text back exactly: nothing is dropped or added.
    """
    if len(text) <= limit:
        return [text]
    pieces: list[str] = []
    current = ""
    for sentence in split_sentences(text) or [text]:
        # A single sentence longer than the limit is cut at the limit: better than a huge example.
        while len(sentence) > limit:
            if current:
                pieces.append(current)
                current = ""
            pieces.append(sentence[:limit])
            sentence = sentence[limit:]
        if len(current) + len(sentence) > limit:
            pieces.append(current)
            current = ""
        current += sentence
    if current:
        pieces.append(current)
    # split_sentences() skips nothing but a lone line break; guard the no-loss promise anyway.
    if "".join(pieces) != text:
        return [text[i : i + limit] for i in range(0, len(text), limit)]
    return pieces


def paragraph_id(doc_id: str, para: int) -> str:
    stem = doc_id.rsplit(".", 1)[0] if doc_id.lower().endswith((".txt", ".html", ".htm", ".md")) else doc_id
    return f"{stem}-p{para:02d}"


def records_of(document: Document) -> list[dict[str, Any]]:
    texts = [piece for paragraph in document.paragraphs for piece in split_long(paragraph)]
    return [
        {
            "id": paragraph_id(document.id, n),
            "doc": document.id,
            "para": n,
            "source": document.source,
            "text": t,
        }
        for n, t in enumerate(texts)
    ]


INEWS_SCOPES = ("selected", "all")


def inews_documents(
    rule: SelectionRule, show_progress: bool = True, scope: str = "selected"
) -> list[Document]:
    """``selected``: the industry text the keyword rule picks; ``all``: every usable paragraph
    (Chinese text of at least ``min_chars``), de-duplicated, so the model also sees the
    organisations, places and products of news outside the rule's keywords."""
    if scope not in INEWS_SCOPES:
        raise ValueError(f"unknown inews scope {scope!r}; expected one of {', '.join(INEWS_SCOPES)}")
    chosen: list[tuple[str, list[str]]] = []
    articles = inews.load_all()
    for article in tqdm(articles, desc=f"inews ({scope})", disable=not show_progress):
        if scope == "all":
            paragraphs = [p.strip() for p in article_paragraphs(article.content)]
            paragraphs = [p for p in paragraphs if rule.is_chinese_text(p)]
        else:
            paragraphs = select_article(article.title, article.content, rule).paragraphs
        if paragraphs:
            chosen.append((article.id, paragraphs))
    return [Document(doc_id, paragraphs, "inews") for doc_id, paragraphs in deduplicate(chosen)]


@dataclass
class Corpus:
    records: list[dict[str, Any]] = field(default_factory=list)
    errors: list[ReadError] = field(default_factory=list)
    documents: int = 0


def assemble(results: Iterable[ReadResult]) -> Corpus:
    """Records of all documents, sorted by (source, id); a repeated document id is an error."""
    corpus = Corpus()
    documents: list[Document] = []
    for result in results:
        documents.extend(result.documents)
        corpus.errors.extend(result.errors)
    rank = {source: i for i, source in enumerate(SOURCES)}
    seen: set[str] = set()
    for document in sorted(documents, key=lambda d: (rank.get(d.source, len(rank)), d.id)):
        if document.id in seen:
            corpus.errors.append(ReadError(document.id, "duplicate document id", document.source))
            continue
        seen.add(document.id)
        corpus.documents += 1
        corpus.records.extend(records_of(document))
    corpus.errors.sort(key=lambda e: (rank.get(e.source, len(rank)), e.id))
    return corpus


def statistics(corpus: Corpus) -> dict[str, Any]:
    per_source: dict[str, dict[str, Any]] = {}
    docs: dict[str, set[str]] = {}
    for record in corpus.records:
        source = record["source"]
        entry = per_source.setdefault(
            source,
            {
                "documents": 0,
                "paragraphs": 0,
                "characters": 0,
                "scripts": {"simplified": 0, "traditional": 0, "none": 0},
                "pinyin_annotated": 0,
                "script_characters": {"simplified": 0, "traditional": 0, "none": 0},
            },
        )
        docs.setdefault(source, set()).add(record["doc"])
        text = record["text"]
        script = script_of(text)
        entry["paragraphs"] += 1
        entry["characters"] += len(text)
        entry["scripts"][script] += 1
        entry["script_characters"][script] += len(text)
        entry["pinyin_annotated"] += int(is_pinyin_annotated(text))
    for source, entry in per_source.items():
        entry["documents"] = len(docs[source])
    ordered = {s: per_source[s] for s in SOURCES if s in per_source}
    return {
        "sources": ordered,
        "total": {
            "documents": corpus.documents,
            "paragraphs": len(corpus.records),
            "characters": sum(len(r["text"]) for r in corpus.records),
        },
        "errors": len(corpus.errors),
        "max_paragraph_chars": MAX_PARAGRAPH_CHARS,
    }


def write_corpus(corpus: Corpus, out_dir: Path) -> dict[str, Any]:
    out_dir.mkdir(parents=True, exist_ok=True)
    with (out_dir / "paragraphs.jsonl").open("w", encoding="utf-8") as handle:
        for record in corpus.records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    with (out_dir / "errors.jsonl").open("w", encoding="utf-8") as handle:
        for error in corpus.errors:
            handle.write(json.dumps(error.to_json(), ensure_ascii=False) + "\n")
    stats = statistics(corpus)
    (out_dir / "stats.json").write_text(
        json.dumps(stats, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return stats


def build_corpus(
    seeds_dir: Path | None,
    extras: Iterable[Path] = (),
    use_inews: bool = True,
    selection_file: Path | None = None,
    show_progress: bool = True,
    inews_scope: str = "selected",
) -> Corpus:
    results: list[ReadResult] = []
    if seeds_dir is not None:
        results.append(read_corpus(seeds_dir, "seed"))
    if use_inews:
        if selection_file is None:
            raise ValueError("the inews selection needs a selection rule file")
        rule = SelectionRule.from_file(selection_file)
        results.append(ReadResult(documents=inews_documents(rule, show_progress, inews_scope)))
    results.append(read_many(extras, "user"))
    return assemble(results)
