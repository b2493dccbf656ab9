"""The editors' admin: pages render, access is staff-only, actions go through the services."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from essays.models import Author, Essay, Script, Status, Theme, ThemedEssay
from tests.essays.admin_factories import (
    make_author,
    make_collection,
    make_essay,
    make_published_essay,
    make_source_document,
    make_theme,
)

CHANGELISTS = ["collection", "sourcedocument", "author", "theme", "essay"]


def changelist(model_name):
    return reverse(f"admin:essays_{model_name}_changelist")


def change(obj):
    return reverse(f"admin:essays_{obj._meta.model_name}_change", args=[obj.pk])


@pytest.fixture
def sample(db):
    """One of everything, in Chinese."""
    collection = make_collection("党员学习心得体会汇编（7篇）", declared_essay_count=7)
    document = make_source_document(collection)
    author = make_author("张静", "市财政局")
    essay = make_essay(
        "学习二十大精神心得体会",
        collection=collection,
        author=author,
        themes=("党的建设", "理想信念"),
        source_document=document,
        source_text="学习二十大精神心得体会\n张静",
    )
    return {
        "collection": collection,
        "sourcedocument": document,
        "author": author,
        "theme": Theme.objects.get(name="党的建设"),
        "essay": essay,
    }


def run_action(client, model_name, action, objects, **data):
    return client.post(
        changelist(model_name),
        {"action": action, ACTION_CHECKBOX_NAME: [o.pk for o in objects], **data},
        follow=True,
    )


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def essay_form_data(essay, **overrides):
    data = {
        "collection": essay.collection_id,
        "position": essay.position,
        "title": essay.title,
        "subtitle": essay.subtitle,
        "author": essay.author_id or "",
        "body": essay.body,
        "is_fragment": "",
        "themes": "",
        "status": essay.status,
        "published_at_0": "",
        "published_at_1": "",
        "script": essay.script,
        "warnings": "[]",
        "_save": "保存",
    }
    data.update(overrides)
    return data


# Rendering and access ---------------------------------------------------------------------


@pytest.mark.parametrize("model_name", CHANGELISTS)
def test_changelist_renders_chinese_content_for_a_superuser(admin_client, sample, model_name):
    """Each changelist answers 200 and shows its Chinese rows."""
    response = admin_client.get(changelist(model_name))

    assert response.status_code == 200
    assert str(sample[model_name]) in response.content.decode()


@pytest.mark.parametrize("model_name", CHANGELISTS)
def test_change_form_renders_for_a_superuser(admin_client, sample, model_name):
    """Each change form answers 200 and shows the object's Chinese name."""
    response = admin_client.get(change(sample[model_name]))

    assert response.status_code == 200
    assert str(sample[model_name]) in response.content.decode()


@pytest.mark.parametrize("model_name", ["collection", "author", "theme", "essay"])
def test_add_form_renders_for_a_superuser(admin_client, db, model_name):
    """Each editable model's add form answers 200."""
    response = admin_client.get(reverse(f"admin:essays_{model_name}_add"))

    assert response.status_code == 200


def test_collection_change_form_lists_its_essays_and_sources(admin_client, sample):
    """The collection page shows its essays in order and its source files with their warnings count."""
    second = make_essay("牢记初心使命", collection=sample["collection"], position=2)

    response = admin_client.get(change(sample["collection"]))

    html = response.content.decode()
    assert html.index(sample["essay"].title) < html.index(second.title)
    assert sample["sourcedocument"].sha256 in html


def test_source_document_admin_is_read_only(admin_client, sample):
    """A source document cannot be added or edited through the admin."""
    assert admin_client.get(reverse("admin:essays_sourcedocument_add")).status_code == 403
    response = admin_client.get(change(sample["sourcedocument"]))
    assert b'name="name"' not in response.content


def test_source_document_page_shows_size_and_readable_report_not_raw_bytes(admin_client, sample):
    """The source page gives the byte size and the report as editors read it, never the raw bytes."""
    document = sample["sourcedocument"]

    html = admin_client.get(change(document)).content.decode()

    assert f"{len(bytes(document.raw))} 字节" in html
    assert "第3篇疑似被截断" in html
    assert "修复 1 处" in html and '"repairs"' not in html.replace("&quot;", '"')
    assert repr(bytes(document.raw)) not in html


@pytest.mark.parametrize("model_name", CHANGELISTS)
def test_anonymous_visitor_is_sent_to_login(client, sample, model_name):
    """An anonymous visitor gets a redirect to the admin login."""
    response = client.get(changelist(model_name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_non_staff_user_is_sent_to_login(client, sample):
    """A logged-in user without staff status is redirected to the admin login."""
    user = get_user_model().objects.create_user("reader", password="读者密码-123")
    client.force_login(user)

    response = client.get(changelist("essay"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


# Finding essays -----------------------------------------------------------------------------


def result_titles(response):
    return {e.title for e in response.context["cl"].result_list}


def test_search_finds_an_essay_by_body_text(admin_client, db):
    """Searching for words in the body finds the essay and only it."""
    make_essay("甲", body="立足岗位作贡献，争做新时代好党员。")
    make_essay("乙", body="加强作风建设。")

    response = admin_client.get(changelist("essay"), {"q": "争做新时代"})

    assert result_titles(response) == {"甲"}


def test_search_finds_an_essay_by_author_organization(admin_client, db):
    """Searching for an author's organization finds that author's essays."""
    make_essay("甲", author=make_author("李明", "县教育局"))
    make_essay("乙", author=make_author("王芳", "市卫健委"))

    response = admin_client.get(changelist("essay"), {"q": "教育局"})

    assert result_titles(response) == {"甲"}


def test_filter_by_theme(admin_client, db):
    """The theme filter keeps only essays with that theme."""
    make_essay("甲", themes=("党的建设",))
    make_essay("乙", themes=("初心使命",))

    response = admin_client.get(changelist("essay"), {"theme": make_theme("党的建设").pk})

    assert result_titles(response) == {"甲"}


def test_filter_by_no_theme(admin_client, db):
    """The “no theme” choice keeps only essays without themes."""
    make_essay("甲", themes=("党的建设",))
    make_essay("乙")

    response = admin_client.get(changelist("essay"), {"theme": "none"})

    assert result_titles(response) == {"乙"}


def test_filter_by_status(admin_client, db):
    """The status filter keeps only published essays."""
    make_essay("草稿一篇")
    make_published_essay("已发布一篇")

    response = admin_client.get(changelist("essay"), {"status__exact": Status.PUBLISHED})

    assert result_titles(response) == {"已发布一篇"}


def test_filter_by_script(admin_client, db):
    """The script filter keeps only traditional-script essays."""
    make_essay("学习心得", script=Script.SIMPLIFIED)
    make_essay("學習心得", script=Script.TRADITIONAL)

    response = admin_client.get(changelist("essay"), {"script__exact": Script.TRADITIONAL})

    assert result_titles(response) == {"學習心得"}


# Actions ------------------------------------------------------------------------------------


def test_publish_action_sets_published_at(admin_client, db):
    """Publishing from the changelist publishes the essays, stamps the date and says how many."""
    essays = [make_essay(), make_essay()]

    response = run_action(admin_client, "essay", "publish", essays)

    assert Essay.objects.filter(status=Status.PUBLISHED, published_at__isnull=False).count() == 2
    assert "已发布 2 篇文章。" in messages_of(response)


def test_unpublish_action_returns_essays_to_draft(admin_client, db):
    """Unpublishing from the changelist sets the essays back to draft and says how many."""
    essay = make_published_essay()

    response = run_action(admin_client, "essay", "unpublish", [essay])

    essay.refresh_from_db()
    assert essay.status == Status.DRAFT
    assert "已将 1 篇文章撤回为草稿。" in messages_of(response)


def test_add_themes_action_first_asks_for_names(admin_client, db):
    """Choosing “add themes” shows a form for the theme names before changing anything."""
    essay = make_essay()

    response = run_action(admin_client, "essay", "add_themes", [essay])

    assert response.status_code == 200
    assert "theme_names" in response.context["form"].fields
    assert essay.title in response.content.decode()
    assert ThemedEssay.objects.count() == 0


def test_add_themes_action_splits_chinese_separators_into_three_themes(admin_client, db):
    """Typing 党建，理想信念、初心使命 gives every selected essay three themes."""
    essays = [make_essay(), make_essay()]

    response = run_action(
        admin_client, "essay", "add_themes", essays, apply="yes", theme_names="党建，理想信念、初心使命"
    )

    for essay in essays:
        assert {t.name for t in essay.themes.all()} == {"党建", "理想信念", "初心使命"}
    assert messages_of(response)[0].startswith("已为 2 篇文章添加主题：")


def test_add_themes_action_rejects_empty_input(admin_client, db):
    """Submitting only separators shows the form again with an error and changes nothing."""
    essay = make_essay()

    response = run_action(admin_client, "essay", "add_themes", [essay], apply="yes", theme_names="，、")

    assert response.context["form"].errors
    assert ThemedEssay.objects.count() == 0


def test_remove_themes_action_removes_the_named_theme(admin_client, db):
    """Removing 黨建 from the changelist takes 党建 off the essay and says how many changed."""
    essay = make_essay(themes=("党建", "初心使命"))

    response = run_action(admin_client, "essay", "remove_themes", [essay], apply="yes", theme_names="黨建")

    assert [t.name for t in essay.themes.all()] == ["初心使命"]
    assert "已从 1 篇文章移除主题：黨建。" in messages_of(response)


def test_merge_themes_action_shows_a_target_picker(admin_client, db):
    """Merging themes first asks which theme to keep, offering the oldest by default."""
    oldest, newer = make_theme("党的建设"), make_theme("党建")

    response = run_action(admin_client, "theme", "merge_selected", [newer, oldest])

    assert response.status_code == 200
    assert response.context["form"]["target"].initial == oldest
    assert Theme.objects.count() == 2


def test_merge_themes_action_keeps_one_tagging_and_deletes_the_others(admin_client, db):
    """Merging into the chosen theme leaves the shared essay with one tagging and nothing lost."""
    target, other = make_theme("党的建设"), make_theme("党建")
    both = make_essay(themes=("党的建设", "党建"))
    only_other = make_essay(themes=("党建",))

    response = run_action(
        admin_client, "theme", "merge_selected", [target, other], apply="yes", target=target.pk
    )

    assert list(Theme.objects.all()) == [target]
    assert list(both.themes.all()) == [target]
    assert list(only_other.themes.all()) == [target]
    assert ThemedEssay.objects.count() == 2
    assert "已将 1 个主题合并到“党的建设”。" in messages_of(response)


def test_merge_needs_at_least_two_selected(admin_client, db):
    """Merging a single theme changes nothing and says why."""
    theme = make_theme("党建")

    response = run_action(admin_client, "theme", "merge_selected", [theme])

    assert Theme.objects.count() == 1
    assert "请至少选择两个主题进行合并。" in messages_of(response)


def test_merge_authors_action_repoints_essays(admin_client, db):
    """Merging authors moves the other author's essays to the chosen one and deletes the other."""
    target, other = make_author("张静", "市财政局"), make_author("张静", "财政局")
    essay = make_essay(author=other)

    response = run_action(
        admin_client, "author", "merge_selected", [target, other], apply="yes", target=target.pk
    )

    essay.refresh_from_db()
    assert essay.author == target
    assert list(Author.objects.all()) == [target]
    assert "已将 1 个作者合并到“张静（市财政局）”。" in messages_of(response)


# Forms --------------------------------------------------------------------------------------


def test_traditional_theme_typed_in_essay_form_attaches_existing_simplified_theme(admin_client, db):
    """Typing 黨的建設，初心使命 in the essay form attaches the existing 党的建设 theme."""
    existing = make_theme("党的建设")
    essay = make_essay()

    response = admin_client.post(change(essay), essay_form_data(essay, themes="黨的建設，初心使命"))

    assert response.status_code == 302
    assert {t.name for t in essay.themes.all()} == {"党的建设", "初心使命"}
    assert Theme.objects.filter(key=existing.key).count() == 1


def test_essay_form_stamps_published_at_when_published(admin_client, db):
    """Saving an essay as published without a date stamps published_at."""
    essay = make_essay()

    admin_client.post(change(essay), essay_form_data(essay, status=Status.PUBLISHED))

    essay.refresh_from_db()
    assert essay.published_at is not None


def test_theme_form_rejects_a_name_that_exists_in_the_other_script(admin_client, db):
    """Adding 黨的建設 when 党的建设 exists is refused with a pointer to merging."""
    make_theme("党的建设")

    response = admin_client.post(reverse("admin:essays_theme_add"), {"name": "黨的建設", "slug": ""})

    assert response.status_code == 200
    assert "合并主题" in str(response.context["adminform"].form.errors)
    assert Theme.objects.count() == 1


def test_author_form_rejects_a_duplicate_in_the_other_script(admin_client, db):
    """Adding 張靜 of 市財政局 when 张静 of 市财政局 exists is refused."""
    make_author("张静", "市财政局")

    response = admin_client.post(
        reverse("admin:essays_author_add"), {"name": "張靜", "organization": "市財政局"}
    )

    assert response.status_code == 200
    assert Author.objects.count() == 1


# Query counts -------------------------------------------------------------------------------


def changelist_queries(client, model_name):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(changelist(model_name))
    assert response.status_code == 200
    return len(queries)


def add_rows(count):
    for i in range(count):
        collection = make_collection(f"心得体会汇编第{i}辑")
        make_source_document(collection, name=f"汇编{i}.txt")
        make_essay(
            f"学习心得第{i}篇",
            collection=collection,
            author=make_author(f"作者{i}", "市委组织部"),
            themes=(f"主题{i}", "党的建设"),
        )


@pytest.mark.parametrize("model_name", CHANGELISTS)
def test_changelist_query_count_does_not_grow_with_rows(admin_client, db, model_name):
    """A changelist runs as many queries for 30 rows as for 1."""
    add_rows(1)
    with_one = changelist_queries(admin_client, model_name)

    add_rows(29)
    with_thirty = changelist_queries(admin_client, model_name)

    assert with_thirty == with_one


def test_essay_form_shows_themes_joined_with_enumeration_commas(admin_client, db):
    """The themes field shows 党的建设、理想信念 so editors can type it back as is."""
    essay = make_essay(themes=("理想信念", "党的建设"))

    response = admin_client.get(change(essay))

    assert 'value="党的建设、理想信念"' in response.content.decode()


def test_theme_form_rejects_a_name_with_separators(admin_client, db):
    """A theme named 党建、廉政 would split in two when typed, so it is refused."""
    response = admin_client.post(reverse("admin:essays_theme_add"), {"name": "党建、廉政", "slug": ""})

    assert response.status_code == 200
    assert Theme.objects.count() == 0


def test_an_editor_without_theme_rights_is_not_offered_the_add_themes_action(db, client):
    """Adding themes can create themes, so it needs the add-theme permission as well."""
    from django.contrib.auth.models import Permission, User

    user = User.objects.create_user("limited", password="pw-limited-123", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["view_essay", "change_essay"]))
    client.force_login(user)

    response = client.get("/admin/essays/essay/")

    actions = [value for value, _ in response.context["action_form"].fields["action"].choices]
    assert "publish" in actions
    assert "add_themes" not in actions
