"""The essay changelist on a laptop: at 1280 px, filters open, the title column holds at least
20 characters a line and no column hides behind a sideways scroll. Screenshots at 1280 and
390 px land in var/screenshots/ (admin-changelist-*.png)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from essays.models import Status
from tests.essays.admin_factories import make_author, make_collection, make_essay

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct-horse-battery-staple"
# Real lengths: a title of 38 characters, a 33-character collection, a long unit.
TITLE = "不忘初心牢记使命，在新时代基层治理中践行党员干部的责任与担当心得体会"
COLLECTION = "2023年度全县党员干部主题教育学习心得体会优秀文章汇编（第二辑）"
UNIT = "中共某某市某某区委组织部干部监督科"


def sign_in(page, url):
    get_user_model().objects.create_superuser("editor", password=PASSWORD)
    page.goto(url)
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/essays/essay/$"))


def test_the_essay_list_is_readable_on_a_laptop(live_server, page, screenshot):
    collection = make_collection(COLLECTION)
    for i in range(12):
        make_essay(
            f"{TITLE}（{i + 1}）",
            collection=collection,
            author=make_author(f"王{i}明", UNIT),
            themes=("主题教育", "党的建设"),
            status=Status.PUBLISHED if i % 2 else Status.DRAFT,
            published_at=timezone.now() if i % 2 else None,
            is_fragment=i == 3,
        )
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, f"{live_server.url}/admin/essays/essay/")

    assert page.locator("#changelist-filter").is_visible()  # the filters are open beside it
    title_header = page.locator("#result_list th.column-title_column")
    font_size = page.locator("#result_list .field-title_column").first.evaluate(
        "cell => parseFloat(getComputedStyle(cell).fontSize)"
    )
    width = title_header.bounding_box()["width"]
    print(f"title column at 1280 px: {width:.0f} px = {width / font_size:.1f} characters")
    assert width / font_size >= 20

    # Every column is on screen: neither the page nor the list's own box scrolls sideways.
    viewport = page.evaluate("() => document.documentElement.clientWidth")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= viewport
    results = page.locator("#changelist .results")
    assert results.evaluate("box => box.scrollWidth <= box.clientWidth")
    right_edge = results.evaluate("box => box.getBoundingClientRect().right")
    for column in (
        "title_column",
        "author_column",
        "collection_column",
        "status",
        "published_on",
        "char_count",
    ):
        box = page.locator(f"#result_list th.column-{column}").bounding_box()
        assert box is not None and box["x"] + box["width"] <= min(viewport, right_edge) + 1, column

    # A 40-character title takes two lines at most, not a tall column of 2–3 characters.
    line_height = font_size * 1.6
    tallest = max(
        cell.bounding_box()["height"] for cell in page.locator("#result_list .field-title_column").all()
    )
    assert tallest <= 2 * line_height + 12
    assert page.locator("#result_list .essay-row__mark", has_text="残篇").count() == 1
    screenshot("admin-changelist-1280")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.locator("#result_list .field-title_column").first.is_visible()
    screenshot("admin-changelist-390")
