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
from spacy.tokens import Doc, DocBin
from tqdm import tqdm

from zh_industry_ie.contracts import DOC_KEY, PARA_KEY, RELATIONS_KEY, SOURCE_KEY, UNKNOWN_SPANS_KEY
from zh_industry_ie.rules.relation_ruler import relation_source_stats

from .hmm import HMM_NAME, hmm_aggregate, put_matches
from .pipeline import RELATION_FACTORY
from .stats import LabellingStats
from .teacher import Teacher, TeacherSettings

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


def label_docs(
    nlp: Language,
    paragraphs: Iterable[CorpusParagraph],
    aggregator: str = "vote",
    progress: bool = True,
    teacher: Teacher | None = None,
) -> tuple[list[tuple[CorpusParagraph, Doc]], LabellingStats]:
    """Make and label one Doc per paragraph; returns the docs and the function statistics.

    ``teacher`` (rules + LAC + propagation, ``teacher.py``) defaults to the rules alone."""
    if aggregator not in ("vote", "hmm"):
        raise ValueError(f"unknown aggregator {aggregator!r} (vote|hmm)")
    teacher = teacher or Teacher(nlp, TeacherSettings(), None)
    paragraphs = list(paragraphs)
    output = teacher.label(nlp, [p.text for p in paragraphs], [p.doc for p in paragraphs], progress)
    names = output.function_names
    stats = LabellingStats(names)
    out: list[tuple[CorpusParagraph, Doc]] = []
    for para, doc in zip(paragraphs, output.docs, strict=True):
        doc.user_data[DOC_KEY] = para.doc
        doc.user_data[PARA_KEY] = para.para
        doc.user_data[SOURCE_KEY] = para.source
        out.append((para, doc))
    if aggregator == "hmm":
        for doc, matches in zip(output.docs, output.matches, strict=True):
            put_matches(doc, names, matches)
        hmm_aggregate(output.docs, teacher.ruler.labels)
        for doc in output.docs:
            for name in [*names, HMM_NAME]:
                doc.spans.pop(name, None)
    for doc, matches in zip(output.docs, output.matches, strict=True):
        stats.add(len(doc), matches, [(e.start, e.end, e.label_) for e in doc.ents])
    if RELATION_FACTORY in nlp.pipe_names:
        relations = nlp.get_pipe(RELATION_FACTORY)
        for _, doc in tqdm(out, desc="relations", disable=not progress):
            relations(doc)
    return out, stats


def relation_counts(docs: Iterable[Doc]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for doc in docs:
        counts.update(str(r[4]) for r in doc.user_data.get(RELATIONS_KEY, []))
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
        # Regions of the teacher's unsure sources ([zhie.teacher] unknown_sources), not labels.
        "unsure_regions": sum(len(doc.spans.get(UNKNOWN_SPANS_KEY, [])) for _, doc in labelled),
        # Relations per cue family: counted here, from the labelled docs, not by the component.
        "relation_families": relation_source_stats(doc for _, doc in labelled)["per_family"],
        **{k: v for k, v in stats.to_json().items() if k not in ("paragraphs", "characters")},
    }
    (out_dir / "stats.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    return summary
