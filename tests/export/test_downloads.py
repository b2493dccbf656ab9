"""Essay and collection downloads through the views: published only, in the reader's script."""

import io
from urllib.parse import quote

import docx
import pytest
from django.urls import reverse

from essays.conversion import show_in
from essays.ingest.script import detect_script
from essays.middleware import SCRIPT_COOKIE
from essays.models import Status
from essays.services import import_document
from tests.conftest import seed_bytes
from tests.essays.factories import make_author, make_collection, make_essay

pytestmark = pytest.mark.django_db

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def essay_url(essay, fmt):
    return reverse("essays:essay_download", kwargs={"pk": essay.pk, "fmt": fmt})


def collection_url(collection, fmt):
    return reverse("essays:collection_download", kwargs={"pk": collection.pk, "fmt": fmt})


def body_of(response) -> bytes:
    return b"".join(response.streaming_content)


def docx_lines(response) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(body_of(response))).paragraphs]


@pytest.fixture
def essay():
    collection = make_collection("干部学习心得汇编", source="https://example.org/汇编.html")
    return make_essay(
        collection=collection,
        title="干部学习心得",
        subtitle="写在结业之际",
        author=make_author("张静", "县委办公室"),
        body="我们要坚持学习，不断提高干部队伍的理论水平。\n在实践中锤炼党性。",
    )


def test_an_essay_downloads_as_a_docx_that_opens_with_its_chinese_text(client, essay):
    response = client.get(essay_url(essay, "docx"))
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_TYPE
    lines = docx_lines(response)
    assert lines[0] == "干部学习心得"
    assert {"写在结业之际", "作者：张静", "单位：县委办公室", "文集：干部学习心得汇编"} <= set(lines)
    assert "来源：https://example.org/汇编.html" in lines
    assert lines[-2:] == ["我们要坚持学习，不断提高干部队伍的理论水平。", "在实践中锤炼党性。"]


def test_the_download_follows_the_readers_script_cookie(client, essay):
    client.cookies[SCRIPT_COOKIE] = "hant"
    lines = docx_lines(client.get(essay_url(essay, "docx")))
    assert lines[0] == "幹部學習心得"
    assert "在實踐中錘鍊黨性。" in lines  # OpenCC's 錘鍊, as seed 001 writes it
    text = body_of(client.get(essay_url(essay, "txt"))).decode("utf-8-sig")
    assert text.startswith("幹部學習心得\r\n")
    assert "我們要堅持學習，不斷提高幹部隊伍的理論水平。" in text


def test_a_traditional_essay_downloads_in_simplified_by_default(client):
    essay = make_essay(title="畫準政工幹部的初心像", body="黨的建設永遠在路上。")
    lines = docx_lines(client.get(essay_url(essay, "docx")))
    assert lines[0] == "画准政工干部的初心像"
    assert lines[-1] == "党的建设永远在路上。"


def test_the_file_name_is_the_title_in_rfc_5987_form(client, essay):
    response = client.get(essay_url(essay, "docx"))
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=utf-8''{quote('干部学习心得.docx')}" in disposition
    client.cookies[SCRIPT_COOKIE] = "hant"
    disposition = client.get(essay_url(essay, "txt"))["Content-Disposition"]
    assert f"filename*=utf-8''{quote('幹部學習心得.txt')}" in disposition


def test_an_essay_downloads_as_utf8_text(client, essay):
    response = client.get(essay_url(essay, "txt"))
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = body_of(response).decode("utf-8-sig")
    assert text.startswith("干部学习心得\r\n写在结业之际\r\n作者：张静\r\n单位：县委办公室\r\n")
    assert text.endswith("\r\n\r\n在实践中锤炼党性。\r\n")


@pytest.mark.parametrize("fmt", ["docx", "txt"])
def test_an_unpublished_essay_cannot_be_downloaded(client, fmt):
    draft = make_essay(status=Status.DRAFT)
    assert client.get(essay_url(draft, fmt)).status_code == 404


def test_an_unknown_format_is_not_a_page(client, essay):
    assert client.get(f"/essays/{essay.pk}/download.pdf").status_code == 404


def test_a_collection_downloads_its_published_essays_in_reading_order(client):
    collection = make_collection("心得汇编", description="编者按：三篇文章。")
    make_essay(collection=collection, title="第三篇", body="三的正文。", position=3)
    make_essay(collection=collection, title="第一篇", body="一的正文。", position=1)
    make_essay(collection=collection, title="未发布", body="草稿正文。", position=2, status=Status.DRAFT)
    make_essay(collection=collection, title="第二篇", body="二的正文。", position=2)

    response = client.get(collection_url(collection, "docx"))
    document = docx.Document(io.BytesIO(body_of(response)))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["第一篇", "第二篇", "第三篇"]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "草稿正文" not in text and "未发布" not in text
    assert text.index("一的正文。") < text.index("二的正文。") < text.index("三的正文。")
    assert f"filename*=utf-8''{quote('心得汇编.docx')}" in response["Content-Disposition"]

    plain = body_of(client.get(collection_url(collection, "txt"))).decode("utf-8-sig")
    assert plain.index("1. 第一篇") < plain.index("2. 第二篇") < plain.index("3. 第三篇")
    assert "草稿正文" not in plain


def test_a_collection_without_published_essays_cannot_be_downloaded(client):
    collection = make_collection()
    make_essay(collection=collection, status=Status.DRAFT)
    assert client.get(collection_url(collection, "docx")).status_code == 404
    assert client.get(collection_url(collection, "txt")).status_code == 404


def test_a_seed_collection_exports_with_its_chinese_text_intact(client):
    """The issue's done-when: a real collection to a .docx that opens with Chinese intact."""
    outcome = import_document(seed_bytes("003"), "seeds/003.txt", status=Status.PUBLISHED)
    essays = list(outcome.collection.essays.order_by("position"))
    for script in ("hans", "hant"):
        client.cookies[SCRIPT_COOKIE] = script
        response = client.get(collection_url(outcome.collection, "docx"))
        document = docx.Document(io.BytesIO(body_of(response)))
        text = "\n".join(p.text for p in document.paragraphs)
        headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
        expected_headings = []
        for essay in essays:
            # As the reading page shows it in this script: an essay of seed 003 written in
            # Traditional is kept as written in 繁, the mixed ones are converted.
            written_in = detect_script(essay.body)
            for paragraph in essay.paragraphs:
                assert show_in(paragraph, script, written_in) in text
            expected_headings.append(show_in(essay.title, script, written_in))
        assert headings == expected_headings


def test_downloads_never_name_the_imported_file(client):
    """Readers are told the web address a text came from, or nothing: not 004.txt."""
    outcome = import_document(seed_bytes("004"), "/srv/secret-folder/004.txt", status=Status.PUBLISHED)
    essay = outcome.collection.essays.first()
    collection_url = reverse("essays:collection_download", args=[outcome.collection.pk, "txt"])

    for url in (essay_url(essay, "txt"), collection_url):
        text = body_of(client.get(url)).decode("utf-8-sig")
        assert "secret-folder" not in text and "004.txt" not in text
    document = docx.Document(io.BytesIO(body_of(client.get(essay_url(essay, "docx")))))
    assert not any("004.txt" in p.text for p in document.paragraphs)


def test_downloads_give_the_web_address_a_text_came_from(client):
    outcome = import_document(
        seed_bytes("004"), "004.txt", status=Status.PUBLISHED, source_url="https://example.org/a.html"
    )
    essay = outcome.collection.essays.first()

    text = body_of(client.get(essay_url(essay, "txt"))).decode("utf-8-sig")

    assert "来源：https://example.org/a.html" in text


@pytest.mark.parametrize("n", [1, 30])
def test_downloads_run_a_fixed_number_of_queries(client, django_assert_num_queries, n):
    """An essay: one query. A collection: the collection, then its essays with authors."""
    collection = make_collection()
    essays = [
        make_essay(collection=collection, title=f"第{i}篇", author=make_author(f"作者{i}"), position=i)
        for i in range(1, n + 1)
    ]
    with django_assert_num_queries(1):
        assert client.get(essay_url(essays[-1], "docx")).status_code == 200
    with django_assert_num_queries(2):
        assert client.get(collection_url(collection, "docx")).status_code == 200
    with django_assert_num_queries(2):
        assert client.get(collection_url(collection, "txt")).status_code == 200


def test_download_links_are_on_the_essay_and_collection_pages(client, essay):
    page = client.get(essay.get_absolute_url()).content.decode()
    assert f'href="{essay_url(essay, "docx")}"' in page
    assert f'href="{essay_url(essay, "txt")}"' in page
    page = client.get(essay.collection.get_absolute_url()).content.decode()
    assert f'href="{collection_url(essay.collection, "docx")}"' in page
    assert f'href="{collection_url(essay.collection, "txt")}"' in page


def test_downloads_need_a_login_in_intranet_mode(client, essay, settings):
    settings.ANTHOLOGY_LOGIN_REQUIRED = True
    response = client.get(essay_url(essay, "docx"))
    assert response.status_code == 302
    assert "login" in response["Location"]
