"""Priority voting vs skweak HMM on the gold: same labelling functions, two aggregators.

The HMM is unsupervised: it is fitted on the corpus paragraphs plus the gold texts (no gold
labels), then both aggregators' entities on the gold paragraphs are scored (exact spans).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from spacy.language import Language

from zhie.evaluate.gold_eval import score_predictions
from zhie.evaluate.predict import doc_to_prediction
from zhie.gold import GoldParagraph

from .label import CorpusParagraph, label_docs


def compare_aggregators(
    nlp: Language, corpus: Sequence[CorpusParagraph], gold: Sequence[GoldParagraph], progress: bool = False
) -> dict[str, Any]:
    gold_paragraphs = [CorpusParagraph(p.id, p.doc or p.id, p.para, "gold", p.text) for p in gold]
    results: dict[str, Any] = {}
    for aggregator in ("vote", "hmm"):
        labelled, _ = label_docs(nlp, [*corpus, *gold_paragraphs], aggregator, progress)
        gold_docs = [doc for para, doc in labelled if para.source == "gold"]
        predictions = [doc_to_prediction(p.text, d) for p, d in zip(gold, gold_docs, strict=True)]
        results[aggregator] = score_predictions(gold, predictions)["entities"]
    best = max(("vote", "hmm"), key=lambda a: results[a]["micro"]["f1"])
    return {"results": results, "best": best}
