"""Independent trainings side by side: one process per core, results in job order.

Each spaCy training here runs on one core, so the held-out folds and the learning-curve
points (independent trainings with their own seeds) finish in about half the time on two
cores, with the same models as one after the other.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing import get_context
from typing import Any, TypeVar

from tqdm import tqdm

R = TypeVar("R")

# Marks "no shared context": the jobs are then called as function(*job).
NO_CONTEXT: Any = object()

# What the pool initializer hands to each worker process (set in the worker only, never in
# the caller's process, so nested or concurrent calls do not share it).
_worker_context: Any = NO_CONTEXT


def _init_worker(has_context: bool, context: Any) -> None:
    # A flag, not the sentinel itself: a spawned worker unpickles a different object.
    global _worker_context
    _worker_context = context if has_context else NO_CONTEXT


def _call(function: Callable[..., R], context: Any, job: tuple[Any, ...]) -> R:
    return function(*job) if context is NO_CONTEXT else function(context, *job)


def _call_in_worker(function: Callable[..., R], job: tuple[Any, ...]) -> R:
    return _call(function, _worker_context, job)


def map_in_order(
    function: Callable[..., R],
    jobs: Sequence[tuple[Any, ...]],
    workers: int,
    desc: str,
    unit: str,
    context: Any = NO_CONTEXT,
    start_method: str = "fork",
) -> list[R]:
    """``function(context, *job)`` (``function(*job)`` without a context) for every job,
    ``workers`` at a time; results in the jobs' order.

    ``context`` is what every job shares (loaded pipelines, the corpus): it reaches each
    worker once, through the pool's initializer (inherited by forked workers, pickled once
    per worker with ``start_method="spawn"``), not once per job. ``function`` must be a
    module-level function (``spawn`` pickles it by name).
    """
    if workers < 1:
        raise ValueError(f"workers must be >= 1, got {workers}")
    results: dict[int, R] = {}
    with tqdm(total=len(jobs), desc=desc, unit=unit) as progress:
        if workers == 1:
            for i, job in enumerate(jobs):
                results[i] = _call(function, context, job)
                progress.update()
        else:
            with ProcessPoolExecutor(
                max_workers=workers,
                mp_context=get_context(start_method),
                initializer=_init_worker,
                initargs=(context is not NO_CONTEXT, None if context is NO_CONTEXT else context),
            ) as pool:
                futures = {pool.submit(_call_in_worker, function, job): i for i, job in enumerate(jobs)}
                for future in as_completed(futures):
                    results[futures[future]] = future.result()
                    progress.update()
    return [results[i] for i in range(len(jobs))]
