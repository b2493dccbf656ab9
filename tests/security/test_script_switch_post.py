"""The 简/繁 switch changes the reader's setting by POST only, with a CSRF token.

A GET — a link, a prefetch, a crawler, an <img> on another site — leaves the setting alone.
These use a client that enforces CSRF as a browser would.
"""

import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from essays.middleware import SCRIPT_COOKIE
from tests.essays.factories import make_essay

pytestmark = pytest.mark.django_db

SWITCH = reverse("essays:set_script", args=["hant"])
FORM = re.compile(
    r'<form class="script-switch__form" method="post" action="([^"]+)">'
    r'<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)">'
    r'<button type="submit"[^>]*>(.)</button></form>'
)


@pytest.fixture
def browser():
    return Client(enforce_csrf_checks=True)


def switch_form(client, url):
    """(action, token, label) of the switch on the page at url."""
    page = client.get(url).content.decode()
    (form,) = FORM.findall(page)
    action, token, label = form
    return unescape(action), token, label


def test_get_never_changes_the_script(browser):
    """GET /script/hant/ is refused (405) and sets no cookie, next or not."""
    for response in (browser.get(SWITCH), browser.get(SWITCH, {"next": "/"})):
        assert response.status_code == 405
        assert SCRIPT_COOKIE not in response.cookies
    assert '<html lang="zh-Hans">' in browser.get(reverse("essays:home")).content.decode()


def test_post_without_a_csrf_token_is_refused(browser):
    """A form on another site cannot switch a reader's script."""
    browser.get(reverse("essays:home"))  # the reader has a CSRF cookie, the other site has no token

    response = browser.post(SWITCH, {"next": "/"})

    assert response.status_code == 403
    assert SCRIPT_COOKIE not in response.cookies


def test_every_page_has_a_form_not_a_link(browser):
    """The page offers the switch as a POST form carrying its CSRF token and itself as next;
    no GET link to /script/ is left."""
    essay = make_essay(title="干部学习心得")
    url = essay.get_absolute_url()

    page = browser.get(url).content.decode()
    action, token, label = switch_form(browser, url)

    assert 'href="/script/' not in page
    assert label == "繁"
    assert action == f"{SWITCH}?next=%2Fessays%2F{essay.pk}%2F"
    assert token


def test_the_page_form_switches_and_goes_back(browser):
    """Submitting the page's own form (with its token) sets the cookie and returns to the page;
    the page is then in 繁 and offers 简 back, also as a form."""
    essay = make_essay(title="干部学习心得")
    url = essay.get_absolute_url()
    action, token, _ = switch_form(browser, url)

    response = browser.post(action, {"csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert response.url == url
    assert response.cookies[SCRIPT_COOKIE].value == "hant"
    page = browser.get(url).content.decode()
    assert "幹部學習心得" in page
    action, token, label = switch_form(browser, url)
    assert label == "簡"  # the whole 繁 page is converted, the switch label too
    assert action.startswith(reverse("essays:set_script", args=["hans"]))
    assert browser.post(action, {"csrfmiddlewaretoken": token}).cookies[SCRIPT_COOKIE].value == "hans"


@pytest.mark.parametrize(
    "bad_next", ["https://evil.example/", "//evil.example/", "/\\evil.example/"], ids=repr
)
def test_next_off_the_site_goes_home(browser, bad_next):
    _, token, _ = switch_form(browser, reverse("essays:home"))

    response = browser.post(SWITCH, {"next": bad_next, "csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert response.url == reverse("essays:home")
