"""SQLite's memory during an import, sized by what is being stored.

The settings give each connection a 64 MB page cache, which a bulk import of many small
documents uses well (the search index's and the keys' B-trees are revisited by every
document). A large document's pages are written once, in order: a cache that size only holds
them, up to 64 MB more memory for nothing. While a batch holding a large document is stored
and checked the cache is cut to SMALL_KB; it is put back when the import ends.

The driver also keeps each cached statement's last parameters bound, copies included (the
raw bytes and the texts of a large document's rows), until the statement runs again: once
such a batch is stored, the connection is closed (outside a transaction only), which lets go
of them, and opened again by the next query.

And glibc's allocator, which serves a block larger than its mmap threshold by mapping it (and
unmapping it when freed), raises that threshold to the size of every such block freed: after
the first large document's bytes or texts go, their like are carved out of the heap, which
keeps what it is freed. The threshold is pinned at its default when an import starts (on
glibc only, for the rest of the process): a batch is sized only once its documents are parsed,
and by then receiving them (each document's bytes pickled for its worker, each parse's message)
had raised it already (a 1 MB text's import: storing process 148 -> 146 MB at its peak, issue
16). With a large document the heap is trimmed once the batch is stored.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache

from django.db import connection

LARGE_DOCUMENT = 256 * 1024  # bytes of a source from which the cache is cut
# The duplicate check that follows such a batch reads and writes through the same small cache:
# 2 MB of it raised the storing process's peak importing a 1 MB text (146 -> 144-145 MB,
# one-essay file 134; a 10 MB import the same, 3% more CPU).
SMALL_KB = 256
M_MMAP_THRESHOLD = -3  # mallopt's parameter (malloc.h)
MMAP_THRESHOLD = 128 * 1024  # glibc's default


@dataclass
class _Sizing:
    default: int | None  # the connection's cache_size as the settings make it
    current: int | None = None
    large: bool = False

    def fit(self, largest: int) -> None:
        """Size the cache for a batch whose largest source has `largest` bytes."""
        self.large = largest >= LARGE_DOCUMENT
        self._set(-SMALL_KB if self.large else self.default)

    def settle(self) -> None:
        """Once a batch is stored: for a large one, close the connection (see above)."""
        if self.large and not connection.in_atomic_block:
            connection.close()
            self.current = self.default  # as a new connection has it
            self._set(-SMALL_KB)
        if self.large:
            _allocator("malloc_trim", 0)

    def _set(self, size: int | None) -> None:
        if self.default is None or size == self.current:
            return
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(size)}")
        self.current = size


def _allocator(function: str, *args: int) -> None:
    """Call one of glibc's malloc functions; nothing elsewhere."""
    try:
        getattr(_libc(), function)(*args)
    except (AttributeError, OSError):
        pass


@cache
def _libc():
    return ctypes.CDLL(ctypes.util.find_library("c"))


@contextmanager
def page_cache() -> Iterator[_Sizing]:
    """A _Sizing for this import's batches, the cache put back at the end (nothing of the
    cache on another database), glibc's mmap threshold pinned from the start."""
    default = None
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            default = cursor.fetchone()[0]
    sizing = _Sizing(default, default)
    _allocator("mallopt", M_MMAP_THRESHOLD, MMAP_THRESHOLD)
    try:
        yield sizing
    finally:
        sizing.fit(0)
