"""简/繁 conversion of a page costs what the page's own text costs (issue 18): OpenCC reads
the page's Chinese runs, once, never its markup, and the page it makes is the same as
converting the whole HTML."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from essays import conversion, middleware
from essays.middleware import convert_html
from essays.models import Essay, Status
from essays.services import import_document
from tests.conftest import seed_bytes

pytestmark = pytest.mark.django_db
NON_ASCII = re.compile(r"[^\x00-\x7f]")


def whole_html(html: str, script: str) -> str:
    """The conversion as it was: every stretch of HTML between URL attributes through OpenCC."""
    pieces, position = [], 0

    def markup(part):
        split = middleware._URL_ATTRIBUTE.split(part)
        return "".join(p if i % 2 else conversion.convert_to(p, script) for i, p in enumerate(split))

    for match in middleware._ORIGINAL.finditer(html):
        pieces.append(markup(html[position : match.start()]))
        written_in, text = match.groups()
        pieces.append(text if written_in == script else markup(text))
        position = match.end()
    pieces.append(markup(html[position:]))
    return "".join(pieces)


@pytest.fixture
def pages(db):
    for prefix in ("001", "003"):  # a Simplified and a Traditional seed
        import_document(seed_bytes(prefix), f"{prefix}.txt", status=Status.PUBLISHED)
    client = Client()
    urls = [reverse("essays:home"), reverse("essays:theme_list"), reverse("essays:essay_list")]
    urls += [e.get_absolute_url() for e in Essay.objects.order_by("pk")[:6]]
    # The pages before conversion: rendered with the middleware's conversion switched off.
    rendered = {}
    original = middleware.convert_html
    middleware.convert_html = lambda html, script: html
    try:
        for url in urls:
            rendered[url] = client.get(url).content.decode()
    finally:
        middleware.convert_html = original
    return rendered


@pytest.mark.parametrize("script", ["hant", "hans"])
def test_converting_the_text_runs_gives_the_whole_html_conversion(pages, script):
    for url, html in pages.items():
        assert convert_html(html, script) == whole_html(html, script), url


def test_opencc_reads_only_the_pages_chinese_text_in_one_call(pages, monkeypatch):
    calls = []
    real = conversion.convert_to

    def counting(text, target):
        calls.append(text)
        return real(text, target)

    monkeypatch.setattr(middleware, "convert_to", counting)
    for url, html in pages.items():
        calls.clear()
        convert_html(html, "hant")
        assert len(calls) == 1, url
        read = len(NON_ASCII.findall(calls[0]))
        # Its Chinese characters and one separator between runs: nothing of the markup.
        assert read <= len(NON_ASCII.findall(html)) * 2, url
        assert not re.search(r"[<>=\"]", calls[0]), url
