"""A reader walks the site in a real Chromium: home → theme → collection → essay → 繁 → admin."""

import re

import pytest
from django.contrib.auth import get_user_model

from essays.models import Essay, Status
from essays.services import add_themes, import_paths
from tests.conftest import SEEDS

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def seeded_site():
    outcomes = list(import_paths([str(SEEDS)], status=Status.PUBLISHED))
    assert all(o.ok for o in outcomes), [o.error for o in outcomes]
    # An editor files the Word-site seed under a theme, as they would in the admin.
    collection = Essay.objects.filter(title__contains="中小学基层党组织书记培训班学习心得").first().collection
    add_themes(collection.essays.all(), ["基层党建"])
    get_user_model().objects.create_superuser("editor", "", PASSWORD)
    return collection


def test_a_reader_walks_from_home_to_an_essay_and_switches_script(live_server, page, screenshot, seeded_site):
    """Every step of the reading path works in a browser, in both scripts, and is screenshotted."""
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    screenshot("01-home")

    page.get_by_role("link", name="基层党建").first.click()
    page.wait_for_url(re.compile(r"/themes/"))
    assert page.get_by_role("heading", name="基层党建").is_visible()
    screenshot("02-theme")

    page.locator(".essay-item .meta a", has_text="中小学基层党组织书记培训班学习心得").first.click()
    page.wait_for_url(re.compile(r"/collections/\d+/"))
    screenshot("03-collection")

    page.locator(".essay-item__title a").first.click()
    page.wait_for_url(re.compile(r"/essays/\d+/"))
    essay = Essay.objects.get(pk=int(re.search(r"/essays/(\d+)/", page.url).group(1)))
    assert page.locator("h1").first.inner_text().strip() == essay.title
    assert page.locator("#p1").is_visible()
    screenshot("04-essay")

    page.get_by_role("button", name="繁").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "zh-Hant"
    body = page.locator("main").inner_text()
    assert "黨" in body and "党" not in body
    screenshot("05-essay-traditional")

    # The choice is remembered on the next page.
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "zh-Hant"


def test_an_editor_logs_in_to_the_admin(live_server, page, screenshot, seeded_site):
    """The admin login works in a browser and shows the essays changelist."""
    page.goto(live_server.url + "/admin/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    screenshot("06-admin-login")
    page.locator("input[type=submit]").click()
    page.wait_for_url(live_server.url + "/admin/")

    page.goto(live_server.url + "/admin/essays/essay/")
    assert page.locator("#result_list").is_visible()
    assert page.get_by_text("中小学基层党组织书记培训班学习心得").first.is_visible()
    screenshot("07-admin-essays")
