"""Ticking one box and saving in a real Chromium changes that box only (issue 17, item 3): the
browser submits the body with "\\r\\n" and the time as shown; history lists one changed field,
with the reason typed, and downloads keep their line ends. Screenshots at 1280 and 390 px."""

import re
from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from essays.models import Status
from essays.search.backends import _instances
from tests.essays.admin_factories import make_author, make_collection, make_essay
from tests.history.conftest import _Null

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct-horse-battery-staple"
BODY = "第一段：学习党的二十大精神。\n第二段：坚定理想信念。\n第三段：立足岗位作贡献。"
PUBLISHED = datetime(2024, 5, 3, 6, 15, 42, 654321, tzinfo=UTC)
REASON = "与原文核对：文末缺失"


def test_ticking_one_box_changes_only_that_box(live_server, page, screenshot):
    get_user_model().objects.create_user("editor", password=PASSWORD)
    call_command("setup_roles", editor=["editor"], stdout=_Null())
    essay = make_essay(
        "学习二十大精神心得体会",
        collection=make_collection("党员学习心得体会汇编"),
        author=make_author("张静", "市财政局"),
        body=BODY,
        themes=("党的建设", "理想信念"),
        status=Status.PUBLISHED,
        published_at=PUBLISHED,
    )
    _instances.clear()  # as tests/browser/test_history_revert.py: the search backend's connection
    page.goto(f"{live_server.url}/admin/essays/essay/{essay.pk}/change/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url(re.compile(rf"/admin/essays/essay/{essay.pk}/change/$"))

    assert page.input_value("#id_published_at_1") == "14:15:42"
    page.check("#id_is_fragment")
    page.fill("#id_change_reason", REASON)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(f"issue17-save-reason-{width}")
    page.locator("input[name=_save]").click()
    page.wait_for_url(re.compile(r"/admin/essays/essay/$"))

    essay.refresh_from_db()
    assert essay.is_fragment and essay.body == BODY and essay.published_at == PUBLISHED
    new = essay.history.order_by("-history_date", "-history_id").first()
    assert new.history_change_reason == REASON

    page.goto(f"{live_server.url}/admin/essays/essay/{essay.pk}/history/")
    row = page.locator("#history-versions tbody tr").first
    assert REASON in row.inner_text()
    assert row.locator("td").nth(7).inner_text().strip() == "残篇"
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(f"issue17-save-history-{width}")
    row.get_by_role("link", name="比较上一版本").click()
    changed = page.locator(".history-diff tr.changed th").all_inner_texts()
    assert [t.replace("✎", "").strip() for t in changed] == ["残篇"]
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(f"issue17-save-compare-{width}")

    text = page.context.request.get(f"{live_server.url}/essays/{essay.pk}/download.txt").body()
    assert b"\r\r\n" not in text and "第二段：坚定理想信念。\r\n".encode() in text
