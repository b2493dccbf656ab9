"""In a real Chromium: the passage two essays of seed 003 share is flagged on import and shown
side by side in the admin."""

import re

import pytest
from django.contrib.auth import get_user_model

from essays.models import DuplicatePair, Status
from essays.services import import_document
from tests.conftest import seed_bytes

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct-horse-battery-staple"


def test_an_editor_sees_the_passage_two_seed_essays_share(live_server, page, screenshot):
    outcome = import_document(seed_bytes("003"), "003.txt", status=Status.PUBLISHED)
    assert outcome.shared_passages == 1
    pair = DuplicatePair.objects.get()
    get_user_model().objects.create_superuser("editor", password=PASSWORD)

    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_load_state()

    page.goto(f"{live_server.url}/admin/essays/essay/{pair.essay_a_id}/change/")
    module = page.locator("#near-duplicates")
    module.scroll_into_view_if_needed()
    assert pair.essay_b.title in module.inner_text()
    screenshot("dedup-01-essay-change-page")

    module.get_by_role("link", name="对照").click()
    page.wait_for_url(re.compile(r"/duplicates/\d+/\d+/$"))
    marks = page.locator("mark.shared-passage")
    assert marks.count() == 2
    first, second = (marks.nth(i).inner_text() for i in range(2))
    assert first == second and first.startswith("工作時") and len(first) >= 50
    assert marks.first.evaluate("m => getComputedStyle(m).backgroundColor") != "rgba(0, 0, 0, 0)"
    marks.first.scroll_into_view_if_needed()
    screenshot("dedup-02-side-by-side")
