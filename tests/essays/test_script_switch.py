"""The 简/繁 switch: pages shown in the reader's script, stored text left alone."""

import re
from html import unescape

import pytest
from django.urls import reverse

from essays.middleware import SCRIPT_COOKIE, convert_html
from essays.models import Essay

from .factories import make_author, make_collection, make_essay

pytestmark = pytest.mark.django_db


def text(response):
    return response.content.decode()


def switch(client, script, next_url="/"):
    """What the header's 简/繁 form sends (a POST; the test client skips the CSRF check)."""
    return client.post(reverse("essays:set_script", args=[script]), {"next": next_url})


def test_pages_are_simplified_by_default(client):
    """Without a cookie a page is in simplified characters with lang="zh-Hans"."""
    make_essay(title="干部学习心得")

    page = text(client.get(reverse("essays:home")))

    assert '<html lang="zh-Hans">' in page
    assert "干部学习心得" in page


def test_switch_sets_the_cookie_and_goes_back(client):
    """POST /script/hant/ with next=… stores the choice in a cookie and redirects to next."""
    essay = make_essay()

    response = switch(client, "hant", essay.get_absolute_url())

    assert response.status_code == 302
    assert response.url == essay.get_absolute_url()
    assert response.cookies[SCRIPT_COOKIE].value == "hant"


def test_script_cookie_lasts_a_year_and_is_same_site_lax(client):
    """The choice is remembered for a year and not sent on cross-site requests."""
    cookie = switch(client, "hant").cookies[SCRIPT_COOKIE]

    assert cookie["max-age"] == 365 * 24 * 60 * 60
    assert cookie["samesite"] == "Lax"


def test_traditional_choice_converts_the_page(client):
    """After choosing 繁, 干部 in a title and body is shown as 幹部 and lang is zh-Hant."""
    essay = make_essay(title="干部学习心得", body="青年干部要勤于学习。")
    switch(client, "hant")

    page = text(client.get(essay.get_absolute_url()))

    assert '<html lang="zh-Hant">' in page
    assert "幹部學習心得" in page
    assert "青年幹部要勤於學習。" in page
    assert "干部" not in page


def test_traditional_choice_converts_the_chrome_and_names(client):
    """Navigation, author, unit, collection and theme names all follow the choice."""
    essay = make_essay(
        collection=make_collection("学习汇编"),
        author=make_author("张静", "组织部"),
        themes=("党的建设",),
    )
    switch(client, "hant")

    page = text(client.get(essay.get_absolute_url()))

    for converted in ("首頁", "主題", "張靜", "組織部", "學習彙編", "黨的建設"):
        assert converted in page


def test_script_choice_persists_across_pages(client):
    """The cookie keeps later pages in the chosen script."""
    make_essay(title="干部学习心得")
    switch(client, "hant")

    for name in ("home", "theme_list", "collection_list", "author_list"):
        page = text(client.get(reverse(f"essays:{name}")))
        assert '<html lang="zh-Hant">' in page, name


def test_switching_back_to_simplified(client):
    """Choosing 简 after 繁 shows simplified characters again."""
    make_essay(title="干部学习心得")
    switch(client, "hant")
    switch(client, "hans")

    page = text(client.get(reverse("essays:home")))

    assert '<html lang="zh-Hans">' in page
    assert "干部学习心得" in page


def test_traditional_text_is_shown_simplified_to_simplified_readers(client):
    """An essay stored in traditional characters reads in simplified by default."""
    essay = make_essay(title="幹部學習心得", body="青年幹部要勤於學習。")

    page = text(client.get(essay.get_absolute_url()))

    assert "干部学习心得" in page
    assert "青年干部要勤于学习。" in page


def test_stored_text_is_never_changed(client):
    """Reading in 繁 leaves the stored title and body as written."""
    essay = make_essay(title="干部学习心得", body="青年干部要勤于学习。")
    switch(client, "hant")

    client.get(essay.get_absolute_url())

    essay = Essay.objects.get(pk=essay.pk)
    assert (essay.title, essay.body) == ("干部学习心得", "青年干部要勤于学习。")


def test_theme_link_still_resolves_after_switching_to_traditional(client):
    """A theme link taken from a 繁 page opens the theme page."""
    essay = make_essay(themes=("党的建设",))
    switch(client, "hant")
    page = text(client.get(essay.get_absolute_url()))

    (href,) = re.findall(r'<a href="([^"]+)">黨的建設</a>', page)
    response = client.get(unescape(href))

    assert response.status_code == 200
    assert response.context["theme"].name == "党的建设"


def test_url_attributes_are_not_converted():
    """Chinese inside href and src survives conversion while the text around it changes."""
    html = '<a href="/themes/党的建设/" title="干部">干部</a><img src="/图/干部.png" alt="干部">'

    assert convert_html(html, "hant") == (
        '<a href="/themes/党的建设/" title="幹部">幹部</a><img src="/图/干部.png" alt="幹部">'
    )


def test_every_page_offers_the_switch_back_to_itself(client):
    """The 繁 form on a page posts back with that page as next."""
    essay = make_essay()

    page = text(client.get(essay.get_absolute_url()))

    assert f'method="post" action="/script/hant/?next=%2Fessays%2F{essay.pk}%2F"' in page


@pytest.mark.parametrize(
    "bad_next", ["https://evil.example/", "//evil.example/", "javascript:alert(1)", ""], ids=repr
)
def test_unsafe_next_is_rejected(client, bad_next):
    """A next pointing off the site (or missing) redirects home instead."""
    response = switch(client, "hant", bad_next)

    assert response.status_code == 302
    assert response.url == reverse("essays:home")


def test_unknown_script_is_404(client):
    """Only hans and hant are scripts."""
    assert client.get("/script/klingon/").status_code == 404


def test_admin_is_never_converted(client):
    """The admin shows text as stored even to a 繁 reader, so editors never save converted text."""
    switch(client, "hant")

    page = text(client.get(reverse("admin:login")))

    assert "用户名" in page


# Originals kept, conversions by phrase (issue 17, item 1) -----------------------------------


def test_a_traditional_original_read_in_traditional_keeps_its_own_characters(client):
    """了解 stays 了解 and 里 stays 里: the author's text is not converted a second time."""
    essay = make_essay(title="鄰里之間的了解", body="我們深入了解鄰里的情況。", script="traditional")
    switch(client, "hant")

    page = text(client.get(essay.get_absolute_url()))

    assert "鄰里之間的了解" in page
    assert "我們深入了解鄰里的情況。" in page
    assert "瞭解" not in page
    assert "<!--zh:" not in page  # the marks never reach the reader
    assert "首頁" in page  # the page around the essay is still converted


def test_a_traditional_original_read_in_simplified_gets_zhe_by_phrase(client):
    """发挥著 in a Traditional essay is 发挥着 in Simplified, 著作 stays 著作."""
    essay = make_essay(title="發揮著模範作用", body="他發揮著帶頭作用，寫了一本著作。", script="traditional")

    page = text(client.get(essay.get_absolute_url()))

    assert "发挥着模范作用" in page
    assert "他发挥着带头作用，写了一本著作。" in page


def test_a_simplified_original_read_in_traditional_gets_gan_by_phrase(client):
    """焦干院 (a 干部学院) is 焦幹院, not 焦乾院; 干净 is 乾淨."""
    essay = make_essay(title="焦干院学习心得", body="在焦干院学习，做干净的干部。", script="simplified")
    switch(client, "hant")

    page = text(client.get(essay.get_absolute_url()))

    assert "焦幹院學習心得" in page
    assert "在焦幹院學習，做乾淨的幹部。" in page


def test_lists_and_search_keep_a_traditional_title_as_written(client):
    essay = make_essay(title="我所了解的鄰里", script="traditional")
    switch(client, "hant")

    for url in (essay.collection.get_absolute_url(), reverse("essays:home")):
        page = text(client.get(url))
        assert "我所了解的鄰里" in page, url


def test_marks_in_html_are_removed_and_honoured():
    """Marked text in the page's script is kept; unmarked text and other scripts convert."""
    html = '<p><!--zh:hant-->這裏<!--/zh-->，這裏</p><a href="/裏">裏</a>'

    assert convert_html(html, "hant") == '<p>這裏，這裡</p><a href="/裏">裡</a>'
    assert convert_html(html, "hans") == '<p>这里，这里</p><a href="/裏">里</a>'
