"""Weak labelling of the paragraph corpus: rules -> aggregation -> DocBins + statistics."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, DocBin, Span
from tqdm import tqdm

from zh_industry_ie.rules.entity_ruler import RuleEntityRecognizer
from zh_industry_ie.rules.text import simplified_text

from .hmm import hmm_aggregate, put_matches
from .pipeline import RELATION_FACTORY
from .stats import LabellingStats

DEV_PERCENT = 10


@dataclass(frozen=True)
class CorpusParagraph:
    id: str
    doc: str
    para: int
    source: str
    text: str


def read_corpus(path: Path) -> Iterator[CorpusParagraph]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                r = json.loads(line)
                yield CorpusParagraph(
                    str(r["id"]), str(r["doc"]), int(r["para"]), str(r["source"]), r["text"]
                )


def is_dev(paragraph: CorpusParagraph) -> bool:
    """Deterministic ~10% of the non-seed documents (whole documents, by hash of the doc id)."""
    if paragraph.source == "seed":
        return False
    digest = hashlib.sha256(paragraph.doc.encode("utf-8")).hexdigest()
    return int(digest[:8], 16) % 100 < DEV_PERCENT


def rule_ner(nlp: Language) -> RuleEntityRecognizer:
    for _, pipe in nlp.pipeline:
        if isinstance(pipe, RuleEntityRecognizer):
            return pipe
    raise ValueError("the pipeline has no zhie_rule_ner component")


def label_docs(
    nlp: Language, paragraphs: Iterable[CorpusParagraph], aggregator: str = "vote", progress: bool = True
) -> tuple[list[tuple[CorpusParagraph, Doc]], LabellingStats]:
    """Make and label one Doc per paragraph; returns the docs and the function statistics."""
    ruler = rule_ner(nlp)
    names = ruler.function_names()
    stats = LabellingStats(names)
    out: list[tuple[CorpusParagraph, Doc]] = []
    matches_per_doc = []
    for para in tqdm(list(paragraphs), desc="rules", disable=not progress):
        doc = nlp.make_doc(para.text)
        matches = ruler.matches(simplified_text(doc))
        spans = ruler.aggregate(matches)
        doc.ents = [Span(doc, s, e, label=lab) for s, e, lab in spans]
        doc.user_data["zhie_doc"] = para.doc
        doc.user_data["zhie_para"] = para.para
        doc.user_data["zhie_source"] = para.source
        out.append((para, doc))
        matches_per_doc.append(matches)
        if aggregator == "vote":
            stats.add(len(doc), matches, spans)
    if aggregator == "hmm":
        for (_, doc), matches in zip(out, matches_per_doc, strict=True):
            put_matches(doc, names, matches)
        hmm_aggregate([doc for _, doc in out], ruler.labels)
        for (_, doc), matches in zip(out, matches_per_doc, strict=True):
            stats.add(len(doc), matches, [(e.start, e.end, e.label_) for e in doc.ents])
            for name in names:
                del doc.spans[name]
            doc.spans.clear()
    elif aggregator != "vote":
        raise ValueError(f"unknown aggregator {aggregator!r} (vote|hmm)")
    if RELATION_FACTORY in nlp.pipe_names:
        relations = nlp.get_pipe(RELATION_FACTORY)
        for _, doc in tqdm(out, desc="relations", disable=not progress):
            relations(doc)
    return out, stats


def relation_counts(docs: Iterable[Doc]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for doc in docs:
        counts.update(str(r[4]) for r in doc.user_data.get("zhie_relations", []))
    return counts


def write_weak(
    labelled: list[tuple[CorpusParagraph, Doc]],
    stats: LabellingStats,
    out_dir: Path,
    aggregator: str,
    seconds: float | None = None,
) -> dict[str, Any]:
    out_dir.mkdir(parents=True, exist_ok=True)
    train, dev = DocBin(store_user_data=True), DocBin(store_user_data=True)
    documents: set[str] = set()
    split = Counter()
    for para, doc in labelled:
        documents.add(para.doc)
        target = dev if is_dev(para) else train
        split["dev" if target is dev else "train"] += 1
        target.add(doc)
    train.to_disk(out_dir / "train.spacy")
    dev.to_disk(out_dir / "dev.spacy")
    summary = {
        "aggregator": aggregator,
        "seconds": seconds,
        "documents": len(documents),
        "paragraphs": stats.paragraphs,
        "characters": stats.characters,
        "split": {"train_paragraphs": split["train"], "dev_paragraphs": split["dev"]},
        "relations": dict(sorted(relation_counts(doc for _, doc in labelled).items())),
        **{k: v for k, v in stats.to_json().items() if k not in ("paragraphs", "characters")},
    }
    (out_dir / "stats.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    return summary
