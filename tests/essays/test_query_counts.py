"""Every reading page runs the same number of SQL queries however much it lists."""

import pytest
from django.urls import reverse

from .factories import make_author, make_collection, make_essay, make_essays

SIZES = [1, 50]


@pytest.fixture(autouse=True)
def _everything_on_one_page(settings):
    # With everything on one page a per-row query would show up as extra queries.
    settings.ANTHOLOGY_PAGE_SIZE = 100
    # The views' own queries: a cached page adds one (its generation) and may run none.
    settings.ANTHOLOGY_PAGE_CACHE = False


def _essays_with_many_themes(n):
    collection = make_collection()
    themes = [f"主题{i}" for i in range(n)]
    for i in range(n):
        make_essay(
            collection=collection,
            title=f"第{i}篇",
            author=make_author(f"作者{i}", f"单位{i}"),
            themes=themes,
            position=i + 1,
        )
    return collection


def _many_collections(n):
    for i in range(n):
        make_essays(1, collection=make_collection(f"文集{i}"), themes=(f"主题{i}",))


@pytest.mark.parametrize("n", SIZES)
def test_home_runs_five_queries_whatever_it_lists(db, client, django_assert_num_queries, n):
    """Home runs 5 queries: themes, collections, the newest complete essays, their themes, the years."""
    _many_collections(n)
    with django_assert_num_queries(5):
        assert client.get(reverse("essays:home")).status_code == 200


@pytest.mark.parametrize("n", SIZES)
def test_theme_list_runs_one_query_whatever_it_lists(db, client, django_assert_num_queries, n):
    """The theme list runs 1 query: the themes in use with their kept counts (sorted by
    pinyin in Python: a few hundred rows)."""
    _essays_with_many_themes(n)
    for sort in ("pinyin", "size"):
        with django_assert_num_queries(1):
            assert client.get(reverse("essays:theme_list"), {"sort": sort}).status_code == 200


@pytest.mark.parametrize("n", SIZES)
def test_browsing_pages_run_a_fixed_number_of_queries(db, client, django_assert_num_queries, n):
    """All essays: the kept total, the essays, their themes. Years: the kept counts. A year:
    its kept count, the essays, their themes."""
    for i in range(n):
        make_essays(1, collection=make_collection(f"文集{i}", date_year=2020), themes=(f"主题{i}",))
    for sort in ("newest", "title", "length"):
        with django_assert_num_queries(3):
            assert client.get(reverse("essays:essay_list"), {"sort": sort}).status_code == 200
    with django_assert_num_queries(1):
        assert client.get(reverse("essays:year_list")).status_code == 200
    with django_assert_num_queries(3):
        assert client.get(reverse("essays:year_detail", args=[2020])).status_code == 200


@pytest.mark.parametrize("n", SIZES)
def test_theme_page_runs_four_queries_whatever_it_lists(db, client, django_assert_num_queries, n):
    """A theme page runs 4 queries: the theme, the kept essay total, the essays, their themes."""
    _essays_with_many_themes(n)
    url = reverse("essays:theme_detail", kwargs={"slug": "主题0"})
    with django_assert_num_queries(4):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("n", SIZES)
def test_collection_list_runs_two_queries_whatever_it_lists(db, client, django_assert_num_queries, n):
    """The collection list runs 2 queries: the count and the page of collections with counts."""
    _many_collections(n)
    with django_assert_num_queries(2):
        assert client.get(reverse("essays:collection_list")).status_code == 200


@pytest.mark.parametrize("n", SIZES)
def test_collection_page_runs_four_queries_whatever_it_lists(db, client, django_assert_num_queries, n):
    """A collection page runs 4 queries: the collection, the essay count, the essays, their themes."""
    collection = _essays_with_many_themes(n)
    with django_assert_num_queries(4):
        assert client.get(collection.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("n", SIZES)
def test_essay_page_runs_four_queries_whatever_it_shows(db, client, django_assert_num_queries, n):
    """An essay page runs 4 queries: the essay with collection and author, its themes, its
    siblings, and its related essays as stored."""
    collection = _essays_with_many_themes(n)
    essay = collection.essays.order_by("position").last()
    with django_assert_num_queries(4):
        page = client.get(essay.get_absolute_url())
    assert page.status_code == 200
    assert len(page.context["related"]) == min(n - 1, 5)  # the stored list was read


@pytest.mark.parametrize("n", SIZES)
def test_author_list_runs_two_queries_whatever_it_lists(db, client, django_assert_num_queries, n):
    """The author list runs 2 queries: the count and the page of authors with counts."""
    _essays_with_many_themes(n)
    with django_assert_num_queries(2):
        assert client.get(reverse("essays:author_list")).status_code == 200


@pytest.mark.parametrize("n", SIZES)
def test_author_page_runs_three_queries_whatever_it_lists(db, client, django_assert_num_queries, n):
    """An author page runs 3 queries: the author with its kept count, the essays, their themes."""
    author = make_author()
    for i in range(n):
        make_essay(collection=make_collection(f"文集{i}"), author=author, themes=(f"主题{i}", "党的建设"))
    with django_assert_num_queries(3):
        assert client.get(author.get_absolute_url()).status_code == 200
