"""The search page runs the same number of SQL queries however many essays it lists."""

import pytest
from django.db import connection
from django.urls import reverse

from tests.essays.factories import make_author, make_collection, make_essay

# Backend queries (count, title hits, other hits), then the page's essays, their themes, and
# the filter form's themes and collections. PostgreSQL counts inside a transaction of its own
# (a savepoint in this test) with planner switches set and put back: 4 more.
EXPECTED = {"sqlite": 3 + 4, "postgresql": 3 + 4 + 4}


@pytest.fixture(autouse=True)
def _everything_on_one_page(settings):
    settings.ANTHOLOGY_PAGE_SIZE = 100
    settings.ANTHOLOGY_PAGE_CACHE = False  # the view's own queries (essays.pagecache adds one)


@pytest.mark.parametrize("n", [1, 50])
def test_search_page_runs_a_fixed_number_of_queries(db, client, django_assert_num_queries, n):
    for i in range(n):
        make_essay(
            collection=make_collection(f"文集{i}"),
            title=f"第{i}篇初心" if i % 2 else f"第{i}篇",
            body="践行初心使命。" * (i + 1),
            author=make_author(f"作者{i}", f"单位{i}"),
            themes=[f"主题{i}", "党的建设"],
        )
    url = reverse("essays:search")
    client.get(url, {"q": "预热"})  # the backend looks up once per process whether RUM is there
    with django_assert_num_queries(EXPECTED[connection.vendor]):
        response = client.get(url, {"q": "初心"})
    assert response.content.decode().count("search-hit__snippet") == n
