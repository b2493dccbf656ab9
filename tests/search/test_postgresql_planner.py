"""PostgreSQL: the planner switches a search sets for its count never outlive the count."""

import pytest
from django.db import DatabaseError, connection, transaction

from essays.search.query import SearchRequest
from tests.essays.factories import make_essay

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL planner settings; the PostgreSQL run covers it"
)


def settings_now() -> tuple[str, str, str]:
    with connection.cursor() as cursor:
        values = []
        for name in ("enable_seqscan", "enable_indexscan", "enable_bitmapscan"):
            cursor.execute(f"SHOW {name}")
            values.append(cursor.fetchone()[0])
    return tuple(values)


@pytest.mark.parametrize("q", ["初心", "焦裕禄", "初 心"])
def test_searching_leaves_the_planner_as_it_found_it(db, q):
    make_essay(title="焦裕禄", body="不忘初心。" * 30)
    before = settings_now()
    assert before == ("on", "on", "on")
    SearchRequest(q).run()
    assert settings_now() == before


def test_a_failing_count_leaves_nothing_behind(db, monkeypatch):
    from essays.search.backends import base

    make_essay(body="初心")
    monkeypatch.setattr(base, "COUNT_LIMIT", "not a number")
    with pytest.raises(DatabaseError), transaction.atomic():
        SearchRequest("初心").run()
    assert settings_now() == ("on", "on", "on")
