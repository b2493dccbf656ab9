"""A reader browses in a real Chromium, at 1280 and 390 px (issue 17, items 6 and 7): all
essays in three orders, a year, the themes by pinyin and by size, a dated essay header, the
search filters without a word and short snippets."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from essays.models import Status
from essays.services import import_paths
from tests.conftest import SEEDS
from tests.essays.factories import make_collection, make_essay

pytestmark = pytest.mark.django_db(transaction=True)
WIDTHS = (1280, 390)


@pytest.fixture
def shelf():
    now = timezone.now()
    old = make_collection("旧辑", date_year=2019, date_month=7, date_day=1)
    new = make_collection("新辑", date_year=2023)
    for i, (title, collection, length, fragment) in enumerate(
        [
            ("乡村振兴心得", old, 3000, False),
            ("主题教育体会", new, 1000, False),
            ("初心使命感悟", old, 2000, False),
            ("爱岗敬业", new, 500, False),
            ("坚定了理", new, 66, True),
        ]
    ):
        make_essay(
            collection,
            title,
            body=("学习" * (length // 2) + "\n") * 2,
            published_at=now - timedelta(days=10 - i),
            is_fragment=fragment,
            themes=[title[:2], "学习"],
        )


def listed(page) -> list[str]:
    return [t.strip() for t in page.locator(".essay-item__title a").all_inner_texts()]


def overflows(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")


@pytest.mark.parametrize("width", WIDTHS)
def test_all_essays_years_and_themes(live_server, page, screenshot, shelf, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/")
    assert "坚定了理" not in page.locator("main").inner_text()  # no fragment on the home page
    page.get_by_role("link", name="全部文章 →").click()
    page.wait_for_url(re.compile(r"/essays/$"))
    assert listed(page) == ["爱岗敬业", "初心使命感悟", "主题教育体会", "乡村振兴心得", "坚定了理"]
    assert not overflows(page)
    screenshot(f"browse-01-all-essays-{width}")
    page.locator(".sort-links").get_by_role("link", name="标题拼音").click()
    page.wait_for_url(re.compile(r"sort=title"))
    assert listed(page) == ["爱岗敬业", "初心使命感悟", "乡村振兴心得", "主题教育体会", "坚定了理"]
    page.locator(".sort-links").get_by_role("link", name="篇幅").click()
    page.wait_for_url(re.compile(r"sort=length"))
    assert listed(page) == ["乡村振兴心得", "初心使命感悟", "主题教育体会", "爱岗敬业", "坚定了理"]
    screenshot(f"browse-02-all-essays-by-length-{width}")

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="年份").click()
    page.get_by_role("link", name=re.compile("2019 年")).click()
    page.wait_for_url(re.compile(r"/years/2019/$"))
    assert listed(page) == ["初心使命感悟", "乡村振兴心得"]
    screenshot(f"browse-03-year-{width}")
    page.get_by_role("link", name="乡村振兴心得").click()
    date = page.locator(".essay-header time.essay-date")
    assert date.inner_text() == "2019年7月1日" and date.is_visible()
    assert date.get_attribute("datetime") == "2019-07-01"
    screenshot(f"browse-04-essay-dated-{width}")

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="主题").click()
    names = [n.strip() for n in page.locator(".index-list > li > a").all_inner_texts()]
    assert names == ["爱岗", "初心", "坚定", "乡村", "学习", "主题"]
    page.locator(".sort-links").get_by_role("link", name="篇数").click()
    names = [n.strip() for n in page.locator(".index-list > li > a").all_inner_texts()]
    assert names[0] == "学习"
    assert not overflows(page)
    screenshot(f"browse-05-themes-by-size-{width}")


@pytest.mark.parametrize("width", WIDTHS)
def test_search_filters_without_a_word_and_short_snippets(live_server, page, screenshot, width):
    outcomes = list(import_paths([str(SEEDS)], status=Status.PUBLISHED))
    assert all(o.ok for o in outcomes)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/search/?q=%E5%88%9D%E5%BF%83")  # 初心
    snippets = page.locator(".search-hit__snippet").all_inner_texts()
    assert snippets and all(len(s.replace("…", "")) <= 160 for s in snippets), [len(s) for s in snippets]
    assert all(s.strip("…").count("…") <= 1 for s in snippets)
    screenshot(f"search-snippets-{width}")
    # A theme chosen, no word: every essay of the theme, newest first.
    page.goto(live_server.url + "/search/")
    theme = page.locator("select[name=theme] option").nth(1)
    theme_name = theme.inner_text()
    page.locator("select[name=theme]").select_option(index=1)
    page.locator(".search-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"theme="))
    assert page.locator(".search-count").inner_text().startswith("共")
    hits = page.locator(".search-hit")
    assert hits.count() >= 1
    assert theme_name in hits.first.locator(".theme-tags").inner_text()
    assert not overflows(page)
    screenshot(f"search-browse-theme-{width}")
