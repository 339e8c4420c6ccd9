"""Independent jobs side by side: the shared context is passed explicitly, fork or spawn."""

from __future__ import annotations

import operator

import pytest

from zhie.train import heldout, parallel
from zhie.train.parallel import map_in_order

JOBS = [(1,), (2,), (3,), (4,)]


@pytest.mark.parametrize("workers", [1, 2])
def test_context_is_the_first_argument_of_every_job(workers: int) -> None:
    assert map_in_order(operator.add, JOBS, workers, "t", "job", context=10) == [11, 12, 13, 14]


@pytest.mark.parametrize("workers", [1, 2])
def test_without_context_jobs_get_only_their_arguments(workers: int) -> None:
    assert map_in_order(operator.neg, JOBS, workers, "t", "job") == [-1, -2, -3, -4]


# A spawned worker imports the toolkit afresh (~15 s on 2 busy cores): one case in the quick run.
@pytest.mark.parametrize("context", [10, pytest.param(None, marks=pytest.mark.slow)])
def test_spawned_workers_receive_the_context(context: int | None) -> None:
    # spawn pickles the context once per worker: no reliance on memory a fork inherits.
    function, expected = (operator.neg, [-1, -2, -3, -4]) if context is None else (operator.add, [11, 12, 13, 14])
    kwargs = {} if context is None else {"context": context}
    assert map_in_order(function, JOBS, 2, "t", "job", start_method="spawn", **kwargs) == expected


def test_calls_one_after_another_do_not_share_a_context() -> None:
    assert map_in_order(operator.mul, JOBS, 2, "t", "job", context=2) == [2, 4, 6, 8]
    assert map_in_order(operator.mul, JOBS, 2, "t", "job", context=3) == [3, 6, 9, 12]
    assert parallel._worker_context is parallel.NO_CONTEXT  # never set in the caller's process


def test_heldout_keeps_no_module_level_fold_context() -> None:
    assert not hasattr(heldout, "_CONTEXT")


def test_workers_must_be_positive() -> None:
    with pytest.raises(ValueError, match="workers must be >= 1"):
        map_in_order(operator.neg, JOBS, 0, "t", "job")
