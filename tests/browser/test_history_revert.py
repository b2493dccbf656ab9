"""An editor changes an essay in a real Chromium, compares it with the version before and
reverts it from its history; the reading site shows the restored essay. Screenshots land in
var/screenshots/ (history-*.png)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from essays.models import Status
from essays.search.backends import _instances
from tests.essays.admin_factories import make_author, make_collection, make_essay
from tests.history.conftest import _Null

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct-horse-battery-staple"
TITLE = "学习二十大精神心得体会"
BODY = "第一段：学习党的二十大精神。\n第二段：坚定理想信念。\n第三段：立足岗位作贡献。"


def test_an_editor_edits_compares_and_reverts_an_essay(live_server, page, screenshot):
    from playwright.sync_api import expect  # as the chromium fixture: only once a browser is there

    get_user_model().objects.create_user("editor", password=PASSWORD)
    call_command("setup_roles", editor=["editor"], stdout=_Null())
    essay = make_essay(
        TITLE,
        collection=make_collection("党员学习心得体会汇编"),
        author=make_author("张静", "市财政局"),
        body=BODY,
        themes=("党的建设", "理想信念"),
        status=Status.PUBLISHED,
        published_at=timezone.now(),
    )
    # The search index caches its backend with this thread's database connection, which the
    # live server's request threads may not use (reported; essays.search.backends.get_backend).
    _instances.clear()
    page.goto(f"{live_server.url}/admin/essays/essay/{essay.pk}/change/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url(re.compile(rf"/admin/essays/essay/{essay.pk}/change/$"))

    # An edit that goes wrong: a new title, a paragraph rewritten, a theme swapped.
    page.fill("#id_title", "改错的标题")
    page.fill("#id_body", BODY.replace("坚定理想信念", "坚定共产主义理想信念"))
    page.fill("#id_themes", "理想信念、初心使命")
    page.locator("input[name=_continue]").click()
    page.wait_for_url(re.compile(rf"/admin/essays/essay/{essay.pk}/change/$"))

    page.get_by_role("link", name="历史").click()
    page.wait_for_url(re.compile(r"/history/$"))
    rows = page.locator("#history-versions tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("editor")
    expect(rows.first).to_contain_text("标题、正文、主题")
    screenshot("history-1-versions")

    rows.first.get_by_role("link", name="比较上一版本").click()
    page.wait_for_url(re.compile(r"/history/compare/"))
    expect(page.locator(".history-diff del", has_text="党的建设")).to_be_visible()
    expect(page.locator(".history-diff ins", has_text="初心使命")).to_be_visible()
    expect(page.locator(".history-diff ins", has_text="共产主义")).to_be_visible()
    screenshot("history-2-compare")

    page.go_back()
    rows.nth(1).get_by_role("link", name="恢复到此版本").click()
    page.wait_for_url(re.compile(r"/revert/$"))
    screenshot("history-3-revert-confirm")
    page.get_by_role("button", name="确认恢复").click()
    page.wait_for_url(re.compile(r"/history/$"))
    expect(page.locator(".messagelist")).to_contain_text("恢复到版本")
    expect(page.locator("#history-versions tbody tr")).to_have_count(3)
    expect(page.locator("#history-versions tbody tr").first).to_contain_text("恢复到版本")
    screenshot("history-4-reverted")

    page.goto(live_server.url + essay.get_absolute_url())
    expect(page.locator("h1")).to_contain_text(TITLE)
    expect(page.locator("body")).not_to_contain_text("共产主义")
    expect(page.locator("body")).to_contain_text("党的建设")
