"""Error pages and the login-lock admin in Chinese, in the site's look (DEBUG is off here)."""

import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from essays.models import Status
from tests.essays.factories import make_essay

pytestmark = pytest.mark.django_db

# Words that may stay Latin on a Chinese page.
LATIN_OK = re.compile(r"Anthology|Referer|Cookie|HTTPS|HTTP|Accept|IP|GET|POST|SHA-256|JavaScript")


def visible_words(html: str) -> list[str]:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<!--.*?-->", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", html)
    return re.findall(r"[A-Za-z]{3,}", LATIN_OK.sub(" ", text))


def assert_site_error_page(response, status, heading):
    assert response.status_code == status
    page = response.content.decode()
    assert 'class="site-header"' in page and "essays/reading.css" in page
    assert heading in page
    assert visible_words(page) == [], visible_words(page)


def test_404_is_chinese_and_in_the_site_s_look(client):
    assert_site_error_page(client.get("/no-such-page/"), 404, "找不到这个页面")
    assert_site_error_page(client.get("/essays/999999/"), 404, "找不到这个页面")


def test_a_draft_is_not_found_in_chinese(client):
    essay = make_essay(status=Status.DRAFT)
    assert_site_error_page(client.get(essay.get_absolute_url()), 404, "找不到这个页面")


def test_403_is_chinese(client):
    user = get_user_model().objects.create_user("nobody", password="x-pw-123", is_staff=True)
    client.force_login(user)
    essay = make_essay()
    response = client.get(reverse("admin:essays_essay_history", args=[essay.pk]))
    assert_site_error_page(response, 403, "没有查看这个页面的权限")


def test_400_is_chinese(client):
    assert_site_error_page(client.get("/", HTTP_HOST="not-an-allowed-host.example"), 400, "无法处理这个请求")


def test_500_is_chinese_and_needs_no_context():
    # What Django renders after an unhandled error: no request context, no database.
    response = server_error(RequestFactory().get("/"))
    assert_site_error_page(response, 500, "服务器出了点问题")


def test_a_csrf_failure_is_chinese():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("essays:set_script", args=["hant"]))
    assert_site_error_page(response, 403, "表单已失效，未能提交")


def test_the_login_lock_admin_pages_are_chinese(admin_client):
    AccessAttempt.objects.create(
        username="zhang",
        ip_address="10.0.0.1",
        user_agent="Mozilla",
        http_accept="text/html",
        path_info="/admin/login/",
        get_data="",
        post_data="username=zhang",
        failures_since_start=5,
    )
    index = admin_client.get(reverse("admin:index")).content.decode()
    assert "登录记录与锁定" in index and "登录失败记录" in index
    for name in ("accessattempt", "accesslog", "accessfailurelog"):
        page = admin_client.get(reverse(f"admin:axes_{name}_changelist")).content.decode()
        # The data itself (a user agent, a path) may be Latin; no label is.
        labels = re.findall(
            r'<th scope="col"[^>]*>.*?</th>|<h3>.*?</h3>|<option value="\w+">.*?</option>', page, re.S
        )
        assert labels
        words = [w for label in labels for w in visible_words(label)]
        assert words == [], (name, words)
    attempt = AccessAttempt.objects.get()
    page = admin_client.get(reverse("admin:axes_accessattempt_change", args=[attempt.pk])).content.decode()
    for label in ("用户名", "失败次数", "表单数据", "请求信息", "浏览器标识", "IP 地址"):
        assert label in page
    for english in ("Form Data", "Meta Data", "Failed Logins", "User Agent", "Attempt Time"):
        assert english not in page


def test_the_sources_admin_names_the_pipeline_s_words_in_chinese(admin_client):
    from essays.services import import_document
    from tests.conftest import seed_bytes

    outcome = import_document(seed_bytes("003"), "seeds/003.txt", status=Status.PUBLISHED)
    document = outcome.collection.documents.get()
    page = admin_client.get(
        reverse("admin:essays_sourcedocument_change", args=[document.pk])
    ).content.decode()
    shown = re.sub(r'<div class="readonly">\s*<pre.*?</pre>', "", page, flags=re.S)
    assert "删除拼音注音" in shown and "修复乱码处" in shown
    for key in document.report["counts"]:
        assert key not in shown
    listing = admin_client.get(reverse("admin:essays_sourcedocument_changelist")).content.decode()
    assert document.encoding not in re.sub(r'href="[^"]*"', "", listing)
