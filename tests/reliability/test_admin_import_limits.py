"""The admin import's size limits: an over-size request is refused before its body is read,
an over-size file is skipped while it is read, and a pasted text over its limit is refused
in Chinese on the same form with the text kept — never a bare "Bad Request (400)"."""

import pytest
from django.conf import settings
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.test import Client
from django.test.client import MULTIPART_CONTENT

from essays.models import PendingImport
from essays.services import preview
from tests.conftest import seed_bytes
from tests.preview.conftest import make_user
from tests.preview.helpers import UPLOAD, preview_url, upload

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


@pytest.fixture(autouse=True)
def _work_in_the_request(settings):
    settings.ANTHOLOGY_IMPORT_IN_BACKGROUND = (
        False  # tests/preview/test_admin_import_progress runs the thread
    )


@pytest.fixture
def editor(db):
    return make_user("editor", perms=["add_essay", "change_essay", "view_essay", "add_sourcedocument"])


@pytest.fixture
def editor_client(editor, client):
    client.force_login(editor)
    return client


class UnreadableBody:
    """A request body that fails the test if any of it is read."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def test_an_over_size_upload_is_refused_in_chinese_without_reading_the_body(editor_client):
    declared = 100 * MB + preview.MAX_REQUEST_BYTES

    response = editor_client.generic(
        "POST",
        UPLOAD,
        b"",
        content_type=MULTIPART_CONTENT,
        CONTENT_LENGTH=str(declared),
        **{"wsgi.input": UnreadableBody()},
    )

    assert response.status_code == 413
    assert "上传的内容共 511.0 MB，超过一次上传的上限 411 MB" in response.text
    assert "最多 20 个文件、每个 20 MB" in response.text and "没有接收" in response.text
    assert 'id="import-upload-form"' in response.text  # the form, to try again
    assert not PendingImport.objects.exists()


def test_the_size_is_checked_before_csrf_but_csrf_still_guards_the_upload(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.post(UPLOAD, {"pasted": "心得", "pasted_name": "x"}).status_code == 403
    response = client.generic(
        "POST", UPLOAD, b"", content_type=MULTIPART_CONTENT, CONTENT_LENGTH=str(preview.MAX_REQUEST_BYTES + 1)
    )
    assert response.status_code == 413


def test_an_over_size_file_is_skipped_as_it_is_read_and_the_paste_is_kept(editor_client, monkeypatch):
    received = []
    real = TemporaryFileUploadHandler.receive_data_chunk

    def counting(self, raw_data, start):
        received.append(len(raw_data))
        return real(self, raw_data, start)

    monkeypatch.setattr(TemporaryFileUploadHandler, "receive_data_chunk", counting)
    text = "牢记初心使命\n张静\n坚定理想信念，立足岗位作贡献。"

    response = upload(
        editor_client,
        ("太大.txt", b"x" * (preview.MAX_FILE_BYTES + 3 * MB)),
        pasted=text,
        pasted_name="我的心得",
    )

    assert response.status_code == 200
    assert "太大.txt：文件超过 20 MB，没有接收。" in response.text
    assert sum(received) <= preview.MAX_FILE_BYTES  # the rest was skipped, not kept
    assert text.splitlines()[-1] in response.text  # the paste is still in its field
    assert not PendingImport.objects.exists()


def test_an_over_size_paste_is_refused_on_the_form_with_the_text_kept(editor_client):
    line = "坚定理想信念，牢记初心使命，立足岗位作贡献。\n"
    text = line * (preview.MAX_PASTE_BYTES // len(line.encode()) + 10) + "全文最后一句在此。"
    assert preview.MAX_PASTE_BYTES < len(text.encode()) < settings.DATA_UPLOAD_MAX_MEMORY_SIZE

    response = editor_client.post(UPLOAD, {"pasted": text, "pasted_name": "很长的汇编"})

    assert response.status_code == 200
    page = response.text
    assert "粘贴的文本有 10.1 MB，超过 10 MB 的上限" in page
    assert "请分几次粘贴，或存为文件后上传" in page
    textarea = page.split('name="pasted"')[1].split("</textarea>")[0]
    assert "全文最后一句在此。" in textarea and textarea.count("坚定理想信念") > 100_000
    assert 'value="很长的汇编"' in page
    assert not PendingImport.objects.exists()


def test_a_paste_too_long_even_to_read_back_is_refused_in_chinese_not_with_a_bare_400(editor_client):
    text = "坚定理想信念。" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 21 + 1000)

    response = editor_client.post(UPLOAD, {"pasted": text, "pasted_name": "更长的汇编"})

    assert response.status_code == 413
    assert "粘贴的文本远超 10 MB 的上限，没有接收，文本未保留" in response.text
    assert not PendingImport.objects.exists()


def test_a_paste_over_djangos_default_limit_is_previewed(editor_client):
    """Django's default (2.5 MB of form fields) turned these away with "Bad Request (400)"."""
    parts = ["党员学习心得体会汇编"]
    for n in range(1, 401):
        parts += [
            f"第{n}篇 学习心得体会之{n}",
            f"这是第{n}篇的正文，要认真学习，坚定理想信念，牢记初心使命。" * 80,
        ]
    text = "\n".join(parts)
    assert len(text.encode()) > 2.5 * MB

    response = upload(editor_client, pasted=text, pasted_name="很长的汇编")

    preview_url(response)
    assert "第 1/20 页（共 400 篇）" in response.text


def test_the_limits_agree_with_each_other():
    """A paste at its limit, with the form's other fields, fits in what Django reads of a
    form; a full batch fits under the request limit."""
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE >= preview.MAX_PASTE_BYTES + preview.REQUEST_MARGIN
    assert preview.MAX_REQUEST_BYTES >= preview.MAX_FILES * preview.MAX_FILE_BYTES + preview.MAX_PASTE_BYTES


def test_the_upload_page_states_the_limits(editor_client):
    page = editor_client.get(UPLOAD).text
    assert "一次最多 20 个文件，每个不超过 20 MB；粘贴的文本不超过 10 MB" in page


def test_a_normal_upload_still_goes_through(editor_client):
    response = upload(editor_client, ("004.txt", seed_bytes("004")))
    preview_url(response)
    assert response.text.count('class="import-essay"') == 1


def test_more_files_than_django_reads_are_refused_in_chinese(editor_client):
    many = [(f"{n}.txt", "心得".encode()) for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)]

    response = upload(editor_client, *many)

    assert response.status_code == 413 and "一次最多上传 20 个文件，没有接收" in response.text
    assert not PendingImport.objects.exists()
