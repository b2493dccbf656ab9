"""The smaller points of issue 17 (item 10) and the Chinese error pages (item 8), measured in a
real Chromium at 1280 and 390 px, with screenshots in var/screenshots/."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.views.defaults import server_error

from essays.models import Collection, Status
from essays.services import import_paths
from tests.conftest import SEEDS

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct-horse-battery-staple"
WIDTHS = [1280, 390]
SLOW_STEP = 90_000
LONG_UNIT = "国家税务总局北京市海淀区税务局第一税务所纳税服务科"

# WCAG relative luminance and contrast of an element's computed colour on its background
# (the first ancestor with an opaque one).
CONTRAST = """(el) => {
  const rgb = s => s.match(/[\\d.]+/g).map(Number);
  const lum = ([r, g, b]) => {
    const c = [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  let bg = el, back = [255, 255, 255];
  while (bg) {
    const c = rgb(getComputedStyle(bg).backgroundColor);
    if (c.length === 3 || c[3] > 0.9) { back = c.slice(0, 3); break; }
    bg = bg.parentElement;
  }
  const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(back)];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


@pytest.fixture
def editor():
    return get_user_model().objects.create_superuser("editor", "", PASSWORD)


def sign_in(page, live_server):
    page.goto(live_server.url + "/admin/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url(live_server.url + "/admin/")


def test_the_preview_marks_fields_and_placeholders_read_clearly(live_server, page, screenshot, editor):
    sign_in(page, live_server)
    page.goto(live_server.url + "/admin/essays/essay/import/")
    text = "学习心得体会\n张静\n通过这次学习，我深刻认识到坚定理想信念的重要性。\n我们要立足岗位作贡献。"
    page.fill("#id_pasted", text)
    page.fill("#id_pasted_name", "我的心得")
    page.get_by_role("button", name="上传并预览").click()
    page.wait_for_url(re.compile(r"/import/[0-9a-f-]{36}/$"), timeout=SLOW_STEP)
    page.locator(".import-essay").first.wait_for(timeout=SLOW_STEP)
    essay = page.locator(".import-essay").first
    essay.locator("input[name^=o-]").fill(LONG_UNIT)
    essay.locator("input[name^=t-]").fill("")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        mark = essay.locator(".import-state-new")
        assert mark.evaluate(CONTRAST) >= 4.5
        title = essay.locator("input[name^=t-]")
        style = title.evaluate(
            "el => { const p = getComputedStyle(el, '::placeholder'); const s = getComputedStyle(el);"
            " return [p.color, p.fontStyle, s.color]; }"
        )
        assert style[1] == "italic" and style[0] != style[2]
        if width == 1280:
            unit = essay.locator("input[name^=o-]")
            assert unit.evaluate("el => el.scrollWidth <= el.clientWidth"), "the unit is cut off"
        screenshot(f"issue17-preview-fields-{width}")


def test_the_header_search_button_and_collection_counts_are_the_site_s_own(live_server, page, screenshot):
    assert all(o.ok for o in import_paths([str(SEEDS)], status=Status.PUBLISHED))
    collection = Collection.objects.exclude(declared_essay_count=None).first()
    collection.declared_essay_count = collection.essays.count() + 3
    collection.save()
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_server.url + collection.get_absolute_url())
        button = page.locator(".site-search button")
        colours = button.evaluate(
            "el => [getComputedStyle(el).backgroundColor, getComputedStyle(el).borderRadius]"
        )
        # Chromium's default button face is rgb(239, 239, 239) (light) or a system colour.
        assert colours[0] not in ("rgb(239, 239, 239)", "rgba(0, 0, 0, 0)", "buttonface")
        assert button.evaluate(CONTRAST) >= 4.5
        count = page.locator(".essay-count")
        assert "声明" in count.inner_text() and count.evaluate("el => el.closest('a') === null")
        link_colour = page.locator(".page a").first.evaluate("el => getComputedStyle(el).color")
        assert count.evaluate("el => getComputedStyle(el).color") != link_colour
        screenshot(f"issue17-collection-header-{width}")


def test_the_admin_links_to_the_near_duplicates(live_server, page, screenshot, editor):
    sign_in(page, live_server)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_server.url + "/admin/")
        assert page.locator("#duplicates-module").get_by_role("link", name="近似文章与共同段落").is_visible()
        screenshot(f"issue17-admin-index-{width}")
    page.goto(live_server.url + "/admin/essays/essay/")
    page.locator(".object-tools").get_by_role("link", name="近似文章").click()
    page.wait_for_url(re.compile(r"/admin/essays/essay/duplicates/$"))
    assert page.get_by_role("heading", name="近似文章与共同段落").is_visible()


@pytest.mark.parametrize("width", WIDTHS)
def test_error_pages_are_chinese_in_the_site_s_look(live_server, page, screenshot, width):
    page.set_viewport_size({"width": width, "height": 900})
    response = page.goto(live_server.url + "/no-such-page/")
    assert response.status == 404
    assert page.get_by_role("heading", name="找不到这个页面").is_visible()
    assert page.locator(".site-header .site-name").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.locator("main h1").bounding_box()["x"] >= 12  # not flush against the screen's edge
    screenshot(f"issue17-error-404-{width}")

    # A form posted without its CSRF token (a page left open past a new sign-in).
    page.goto(live_server.url + "/")
    page.evaluate(
        "() => { const f = document.createElement('form'); f.method = 'post';"
        " f.action = '/script/hant/'; document.body.appendChild(f); f.submit(); }"
    )
    page.get_by_role("heading", name="表单已失效，未能提交").wait_for()
    assert page.locator(".site-header .site-name").is_visible()
    screenshot(f"issue17-error-csrf-{width}")

    # What Django renders after an unhandled error, shown against the live site's styles.
    html = server_error(RequestFactory().get("/")).content.decode()
    page.goto(live_server.url + "/no-such-page/")
    page.set_content(html)
    assert page.get_by_role("heading", name="服务器出了点问题").is_visible()
    assert page.locator(".site-search button").evaluate(CONTRAST) >= 4.5  # the site's CSS applied
    screenshot(f"issue17-error-500-{width}")
