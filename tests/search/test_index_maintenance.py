"""The index follows every write: save, bulk import, re-import, delete, rollback, rebuild."""

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from essays.models import Essay
from essays.search.backends import get_backend
from essays.search.index import matching_sql
from essays.search.tokens import parse_query
from essays.services import import_document
from tests.conftest import seed_bytes
from tests.essays.factories import make_collection, make_essay


def found(q) -> set[int]:
    """Ids the index matches, drafts included, straight from the backend."""
    sql, params = matching_sql(parse_query(q))
    with get_backend().connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}


def test_saving_an_edit_reindexes_the_essay(db):
    essay = make_essay(title="旧标题", body="原来讲初心。")
    assert found("初心") == {essay.pk}
    essay.body = "现在讲使命。"
    essay.save()
    assert found("初心") == set()
    assert found("使命") == {essay.pk}
    essay.title = "新標題"
    essay.save(update_fields=["title"])
    assert found("新标题") == {essay.pk} and found("旧标题") == set()


def test_saves_that_do_not_touch_text_leave_the_index_alone(db):
    essay = make_essay(body="初心")
    with CaptureQueriesContext(connection) as queries:
        essay.save(update_fields=["position"])
    assert queries.captured_queries
    assert not [q for q in queries.captured_queries if "essays_search" in q["sql"]]
    assert found("初心") == {essay.pk}


def test_deleting_an_essay_or_its_collection_removes_it(db):
    collection = make_collection()
    a = make_essay(collection=collection, body="初心一")
    b = make_essay(collection=collection, body="初心二")
    c = make_essay(body="初心三")
    a.delete()
    assert found("初心") == {b.pk, c.pk}
    collection.delete()
    assert found("初心") == {c.pk}


def test_bulk_import_indexes_every_new_essay(db):
    created = sum(
        import_document(seed_bytes(n), f"seeds/{n}.txt").essays_created for n in ("000", "001", "002")
    )
    assert created > 3
    essays = list(Essay.objects.all())
    assert get_backend().indexed_count() == len(essays)
    for essay in essays:
        assert essay.pk in found(essay.title[:4] if len(essay.title) >= 2 else essay.body[:4])


def test_a_rolled_back_write_leaves_no_trace_in_the_index(db):
    essay = make_essay(body="初心")
    with pytest.raises(RuntimeError), transaction.atomic():
        essay.body = "使命"
        essay.save()
        make_essay(body="使命")
        raise RuntimeError
    assert found("初心") == {essay.pk}
    assert found("使命") == set()


def test_rebuild_command_restores_a_lost_index(db, capsys):
    essays = [make_essay(body=f"初心{i}") for i in range(3)]
    get_backend().clear()
    assert found("初心") == set()
    call_command("rebuild_search_index")
    assert found("初心") == {e.pk for e in essays}
    assert "3 篇" in capsys.readouterr().out


def test_reindexing_twice_does_not_duplicate(db):
    essay = make_essay(body="初心")
    essay.save()
    essay.save()
    assert get_backend().indexed_count() == 1
    assert found("初心") == {essay.pk}


def test_publishing_and_withdrawing_move_an_essay_in_and_out_of_readers_searches(db):
    from essays.models import Status
    from essays.search.query import SearchRequest
    from essays.services.curation import publish_essays, unpublish_essays

    def readers_find(q):
        return {hit.essay.pk for hit in SearchRequest(q).run().object_list}

    essay = make_essay(body="初心", status=Status.DRAFT)
    assert readers_find("初心") == set() and found("初心") == {essay.pk}
    publish_essays([essay])
    assert readers_find("初心") == {essay.pk}
    unpublish_essays([essay])
    assert readers_find("初心") == set()
    essay.refresh_from_db()
    essay.status = Status.PUBLISHED
    essay.save(update_fields=["status"])  # the admin form's way: save() re-indexes
    assert readers_find("初心") == {essay.pk}


def test_a_stale_published_flag_never_shows_a_draft(db):
    from essays.models import Status
    from essays.search.query import SearchRequest

    essay = make_essay(title="将成草稿", body="初心")
    Essay.objects.filter(pk=essay.pk).update(status=Status.DRAFT)  # bypasses save() and the index
    assert SearchRequest("初心").run().object_list == []
