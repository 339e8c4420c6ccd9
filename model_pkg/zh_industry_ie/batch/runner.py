"""Drive a batch run: stream the inputs into shards, run them on an engine, write the output.

The input stream is cut into shards of ``shard_size`` items (documents and error entries
alike) in input order, so shard ``k`` holds the same items whatever the engine or the number
of workers. Shards already complete in the manifest are not run again. At most a few shards
per worker are in flight, so memory does not grow with the corpus.

Engines: ``local`` (this process with 1 worker, else a pool of worker processes, each loading
the pipeline once) and ``dask`` (windows of shards as a ``dask.bag`` computed on a
``distributed`` cluster: an existing scheduler address, or ``local:N`` for a LocalCluster of N
worker processes started here). The driver alone writes files.
"""

from __future__ import annotations

import concurrent.futures as cf
import hashlib
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from .manifest import Manifest
from .readers import Item, iter_items
from .worker import Settings, ShardOutput, load_pipeline, process_packed, process_shard

ENGINES = ("local", "dask")
# Shards in flight per worker: enough to keep workers busy while the driver writes.
IN_FLIGHT_PER_WORKER = 2

Job = tuple[Settings, int, list[Item]]


@dataclass
class RunSummary:
    out_dir: str
    shards: int = 0
    shards_run: int = 0
    shards_skipped: int = 0
    records: int = 0
    errors: int = 0
    skipped_files: int = 0


def chunk_items(items: Iterable[Item], size: int) -> Iterator[tuple[int, list[Item]]]:
    iterator = iter(items)
    index = 0
    while chunk := list(islice(iterator, size)):
        yield index, chunk
        index += 1


def _local_serial(jobs: Iterator[Job]) -> Iterator[ShardOutput]:
    for job in jobs:
        yield process_shard(*job)


def _init_worker(model: str) -> None:
    load_pipeline(model)


def _bounded(submit: Callable[[Job], Any], wait: Callable[[set[Any]], tuple[set[Any], set[Any]]],
             result: Callable[[Any], ShardOutput], jobs: Iterator[Job], limit: int) -> Iterator[ShardOutput]:
    """Keep at most ``limit`` jobs submitted; yield outputs as they finish."""
    pending: set[Any] = set()
    for job in jobs:
        pending.add(submit(job))
        if len(pending) >= limit:
            done, pending = wait(pending)
            for future in done:
                yield result(future)
    while pending:
        done, pending = wait(pending)
        for future in done:
            yield result(future)


def _local_pool(jobs: Iterator[Job], workers: int, model: str) -> Iterator[ShardOutput]:
    # spawn: workers start clean (no inherited threads or locks) on every platform.
    context = multiprocessing.get_context("spawn")
    with cf.ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker,
                                initargs=(model,)) as pool:
        yield from _bounded(
            lambda job: pool.submit(process_shard, *job),
            lambda pending: cf.wait(pending, return_when=cf.FIRST_COMPLETED),
            lambda future: future.result(),
            jobs, workers * IN_FLIGHT_PER_WORKER,
        )


def dask_client(scheduler: str) -> Any:
    """A ``distributed.Client`` for ``ADDRESS`` or ``local:N`` (a LocalCluster started here)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as err:
        raise RuntimeError(
            "the dask engine needs the optional extra: pip install 'zh_industry_ie[dist]'"
        ) from err
    if scheduler.startswith("local"):
        _, _, count = scheduler.partition(":")
        cluster = LocalCluster(
            n_workers=int(count or 2), threads_per_worker=1, processes=True,
            dashboard_address=None, memory_limit=0,
        )
        return Client(cluster)
    return Client(scheduler)


def _dask(jobs: Iterator[Job], client: Any) -> Iterator[ShardOutput]:
    import dask.bag as db

    n_workers = max(1, len(client.scheduler_info().get("workers", {})))
    window = n_workers * IN_FLIGHT_PER_WORKER
    while batch := list(islice(jobs, window)):
        bag = db.from_sequence(batch, npartitions=len(batch)).map(process_packed)
        yield from bag.compute(scheduler=client)


def inputs_fingerprint(paths: list[str]) -> str:
    """Names, sizes and modification times of every input file: a resumed run must read the
    same inputs, or its shards would not line up with the ones already written."""
    digest = hashlib.sha256()
    for path in map(Path, paths):
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            stat = file.stat() if file.exists() else None
            digest.update(f"{file}\t{stat and stat.st_size}\t{stat and stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def run_extract(
    inputs: list[str | Path],
    out_dir: str | Path,
    model: str = "zh_industry_ie",
    workers: int = 1,
    batch_size: int = 32,
    shard_size: int = 1000,
    max_chars: int | None = None,
    engine: str = "local",
    scheduler: str = "local:2",
    restart: bool = False,
    on_shard: Callable[[ShardOutput, RunSummary], None] | None = None,
) -> RunSummary:
    """Extract every input into ``out_dir`` (resuming an earlier run with the same settings)."""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; expected one of {', '.join(ENGINES)}")
    if shard_size < 1 or workers < 1:
        raise ValueError("--shard-size and --workers must be at least 1")
    out = Path(out_dir)
    settings = Settings(model, batch_size, max_chars)
    # Inputs as absolute paths: a resumed run from another directory is the same run.
    input_paths = [str(Path(p).resolve()) for p in inputs]
    manifest = Manifest.open(
        out, {"inputs": input_paths, "inputs_sha256": inputs_fingerprint(input_paths), "model": model,
              "shard_size": shard_size, "max_chars": max_chars},
        restart=restart,
    )
    summary = RunSummary(str(out))

    def jobs() -> Iterator[Job]:
        for index, items in chunk_items(iter_items(input_paths), shard_size):
            summary.shards = index + 1
            if manifest.is_complete(index, items[0].id):
                summary.shards_skipped += 1
                continue
            yield settings, index, items

    client = None
    if engine == "dask":
        client = dask_client(scheduler)
        outputs = _dask(jobs(), client)
    elif workers == 1:
        load_pipeline(model)  # fail on a bad model before reading anything
        outputs = _local_serial(jobs())
    else:
        outputs = _local_pool(jobs(), workers, model)
    # Test hook: slow the run down so a test can kill it part-way (seconds per shard).
    delay = float(os.environ.get("ZHIE_BATCH_SHARD_DELAY", "0") or 0)
    try:
        for output in outputs:
            time.sleep(delay)
            counts = {"items": output.n_records + output.n_errors, "records": output.n_records,
                      "errors": output.n_errors, "skipped": output.n_skipped, "first_id": output.first_id}
            manifest.add_shard(output.index, output.records, output.errors, counts)
            summary.shards_run += 1
            if on_shard is not None:
                on_shard(output, summary)
    finally:
        if client is not None:
            cluster = client.cluster
            client.close()
            if cluster is not None:
                cluster.close()
    manifest.finish(summary.shards)
    summary.records = manifest.totals["records"]
    summary.errors = manifest.totals["errors"]
    summary.skipped_files = manifest.totals["skipped"]
    return summary


def summary_dict(summary: RunSummary) -> dict[str, Any]:
    return asdict(summary)
