"""SQLite: FTS5 with the standard unicode61 tokenizer over the Python tokens.

The FTS table is contentless (no second copy of 3 GB of tokens at 100k essays), so removing
an essay means handing FTS5 back the exact tokens it was given; they are kept zlib-packed in
essays_search_entry. bm25 weights title tokens well above body tokens; titles that match the
whole query sort first. One-character queries are prefix queries answered from the
1-character prefix index (prefix='1').
"""

import zlib
from collections.abc import Iterable, Sequence

from ..tokens import Query, Term
from .base import IndexedEssay, SearchBackend, SearchPage

FTS = "essays_search_fts"
ENTRY = "essays_search_entry"
TITLE_WEIGHT = 10.0
# Past this many hits, ranking every one costs more than a reader waits; see base.py.
RANK_LIMIT = 2000
BODY_WEIGHT = 1.0
_CHUNK = 500  # ids per statement, well under SQLite's variable limit


def _term(term: Term) -> str:
    # Tokens hold only CJK characters, a-z and 0-9, so quoting needs no escaping.
    return '"' + " ".join(term.tokens) + '"' + ("*" if term.prefix else "")


def match_expression(query: Query) -> str:
    return " AND ".join(_term(t) for t in query.terms)


def _pack(title: str, body: str) -> bytes:
    return zlib.compress(f"{title}\x00{body}".encode(), 1)


def _unpack(blob: bytes) -> tuple[str, str]:
    title, body = zlib.decompress(blob).decode().split("\x00", 1)
    return title, body


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
        with self.connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {FTS} (rowid, title, body) VALUES (%s, %s, %s)",
                [(e.id, e.title, e.body) for e in essays],
            )
            cursor.executemany(
                f"INSERT INTO {ENTRY} (essay_id, tokens) VALUES (%s, %s)",
                [(e.id, _pack(e.title, e.body)) for e in essays],
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
                    f"INSERT INTO {FTS} ({FTS}, rowid, title, body) VALUES ('delete', %s, %s, %s)",
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

    def search(self, query: Query, scope, *, offset: int, limit: int) -> SearchPage:
        expression = match_expression(query)
        scope_sql, scope_params = self.scope_sql(scope)
        # `+rowid`: without the plus SQLite hands each scope id to FTS5 as a rowid lookup
        # and re-runs the match per essay (seconds at a few thousand essays).
        where = f"{FTS} MATCH %s AND +rowid IN ({scope_sql})"
        in_title = f"rowid IN (SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s)"
        title_expression = "{title} : (" + expression + ")"
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*), coalesce(sum({in_title}), 0) FROM {FTS} WHERE {where}",
                [title_expression, expression, *scope_params],
            )
            total, title_total = cursor.fetchone()
            ranked = total <= RANK_LIMIT
            # Title hits, then the others: two queries, always both (a fixed count per page).
            order = f"bm25({FTS}, {TITLE_WEIGHT}, {BODY_WEIGHT}), rowid" if ranked else "rowid DESC"
            ids = []
            for in_title_wanted, page_offset, page_limit in (
                (True, min(offset, title_total), max(0, min(limit, title_total - offset))),
                (False, max(0, offset - title_total), None),
            ):
                if page_limit is None:
                    page_limit = limit - len(ids)
                cursor.execute(
                    f"SELECT rowid FROM {FTS} WHERE {where} AND {'' if in_title_wanted else 'NOT '}{in_title}"
                    f" ORDER BY {order} LIMIT %s OFFSET %s",
                    [expression, *scope_params, title_expression, page_limit, page_offset],
                )
                ids += [row[0] for row in cursor.fetchall()]
            return SearchPage(ids, total, ranked)

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
