"""Migration 0008 moves an existing index to one that knows which essays are published,
without re-tokenising, and back again."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from essays.models import Status
from essays.search.index import matching_sql
from essays.search.query import SearchRequest
from essays.search.tokens import parse_query
from tests.essays.factories import make_essay

BEFORE = ("essays", "0007_essay_collection_status_index")
AFTER = ("essays", "0008_search_published_flag")


def migrate(target=None):
    """To `target`, or (without one) to the latest migration, as every other test expects."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target] if target else executor.loader.graph.leaf_nodes("essays"))


def matched(q) -> set[int]:
    sql, params = matching_sql(parse_query(q))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db(transaction=True)
def test_the_index_survives_the_migration_both_ways():
    published = make_essay(title="已发布", body="不忘初心。")
    draft = make_essay(title="草稿", body="初心如磐。", status=Status.DRAFT)
    try:
        _round_trip(published, draft)
    finally:
        migrate()
    draft.delete()  # the carried-over tokens delete cleanly from the contentless table
    assert matched("初心") == {published.pk}


def _round_trip(published, draft):
    try:
        migrate(BEFORE)
        with connection.cursor() as cursor:  # the two-column table of 0002, still filled
            cursor.execute(
                "SELECT rowid FROM essays_search_fts WHERE essays_search_fts MATCH %s"
                if connection.vendor == "sqlite"
                else "SELECT essay_id FROM essays_search_entry WHERE document @@ %s::tsquery",
                ['"初心"' if connection.vendor == "sqlite" else "'初心'"],
            )
            assert {row[0] for row in cursor.fetchall()} == {published.pk, draft.pk}
    finally:
        migrate(AFTER)
    assert matched("初心") == {published.pk, draft.pk}
    migrate()  # the essay model reads columns later migrations add
    assert {h.essay.pk for h in SearchRequest("初心").run().object_list} == {published.pk}
    assert {h.essay.pk for h in SearchRequest("初心").run(published_only=False).object_list} == {
        published.pk,
        draft.pk,
    }
