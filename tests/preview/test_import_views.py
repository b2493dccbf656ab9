"""The admin import page: upload → preview → corrections → confirm, over real requests."""

import re
import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from essays.models import Essay, PendingImport, SourceDocument, Status
from essays.services import import_document
from essays.services.import_rows import essay_fingerprint
from essays.services.importing import reparse_documents
from tests.conftest import seed_bytes
from tests.preview.conftest import make_user
from tests.preview.helpers import UPLOAD, post_edit, preview_url, upload, versions

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _work_in_the_request(settings):
    """Parsing and storing run to their end in the request that starts them (a thread would
    not see this test's uncommitted rows); test_admin_import_progress runs the thread."""
    settings.ANTHOLOGY_IMPORT_IN_BACKGROUND = False


SEED_003 = "003_b11e6ee3c82aea19.txt"


def test_upload_shows_a_preview_and_stores_nothing(editor_client):
    response = upload(editor_client, (SEED_003, seed_bytes("003")))
    url = preview_url(response)
    page = response.text
    assert response.status_code == 200
    assert "以下内容尚未保存" in page
    assert "個人掛職總結" in page  # the proposed collection
    assert page.count('class="import-essay"') == 10
    assert "關于掛職收獲我個人總結如下幾點" in page and "自动生成标题" in page
    assert '<span class="encoding">UTF-8</span>' in page and '<dd class="script">繁体</dd>' in page
    assert "修复乱码处：33" in page and "删除拼音注音：1975" in page  # the cleanup counts
    assert "首行：" in page and "末行：" in page and "新文章" in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert Essay.objects.count() == 0 and SourceDocument.objects.count() == 0
    assert PendingImport.objects.get().name == SEED_003
    assert editor_client.get(url).status_code == 200


def test_corrections_then_confirm_store_the_edited_essays(editor, editor_client):
    response = upload(editor_client, (SEED_003, seed_bytes("003")))
    url = preview_url(response)
    (pk,) = versions(response)
    parsed_titles = re.findall(r'name="t-\d+-\d+" value="([^"]*)"', response.text)
    assert len(parsed_titles) == 10

    # rename the first essay and give it an author, in the same submit as dropping the second
    response = post_edit(
        editor_client,
        url,
        response,
        action=f"drop:{pk}:1",
        **{f"t-{pk}-0": "掛職收獲總結", f"a-{pk}-0": "張靜", f"o-{pk}-0": "某某大學"},
    )
    assert response.status_code == 200
    assert response.text.count('class="import-essay"') == 9
    assert 'value="掛職收獲總結"' in response.text and 'value="張靜"' in response.text
    assert parsed_titles[1] not in re.findall(r'name="t-\d+-\d+" value="([^"]*)"', response.text)

    response = post_edit(editor_client, url, response, action=f"merge:{pk}:1")  # 初步了解 + 主要工作回顧
    assert response.text.count('class="import-essay"') == 8
    response = post_edit(editor_client, url, response, action=f"split:{pk}:2", **{f"at-{pk}-2": "3"})
    assert response.text.count('class="import-essay"') == 9
    assert PendingImport.objects.get().ops[-1] == {"op": "split", "index": 2, "at": 3}
    assert Essay.objects.count() == 0

    response = post_edit(editor_client, url, response, action="confirm", status="published")
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith(reverse("admin:essays_essay_changelist"))
    assert "新建 9 篇" in response.text
    assert not PendingImport.objects.exists()

    essays = list(Essay.objects.order_by("position"))
    assert len(essays) == 9
    assert essays[0].title == "掛職收獲總結" and essays[0].author.name == "張靜"
    assert essays[0].author.organization == "某某大學"
    assert all(e.status == Status.PUBLISHED and e.published_at for e in essays)
    assert parsed_titles[1] not in [e.title for e in essays]
    assert essays[1].title == parsed_titles[2] and parsed_titles[3] not in [e.title for e in essays]
    assert SourceDocument.objects.get().imported_by == editor
    # The source indices are the parser's: 1 was dropped, 3 merged into 2, 4 split in two.
    assert [e.source_index for e in essays] == [0, 2, 4, 4, 5, 6, 7, 8, 9]

    # The edited essays count as the editor's version, so re-parsing the source keeps them.
    assert essay_fingerprint(essays[0]) != essays[0].imported_fingerprint
    assert essay_fingerprint(essays[4]) == essays[4].imported_fingerprint  # untouched
    (outcome,) = reparse_documents()
    assert outcome.ok
    assert Essay.objects.get(pk=essays[0].pk).title == "掛職收獲總結"
    assert Essay.objects.get(pk=essays[1].pk).body == essays[1].body


def test_a_second_server_process_sees_the_same_pending_import(editor, editor_client, client_for):
    """Nothing lives in the process: a fresh client (any worker) shows and confirms it."""
    response = upload(editor_client, (SEED_003, seed_bytes("003")))
    url = preview_url(response)
    (pk,) = versions(response)
    post_edit(editor_client, url, response, **{f"t-{pk}-3": "回顧主要工作"})

    other = client_for(editor)
    response = other.get(url)
    assert response.status_code == 200
    assert 'value="回顧主要工作"' in response.text
    post_edit(other, url, response, action="confirm")
    assert Essay.objects.filter(title="回顧主要工作", status=Status.DRAFT).count() == 1


def test_a_stale_page_does_not_apply_its_edits(editor_client):
    response = upload(editor_client, (SEED_003, seed_bytes("003")))
    url = preview_url(response)
    (pk,) = versions(response)
    post_edit(editor_client, url, response, action=f"drop:{pk}:0")
    # The old page (version 0) asks to drop essay 0 again: it would drop the wrong one.
    response = post_edit(editor_client, url, response, action=f"drop:{pk}:0")
    assert "别的窗口" in response.text
    assert len(PendingImport.objects.get().ops) == 1


def test_undo_removes_the_last_correction(editor_client):
    response = upload(editor_client, (SEED_003, seed_bytes("003")))
    url = preview_url(response)
    (pk,) = versions(response)
    response = post_edit(editor_client, url, response, action=f"merge:{pk}:0")
    assert response.text.count('class="import-essay"') == 9
    response = post_edit(editor_client, url, response, action=f"undo:{pk}")
    assert response.text.count('class="import-essay"') == 10
    assert PendingImport.objects.get().ops == []


def test_an_impossible_correction_is_refused_with_a_reason(editor_client):
    response = upload(editor_client, (SEED_003, seed_bytes("003")))
    url = preview_url(response)
    (pk,) = versions(response)
    response = post_edit(editor_client, url, response, action=f"merge:{pk}:9")
    assert "没有下一篇可合并" in response.text
    assert PendingImport.objects.get().ops == []


def test_bad_files_are_named_with_the_reason_and_the_others_import(editor_client):
    response = upload(
        editor_client,
        ("空白.txt", b""),
        ("旧文档.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100),
        ("好的.txt", "学习心得\n坚定理想信念，牢记初心使命。".encode("gb18030")),
    )
    url = preview_url(response)
    page = response.text
    assert "空白.txt：无法导入（文件是空的）" in page
    assert "旧文档.doc：无法导入（不支持旧版 Word .doc 文件，请另存为 .docx 再导入）" in page
    assert page.count('class="import-essay"') == 1 and 'value="confirm"' in page
    assert not Essay.objects.exists()

    response = post_edit(editor_client, url, response, action="confirm")
    assert "好的.txt：已导入（新建）" in response.text and "新建 1 篇" in response.text
    assert "空白.txt：无法导入" in response.text  # reported again, not stored
    assert Essay.objects.count() == 1 and not PendingImport.objects.exists()


def test_pasted_text_needs_a_name_and_then_previews(editor_client):
    text = "牢记初心使命\n张静\n坚定理想信念，立足岗位作贡献。\n以实际行动践行初心使命。"
    response = upload(editor_client, pasted=text)
    assert "请为粘贴的文本起个名字" in response.text
    assert not PendingImport.objects.exists()
    response = upload(editor_client, pasted=text, pasted_name="我的心得")
    preview_url(response)
    assert PendingImport.objects.get().name == "我的心得.txt"
    assert "以实际行动践行初心使命" in response.text


def test_several_files_preview_together_and_large_ones_are_paged(editor_client):
    parts = ["党员学习心得体会汇编"]
    for n in range(1, 26):
        parts += [
            f"第{n}篇 学习心得体会之{n}",
            f"这是第{n}篇文章的正文，我们要认真学习，坚定理想信念，牢记初心使命。" * 40,
            "以实际行动践行使命，立足岗位作贡献，为实现目标而努力奋斗。",
        ]
    big = "\n".join(parts).encode("utf-8")
    response = upload(editor_client, ("汇编.txt", big), ("单篇.txt", seed_bytes("004")))
    url = preview_url(response)
    first = response.text
    assert first.count('class="import-essay"') == 20  # a page, not the whole batch
    assert "第 1/2 页（共 26 篇）" in first
    # Bodies show a capped first and last line, and the line-roles view a capped line: a few
    # repeats of the sentence, not all 40.
    assert "我们要认真学习" in first and first.count("这是第1篇文章的正文") <= 6
    second = editor_client.get(url, {"page": 2}).text
    assert second.count('class="import-essay"') == 6
    assert "单篇.txt：第 1–1 篇" in second
    response = post_edit(editor_client, url, editor_client.get(url, {"page": 2}), action="confirm")
    assert SourceDocument.objects.count() == 2 and Essay.objects.count() == 26


def test_the_preview_says_what_is_already_stored(editor, editor_client):
    import_document(seed_bytes("001"), "001.txt", status=Status.PUBLISHED)
    response = upload(editor_client, ("001.txt", seed_bytes("001")))
    assert "同样的文件已于" in response.text and "库中已有相同文章" in response.text
    assert 'value="confirm"' not in response.text  # nothing to confirm

    # The same essays in a page with one more line: near-duplicates of the stored ones.
    changed = seed_bytes("001").decode("utf-8", "replace") + "\n（来源：某网站转载）"
    response = upload(editor_client, ("001-转载.txt", changed.encode("utf-8")))
    assert "与库中文章近似重复" in response.text or "库中已有相同文章" in response.text
    stored = Essay.objects.first()
    assert reverse("admin:essays_essay_change", args=[stored.pk]) in response.text


def test_everything_from_the_file_is_escaped(editor_client):
    text = "<script>alert(1)</script>心得\n张静\n坚定理想信念，<b>牢记</b>初心使命。\n立足岗位作贡献。"
    response = upload(editor_client, ("<img src=x onerror=alert(1)>.txt", text.encode("utf-8")))
    page = response.text
    assert "<script>alert(1)" not in page and "<b>牢记" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page or "&lt;b&gt;牢记" in page


def test_old_pending_imports_are_removed_on_the_next_upload(editor, editor_client):
    old = PendingImport.objects.create(batch=uuid.uuid4(), name="旧.txt", data=b"x", user=editor)
    PendingImport.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))
    upload(editor_client, ("004.txt", seed_bytes("004")))
    assert list(PendingImport.objects.values_list("name", flat=True)) == ["004.txt"]


def test_discard_keeps_nothing(editor_client):
    response = upload(editor_client, ("004.txt", seed_bytes("004")))
    url = preview_url(response)
    response = post_edit(editor_client, url, response, action="discard")
    assert "已放弃" in response.text
    assert not PendingImport.objects.exists() and not Essay.objects.exists()
    assert "已确认、已放弃或已超过一天" in editor_client.get(url, follow=True).text


def test_the_import_page_is_linked_from_the_index_and_changelists(editor_client):
    for url in (
        reverse("admin:index"),
        reverse("admin:essays_essay_changelist"),
    ):
        assert f'href="{UPLOAD}"' in editor_client.get(url).text, url


def test_the_collection_changelist_links_to_it_for_staff_who_can_import(client_for):
    user = make_user("curator", perms=["view_collection", "add_essay"])
    assert f'href="{UPLOAD}"' in client_for(user).get(reverse("admin:essays_collection_changelist")).text
    reader = make_user("reader", perms=["view_collection"])
    page = client_for(reader).get(reverse("admin:essays_collection_changelist")).text
    assert f'href="{UPLOAD}"' not in page


def test_non_staff_and_staff_without_add_permission_are_refused(client_for, editor, editor_client):
    outsider = client_for(make_user("outsider", staff=False, perms=["add_essay"]))
    response = outsider.get(UPLOAD)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]

    viewer = client_for(make_user("viewer", perms=["view_essay", "change_essay"]))
    assert viewer.get(UPLOAD).status_code == 403
    assert viewer.post(UPLOAD, {"pasted": "心得", "pasted_name": "x"}).status_code == 403
    assert not PendingImport.objects.exists()

    # Another editor cannot see or confirm this editor's pending import.
    url = preview_url(upload(editor_client, ("004.txt", seed_bytes("004"))))
    colleague = client_for(make_user("colleague", perms=["add_essay"]))
    response = colleague.post(url, {"action": "confirm"}, follow=True)
    assert "已确认、已放弃或已超过一天" in response.text
    assert PendingImport.objects.count() == 1 and not Essay.objects.exists()


def test_staff_who_may_not_change_essays_cannot_publish(client_for):
    importer = client_for(make_user("importer", perms=["add_sourcedocument"]))
    response = upload(importer, ("004.txt", seed_bytes("004")))
    url = preview_url(response)
    assert 'value="published" disabled' in response.text
    response = post_edit(importer, url, response, action="confirm", status="published")
    assert "没有发布文章的权限" in response.text
    assert not Essay.objects.exists()
    response = post_edit(importer, url, importer.get(url), action="confirm", status="draft")
    assert Essay.objects.filter(status=Status.DRAFT).exists()


def test_forms_need_a_csrf_token(editor, client_for):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.post(UPLOAD, {"pasted": "心得", "pasted_name": "x"}).status_code == 403


def test_pasted_text_is_stored_with_the_line_ends_of_a_file(editor_client):
    # Browsers submit a textarea with "\r\n": kept as is, the source's bytes would differ
    # from the same text saved as a file, and the report would list line ends unified.
    text = "牢记初心使命\r\n张静\r\n坚定理想信念，立足岗位作贡献。\r\n以实际行动践行初心使命。"
    preview_url(upload(editor_client, pasted=text, pasted_name="我的心得"))
    data = bytes(PendingImport.objects.get().data)
    assert b"\r" not in data
    assert data == text.replace("\r\n", "\n").encode("utf-8")
