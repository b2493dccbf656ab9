"""Parse many documents on several cores, in order, with a bounded number in flight.

Parsing is CPU-bound pure Python (the GBK repair search above all), so a bulk import uses
worker processes; storing stays in the caller's process, which keeps the database work in one
connection and one transaction per document. Workers are spawned, not forked: they import only
this package (no Django, no open database connection to inherit), and each builds its own
models once. At most `jobs * IN_FLIGHT_PER_JOB * BATCH` documents (or the `ahead` a caller asks
for) are held at a time, so memory stays flat however long the stream is.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from functools import partial
from typing import TypeVar

from .model import IngestError, ParsedDocument

IN_FLIGHT_PER_JOB = 4  # batches
# Documents sent to a worker at once: one task per document cost the parent process (which
# also reads the files) about a fifth of a core in queue traffic at 10,000 documents.
BATCH = 8
Key = TypeVar("Key")
Arg = TypeVar("Arg")
Result = TypeVar("Result")
Item = TypeVar("Item")


def default_jobs(documents: int) -> int:
    """One process per core for a bulk import; one for a handful of files, where starting
    workers (and their models) costs more than it saves."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(cores, documents // 20))


def parse_one(data: bytes, name: str) -> ParsedDocument | IngestError:
    """parse_document, with a refusal returned rather than raised (it crosses processes)."""
    from . import parse_document

    try:
        return parse_document(data, name)
    except IngestError as exc:
        return exc


def parse_many(
    items: Iterable[tuple[Key, bytes | None, str]],
    jobs: int,
    parse: Callable = parse_one,
    *,
    ahead: int = 0,
) -> Iterator[tuple[Key, ParsedDocument | IngestError | None]]:
    """Yield (key, parse result) for each (key, data, name) in the order given. An item with
    no data (the caller has already dealt with it) is passed through as (key, None). `parse`
    must be a module-level function (it is sent to the workers by name). The workers keep
    at least `ahead` documents in flight: a caller that takes results in batches (storing
    them together) should not find the workers idle while it stores."""
    if jobs <= 1:
        for key, data, name in items:
            yield key, None if data is None else parse(data, name)
        return
    work = (([key for key, _, _ in batch], [(d, n) for _, d, n in batch]) for batch in batches(items, BATCH))
    in_flight = max(IN_FLIGHT_PER_JOB, -(-ahead // (jobs * BATCH)))
    for keys, results in map_in_order(partial(_parse_batch, parse), work, jobs, in_flight=in_flight):
        yield from zip(keys, results, strict=True)


def map_in_order(
    function: Callable[[Arg], Result],
    items: Iterable[tuple[Key, Arg]],
    jobs: int,
    *,
    in_flight: int = IN_FLIGHT_PER_JOB,
) -> Iterator[tuple[Key, Result]]:
    """(key, function(arg)) for each (key, arg), in the order given, computed in `jobs` spawned
    worker processes (in this one when jobs <= 1). Only `arg` crosses to a worker, and at
    most `jobs * in_flight` are out at a time, so memory stays flat however long the stream.
    `function` must be picklable (a module-level function, or a partial of one)."""
    if jobs <= 1:
        for key, arg in items:
            yield key, function(arg)
        return
    with worker_pool(jobs) as pool:
        pending: deque[tuple[Key, Future]] = deque()
        for key, arg in items:
            pending.append((key, pool.submit(function, arg)))
            while len(pending) >= jobs * in_flight:
                key, future = pending.popleft()
                yield key, future.result()
        while pending:
            key, future = pending.popleft()
            yield key, future.result()


@contextmanager
def worker_pool(workers: int) -> Iterator[ProcessPoolExecutor | None]:
    """A pool of `workers` spawned processes (None for fewer than one), started at the first
    task and stopped on leaving."""
    if workers < 1:
        yield None
        return
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        yield pool


def batches(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    """The items in lists of `size` (the last may be shorter)."""
    batch: list[Item] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _parse_batch(parse: Callable, batch: list[tuple[bytes | None, str]]) -> list:
    return [None if data is None else parse(data, name) for data, name in batch]
