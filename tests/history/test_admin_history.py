"""Versions in the admin: every edit is kept with who and when, shown as a diff, revertible."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from essays.models import Author, Essay
from essays.services import curation
from tests.essays.admin_factories import make_author

from .helpers import compare_url, essay_form, history_url, revert_url, versions

pytestmark = pytest.mark.django_db


def edit_in_admin(client, essay, **overrides):
    response = client.post(
        f"/admin/essays/essay/{essay.pk}/change/", essay_form(essay, **overrides), follow=False
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    essay.refresh_from_db()
    return essay


def test_admin_edit_records_one_version_with_the_editor_and_the_new_themes(editor_client, editor, essay):
    """Saving the change form writes exactly one version, by the editor, holding the new themes."""
    before = len(versions(essay))

    edit_in_admin(editor_client, essay, title="学习二十届精神心得体会", themes="理想信念、初心使命")

    after = versions(essay)
    assert len(after) == before + 1
    latest = after[0]
    assert latest.history_user == editor
    assert latest.history_type == "~"
    assert latest.title == "学习二十届精神心得体会"
    assert latest.themes_snapshot == ["初心使命", "理想信念"]
    assert after[1].themes_snapshot == ["党的建设", "理想信念"]


def test_history_page_lists_who_when_and_which_fields_changed(editor_client, editor, essay):
    edit_in_admin(editor_client, essay, title="新标题", themes="理想信念")

    html = editor_client.get(history_url(essay)).content.decode()

    assert editor.username in html
    assert "标题、主题" in html  # the changed fields of the latest version, in form order
    assert "修改" in html and "创建" in html


def test_compare_shows_theme_and_body_changes_highlighted(editor_client, essay):
    """Themes removed and added, and the changed characters of an edited paragraph, are marked."""
    old_version = versions(essay)[0]
    body = essay.body.replace("坚定理想信念", "坚定共产主义理想信念")
    edit_in_admin(editor_client, essay, body=body, themes="理想信念、初心使命")
    new_version = versions(essay)[0]

    html = editor_client.get(compare_url(essay, old_version, new_version)).content.decode()

    assert "<del>党的建设</del>" in html
    assert "<ins>初心使命</ins>" in html
    assert "<ins>共产主义</ins>" in html
    # Unchanged paragraphs are shown once each side, unmarked.
    assert "第一段：学习党的二十大精神。" in html


def test_compare_escapes_what_editors_typed(editor_client, essay):
    old_version = versions(essay)[0]
    edit_in_admin(editor_client, essay, title="<script>alert('x')</script>心得")

    html = editor_client.get(compare_url(essay, old_version, versions(essay)[0])).content.decode()

    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html


def test_revert_asks_first_then_restores_title_body_and_themes_as_a_new_version(editor_client, editor, essay):
    original = versions(essay)[0]
    edit_in_admin(
        editor_client, essay, title="改坏的标题", body="只剩一段。", themes="初心使命", status="published"
    )

    confirm = editor_client.get(revert_url(essay, original))
    essay.refresh_from_db()
    assert confirm.status_code == 200
    assert "确认恢复" in confirm.content.decode()
    assert essay.title == "改坏的标题"  # a GET changes nothing

    response = editor_client.post(revert_url(essay, original))

    assert response.status_code == 302
    essay.refresh_from_db()
    assert essay.title == "学习二十大精神心得体会"
    assert essay.body == original.body
    assert essay.status == "draft"
    assert sorted(t.name for t in essay.themes.all()) == ["党的建设", "理想信念"]
    latest = versions(essay)[0]
    assert latest.history_user == editor
    assert latest.history_change_reason.startswith(f"恢复到版本 #{original.history_id}")
    assert latest.themes_snapshot == ["党的建设", "理想信念"]
    assert len(versions(essay)) == 3  # created (themes set with it), edited, reverted


def test_revert_keeps_a_related_author_that_no_longer_exists(editor_client, essay):
    """Reverting past an author merge keeps the merged author and says so."""
    original = versions(essay)[0]
    target = make_author("張靜", "财政局")
    curation.merge_authors(target, [essay.author])

    response = editor_client.post(revert_url(essay, original), follow=True)

    essay.refresh_from_db()
    assert essay.author == target
    assert any("已不存在" in str(m) for m in response.context["messages"])


def test_viewing_history_needs_view_permission_and_revert_needs_change(client, essay):
    """A staff user who may only view essays sees the history but cannot revert."""
    viewer = get_user_model().objects.create_user("只读员", password="x", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_essay"))
    client.force_login(viewer)
    original = versions(essay)[0]
    essay.title = "已改"
    essay.save()

    page = client.get(history_url(essay))
    assert page.status_code == 200
    assert "恢复到此版本" not in page.content.decode()
    assert client.get(revert_url(essay, original)).status_code == 403
    assert client.post(revert_url(essay, original)).status_code == 403
    essay.refresh_from_db()
    assert essay.title == "已改"


def test_staff_without_permissions_cannot_see_history(client, essay):
    nobody = get_user_model().objects.create_user("无权限", password="x", is_staff=True)
    client.force_login(nobody)

    assert client.get(history_url(essay)).status_code == 403


def test_a_version_of_another_object_is_not_found(editor_client, essay):
    other = Essay.objects.create(collection=essay.collection, title="另一篇", body="正文。", position=2)

    assert editor_client.get(revert_url(essay, versions(other)[0])).status_code == 404


def test_author_and_collection_have_history_and_revert(editor_client, editor, essay):
    author = essay.author
    first = versions(author)[0]
    response = editor_client.post(
        f"/admin/essays/author/{author.pk}/change/",
        {"name": "张晶", "organization": "市财政局", "_save": "保存"},
    )
    assert response.status_code == 302
    assert versions(author)[0].history_user == editor

    editor_client.post(revert_url(author, first))

    author.refresh_from_db()
    assert author.name == "张静"
    assert Author.objects.get(pk=author.pk).name_key == "张静"
    collection_page = editor_client.get(history_url(essay.collection))
    assert collection_page.status_code == 200
    assert "创建" in collection_page.content.decode()
