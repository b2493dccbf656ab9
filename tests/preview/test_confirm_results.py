"""Confirming stores each document entirely or not at all and says what became of each; a
document that fails leaves the batch viewable, confirmable and discardable, and a file that
claims a stored page is shown beside it until the editor chooses."""

import pytest
from django.db import connection

from essays.models import Collection, Essay, PendingImport, SourceDocument, SourceVersion
from essays.services import import_document
from tests.conftest import seed_bytes
from tests.essays.test_importing import refuse_essays_titled
from tests.preview.helpers import post_edit, preview_url, upload
from tests.reliability.documents import OTHER_PAGE_TWO, PAGE_TWO

pytestmark = pytest.mark.django_db

REFUSED = (
    "拒收.txt",
    ("拒收专用标题\n\n作者：王拒收\n\n" + "这是一段会被数据库拒收的正文，用来检验导入的回滚。" * 5).encode(),
)


@pytest.fixture(autouse=True)
def _work_in_the_request(settings):
    settings.ANTHOLOGY_IMPORT_IN_BACKGROUND = False  # test_admin_import_progress runs the thread


def accept_essays_again():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER refuse")
        else:
            cursor.execute("DROP TRIGGER refuse ON essays_essay")
            cursor.execute("DROP FUNCTION refuse()")


def stored():
    return {
        "sources": sorted(SourceDocument.objects.values_list("name", "sha256")),
        "essays": sorted(Essay.objects.values_list("title", "body")),
        "collections": Collection.objects.count(),
        "versions": SourceVersion.objects.count(),
    }


# One document fails ----------------------------------------------------------------------


def test_a_document_the_database_refuses_leaves_the_batch_usable_and_a_second_confirm_stores_it_once(
    editor_client,
):
    response = upload(editor_client, ("004.txt", seed_bytes("004")), REFUSED)
    url = preview_url(response)
    refuse_essays_titled("拒收")

    response = post_edit(editor_client, url, response, action="confirm")

    # Back on the preview, each document with its result; the refused one stored nothing.
    assert response.redirect_chain[-1][0] == url
    page = response.text
    assert "004.txt：已导入（新建）" in page and "新建 1 篇" in page
    assert "拒收.txt：无法写入数据库" in page and "此文件未导入，可再次确认导入" in page
    assert (
        '<span class="receipt-label">新建</span>' in page
        and '<span class="receipt-label">失败</span>' in page
    )
    assert SourceDocument.objects.get().name == "004.txt"
    assert not Essay.objects.filter(title__contains="拒收").exists()
    # Still viewable, confirmable and discardable.
    assert editor_client.get(url).status_code == 200
    assert 'value="confirm"' in page and 'value="discard"' in page
    assert page.count('class="import-essay"') == 1  # only the one still to import
    assert dict(PendingImport.objects.values_list("name", "stage")) == {
        "004.txt": "done",
        "拒收.txt": "ready",
    }

    accept_essays_again()
    response = post_edit(editor_client, url, response, action="confirm")

    assert "拒收.txt：已导入（新建）" in response.text
    assert sorted(SourceDocument.objects.values_list("name", flat=True)) == ["004.txt", "拒收.txt"]
    assert Essay.objects.count() == 2  # 004's one essay, not twice
    assert not PendingImport.objects.exists()


def test_discarding_after_a_partial_confirm_keeps_what_was_stored(editor_client):
    response = upload(editor_client, ("004.txt", seed_bytes("004")), REFUSED)
    url = preview_url(response)
    refuse_essays_titled("拒收")
    response = post_edit(editor_client, url, response, action="confirm")

    response = post_edit(editor_client, url, response, action="discard")

    assert "已导入的 1 个文件不受影响" in response.text
    assert not PendingImport.objects.exists()
    assert list(SourceDocument.objects.values_list("name", flat=True)) == ["004.txt"]


# A file that claims a stored page -------------------------------------------------------------


@pytest.fixture
def conflicting(editor_client):
    """Page 2 of the compilation is stored as 甲.txt; 乙.txt, another page 2, is uploaded."""
    import_document(PAGE_TWO, "甲.txt")
    response = upload(editor_client, ("乙.txt", OTHER_PAGE_TWO))
    return preview_url(response), response


def test_a_conflict_is_shown_beside_the_stored_page_with_three_choices(conflicting):
    _, response = conflicting
    page = response.text
    stored = SourceDocument.objects.get()
    stored_titles = list(stored.essays.order_by("position").values_list("title", flat=True))

    assert 'class="import-conflict"' in page
    stored_side, file_side = page.split('class="import-side import-side-')[1:3]
    assert "库中已存的版本" in stored_side and "此文件" in file_side
    assert (
        '<dd class="side-name">甲.txt</dd>' in stored_side
        and '<dd class="side-name">乙.txt</dd>' in file_side
    )
    for side in (stored_side, file_side):
        assert "2024年在焦裕禄干部学院的学习体会汇编7篇" in side and "第 2/2 页" in side
    assert all(f"<li>{title}</li>" in stored_side for title in stored_titles)
    assert f"{len(stored_titles)} 篇" in stored_side
    assert "<li>乡村振兴调研有感</li>" in file_side and "<li>基层治理的体会</li>" in file_side
    assert "<li>今年夏天，我随调研组走访了三个乡镇的十多个村" in file_side  # its first lines
    assert stored.text.splitlines()[0][:20] in stored_side
    for label in ("保留已存版本（不导入此文件）", "以此文件替换", "两者都保留（另存为新文集）"):
        assert label in page
    assert " checked>" not in page.split('class="import-conflict-choice"')[1].split("</fieldset>")[0]


def test_without_a_choice_confirm_reports_the_conflict_and_stores_nothing(conflicting, editor_client):
    url, response = conflicting
    before = stored()

    response = post_edit(editor_client, url, response, action="confirm")

    assert response.redirect_chain[-1][0] == url
    assert (
        "乙.txt：与已存的《2024年在焦裕禄干部学院的学习体会汇编7篇》第 2 页（甲.txt）内容不同，未导入；请在预览中选择"
        in response.text
    )
    assert 'class="import-conflict"' in response.text and 'value="confirm"' in response.text
    assert stored() == before
    assert PendingImport.objects.get().stage == "ready"


def test_keeping_the_stored_page_imports_nothing_and_ends_the_batch(conflicting, editor_client):
    url, response = conflicting
    before = stored()

    response = post_edit(
        editor_client, url, response, action="confirm", **{f"conflict-{pending_pk()}": "keep"}
    )

    assert "乙.txt：未导入（保留已存版本）" in response.text
    assert stored() == before and not PendingImport.objects.exists()


def test_replacing_puts_the_file_in_the_pages_place_and_keeps_the_old_bytes(conflicting, editor_client):
    url, response = conflicting
    page = SourceDocument.objects.get()

    response = post_edit(
        editor_client, url, response, action="confirm", **{f"conflict-{pending_pk()}": "replace"}
    )

    assert "乙.txt：已导入（替换已存页面，原文件留作旧版）" in response.text
    page.refresh_from_db()
    assert (page.name, bytes(page.raw)) == ("乙.txt", OTHER_PAGE_TWO)
    assert set(page.essays.values_list("title", flat=True)) == {"乡村振兴调研有感", "基层治理的体会"}
    (kept,) = SourceVersion.objects.all()
    assert (kept.name, bytes(kept.raw), kept.reason) == ("甲.txt", PAGE_TWO, "replaced")


def test_keeping_both_stores_the_file_as_a_collection_of_its_own(conflicting, editor_client):
    url, response = conflicting
    before = set(Essay.objects.values_list("pk", "body"))

    # The choice is kept with the other fields on a save, then confirmed.
    response = post_edit(editor_client, url, response, **{f"conflict-{pending_pk()}": "separate"})
    assert 'value="separate" checked>' in response.text
    response = post_edit(editor_client, url, response, action="confirm")

    assert "乙.txt：已导入（新建）" in response.text
    assert Collection.objects.count() == 2 and SourceDocument.objects.count() == 2
    assert before <= set(Essay.objects.values_list("pk", "body"))
    assert not SourceVersion.objects.exists()


def pending_pk() -> int:
    return PendingImport.objects.get().pk


def test_results_and_conflicts_are_escaped(editor_client):
    import_document(PAGE_TWO, "<i>甲.txt")
    response = upload(editor_client, ("<img src=x onerror=alert(1)>乙.txt", OTHER_PAGE_TWO))
    url = preview_url(response)
    assert "&lt;i&gt;甲.txt" in response.text and "<i>甲" not in response.text
    assert "&lt;img src=x onerror=alert(1)&gt;乙.txt" in response.text and "<img src=x" not in response.text

    response = post_edit(editor_client, url, response, action="confirm")

    assert "&lt;img src=x onerror=alert(1)&gt;乙.txt：与已存的" in response.text
    assert "<img src=x" not in response.text and "<i>甲" not in response.text
