"""PostgreSQL: tsvectors built from the Python tokens, counted by GIN, ranked by RUM.

The tsvector is written as a literal with positions and weights computed here, so the
`simple` parser never re-cuts our tokens and PostgreSQL holds exactly what SQLite holds.
`document` is title (weight A) then body, with a one-position gap so a phrase never runs
from the title into the body (as in SQLite, where they are two columns); `title` alone
answers "does the title match", through its own small GIN index.

A GIN index on `document` answers counts (its bitmap of a word's essays is several times
quicker to read than RUM's, which carries positions). With the RUM extension (Debian
postgresql-15-rum) `ORDER BY document <=> query` ranks from a second index; with GIN only,
ts_rank must read every match's tsvector. Either way, ranking
gathers every hit first (RUM took 175 ms for 87,000 hits at 100,000 essays), so, as on
SQLite, a query matching COUNT_LIMIT essays or more lists them newest first (title hits
still first), which the primary key answers in a millisecond.
Positions stop at 16383 (PostgreSQL's limit): phrases are not found beyond about 16,000
characters into an essay.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from contextlib import contextmanager

from django.db import DatabaseError, transaction

from ..tokens import Query, Term
from .base import IndexedEssay, Scope, SearchBackend, SearchPage, title_hits_first

ENTRY = "essays_search_entry"
RUM_INDEX = "essays_search_document_rum"
GIN_INDEX = "essays_search_document_gin"
MAX_POSITION = 16383
BITMAP_ONLY = {"enable_seqscan": False, "enable_indexscan": False}
_BATCH = 200


def tsvector_literal(tokens: Sequence[str], *, weight: str = "", start: int = 1) -> str:
    positions: dict[str, list[str]] = defaultdict(list)
    for i, token in enumerate(tokens):
        positions[token].append(f"{min(start + i, MAX_POSITION)}{weight}")
    # Tokens hold only CJK characters, a-z and 0-9: nothing to escape inside the quotes.
    return " ".join(f"'{token}':{','.join(p[:256])}" for token, p in positions.items())


def document_literals(essay: IndexedEssay) -> tuple[str, str]:
    title = essay.title.split()
    body = essay.body.split()
    return (
        tsvector_literal(title, weight="A"),
        " ".join(
            part
            for part in (
                tsvector_literal(title, weight="A"),
                tsvector_literal(body, start=len(title) + 2),
            )
            if part
        ),
    )


def _term(term: Term) -> str:
    parts = [f"'{token}'" for token in term.tokens]
    if term.prefix:
        parts[-1] += ":*"
    return "(" + " <-> ".join(parts) + ")"


def tsquery_literal(query: Query) -> str:
    return " & ".join(_term(t) for t in query.terms)


@contextmanager
def _planner(cursor, alias: str, **switches: bool):
    """Planner settings for the statements inside only. SET LOCAL inside a transaction of
    their own, so behind a transaction-pooling proxy (pgbouncer) they can never reach another
    client's statements; put back by hand before the transaction ends, since it may be a
    savepoint inside a longer one (a request or a test)."""
    if not switches:
        yield
        return
    names = sorted(switches)
    with transaction.atomic(using=alias):
        cursor.execute("; ".join(f"SET LOCAL {name} = {'on' if switches[name] else 'off'}" for name in names))
        yield
        cursor.execute("; ".join(f"SET LOCAL {name} TO DEFAULT" for name in names))


def has_index(connection, name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [name])
        return cursor.fetchone() is not None


def ensure_rum_index(connection) -> bool:
    """Create the RUM index if the extension can be had; True if RUM is used."""
    if has_index(connection, RUM_INDEX):
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'")
        if cursor.fetchone() is None:
            return False
        try:
            with transaction.atomic(using=connection.alias):
                cursor.execute("CREATE EXTENSION IF NOT EXISTS rum")
                cursor.execute(f"CREATE INDEX {RUM_INDEX} ON {ENTRY} USING rum (document rum_tsvector_ops)")
        except DatabaseError:
            return False
    return True


class PostgreSQLBackend(SearchBackend):
    name = "postgresql-tsvector"

    def __init__(self, connection):
        super().__init__(connection)
        self._rum = None

    @property
    def uses_rum(self) -> bool:
        if self._rum is None:
            self._rum = has_index(self.connection, RUM_INDEX)
        return self._rum

    def begin_rebuild(self) -> None:
        # Filling a table and indexing it afterwards is several times faster than keeping
        # a RUM/GIN index up to date row by row.
        with self.connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {ENTRY}")
            cursor.execute(f"DROP INDEX IF EXISTS {RUM_INDEX}")
            cursor.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")

    def index(self, essays: Iterable[IndexedEssay]) -> None:
        rows = [(e.id, *document_literals(e), e.published) for e in essays]
        with self.connection.cursor() as cursor:
            for i in range(0, len(rows), _BATCH):
                batch = rows[i : i + _BATCH]
                values = ",".join(["(%s, %s::tsvector, %s::tsvector, %s)"] * len(batch))
                cursor.execute(
                    f"INSERT INTO {ENTRY} (essay_id, title, document, published) VALUES {values}"
                    " ON CONFLICT (essay_id) DO UPDATE SET title = EXCLUDED.title,"
                    " document = EXCLUDED.document, published = EXCLUDED.published",
                    [value for row in batch for value in row],
                )

    def remove(self, essay_ids: Sequence[int]) -> None:
        ids = list(essay_ids)
        if ids:
            with self.connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {ENTRY} WHERE essay_id = ANY(%s)", [ids])

    def clear(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {ENTRY}")

    def finish_rebuild(self) -> None:
        """Index the refilled table: GIN, and RUM too when the extension can be had."""
        with self.connection.cursor() as cursor:
            # Index builds sort in memory; more of it shortens the build (this transaction only).
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        with self.connection.cursor() as cursor:
            cursor.execute(f"CREATE INDEX IF NOT EXISTS {GIN_INDEX} ON {ENTRY} USING gin (document)")
        self._rum = ensure_rum_index(self.connection)
        with self.connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {ENTRY}")

    def _rank(self) -> str:
        if self.uses_rum:
            # No tie-break column: RUM returns hits in distance order itself only when the
            # distance is the whole ORDER BY; anything more reads every hit's document.
            return "document <=> q.q"
        return "ts_rank(document, q.q) DESC, s.essay_id"

    def search(self, query: Query, scope: Scope, *, offset: int, limit: int) -> SearchPage:
        where, params = "", [tsquery_literal(query)]
        if scope.published_only:
            where += " AND s.published"
        if scope.essays is not None:
            scope_sql, scope_params = self.scope_sql(scope.essays)
            where += f" AND s.essay_id IN ({scope_sql})"
            params += scope_params
        # The document holds the title's tokens at the same positions, so a title match is a
        # match: title hits never need the (large, out-of-line) document read.
        base, title_base = (
            f"FROM {ENTRY} s, (SELECT %s::tsquery AS q) q WHERE s.{column} @@ q.q{where}"
            for column in ("document", "title")
        )
        prefix = any(term.prefix for term in query.terms)
        phrase = any(len(term.tokens) > 1 for term in query.terms)
        with self.connection.cursor() as cursor:

            def count(*, in_title: bool, cap: int) -> int:
                # The planner prices `@@` on a row as cheap and scans the table for a word in
                # most essays, reading each hit's document out of line: 30 ms for 1,000 hits
                # at 100,000 essays, where GIN's bitmap of the word's essays takes 7 ms (and
                # a phrase's rows are re-read only until 1,000 are found). Not for a prefix:
                # its bitmap merges every word it starts, and the table scan stops sooner.
                with _planner(cursor, self.alias, **({} if prefix else BITMAP_ONLY)):
                    cursor.execute(
                        f"SELECT count(*) FROM (SELECT 1 {title_base if in_title else base} LIMIT %s) hits",
                        [*params, cap],
                    )
                    return cursor.fetchone()[0]

            def page(*, in_title: bool, ranked: bool, offset: int, limit: int) -> list[int]:
                order = self._rank() if ranked else "s.essay_id DESC"
                # Too many hits to rank: newest first, by walking the primary key back until a
                # page is found. The planner guesses a phrase rare (PostgreSQL keeps no
                # statistics of positions) and would re-read every hit's document instead.
                # Titles are short and read in line: their own index is right for them.
                switches = {"enable_bitmapscan": False} if phrase and not ranked and not in_title else {}
                with _planner(cursor, self.alias, **switches):
                    cursor.execute(
                        f"SELECT s.essay_id {title_base if in_title else base + ' AND NOT (s.title @@ q.q)'}"
                        f" ORDER BY {order} LIMIT %s OFFSET %s",
                        [*params, limit, offset],
                    )
                    return [row[0] for row in cursor.fetchall()]

            return title_hits_first(count, page, offset=offset, limit=limit)

    def matching_sql(self, query: Query) -> tuple[str, list]:
        return f"SELECT essay_id FROM {ENTRY} WHERE document @@ %s::tsquery", [tsquery_literal(query)]

    def indexed_count(self) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {ENTRY}")
            return cursor.fetchone()[0]

    def size_bytes(self) -> int | None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT pg_total_relation_size('{ENTRY}')")
            return cursor.fetchone()[0]
