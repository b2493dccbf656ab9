"""What every search backend does, so views, admin and commands never know which one runs.

A backend stores tokens made by essays.search.tokens and answers a parsed Query inside a
Scope (published essays for readers, all for the admin; a QuerySet of the filters may narrow
it). Ranking is the same everywhere: essays whose title matches the whole query first, then
by how often the words occur (each engine's own frequency score). A query matching thousands
of essays (党, 干部 in a corpus of Party essays) can be neither counted nor frequency-ranked
within a reader's wait: past COUNT_LIMIT hits the count says "1000+" and the hits come title
hits first, then newest first, and the page says so.
Snippets are not a backend's business: they are made in Python from the original text.

An OpenSearch/Elasticsearch backend (stconvert t2s + cjk_bigram) would implement these
same methods; the scope would become an id filter.
"""

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections

from ..tokens import Query

# Counting stops here: past it a reader learns "1000+" (as web search engines do), because
# counting every one of 50,000 hits costs more than finding the page. PostgreSQL must read
# each hit's document to count it when a word is in most essays: 1,000 hits cost 8–60 ms
# there, 10,000 hits 200–450 ms (bench/search_bench.py, 100,000 essays). Pages go as deep
# as the count.
COUNT_LIMIT = 1000


@dataclass(frozen=True)
class IndexedEssay:
    """The token strings (space-separated) an essay is indexed under, and whether readers
    may see it: the published flag lives in the index so a reader's search never has to
    read the essay table to leave drafts out."""

    id: int
    title: str
    body: str
    published: bool


@dataclass(frozen=True)
class Scope:
    """Which essays a search may return: published ones (readers) or all (the admin),
    optionally narrowed further by a QuerySet of essays (the filters)."""

    published_only: bool = True
    essays: Any = None  # an Essay QuerySet, or None for no further limit


@dataclass(frozen=True)
class SearchPage:
    ids: list[int]  # this page's essays, best first
    total: int  # essays matching in the whole scope, or COUNT_LIMIT when there are more
    ranked: bool = True  # False: too many hits to rank, title hits first then newest first

    @property
    def total_is_exact(self) -> bool:
        return self.total < COUNT_LIMIT


class SearchBackend(ABC):
    name = "base"

    def __init__(self, connection):
        # Django connections belong to a thread: keep the alias, look the connection up.
        shared = connection.alias in connections and connections[connection.alias] is connection
        self._private = None if shared else connection  # e.g. a test's own in-memory index
        self.alias = connection.alias

    @property
    def connection(self):
        return self._private or connections[self.alias]

    @abstractmethod
    def index(self, essays: Iterable[IndexedEssay]) -> None:
        """Add the essays, replacing whatever was indexed for them before."""

    @abstractmethod
    def remove(self, essay_ids: Sequence[int]) -> None:
        """Forget these essays (ids never indexed are fine)."""

    @abstractmethod
    def clear(self) -> None:
        """Empty the index."""

    def begin_rebuild(self) -> None:
        """Empty the index before every essay is indexed afresh (may drop indexes to refill fast)."""
        self.clear()

    def finish_rebuild(self) -> None:  # noqa: B027 - optional hook
        """Tidy up after a full rebuild (merge segments, analyse)."""

    @abstractmethod
    def search(self, query: Query, scope: Scope, *, offset: int, limit: int) -> SearchPage:
        """The essays in `scope` matching `query`, ranked."""

    @abstractmethod
    def matching_sql(self, query: Query) -> tuple[str, list]:
        """SQL selecting the ids of every indexed essay matching `query` (for filter(pk__in=…))."""

    @abstractmethod
    def indexed_count(self) -> int:
        """How many essays the index holds."""

    @abstractmethod
    def size_bytes(self) -> int | None:
        """Disk space the index takes, when the database can tell."""

    @staticmethod
    def scope_sql(essays) -> tuple[str, tuple]:
        return essays.order_by().values("pk").query.sql_with_params()


def title_hits_first(count, page, *, offset: int, limit: int) -> SearchPage:
    """A page of hits whose titles match first, then the rest, from a backend's two primitives:
    `count(in_title, cap)` — hits (whose title matches, if in_title), counted up to `cap` — and
    `page(in_title, ranked, offset, limit)` — ids of hits whose title does (in_title) or does
    not (not in_title) match, best first when ranked, newest first otherwise.

    Where the title hits end is only counted when the page starts past them: page 1 learns
    it from the title page itself. Only a set of hits counted in full (fewer than
    COUNT_LIMIT) is ranked.
    """
    total = count(in_title=False, cap=COUNT_LIMIT)
    ranked = total < COUNT_LIMIT
    ids = page(in_title=True, ranked=ranked, offset=offset, limit=limit)
    title_total = offset + len(ids) if offset == 0 or ids else count(in_title=True, cap=COUNT_LIMIT)
    ids += page(in_title=False, ranked=ranked, offset=max(0, offset - title_total), limit=limit - len(ids))
    return SearchPage(ids, total, ranked)
