"""skweak HMM aggregation of the labelling functions (the alternative to priority voting).

Each function's matches go into ``doc.spans[function name]``; skweak's HMM learns, without
labels, how reliable each function is per label and outputs one flat BIO labelling in
``doc.spans["hmm"]``. skweak 0.3.3 works on the project's character Docs (keep hmmlearn<0.4).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from spacy.tokens import Doc, Span

from .stats import Span3

HMM_NAME = "hmm"


def put_matches(doc: Doc, function_names: Sequence[str], matches: Sequence[tuple[str, Span3]]) -> None:
    by_name: dict[str, list[Span]] = {name: [] for name in function_names}
    for name, (start, end, label) in matches:
        by_name[name].append(Span(doc, start, end, label=label))
    for name, spans in by_name.items():
        doc.spans[name] = spans


def hmm_aggregate(docs: list[Doc], labels: Sequence[str], n_iter: int = 4) -> list[Doc]:
    """Fit the HMM on ``docs`` (their ``doc.spans``) and set ``doc.ents`` from its output."""
    from skweak import generative  # training-time only

    logging.getLogger("skweak").setLevel(logging.WARNING)
    model = generative.HMM(HMM_NAME, list(labels))
    model.fit(docs, n_iter=n_iter)
    out = []
    for doc in docs:
        doc = model(doc)
        spans = sorted(doc.spans.get(HMM_NAME, []), key=lambda s: (s.start, -len(s)))
        ents: list[Span] = []
        last_end = -1
        for span in spans:
            if span.start >= last_end and span.label_ in labels:
                ents.append(span)
                last_end = span.end
        doc.ents = ents
        out.append(doc)
    return out
