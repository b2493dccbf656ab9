"""Full-text search index tables, outside Django's model state.

The tables hold tokens made in Python (essays.search.tokens), so they are written by
essays.search, never by the ORM; `makemigrations` does not see them. Each database gets the
structure that answers fast on it (essays/search/backends/).
"""

from django.db import DatabaseError, migrations, transaction

SQLITE_FORWARD = [
    # Contentless: the index alone, no second copy of the tokens. Deleting from a
    # contentless table needs the tokens that were inserted, kept compressed beside it.
    "CREATE VIRTUAL TABLE essays_search_fts USING fts5("
    "title, body, content='', tokenize='unicode61 remove_diacritics 0', prefix='1')",
    "CREATE TABLE essays_search_entry (essay_id integer PRIMARY KEY, tokens blob NOT NULL)",
]
SQLITE_BACKWARD = [
    "DROP TABLE IF EXISTS essays_search_entry",
    "DROP TABLE IF EXISTS essays_search_fts",
]

POSTGRESQL_FORWARD = [
    "CREATE TABLE essays_search_entry ("
    " essay_id bigint PRIMARY KEY,"
    " title tsvector NOT NULL,"
    " document tsvector NOT NULL)",
    "CREATE INDEX essays_search_title_gin ON essays_search_entry USING gin (title)",
]
POSTGRESQL_BACKWARD = ["DROP TABLE IF EXISTS essays_search_entry"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor)
        if statements is None:
            raise RuntimeError(f"search index: no schema for {schema_editor.connection.vendor}")
        with schema_editor.connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    return run


def create_document_index(apps, schema_editor):
    """RUM when the extension is installed (ranks from the index), else GIN (matches only).

    The same choice is made again by `rebuild_search_index` once RUM gets installed.
    """
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'")
        if cursor.fetchone():
            try:
                with transaction.atomic(using=connection.alias):
                    cursor.execute("CREATE EXTENSION IF NOT EXISTS rum")
                    cursor.execute(
                        "CREATE INDEX essays_search_document_rum ON essays_search_entry"
                        " USING rum (document rum_tsvector_ops)"
                    )
                return
            except DatabaseError:  # no right to create extensions: GIN still answers
                pass
        cursor.execute("CREATE INDEX essays_search_document_gin ON essays_search_entry USING gin (document)")


class Migration(migrations.Migration):
    atomic = True

    dependencies = [
        ("essays", "0001_initial_collections_essays_authors_themes"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRESQL_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRESQL_BACKWARD}),
        ),
        migrations.RunPython(create_document_index, migrations.RunPython.noop),
    ]
