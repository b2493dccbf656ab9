"""Related essays under an essay: text overlap first, then shared themes; published only."""

import pytest
from django.utils import timezone

from essays.models import DuplicatePair, Essay, Status
from tests.essays.factories import make_collection, make_essay

pytestmark = pytest.mark.django_db


def titles(essays):
    return [e.title for e in essays]


def pair(a, b, similarity, passages=0):
    a, b = sorted((a, b), key=lambda e: e.pk)
    return DuplicatePair.objects.create(
        essay_a=a,
        essay_b=b,
        similarity=similarity,
        near_duplicate=similarity >= 0.8,
        passage_count=passages,
        detected_at=timezone.now(),
    )


def test_essays_sharing_more_themes_come_first_and_the_essay_itself_never():
    essay = make_essay(title="本文", themes=("党建", "初心使命", "廉政"))
    make_essay(title="一个共同主题", themes=("党建",))
    make_essay(title="三个共同主题", themes=("党建", "初心使命", "廉政"))
    make_essay(title="两个共同主题", themes=("初心使命", "廉政", "其他"))
    make_essay(title="毫不相干", themes=("其他",))

    related = Essay.objects.related_to(essay)

    assert titles(related) == ["三个共同主题", "两个共同主题", "一个共同主题"]
    assert [e.shared_themes for e in related] == [3, 2, 1]


def test_an_essay_whose_text_overlaps_ranks_above_theme_matches_even_without_a_theme():
    essay = make_essay(title="本文", themes=("党建", "初心使命"))
    make_essay(title="同主题", themes=("党建", "初心使命"))
    copy = make_essay(title="转载", themes=())
    pair(essay, copy, 0.93)

    related = Essay.objects.related_to(essay)

    assert titles(related) == ["转载", "同主题"]
    assert related[0].similarity == pytest.approx(0.93)


def test_drafts_are_never_related_and_at_most_five_are_shown():
    essay = make_essay(title="本文", themes=("党建",))
    draft = make_essay(title="草稿", themes=("党建",), status=Status.DRAFT)
    pair(essay, draft, 0.99)
    for i in range(7):
        make_essay(title=f"第{i}篇", collection=make_collection(f"文集{i}"), themes=("党建",))

    related = Essay.objects.related_to(essay)

    assert len(related) == 5
    assert "草稿" not in titles(related)


def test_the_essay_page_lists_related_essays_escaped(client):
    essay = make_essay(title="本文", themes=("党建",))
    make_essay(title="<b>相关</b>", themes=("党建",))

    page = client.get(essay.get_absolute_url()).content.decode()

    assert "相关文章" in page
    assert "&lt;b&gt;相关&lt;/b&gt;" in page and "<b>相关</b>" not in page
