"""The search index learns which essays are published.

A reader's search used to check every hit against essays_essay (`id IN (SELECT … WHERE
status = 'published')`), which at 100,000 essays cost more than the search itself. The flag
now lives in the index: a third FTS5 column `scope` holding the token "published" on SQLite,
a `published` column on PostgreSQL. Existing entries are carried over, not re-tokenised.
"""

import zlib

from django.db import migrations

_BATCH = 500

SQLITE_FTS = (
    "CREATE VIRTUAL TABLE essays_search_fts USING fts5(title, body, scope, content='',"
    " tokenize='unicode61 remove_diacritics 0', prefix='1')"
)
SQLITE_FTS_BEFORE = (
    "CREATE VIRTUAL TABLE essays_search_fts USING fts5("
    "title, body, content='', tokenize='unicode61 remove_diacritics 0', prefix='1')"
)


def _sqlite_refill(cursor, *, with_scope: bool) -> None:
    """Rebuild the FTS table from the packed tokens in essays_search_entry, in id batches."""
    last = -1
    while True:
        cursor.execute(
            "SELECT s.essay_id, s.tokens, e.status FROM essays_search_entry s"
            " LEFT JOIN essays_essay e ON e.id = s.essay_id"
            " WHERE s.essay_id > %s ORDER BY s.essay_id LIMIT %s",
            [last, _BATCH],
        )
        rows = cursor.fetchall()
        if not rows:
            return
        last = rows[-1][0]
        fts_rows, packed = [], []
        for essay_id, blob, status in rows:
            title, body = zlib.decompress(bytes(blob)).decode().split("\x00")[:2]
            columns = [title, body]
            if with_scope:
                columns.append("published" if status == "published" else "")
            fts_rows.append((essay_id, *columns))
            packed.append((zlib.compress("\x00".join(columns).encode(), 1), essay_id))
        names = "rowid, title, body, scope" if with_scope else "rowid, title, body"
        marks = ", ".join(["%s"] * len(fts_rows[0]))
        cursor.executemany(f"INSERT INTO essays_search_fts ({names}) VALUES ({marks})", fts_rows)
        cursor.executemany("UPDATE essays_search_entry SET tokens = %s WHERE essay_id = %s", packed)


def _sqlite(create: str, *, with_scope: bool):
    def run(cursor):
        cursor.execute("DROP TABLE essays_search_fts")
        cursor.execute(create)
        _sqlite_refill(cursor, with_scope=with_scope)
        cursor.execute("INSERT INTO essays_search_fts (essays_search_fts) VALUES ('optimize')")

    return run


def _postgresql_forward(cursor):
    cursor.execute("ALTER TABLE essays_search_entry ADD COLUMN published boolean NOT NULL DEFAULT false")
    cursor.execute(
        "UPDATE essays_search_entry s SET published = true FROM essays_essay e"
        " WHERE e.id = s.essay_id AND e.status = 'published'"
    )
    # Counting reads GIN's bitmap, also beside RUM (see essays/search/backends/postgresql.py).
    cursor.execute(
        "CREATE INDEX IF NOT EXISTS essays_search_document_gin ON essays_search_entry USING gin (document)"
    )


def _postgresql_backward(cursor):
    cursor.execute("ALTER TABLE essays_search_entry DROP COLUMN published")
    # Before 0008 GIN stood in only where RUM was missing.
    cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'essays_search_document_rum'")
    if cursor.fetchone():
        cursor.execute("DROP INDEX IF EXISTS essays_search_document_gin")


def _by_vendor(steps):
    def run(apps, schema_editor):
        step = steps.get(schema_editor.connection.vendor)
        if step is None:
            raise RuntimeError(f"search index: no schema for {schema_editor.connection.vendor}")
        with schema_editor.connection.cursor() as cursor:
            step(cursor)

    return run


class Migration(migrations.Migration):
    atomic = True

    dependencies = [
        ("essays", "0007_essay_collection_status_index"),
    ]

    operations = [
        migrations.RunPython(
            _by_vendor({"sqlite": _sqlite(SQLITE_FTS, with_scope=True), "postgresql": _postgresql_forward}),
            _by_vendor(
                {"sqlite": _sqlite(SQLITE_FTS_BEFORE, with_scope=False), "postgresql": _postgresql_backward}
            ),
        ),
    ]
