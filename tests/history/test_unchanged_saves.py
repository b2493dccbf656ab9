"""A save changes only what the editor changed (issue 17, item 3).

The forms are submitted as a browser submits them: every field as the change page renders
it, textareas with "\\r\\n" line ends (the HTML standard's form encoding).
"""

import io
from datetime import UTC, datetime
from html.parser import HTMLParser

import docx
import pytest
from django.urls import reverse

from essays.admin.history import changed_labels
from essays.models import Status

from .helpers import compare_url, history_url, versions

PUBLISHED = datetime(2024, 5, 3, 6, 15, 42, 123456, tzinfo=UTC)


class _FormFields(HTMLParser):
    """The values a browser would submit from the page's one model form."""

    def __init__(self):
        super().__init__()
        self.data, self._textarea, self._select, self.in_form = {}, None, None, False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id", "").endswith("_form"):
            self.in_form = True
        if not self.in_form:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "file", "button"):
            if a.get("type") in ("checkbox", "radio"):
                if "checked" in a:
                    self.data[name] = a.get("value", "on")
            else:
                self.data[name] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea, self.data[name] = name, ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self.in_form = False

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data


def browser_form(html: str) -> dict:
    parser = _FormFields()
    parser.feed(html)
    data = parser.data
    # Browsers drop the one newline after <textarea> and submit line ends as CRLF.
    for name, value in data.items():
        if isinstance(value, str) and "\n" in value:
            data[name] = value.removeprefix("\n").replace("\n", "\r\n")
    data["_save"] = "保存"
    return data


@pytest.fixture
def published(essay):
    essay.status = Status.PUBLISHED
    essay.published_at = PUBLISHED
    essay.save()
    essay.refresh_from_db()
    return essay


def download(client, essay, fmt) -> bytes:
    response = client.get(reverse("essays:essay_download", args=[essay.pk, fmt]))
    return b"".join(response.streaming_content)


def change_url(obj):
    return reverse(f"admin:essays_{obj._meta.model_name}_change", args=[obj.pk])


def test_ticking_one_box_changes_that_field_only_and_keeps_the_reason(editor_client, published):
    before = published.body
    page = editor_client.get(change_url(published)).text
    assert 'value="14:15:42"' in page  # the time input to the second (Asia/Shanghai)
    data = browser_form(page)
    assert "\r\n" in data["body"]
    data["is_fragment"] = "on"
    data["change_reason"] = "与原文核对：文末缺失"
    response = editor_client.post(change_url(published), data)
    assert response.status_code == 302, response.content.decode()[:3000]

    published.refresh_from_db()
    assert published.is_fragment
    assert published.body == before
    assert published.published_at == PUBLISHED  # seconds and microseconds kept
    new, old, *_ = versions(published)
    fields = [(f.attname, f) for f in type(new).tracked_fields if f.editable and not f.primary_key]
    fields.append(("themes_snapshot", None))
    assert changed_labels(old, new, fields) == ["残篇"]
    assert new.history_change_reason == "与原文核对：文末缺失"

    listing = editor_client.get(history_url(published)).text
    assert "与原文核对：文末缺失" in listing

    txt = download(editor_client, published, "txt")
    assert b"\r\r\n" not in txt
    document = docx.Document(io.BytesIO(download(editor_client, published, "docx")))
    paragraphs = [p.text for p in document.paragraphs]
    for line in before.split("\n"):
        assert paragraphs.count(line) == 1
    assert not any(p.strip() == "" and i and paragraphs[i - 1] in before for i, p in enumerate(paragraphs))


def test_editing_the_time_still_changes_it(editor_client, published):
    data = browser_form(editor_client.get(change_url(published)).text)
    data["published_at_1"] = "14:20:00"
    assert editor_client.post(change_url(published), data).status_code == 302
    published.refresh_from_db()
    assert published.published_at == datetime(2024, 5, 3, 6, 20, 0, tzinfo=UTC)


def test_collection_and_author_saves_unchanged_change_nothing(editor_client, published):
    collection, author = published.collection, published.author
    collection.description = "编者按：第一行。\n第二行。"
    collection.save()
    for obj in (collection, author):
        page = editor_client.get(change_url(obj)).text
        data = browser_form(page)
        data["change_reason"] = "仅核对"
        response = editor_client.post(change_url(obj), data)
        assert response.status_code == 302, response.content.decode()[:2000]
        new, old, *_ = versions(obj)
        fields = [(f.attname, f) for f in type(new).tracked_fields if f.editable and not f.primary_key]
        assert changed_labels(old, new, fields) == []
        assert new.history_change_reason == "仅核对"
    collection.refresh_from_db()
    assert collection.description == "编者按：第一行。\n第二行。"


def test_a_diff_shows_values_as_people_read_them(editor_client, published):
    published.warnings = ["truncated: the text ends mid-sentence"]
    published.save()
    published.warnings = []
    published.is_fragment = True
    published.save()
    new, old, *_ = versions(published)
    page = editor_client.get(compare_url(published, old, new)).text
    assert "[]" not in page and "&#x27;" not in page and "[&" not in page
    assert "文末在句中截断" in page and "truncated" not in page
    assert "2024年5月3日 14:15:42" in page
    assert "党的建设" in page and "理想信念" in page
    assert ">是<" in page and ">否<" in page


def test_the_change_page_shows_import_warnings_in_chinese(editor_client, published):
    published.warnings = ["truncated: the text ends mid-sentence"]
    published.save()
    page = editor_client.get(change_url(published)).text
    assert "文末在句中截断" in page and "truncated" not in page


def test_a_theme_description_is_stored_with_unix_line_ends(admin_client, db):
    from essays.models import Theme
    from tests.essays.admin_factories import make_theme

    theme = make_theme("党的建设")
    data = browser_form(admin_client.get(change_url(theme)).text)
    data["description"] = "第一行\r\n第二行"
    assert admin_client.post(change_url(theme), data).status_code == 302
    assert Theme.objects.get(pk=theme.pk).description == "第一行\n第二行"
