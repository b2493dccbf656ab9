"""The reading pages' queries are answered from the indexes made for them, on SQLite and on
PostgreSQL (the suite runs on both): checked in each database's own query plan.

A test database holds a few rows, where PostgreSQL rightly prefers reading the whole table;
sequential scans and sorts are priced out for these statements so that the plan shows
whether the index can serve them at all.
"""

import pytest
from django.db import connection
from django.db.models import Q

from essays.models import Essay, Status, Theme, ThemedEssay
from essays.paging import ORDERS, _after, in_order, newest_first
from essays.related import RelatedEssay

from .factories import make_collection, make_essay

pytestmark = pytest.mark.django_db


@pytest.fixture
def essays():
    # Five years, so that a year is as selective as it is in a real archive.
    collections = [make_collection(date_year=2016 + i) for i in range(5)]
    made = [
        make_essay(collections[i % 5], f"第{i}篇", themes=["党的建设", "初心使命"][: 1 + i % 2])
        for i in range(30)
    ]
    return made


def plan(queryset) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
        else:
            cursor.execute("ANALYZE")
    return queryset.explain()


def uses(queryset, index: str) -> bool:
    text = plan(queryset)
    assert index in text, text
    if connection.vendor == "sqlite":
        # SQLite names every table it reads without an index "SCAN <table>".
        assert "SCAN essays_essay" not in text.replace("SCAN essays_essay USING", ""), text
    return True


def test_the_newest_published_essays_are_read_in_index_order(essays):
    assert uses(newest_first(Essay.objects.published().for_list_page())[:20], "essay_list_newest")
    # The home page: complete essays only.
    assert uses(Essay.objects.published().complete().for_list_page().newest_first()[:20], "essay_list_newest")


def test_a_big_themes_page_walks_the_newest_first_index_and_seeks(essays):
    theme = Theme.objects.get(name="党的建设")
    pages = newest_first(Essay.objects.published().in_theme_newest_first(theme, share=0.5).for_list_page())
    assert uses(pages[:20], "essay_list_newest")
    last = essays[10]
    seek = pages.filter(
        Q(published_at__lte=last.published_at),
        Q(published_at__lt=last.published_at) | Q(pk__lt=last.pk),
        is_fragment=False,
    )
    assert uses(seek[:20], "essay_list_newest")


def _seek_statements(queryset, order: str, essay):
    """The statements essays.paging runs for a numbered page and for a page after `essay`."""
    ordered = in_order(queryset, order)
    o = ORDERS[order]
    key = getattr(essay, o.field)
    if o.descending:
        within = Q(**{f"{o.field}__lte": key}), Q(**{f"{o.field}__lt": key}) | Q(pk__lt=essay.pk)
    else:
        within = Q(**{f"{o.field}__gte": key}), Q(**{f"{o.field}__gt": key}) | Q(pk__gt=essay.pk)
    return [
        ordered[20:40],
        ordered.values_list("pk", flat=True)[20:40],  # a numbered page's ids (essays.paging)
        ordered.filter(*within, is_fragment=False)[:20],
        ordered.filter(is_fragment=True)[:20],
    ]


@pytest.mark.parametrize(
    "order, index",
    [("newest", "essay_list_newest"), ("title", "essay_list_title"), ("length", "essay_list_length")],
)
def test_every_order_of_the_all_essays_page_reads_its_index(essays, order, index):
    essay = Essay.objects.get(pk=essays[10].pk)
    for statement in _seek_statements(Essay.objects.published().for_list_page(), order, essay):
        assert uses(statement, index)
    # What paging runs is what was checked: the same rows as the statements above.
    assert [e.pk for e in _after(in_order(Essay.objects.published(), order), ORDERS[order], False,
                                 getattr(essay, ORDERS[order].field), essay.pk, limit=5)]  # fmt: skip


def test_a_year_page_reads_the_year_index(essays):
    year = essays[0].year
    assert year is not None
    essay = Essay.objects.get(pk=essays[10].pk)
    for statement in _seek_statements(
        Essay.objects.published().filter(year=year).for_list_page(), "newest", essay
    ):
        assert uses(statement, "essay_year_newest")


def test_a_themes_newest_essays_come_from_the_theme_index(essays):
    theme = Theme.objects.get(name="初心使命")
    candidates = (
        ThemedEssay.objects.filter(tag=theme, content_object__status=Status.PUBLISHED)
        .order_by("-content_object_id")
        .values_list("content_object_id", flat=True)[:100]
    )
    assert uses(candidates, "theme_essays_newest")


def test_stored_related_essays_are_read_by_rank(essays):
    query = RelatedEssay.objects.filter(essay=essays[0], other__status=Status.PUBLISHED).order_by("rank")[:5]
    assert RelatedEssay.objects.filter(essay=essays[0]).exists()
    assert uses(query, "related_essay_rank")
