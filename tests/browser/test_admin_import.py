"""An editor imports seed 003 (Traditional, damaged) from the admin in a real Chromium:
upload → preview → merge two essays and rename one → publish → the essay on the reading site."""

import re

import pytest
from django.contrib.auth import get_user_model

from essays.ingest.script import to_simplified
from essays.models import Essay, PendingImport, SourceDocument, Status
from tests.conftest import SEEDS

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct-horse-battery-staple"
NEW_TITLE = "高校年輕幹部鄉鎮掛職鍛煉體會"
SLOW_STEP = 90_000  # ms: parsing the damaged seed, or storing it with the duplicate check, on a busy machine


@pytest.fixture
def editor():
    return get_user_model().objects.create_superuser("editor", "", PASSWORD)


def test_an_editor_imports_seed_003_with_corrections_and_reads_it(live_server, page, screenshot, editor):
    from playwright.sync_api import expect  # as the chromium fixture: only once a browser is there

    (seed,) = SEEDS.glob("003_*.txt")
    page.goto(live_server.url + "/admin/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url(live_server.url + "/admin/")

    page.locator("#import-module").get_by_role("link", name="导入文档").click()
    page.wait_for_url(re.compile(r"/admin/essays/essay/import/$"))
    page.set_input_files("#id_files", str(seed))
    screenshot("20-import-upload")
    page.get_by_role("button", name="上传并预览").click()
    page.wait_for_url(re.compile(r"/import/[0-9a-f-]{36}/$"), timeout=SLOW_STEP)

    # The preview: the collection, ten essays with generated titles marked, nothing stored.
    assert page.locator(".collection-title").inner_text() == "個人掛職總結"
    essays = page.locator(".import-essay")
    assert essays.count() == 10
    assert page.locator(".import-essay .generated-mark", has_text="自动生成标题").count() == 9
    assert "修复乱码处" in page.locator(".cleanup").inner_text()
    assert not SourceDocument.objects.exists() and not Essay.objects.exists()
    screenshot("21-import-preview")

    # Fix one boundary: essays 3 (初步了解) and 4 (主要工作回顧) are one.
    third, fourth = essays.nth(2), essays.nth(3)
    first_of_fourth = fourth.locator(".first-line").inner_text().removeprefix("首行：")[:10]
    third.get_by_role("button", name="与下一篇合并").click()
    expect(page.locator(".import-essay")).to_have_count(9, timeout=SLOW_STEP)

    # Rename a title (a generated one), choose published, confirm.
    sixth = page.locator(".import-essay").nth(4)
    assert "高校年輕干部" in sixth.locator(".essay-title").inner_text()
    sixth.locator("input[name^=t-]").fill(NEW_TITLE)
    page.get_by_label("已发布").check()
    screenshot("21b-import-preview-edited")
    page.get_by_role("button", name="确认导入").click()
    page.wait_for_url(re.compile(r"/admin/essays/essay/\?collection__id__exact=\d+"), timeout=SLOW_STEP)
    assert "新建 9 篇" in page.locator(".messagelist").inner_text()
    screenshot("22-import-done")

    assert not PendingImport.objects.exists()
    stored = list(Essay.objects.order_by("position"))
    assert len(stored) == 9 and all(e.status == Status.PUBLISHED for e in stored)
    assert first_of_fourth in stored[2].body  # the merged essay holds both
    essay = Essay.objects.get(title=NEW_TITLE)
    assert not essay.title_generated
    assert SourceDocument.objects.get().imported_by == editor

    # The reading site shows it, from the link in the message and on its own page.
    page.locator(".messagelist a", has_text="在阅读网站上查看").click()
    page.wait_for_url(re.compile(r"/collections/\d+/"))
    # Readers see Simplified by default (zh-CN browser); the stored title stays as typed.
    page.get_by_role("link", name=to_simplified(NEW_TITLE)).first.click()
    page.wait_for_url(re.compile(rf"/essays/{essay.pk}/"))
    assert page.locator("h1").first.inner_text().strip() == to_simplified(NEW_TITLE)
    assert page.locator("#p1").is_visible()
    screenshot("23-essay-on-site")
