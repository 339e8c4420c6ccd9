"""Running LAC over a corpus (two processes) for the weak-labelling step.

The LAC labelling functions themselves (sources, filters) are in
``zh_industry_ie.rules.lac_sources``: the shipped rule component uses them too.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from pathlib import Path

from threadpoolctl import threadpool_limits
from tqdm import tqdm

from zh_industry_ie.lac import LacModel
from zh_industry_ie.rules.lac_sources import LacWords

_WORKER_MODEL: dict[str, LacModel] = {}


def _init_worker(lac_dir: str) -> None:
    # One BLAS thread per worker: the workers already use every core, and BLAS threads on top
    # of them made LAC several times slower (docs/lac.md).
    threadpool_limits(1)
    _WORKER_MODEL["lac"] = LacModel.from_dir(Path(lac_dir))


def _tag_chunk(texts: list[str]) -> list[LacWords]:
    model = _WORKER_MODEL["lac"]
    return [
        [(s, e, tag) for (s, e), tag in zip(a.words, a.word_tags, strict=True)]
        for a in model.analyse(texts, with_states=False)
    ]


def lac_words(
    texts: Sequence[str], lac_dir: Path, processes: int = 2, chunk: int = 256, progress: bool = True
) -> list[LacWords]:
    """LAC words of every text, in order; ``processes`` workers each load the model once."""
    chunks = [list(texts[i : i + chunk]) for i in range(0, len(texts), chunk)]
    out: list[LacWords] = []
    bar = tqdm(total=len(texts), desc="LAC tags", unit="para", disable=not progress)
    if processes <= 1 or len(chunks) < 2 * processes:
        _init_worker(str(lac_dir))
        for part in chunks:
            out.extend(_tag_chunk(part))
            bar.update(len(part))
    else:
        # fork: workers need not re-import the caller's main module (a script without a main
        # guard would start itself again under spawn); each still loads the model itself.
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(processes, initializer=_init_worker, initargs=(str(lac_dir),)) as pool:
            for part, tagged in zip(chunks, pool.imap(_tag_chunk, chunks), strict=True):
                out.extend(tagged)
                bar.update(len(part))
    bar.close()
    return out
