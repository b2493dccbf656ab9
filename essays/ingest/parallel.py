"""Parse documents in sandboxed worker processes, in order, with a bounded number in flight.

Every parse of a document's bytes runs in a worker process under the limits of
essays.ingest.sandbox (CPU time, memory, a wall-clock backstop), never in the caller's process:
parse_one uses this process's one kept worker (started at the first call), parse_many that
worker for jobs <= 1 and `jobs` workers of its own otherwise. Parsing is CPU-bound pure
Python (the GBK repair search above all), so a bulk import uses several; storing stays in
the caller's process, which keeps the database work in one connection and one transaction
per document. Workers are spawned, not forked: they import only this package (no Django, no
open database connection to inherit), and each builds its own models once. At most
`jobs * IN_FLIGHT_PER_JOB * BATCH` documents (or the `ahead` a caller asks for) are held at a
time, so memory stays flat however long the stream is.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from functools import partial
from typing import TypeVar

from .model import IngestError, ParsedDocument
from .sandbox import SPAWN, Sandbox, die_with_parent, handed_on, in_worker, shared_sandbox

IN_FLIGHT_PER_JOB = 4  # batches
# Documents sent to a worker at once (each still answered, and limited, on its own): one
# task per document cost the parent process (which also reads the files) about a fifth of a
# core in queue traffic at 10,000 documents with concurrent.futures.
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


def parse_one(data: bytes, name: str, **options) -> ParsedDocument | IngestError:
    """parse_document in this process's sandboxed worker, with a refusal (or a breach of the
    limits, a ParseLimitError) returned rather than raised. In a worker it parses in place.
    `options`: parse_document's keyword arguments (with_roles, corrections)."""
    if in_worker():
        box = handed_on(data)
        del data
        return parse_here(box.pop(), name, **options) if options else parse_here(box.pop(), name)
    parse = partial(parse_here, **options) if options else parse_here
    return shared_sandbox().submit(parse, data, name).result()


def parse_here(data: bytes, name: str, **options) -> ParsedDocument | IngestError:
    """parse_document in this very process, a refusal returned: for workers only. An editor's
    correction that names no line or role is refused like the file (IngestError). The bytes
    are handed on, not kept (sandbox.handed_on)."""
    from . import parse_document
    from .roles.editing import CorrectionError

    box = handed_on(data)
    del data
    try:
        return parse_document(box.pop(), name, **options) if options else parse_document(box.pop(), name)
    except IngestError as exc:
        return exc
    except CorrectionError as exc:
        return IngestError(name, str(exc))


def parse_many(
    items: Iterable[tuple[Key, bytes | None, str]],
    jobs: int,
    parse: Callable = parse_one,
    *,
    ahead: int = 0,
) -> Iterator[tuple[Key, ParsedDocument | IngestError | None]]:
    """Yield (key, parse result) for each (key, data, name) in the order given, each parsed
    in a sandboxed worker (this process's kept one for jobs <= 1). An item with no data (the
    caller has already dealt with it) is passed through as (key, None). `parse` must be a
    module-level function (it is sent to the workers by name); a document breaching a limit
    gets a ParseLimitError, and the others their own results. The workers keep at least
    `ahead` documents in flight: a caller that takes results in batches (storing them
    together) should not find the workers idle while it stores."""
    jobs = max(1, jobs)
    most = max(jobs * IN_FLIGHT_PER_JOB * BATCH, ahead)
    own = jobs > 1
    sandbox = Sandbox(jobs, batch=BATCH) if own else shared_sandbox()
    pending: deque[tuple[Key, Future | None]] = deque()
    try:
        for key, data, name in items:
            pending.append((key, None if data is None else sandbox.submit(parse, data, name)))
            while len(pending) >= most:
                key, future = pending.popleft()
                yield key, None if future is None else future.result()
        while pending:
            key, future = pending.popleft()
            yield key, None if future is None else future.result()
    finally:
        for _, future in pending:
            if future is not None:
                future.cancel()
        if own:
            sandbox.close(kill=bool(pending))


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
    task and stopped on leaving, each ending with this process (for work on trusted data:
    one dead worker breaks the pool; documents go through parse_many)."""
    if workers < 1:
        yield None
        return
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=SPAWN, initializer=die_with_parent, initargs=(os.getpid(),)
    ) as pool:
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
