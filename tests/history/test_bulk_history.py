"""Bulk actions and imports write a version of every essay they change, with the acting user."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import connection
from django.test.utils import CaptureQueriesContext

from essays.models import Collection, Essay, Status
from essays.services import curation
from essays.services.import_rows import essay_fingerprint
from essays.services.importing import import_document, reparse_documents
from tests.conftest import seed_bytes
from tests.essays.admin_factories import make_author, make_collection, make_essay

from .helpers import versions

pytestmark = pytest.mark.django_db


def make_essays(n):
    collection = make_collection("文集")
    return [make_essay(f"第{i}篇", collection=collection, themes=("党的建设",)) for i in range(n)]


def test_publish_action_writes_a_version_per_essay_by_the_editor(editor_client, editor):
    essays = make_essays(3)

    editor_client.post(
        "/admin/essays/essay/",
        {"action": "publish", ACTION_CHECKBOX_NAME: [e.pk for e in essays]},
        follow=True,
    )

    for essay in essays:
        latest = versions(essay)[0]
        assert latest.status == Status.PUBLISHED
        assert latest.published_at is not None
        assert latest.history_user == editor
        assert latest.history_change_reason == "发布"
        assert latest.themes_snapshot == ["党的建设"]


def test_bulk_publish_writes_history_in_a_fixed_number_of_queries(editor):
    """Versions for a bulk action are written in bulk, not one query per essay."""

    def queries(n):
        essays = make_essays(n)
        with CaptureQueriesContext(connection) as captured:
            curation.publish_essays(Essay.objects.filter(pk__in=[e.pk for e in essays]), user=editor)
        return len(captured)

    assert queries(2) == queries(25)


def test_theme_actions_snapshot_the_new_themes(editor):
    (essay,) = make_essays(1)

    curation.add_themes([essay], "初心使命、理想信念", user=editor)
    added = versions(essay)[0]
    curation.remove_themes([essay], ["党的建设"], user=editor)
    removed = versions(essay)[0]

    assert added.themes_snapshot == ["党的建设", "初心使命", "理想信念"]
    assert added.history_change_reason.startswith("添加主题")
    assert removed.themes_snapshot == ["初心使命", "理想信念"]
    assert removed.history_user == editor


def test_merging_authors_records_the_moved_essays_and_the_removed_author(editor):
    target, other = make_author("张静", "市财政局"), make_author("張靜", "财政局")
    essay = make_essay("心得", author=other)

    curation.merge_authors(target, [other], user=editor)

    latest = versions(essay)[0]
    assert latest.author_id == target.pk and latest.history_user == editor
    removed = other.history.model.objects.filter(id=other.pk, history_type="-").get()
    assert removed.history_user == editor


def test_merging_themes_records_the_renamed_essays(editor):
    (essay,) = make_essays(1)
    essay.themes.add("黨建")
    target = essay.themes.get(name="党的建设")
    other = essay.themes.get(name="黨建")

    curation.merge_themes(target, [other], user=editor)

    assert versions(essay)[0].themes_snapshot == ["党的建设"]


def test_import_writes_a_created_version_for_every_essay_with_user_and_themes(editor):
    outcome = import_document(seed_bytes("001"), "001.txt", user=editor)

    essays = list(outcome.collection.essays.prefetch_related("themes"))
    assert essays
    for essay in essays:
        created = essay.history.filter(history_type="+").get()
        assert created.history_user == editor
        assert created.history_change_reason == "导入：001.txt"
        assert created.themes_snapshot == sorted(t.name for t in essay.themes.all())
        assert created.body == essay.body
    collection_version = Collection.history.filter(id=outcome.collection.pk).get()
    assert collection_version.history_user == editor


def test_reparse_records_changed_essays_as_the_system(editor):
    outcome = import_document(seed_bytes("001"), "001.txt", user=editor)
    essay = outcome.collection.essays.order_by("position").first()
    # Make the stored essay look stale to the parser, as after a pipeline upgrade.
    Essay.objects.filter(pk=essay.pk).update(imported_fingerprint="old", body="旧的正文。")
    essay.refresh_from_db()
    essay.imported_fingerprint = essay_fingerprint(essay)  # unedited: the parse may replace it
    essay.save()

    reparse_documents()

    latest = versions(essay)[0]
    assert latest.body != "旧的正文。"
    assert latest.history_user is None
    assert latest.history_change_reason.startswith("重新解析")


def test_history_switched_off_writes_no_versions_from_bulk_actions(editor, settings):
    essays = make_essays(2)
    settings.SIMPLE_HISTORY_ENABLED = False

    curation.publish_essays(essays, user=editor)
    curation.add_themes(essays, "初心使命", user=editor)

    assert all(versions(e)[0].status == Status.DRAFT for e in essays)
