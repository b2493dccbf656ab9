"""Ways to browse (issue 17, item 7): every essay in three orders, by year, themes by
pinyin or size, a date in the essay's header, fragments after complete essays."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from essays.models import Essay, Theme

from .factories import make_collection, make_essay

pytestmark = pytest.mark.django_db


def titles(response):
    return [e.title for e in response.context["page_obj"].object_list]


@pytest.fixture
def shelf():
    """Five essays: different dates, lengths and titles; the newest a fragment."""
    now = timezone.now()
    old = make_collection("旧辑", date_year=2019, date_month=7, date_day=1)
    new = make_collection("新辑", date_year=2023)
    made = {}
    for i, (title, collection, length, fragment) in enumerate(
        [
            ("乡村振兴心得", old, 3000, False),
            ("主题教育体会", new, 1000, False),
            ("初心使命感悟", old, 2000, False),
            ("爱岗敬业", new, 500, False),
            ("坚定了理", new, 66, True),
        ]
    ):
        made[title] = make_essay(
            collection,
            title,
            body="学" * length,
            published_at=now - timedelta(days=10 - i),
            is_fragment=fragment,
            themes=[title[:2]],
        )
    return made


def test_all_essays_newest_first_fragments_last(client, shelf):
    response = client.get(reverse("essays:essay_list"))
    assert titles(response) == ["爱岗敬业", "初心使命感悟", "主题教育体会", "乡村振兴心得", "坚定了理"]
    assert "共 5 篇" in response.content.decode()


def test_all_essays_by_title_in_pinyin_order(client, shelf):
    response = client.get(reverse("essays:essay_list"), {"sort": "title"})
    # ai, chu, xiang, zhu: not the code-point order (主 U+4E3B before 乡 U+4E61 before 初 U+521D).
    assert titles(response) == ["爱岗敬业", "初心使命感悟", "乡村振兴心得", "主题教育体会", "坚定了理"]


def test_all_essays_longest_first(client, shelf):
    response = client.get(reverse("essays:essay_list"), {"sort": "length"})
    assert titles(response) == ["乡村振兴心得", "初心使命感悟", "主题教育体会", "爱岗敬业", "坚定了理"]


@pytest.mark.parametrize("order", ["newest", "title", "length"])
def test_seeking_page_by_page_walks_every_essay_once(client, shelf, settings, order):
    settings.ANTHOLOGY_PAGE_SIZE = 2
    first = client.get(reverse("essays:essay_list"), {"sort": order})
    expected = titles(first)
    page, seen = first.context["page_obj"], list(expected)
    while page.has_next():
        response = client.get(
            reverse("essays:essay_list"),
            {"sort": order, "page": page.next_page_number(), "after": page.next_cursor},
        )
        page = response.context["page_obj"]
        seen += titles(response)
    assert len(seen) == 5 and len(set(seen)) == 5
    assert seen[-1] == "坚定了理"  # the fragment, after every complete essay
    # The same pages by number (OFFSET) give the same order.
    by_number = []
    for number in (1, 2, 3):
        by_number += titles(client.get(reverse("essays:essay_list"), {"sort": order, "page": number}))
    assert by_number == seen


def test_the_home_page_never_puts_a_fragment_forward(client, shelf):
    response = client.get(reverse("essays:home"))
    html = response.content.decode()
    assert "坚定了理" not in html
    assert "爱岗敬业" in html
    assert reverse("essays:essay_list") in html


def test_year_pages_list_the_years_essays_with_their_count(client, shelf):
    years = client.get(reverse("essays:year_list")).content.decode()
    assert "2023 年" in years and "2019 年" in years
    response = client.get(reverse("essays:year_detail", args=[2019]))
    assert titles(response) == ["初心使命感悟", "乡村振兴心得"]
    assert "2 篇文章" in response.content.decode()
    assert client.get(reverse("essays:year_detail", args=[2001])).status_code == 404


def test_the_essay_header_shows_the_date_when_known(client, shelf):
    html = client.get(shelf["乡村振兴心得"].get_absolute_url()).content.decode()
    header = html.split('<header class="essay-header">')[1].split("</header>")[0]
    assert '<time class="essay-date" datetime="2019-07-01">2019年7月1日</time>' in header
    undated = make_essay(make_collection("无日期"), "无日期的文章")
    html = client.get(undated.get_absolute_url()).content.decode()
    assert "essay-date" not in html


def test_themes_sorted_by_pinyin_and_by_size(client, shelf):
    Essay.objects.get(title="爱岗敬业").themes.add("主题")
    Essay.objects.get(title="乡村振兴心得").themes.add("主题")
    response = client.get(reverse("essays:theme_list"))
    names = [t.name for t in response.context["page_obj"].object_list]
    assert names == ["爱岗", "初心", "坚定", "乡村", "主题"]
    response = client.get(reverse("essays:theme_list"), {"sort": "size"})
    names = [t.name for t in response.context["page_obj"].object_list]
    assert names[0] == "主题" and Theme.objects.get(name="主题").kept_count.published == 3
    assert '<strong aria-current="true">篇数</strong>' in response.content.decode()


def test_sort_and_cursor_parameters_are_escaped_and_bad_ones_ignored(client, shelf):
    response = client.get(reverse("essays:essay_list"), {"sort": "<script>", "page": "2", "after": "x_<b>_1"})
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()
    assert response.context["sort"] == "newest"


def test_an_essay_page_marks_文章_in_the_header_not_文集(client):
    """A reader on an essay is in the essays section (the header's 文章 link is current)."""
    essay = make_essay(make_collection("某辑"), "学习体会", status="published")

    page = client.get(essay.get_absolute_url()).content.decode()

    header = page[page.index("<header") : page.index("</header>")]
    assert f'href="{reverse("essays:essay_list")}" aria-current="page">文章</a>' in header
    assert 'aria-current="page">文集</a>' not in header
