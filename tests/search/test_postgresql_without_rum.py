"""PostgreSQL without the RUM extension: GIN matches, ts_rank ranks, results are the same set."""

import pytest
from django.db import connection

from essays.models import Essay
from essays.search.backends import Scope, base, get_backend
from essays.search.backends import postgresql as pg
from essays.search.tokens import parse_query
from tests.essays.factories import make_essay

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's index choice; the PostgreSQL run covers it"
)


@pytest.fixture
def without_rum(db):
    backend = get_backend()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX IF EXISTS {pg.RUM_INDEX}")
        cursor.execute(f"CREATE INDEX IF NOT EXISTS {pg.GIN_INDEX} ON {pg.ENTRY} USING gin (document)")
    backend._rum = None  # the test transaction rolls the DDL back; forget what was seen
    yield backend
    backend._rum = None


def test_gin_only_finds_and_ranks_title_hits_first(without_rum):
    make_essay(title="正文一次", body="党建。" + "学习。" * 20)
    make_essay(title="正文三次", body="党建。党建。党建。")
    make_essay(title="标题党建", body="学习。")
    assert not without_rum.uses_rum
    page = without_rum.search(parse_query("党建"), Scope(published_only=True), offset=0, limit=10)
    titles = list(Essay.objects.filter(pk__in=page.ids).values_list("title", flat=True))
    assert page.total == 3
    assert Essay.objects.get(pk=page.ids[0]).title == "标题党建"
    assert set(titles) == {"正文一次", "正文三次", "标题党建"}


def test_gin_only_orders_newest_first_past_the_count_limit(without_rum, monkeypatch):
    monkeypatch.setattr(base, "COUNT_LIMIT", 4)
    essays = [make_essay(title=f"第{i}篇", body="初心。") for i in range(4)]
    page = without_rum.search(parse_query("初心"), Scope(published_only=True), offset=1, limit=2)
    assert page.total == 4
    assert page.ids == [essays[2].pk, essays[1].pk]


def test_rebuild_recreates_the_best_index_available(db):
    from essays.search.index import rebuild_index

    make_essay(body="初心")
    rebuild_index()
    available = pg.has_index(connection, pg.RUM_INDEX) or pg.has_index(connection, pg.GIN_INDEX)
    assert available
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'")
        assert pg.has_index(connection, pg.RUM_INDEX) == (cursor.fetchone() is not None)
