"""The curation services: publishing, themes on essays, merging themes and authors."""

from datetime import timedelta

from django.contrib.admin.models import LogEntry
from django.utils import timezone

from essays.models import Author, Essay, Status, Theme, ThemedEssay
from essays.services.curation import (
    add_themes,
    merge_authors,
    merge_themes,
    publish_essays,
    remove_themes,
    unpublish_essays,
)
from tests.essays.admin_factories import make_author, make_collection, make_essay, make_theme


def theme_names(essay):
    return sorted(t.name for t in Essay.objects.get(pk=essay.pk).themes.all())


def test_publish_essays_sets_status_and_published_at(db):
    """Publishing a draft marks it published and stamps published_at."""
    essay = make_essay()

    changed = publish_essays(Essay.objects.filter(pk=essay.pk))

    essay.refresh_from_db()
    assert changed == 1
    assert essay.status == Status.PUBLISHED
    assert essay.published_at is not None


def test_publish_essays_keeps_an_earlier_published_at(db):
    """Re-publishing keeps the date an essay was first published."""
    first = timezone.now() - timedelta(days=30)
    essay = make_essay(published_at=first)

    publish_essays(Essay.objects.all())

    essay.refresh_from_db()
    assert essay.published_at == first


def test_publish_essays_counts_only_essays_that_changed(db):
    """Already published essays are not counted again."""
    make_essay(status=Status.PUBLISHED, published_at=timezone.now())
    make_essay()

    assert publish_essays(Essay.objects.all()) == 1


def test_unpublish_essays_returns_essays_to_draft(db):
    """Unpublishing sets the status back to draft and reports how many changed."""
    essay = make_essay(status=Status.PUBLISHED, published_at=timezone.now())
    make_essay()

    assert unpublish_essays(Essay.objects.all()) == 1
    essay.refresh_from_db()
    assert essay.status == Status.DRAFT


def test_add_themes_parses_chinese_separators(db):
    """A string as editors type it gives three themes on every essay."""
    essays = [make_essay(), make_essay()]

    changed = add_themes(Essay.objects.all(), "党建，理想信念、初心使命")

    assert changed == 2
    for essay in essays:
        assert theme_names(essay) == sorted(["党建", "理想信念", "初心使命"])


def test_add_themes_reuses_a_theme_written_in_the_other_script(db):
    """黨的建設 attaches the existing 党的建设 rather than creating a second theme."""
    theme = make_theme("党的建设")
    essay = make_essay()

    add_themes(Essay.objects.all(), ["黨的建設"])

    assert list(Essay.objects.get(pk=essay.pk).themes.all()) == [theme]
    assert Theme.objects.count() == 1


def test_add_themes_leaves_existing_taggings_alone(db):
    """An essay that already has the theme is neither duplicated nor counted."""
    make_essay(themes=("党建",))

    assert add_themes(Essay.objects.all(), ["党建"]) == 0
    assert ThemedEssay.objects.count() == 1


def test_remove_themes_takes_the_theme_off_but_keeps_it(db):
    """Removing a theme untags the essays and leaves the theme itself."""
    essay = make_essay(themes=("党建", "初心使命"))

    changed = remove_themes(Essay.objects.all(), "黨建")

    assert changed == 1
    assert theme_names(essay) == ["初心使命"]
    assert Theme.objects.filter(name="党建").exists()


def test_remove_themes_does_not_create_unknown_themes(db):
    """Removing a name no theme has changes nothing and creates nothing."""
    make_essay(themes=("党建",))

    assert remove_themes(Essay.objects.all(), ["不存在的主题"]) == 0
    assert Theme.objects.count() == 1


def test_merge_themes_keeps_one_tagging_for_an_essay_with_both(db):
    """An essay tagged with target and other ends with exactly one tagging of the target."""
    target, other = make_theme("党的建设"), make_theme("党建工作")
    both = make_essay(themes=("党的建设", "党建工作"))

    merge_themes(target, [other])

    assert list(ThemedEssay.objects.filter(content_object=both).values_list("tag_id", flat=True)) == [
        target.pk
    ]


def test_merge_themes_loses_no_essay(db):
    """Every essay tagged with any merged theme ends up with the target."""
    target, a, b = make_theme("党的建设"), make_theme("党建"), make_theme("党建工作")
    essays = [
        make_essay(themes=("党的建设",)),
        make_essay(themes=("党建",)),
        make_essay(themes=("党建", "党建工作")),
        make_essay(themes=("党建工作", "初心使命")),
    ]

    merge_themes(target, [a, b])

    assert set(target.themed_essays.values_list("content_object_id", flat=True)) == {e.pk for e in essays}
    assert theme_names(essays[3]) == sorted(["党的建设", "初心使命"])
    assert ThemedEssay.objects.count() == 5


def test_merge_themes_deletes_the_others(db):
    """The merged themes are gone; the target and unrelated themes stay."""
    target, other, unrelated = make_theme("党的建设"), make_theme("党建"), make_theme("初心使命")

    merge_themes(target, [other, target])

    assert set(Theme.objects.all()) == {target, unrelated}


def test_merge_themes_records_history_for_the_user(db, admin_user):
    """With a user, the merge leaves a change entry on the target in the admin history."""
    target, other = make_theme("党的建设"), make_theme("党建")

    merge_themes(target, [other], user=admin_user)

    assert LogEntry.objects.filter(object_id=str(target.pk), user=admin_user).exists()


def test_merge_authors_repoints_essays_and_deletes_the_others(db):
    """Every essay of a merged author now belongs to the target, and the others are deleted."""
    target = make_author("张静", "市财政局")
    other = make_author("张静", "某市财政局")
    essays = [make_essay(author=target), make_essay(author=other), make_essay(author=other)]

    result = merge_authors(target, [other])

    assert result == target
    assert set(Essay.objects.filter(author=target)) == set(essays)
    assert list(Author.objects.all()) == [target]


def test_services_accept_a_list_of_essays(db):
    """The essay services take model instances as well as querysets."""
    essay = make_essay(collection=make_collection())

    assert publish_essays([essay]) == 1
    assert add_themes([essay], ["党建"]) == 1
