"""Downloads and provenance in a real Chromium: the .docx a reader saves opens with its Chinese."""

import re

import docx
import pytest
from django.contrib.auth import get_user_model

from essays.ingest.script import to_traditional
from essays.models import Status
from essays.services import import_document
from tests.conftest import seed_bytes

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def seeded():
    outcomes = {
        prefix: import_document(seed_bytes(prefix), f"{prefix}.txt", status=Status.PUBLISHED)
        for prefix in ("003", "004")
    }
    assert all(o.ok for o in outcomes.values()), [o.error for o in outcomes.values()]
    get_user_model().objects.create_user("editor", password=PASSWORD, is_staff=True)
    return {prefix: o.collection for prefix, o in outcomes.items()}


def save_download(page, link_name, tmp_path):
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    download = info.value
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    return download.suggested_filename, docx.Document(str(path))


def test_a_reader_downloads_an_essay_as_docx_in_either_script(
    live_server, page, screenshot, seeded, tmp_path
):
    essay = seeded["004"].essays.order_by("position").first()
    page.goto(live_server.url + essay.get_absolute_url())
    screenshot("export-01-essay-with-downloads")

    name, document = save_download(page, "Word 文档（.docx）", tmp_path)
    assert name == f"{essay.title}.docx"
    lines = [p.text for p in document.paragraphs]
    assert lines[0] == essay.title
    assert lines[-len(essay.paragraphs) :] == essay.paragraphs

    page.get_by_role("button", name="繁").click()
    page.wait_for_load_state()
    name, document = save_download(page, "Word 文檔（.docx）", tmp_path)
    assert name == f"{to_traditional(essay.title)}.docx"
    lines = [p.text for p in document.paragraphs]
    assert lines[0] == to_traditional(essay.title)
    assert "黨" in "".join(lines) and "党" not in "".join(lines)


def test_a_reader_downloads_a_whole_collection(live_server, page, seeded, tmp_path):
    collection = seeded["003"]
    essays = list(collection.essays.order_by("position"))
    page.goto(live_server.url + collection.get_absolute_url())
    _, document = save_download(page, "Word 文档（.docx）", tmp_path)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert len(headings) == len(essays) == 10


def test_staff_open_the_provenance_of_an_essay(live_server, page, screenshot, seeded):
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_load_state()

    essay = seeded["003"].essays.order_by("position")[1]
    page.goto(live_server.url + essay.get_absolute_url())
    page.get_by_role("link", name="来源", exact=True).click()
    page.wait_for_url(re.compile(r"/essays/\d+/source/$"))
    mark = page.locator("mark#essay-span")
    assert mark.is_visible()
    assert mark.inner_text().strip().splitlines()[0].endswith(essay.source_text.splitlines()[0])
    assert page.locator(".provenance-repairs tbody tr").count() == len(
        essay.source_document.report["repairs"]
    )
    screenshot("export-02-provenance")
    page.get_by_role("link", name="跳到本篇").click()
    page.wait_for_timeout(200)
    screenshot("export-03-provenance-span")
