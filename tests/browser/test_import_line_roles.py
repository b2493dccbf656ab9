"""An editor corrects line roles in the import preview in a real Chromium (issue 15, Deliver 4):
one click makes a body line a title, one key makes a line page chrome, and the essays
reassemble in place without a page load; without JavaScript the same buttons are a plain form
post. Screenshots at 1280 and 390 px wide."""

import re

import pytest
from django.contrib.auth import get_user_model

from essays.models import Essay, PendingImport, SourceLineRoles
from tests.preview.test_line_roles import NAME, PAGE

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct-horse-battery-staple"
SLOW_STEP = 90_000  # ms: a parse in the bounded worker on a busy machine


@pytest.fixture
def editor():
    return get_user_model().objects.create_superuser("editor", "", PASSWORD)


def log_in_and_upload(page, live_server, tmp_path):
    page.goto(live_server.url + "/admin/login/?next=/admin/essays/essay/import/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/essays/essay/import/$"))
    source = tmp_path / NAME
    source.write_bytes(PAGE)
    page.set_input_files("#id_files", str(source))
    page.get_by_role("button", name="上传并预览").click()
    page.wait_for_url(re.compile(r"/import/[0-9a-f-]{36}/$"), timeout=SLOW_STEP)
    page.locator(".role-lines").wait_for(timeout=SLOW_STEP)


def line(page, number):
    return page.locator(f".role-line[id$='-{number}']")


def test_an_editor_changes_roles_by_click_and_key_and_sees_the_essays_reassemble(
    live_server, chromium, tmp_path, editor
):
    from playwright.sync_api import expect

    from tests.browser.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in_and_upload(page, live_server, tmp_path)

    # every line with its role in Chinese; the model's least certain ones marked
    assert line(page, 4).locator(".role-label").inner_text() == "标题"
    assert line(page, 5).locator(".role-label").inner_text() == "署名"
    assert line(page, 8).locator(".role-label").inner_text() == "正文"
    assert page.locator(".role-line .uncertain-mark").count() >= 1
    expect(page.locator(".essay-outline h4")).to_have_text("现分为 1 篇")
    page.evaluate("window.stillThisPage = true")  # gone if the page were loaded again
    page.screenshot(path=str(SCREENSHOTS / "30-import-line-roles-1280.png"), full_page=True)

    # one click: line 8 is the title of a second essay
    line(page, 8).click()
    line(page, 8).get_by_role("button", name="标题", exact=True).click()
    expect(line(page, 8)).to_have_class(re.compile(r"\brole-title\b"), timeout=SLOW_STEP)
    expect(page.locator(".essay-outline h4")).to_have_text("现分为 2 篇")
    expect(page.locator(".import-essay")).to_have_count(2)
    assert page.locator(".import-essay .essay-title").nth(1).inner_text() == "关于基层工作的几点思考"
    assert page.evaluate("window.stillThisPage") is True
    expect(line(page, 8)).to_be_focused()

    # one key: line 11 (the site's footer) is page chrome; arrows move between lines
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(line(page, 11)).to_be_focused()
    page.keyboard.press("c")
    expect(line(page, 11)).to_have_class(re.compile(r"\brole-chrome\b"), timeout=SLOW_STEP)
    assert "已改" in line(page, 11).inner_text()
    assert page.evaluate("window.stillThisPage") is True
    assert "本站文章均来自会员投稿" not in page.locator(".import-essay").nth(1).inner_text()
    line(page, 8).focus()
    page.screenshot(path=str(SCREENSHOTS / "31-import-line-roles-corrected-1280.png"), full_page=True)

    # a phone's width: the lines and the outline stacked, the buttons under the focused line
    page.set_viewport_size({"width": 390, "height": 844})
    line(page, 8).focus()
    page.screenshot(path=str(SCREENSHOTS / "32-import-line-roles-390.png"), full_page=True)
    box = page.locator(".role-lines").bounding_box()
    assert box["width"] <= 390

    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="确认导入").click()
    page.wait_for_url(re.compile(r"/admin/essays/essay/\?collection__id__exact=\d+"), timeout=SLOW_STEP)
    assert Essay.objects.count() == 2 and not PendingImport.objects.exists()
    assert SourceLineRoles.objects.get().corrections == {"7": "title", "10": "chrome"}
    context.close()


def test_without_javascript_a_role_button_is_a_plain_form_post(live_server, chromium, tmp_path, editor):
    from playwright.sync_api import expect

    context = chromium.new_context(
        viewport={"width": 1280, "height": 900}, locale="zh-CN", java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in_and_upload(page, live_server, tmp_path)
    line(page, 9).hover()
    with page.expect_navigation(timeout=SLOW_STEP):
        line(page, 9).get_by_role("button", name="新文章开始").click()
    page.locator(".role-lines").wait_for(timeout=SLOW_STEP)
    expect(line(page, 9)).to_have_class(re.compile(r"\brole-start\b"))
    expect(page.locator(".import-essay")).to_have_count(2)
    assert PendingImport.objects.get().edits["roles"] == {"8": "start"}
    context.close()
