"""A reader searches in a real Chromium: 初心 → a hit → 繁 → the words stay marked."""

import re

import pytest

from essays.ingest.script import to_simplified
from essays.models import Essay, Status
from essays.services import import_paths
from tests.conftest import SEEDS

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def seeded_site():
    outcomes = list(import_paths([str(SEEDS)], status=Status.PUBLISHED))
    assert all(o.ok for o in outcomes), [o.error for o in outcomes]


def test_search_open_a_hit_switch_to_traditional_and_the_hit_is_still_marked(
    live_server, page, screenshot, seeded_site
):
    page.goto(live_server.url + "/")
    box = page.get_by_role("searchbox", name="搜索文章")
    box.fill("初心")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    count = int(page.locator(".search-count strong").inner_text())
    hits = page.locator(".search-hit")
    assert count >= 3 and hits.count() == count
    assert hits.first.locator("mark").first.inner_text() == "初心"
    screenshot("search-01-results")

    title = hits.first.locator(".essay-item__title a")
    hit_title = title.inner_text().strip()
    title.click()
    page.wait_for_url(re.compile(r"/essays/\d+/\?hl="))
    essay = Essay.objects.get(pk=int(re.search(r"/essays/(\d+)/", page.url).group(1)))
    assert to_simplified(essay.title) == hit_title  # shown in the reader's script (简 by default)
    marks = page.locator(".essay-body mark")
    assert marks.count() == essay.body.count("初心") > 0
    assert marks.first.is_visible()
    screenshot("search-02-essay-marked")

    page.get_by_role("button", name="繁").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "zh-Hant"
    assert "hl=" in page.url
    marks = page.locator(".essay-body mark")
    assert marks.count() == essay.body.count("初心")
    assert {marks.nth(i).inner_text() for i in range(marks.count())} == {"初心"}
    # The mark is drawn: a highlight background, not just a tag.
    background = marks.first.evaluate("m => getComputedStyle(m).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    body = page.locator(".essay-body").inner_text()
    assert "們" in body or "為" in body or "黨" in body  # the text really is Traditional
    screenshot("search-03-essay-marked-traditional")


def test_traditional_search_finds_simplified_text_and_marks_it(live_server, page, screenshot, seeded_site):
    page.goto(live_server.url + "/search/?q=" + "幹部")
    hits = page.locator(".search-hit")
    assert hits.count() == int(page.locator(".search-count strong").inner_text()) > 0
    # Shown in Simplified (the reader's default script), marked where the essay says 干部.
    assert hits.first.locator("mark").first.inner_text() == "干部"
    screenshot("search-04-traditional-query")
