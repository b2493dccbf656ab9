"""SQLite: FTS5 with the standard unicode61 tokenizer over the Python tokens.

The FTS table is contentless (no second copy of 3 GB of tokens at 100k essays), so removing
an essay means handing FTS5 back the exact tokens it was given; they are kept zlib-packed in
essays_search_entry. bm25 weights title tokens well above body tokens; titles that match the
whole query sort first. One-character queries are prefix queries answered from the
1-character prefix index (prefix='1'). A reader's query is ANDed with the `scope` column's
"published" token, so it never reads essays_essay; the words themselves are confined to
title and body, so no query can match the scope column.
"""

import zlib
from collections.abc import Iterable, Sequence

from ..tokens import Query, Term
from .base import IndexedEssay, Scope, SearchBackend, SearchPage, title_hits_first

FTS = "essays_search_fts"
ENTRY = "essays_search_entry"
# The table as migration 0008 creates it (the parity test builds a private copy). `scope`
# holds PUBLISHED for essays readers may see, so their searches never read essays_essay.
SCHEMA = [
    f"CREATE VIRTUAL TABLE {FTS} USING fts5(title, body, scope, content='',"
    " tokenize='unicode61 remove_diacritics 0', prefix='1')",
    f"CREATE TABLE {ENTRY} (essay_id integer PRIMARY KEY, tokens blob NOT NULL)",
]
PUBLISHED = "published"
# bm25 divides by a text's length relative to the average: a 66-character fragment with the
# words once outranked 3,000-character essays using them three times (issue 17). Texts
# shorter than LENGTH_FLOOR tokens (about half a typical essay) are indexed as if that long:
# the scope column, which no query's words can match, is padded with a filler token. Among
# shorter texts frequency decides; past the floor bm25 is unchanged.
LENGTH_FLOOR = 1500
FILLER = "pad"
TITLE_WEIGHT = 10.0
BODY_WEIGHT = 1.0
_CHUNK = 500  # ids per statement, well under SQLite's variable limit


def _term(term: Term) -> str:
    # Tokens hold only CJK characters, a-z and 0-9, so quoting needs no escaping.
    return '"' + " ".join(term.tokens) + '"' + ("*" if term.prefix else "")


def match_expression(query: Query, columns: str = "title body") -> str:
    """Every term, in these columns only: no query may match the scope column."""
    return f"{{{columns}}} : (" + " AND ".join(_term(t) for t in query.terms) + ")"


def _columns(essay: IndexedEssay) -> tuple[str, str, str]:
    scope = [PUBLISHED] if essay.published else []
    short = LENGTH_FLOOR - _tokens(essay.title) - _tokens(essay.body) - len(scope)
    return essay.title, essay.body, " ".join(scope + [FILLER] * max(0, short))


def _tokens(text: str) -> int:
    """How many tokens `text` holds, counted up to LENGTH_FLOOR (past it, LENGTH_FLOOR + 1):
    a list of every token of a long essay held some 60 bytes a token."""
    return len(text.split(maxsplit=LENGTH_FLOOR))


def _pack(columns: tuple[str, str, str]) -> bytes:
    return zlib.compress("\x00".join(columns).encode(), 1)


def _unpack(blob: bytes) -> tuple[str, str, str]:
    title, body, scope = zlib.decompress(blob).decode().split("\x00", 2)
    return title, body, scope


def _chunks(ids: Sequence[int]):
    ids = list(ids)
    for i in range(0, len(ids), _CHUNK):
        yield ids[i : i + _CHUNK]


class SQLiteBackend(SearchBackend):
    name = "sqlite-fts5"

    def index(self, essays: Iterable[IndexedEssay]) -> None:
        essays = list(essays)
        if not essays:
            return
        self.remove([e.id for e in essays])
        rows = [(e.id, _columns(e)) for e in essays]
        with self.connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {FTS} (rowid, title, body, scope) VALUES (%s, %s, %s, %s)",
                [(essay_id, *columns) for essay_id, columns in rows],
            )
            cursor.executemany(
                f"INSERT INTO {ENTRY} (essay_id, tokens) VALUES (%s, %s)",
                [(essay_id, _pack(columns)) for essay_id, columns in rows],
            )

    def remove(self, essay_ids: Sequence[int]) -> None:
        with self.connection.cursor() as cursor:
            for chunk in _chunks(essay_ids):
                marks = ",".join(["%s"] * len(chunk))
                cursor.execute(f"SELECT essay_id, tokens FROM {ENTRY} WHERE essay_id IN ({marks})", chunk)
                old = cursor.fetchall()
                if not old:
                    continue
                cursor.executemany(
                    f"INSERT INTO {FTS} ({FTS}, rowid, title, body, scope) VALUES ('delete', %s, %s, %s, %s)",
                    [(essay_id, *_unpack(bytes(blob))) for essay_id, blob in old],
                )
                cursor.execute(f"DELETE FROM {ENTRY} WHERE essay_id IN ({marks})", chunk)

    def clear(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS} ({FTS}) VALUES ('delete-all')")
            cursor.execute(f"DELETE FROM {ENTRY}")

    def finish_rebuild(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS} ({FTS}) VALUES ('optimize')")

    def search(self, query: Query, scope: Scope, *, offset: int, limit: int) -> SearchPage:
        words = match_expression(query)
        titles = match_expression(query, "title")
        visible = f" AND {{scope}} : {PUBLISHED}" if scope.published_only else ""
        where, params = f"{FTS} MATCH %s", []
        if scope.essays is not None:
            scope_sql, scope_params = self.scope_sql(scope.essays)
            # `+rowid`: without the plus SQLite hands each scope id to FTS5 as a rowid
            # lookup and re-runs the match per essay (seconds at a few thousand essays).
            where += f" AND +rowid IN ({scope_sql})"
            params = list(scope_params)
        with self.connection.cursor() as cursor:

            def count(*, in_title: bool, cap: int) -> int:
                cursor.execute(
                    f"SELECT count(*) FROM (SELECT 1 FROM {FTS} WHERE {where} LIMIT %s)",
                    [(titles if in_title else words) + visible, *params, cap],
                )
                return cursor.fetchone()[0]

            def page(*, in_title: bool, ranked: bool, offset: int, limit: int) -> list[int]:
                expression = f"{titles}{visible}" if in_title else f"({words}{visible}) NOT {titles}"
                order = f"bm25({FTS}, {TITLE_WEIGHT}, {BODY_WEIGHT}, 0), rowid" if ranked else "rowid DESC"
                cursor.execute(
                    f"SELECT rowid FROM {FTS} WHERE {where} ORDER BY {order} LIMIT %s OFFSET %s",
                    [expression, *params, limit, offset],
                )
                return [row[0] for row in cursor.fetchall()]

            return title_hits_first(count, page, offset=offset, limit=limit)

    def matching_sql(self, query: Query) -> tuple[str, list]:
        return f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s", [match_expression(query)]

    def indexed_count(self) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {ENTRY}")
            return cursor.fetchone()[0]

    def size_bytes(self) -> int | None:
        with self.connection.cursor() as cursor:
            try:
                cursor.execute(
                    "SELECT sum(pgsize) FROM dbstat WHERE name LIKE %s OR name = %s",
                    [f"{FTS}%", ENTRY],
                )
            except Exception:  # dbstat is a compile-time option
                return None
            return cursor.fetchone()[0]
