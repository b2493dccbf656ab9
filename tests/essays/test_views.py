"""The reading pages: what readers see, what they do not, and who may read."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from essays.models import Status

from .factories import make_author, make_collection, make_essay, make_essays

pytestmark = pytest.mark.django_db


def text(response):
    return response.content.decode()


# Pages render -----------------------------------------------------------------------------


def test_home_shows_recent_essays_themes_and_collections(client):
    """The home page lists recent essays, themes with counts and collections with counts."""
    collection = make_collection("二〇二三年主题教育心得汇编")
    make_essays(2, collection=collection, themes=("理想信念",))

    page = text(client.get(reverse("essays:home")))

    assert "第1篇心得" in page and "第2篇心得" in page
    assert "理想信念" in page
    assert "二〇二三年主题教育心得汇编" in page
    assert "2 篇" in page


def test_theme_list_shows_themes_with_published_counts(client):
    """The theme list names every theme in use with its number of published essays."""
    make_essays(3, themes=("党的建设",))

    page = text(client.get(reverse("essays:theme_list")))

    assert "党的建设" in page
    assert "3 篇" in page


def test_theme_page_lists_its_essays(client):
    """A theme page shows the theme's name and its published essays."""
    make_essay(title="在学习中成长", themes=("党的建设",))
    make_essay(title="别的主题文章", themes=("乡村振兴",))

    page = text(client.get(reverse("essays:theme_detail", kwargs={"slug": "党的建设"})))

    assert "<h1>党的建设</h1>" in page
    assert "在学习中成长" in page
    assert "别的主题文章" not in page


def test_unicode_theme_slug_url_resolves(client):
    """/themes/党的建设/ written with raw Chinese characters reaches the theme page."""
    make_essay(themes=("党的建设",))

    response = client.get("/themes/党的建设/")

    assert response.status_code == 200
    assert response.context["theme"].name == "党的建设"


def test_theme_url_in_traditional_redirects_to_the_theme(client):
    """/themes/黨的建設/ redirects to the theme stored as 党的建设."""
    make_essay(themes=("党的建设",))

    response = client.get("/themes/黨的建設/")

    assert response.status_code == 301
    assert response.url == reverse("essays:theme_detail", kwargs={"slug": "党的建设"})


def test_collection_list_shows_collections_with_counts(client):
    """The collection list names each collection with its number of published essays."""
    make_essays(4, collection=make_collection("青年干部读书心得"))

    page = text(client.get(reverse("essays:collection_list")))

    assert "青年干部读书心得" in page
    assert "4 篇" in page


def test_collection_page_shows_description_date_and_source(client):
    """A collection page shows its description, date and source."""
    collection = make_collection(
        "读书心得汇编",
        description="编者按：以下为部分同志的读书心得。",
        date_year=2023,
        date_month=6,
        source="https://example.org/xinde.html",
        site="某某网",
    )
    make_essay(collection=collection)

    page = text(client.get(collection.get_absolute_url()))

    assert "编者按：以下为部分同志的读书心得。" in page
    assert "2023年6月" in page
    assert 'href="https://example.org/xinde.html"' in page
    assert "某某网" in page


def test_collection_page_lists_essays_in_source_order(client):
    """Essays on a collection page follow their position in the source, not creation order."""
    collection = make_collection()
    make_essay(collection=collection, title="排在第二", position=2)
    make_essay(collection=collection, title="排在第一", position=1)

    page = text(client.get(collection.get_absolute_url()))

    assert page.index("排在第一") < page.index("排在第二")


def test_collection_page_shows_declared_and_present_counts_when_they_differ(client):
    """A collection declaring 7 essays with 4 present says 声明 7 篇 / 现存 4 篇."""
    collection = make_collection(declared_essay_count=7)
    make_essays(4, collection=collection)

    page = text(client.get(collection.get_absolute_url()))

    assert "声明 7 篇 / 现存 4 篇" in page


def test_collection_page_shows_one_count_when_declared_count_matches(client):
    """A collection whose declared count matches what is present shows a single count."""
    collection = make_collection(declared_essay_count=2)
    make_essays(2, collection=collection)

    page = text(client.get(collection.get_absolute_url()))

    assert "声明" not in page
    assert "2 篇" in page


def test_collection_page_marks_fragments(client):
    """A fragment in a collection's list is marked 残篇."""
    collection = make_collection()
    make_essay(collection=collection, title="接续前页的片段", is_fragment=True)

    page = text(client.get(collection.get_absolute_url()))

    assert "残篇</span>" in page


def test_essay_page_shows_title_subtitle_author_unit_and_collection(client):
    """An essay page shows its title, subtitle, author with unit, and its collection."""
    collection = make_collection("读书心得汇编")
    author = make_author("李明", "宣传部")
    essay = make_essay(collection=collection, title="读书有感", subtitle="——读《论持久战》", author=author)

    page = text(client.get(essay.get_absolute_url()))

    assert "读书有感" in page
    assert "——读《论持久战》" in page
    assert f'href="{author.get_absolute_url()}">李明</a>' in page
    assert "宣传部" in page
    assert f'href="{collection.get_absolute_url()}">读书心得汇编</a>' in page


def test_essay_page_marks_fragment(client):
    """A fragment's page says it is a 残篇."""
    essay = make_essay(is_fragment=True)

    page = text(client.get(essay.get_absolute_url()))

    assert "残篇</span>" in page


def test_essay_page_links_its_themes(client):
    """Each theme of an essay links to the theme page."""
    essay = make_essay(themes=("党的建设", "理想信念"))

    page = text(client.get(essay.get_absolute_url()))

    for name in ("党的建设", "理想信念"):
        assert f'href="{reverse("essays:theme_detail", kwargs={"slug": name})}">{name}</a>' in page


def test_essay_page_anchors_each_paragraph(client):
    """Paragraphs carry id="p1", id="p2"… and a link to their own anchor."""
    essay = make_essay(body="第一段。\n\n第二段。\n第三段。")

    page = text(client.get(essay.get_absolute_url()))

    assert '<p id="p3">第三段。<a class="para-anchor" href="#p3"' in page
    assert 'id="p4"' not in page


def test_essay_page_shows_reading_time_and_characters(client):
    """800 characters at 400 a minute read as 约 2 分钟 · 800 字."""
    essay = make_essay(body="学" * 500 + "\n" + "习" * 300)

    page = text(client.get(essay.get_absolute_url()))

    assert "约 2 分钟 · 800 字" in page


def test_essay_page_shows_position_among_published_essays(client):
    """The second of three published essays is 第 2/3 篇."""
    essays = make_essays(3)

    page = text(client.get(essays[1].get_absolute_url()))

    assert "第 2/3 篇" in page


def test_essay_page_mentions_declared_count_when_it_differs(client):
    """When a collection declares more essays than it has, the position notes the declared count."""
    collection = make_collection(declared_essay_count=7)
    essays = make_essays(3, collection=collection)

    page = text(client.get(essays[2].get_absolute_url()))

    assert "第 3/3 篇（声明 7 篇）" in page


def test_essay_page_links_previous_and_next_published_essays(client):
    """Previous and next skip drafts and stay within the collection."""
    collection = make_collection()
    first = make_essay(collection=collection, title="第一篇", position=1)
    make_essay(collection=collection, title="草稿篇", position=2, status=Status.DRAFT)
    middle = make_essay(collection=collection, title="第三篇", position=3)
    last = make_essay(collection=collection, title="第四篇", position=4)
    make_essay(title="别的文集")

    response = client.get(middle.get_absolute_url())

    assert response.context["previous"].pk == first.pk
    assert response.context["next"].pk == last.pk
    assert "草稿篇" not in text(response)


def test_first_essay_has_no_previous_link(client):
    """The first essay of a collection links only forward."""
    first, _second = make_essays(2)

    page = text(client.get(first.get_absolute_url()))

    assert 'rel="next"' in page
    assert 'rel="prev"' not in page


def test_author_list_shows_authors_with_counts(client):
    """The author list names authors with their units and published counts."""
    author = make_author("王芳", "组织部")
    make_essay(author=author)
    make_essay(author=author)

    page = text(client.get(reverse("essays:author_list")))

    assert "王芳" in page and "组织部" in page
    assert "2 篇" in page


def test_author_page_lists_the_authors_essays(client):
    """An author page lists that author's published essays only."""
    author = make_author("王芳", "组织部")
    make_essay(author=author, title="王芳的心得")
    make_essay(author=make_author("赵强"), title="赵强的心得")

    page = text(client.get(author.get_absolute_url()))

    assert "<h1>王芳</h1>" in page
    assert "王芳的心得" in page
    assert "赵强的心得" not in page


# Drafts and 404s --------------------------------------------------------------------------


def test_draft_essay_page_is_404(client):
    """A draft essay cannot be opened on the reading site."""
    essay = make_essay(status=Status.DRAFT)

    assert client.get(essay.get_absolute_url()).status_code == 404


def test_staff_see_no_drafts_on_the_reading_site(client, admin_user):
    """Staff get the same 404 as readers for a draft essay."""
    essay = make_essay(status=Status.DRAFT)
    client.force_login(admin_user)

    assert client.get(essay.get_absolute_url()).status_code == 404


def test_drafts_are_left_out_of_every_list(client):
    """A draft appears on no home, theme, collection or author page."""
    collection = make_collection()
    author = make_author()
    make_essay(collection=collection, author=author, themes=("党的建设",), title="已发布文章")
    make_essay(
        collection=collection, author=author, themes=("党的建设",), title="未发布草稿", status=Status.DRAFT
    )

    urls = [
        reverse("essays:home"),
        reverse("essays:theme_detail", kwargs={"slug": "党的建设"}),
        collection.get_absolute_url(),
        author.get_absolute_url(),
    ]
    for url in urls:
        page = text(client.get(url))
        assert "已发布文章" in page, url
        assert "未发布草稿" not in page, url


def test_things_with_only_drafts_are_not_listed(client):
    """Collections, themes and authors with nothing published are missing from the lists."""
    make_essay(
        collection=make_collection("只有草稿的文集"),
        author=make_author("草稿作者"),
        themes=("草稿主题",),
        status=Status.DRAFT,
    )

    for name in ("home", "theme_list", "collection_list", "author_list"):
        page = text(client.get(reverse(f"essays:{name}")))
        for hidden in ("只有草稿的文集", "草稿作者", "草稿主题"):
            assert hidden not in page, (name, hidden)


def test_collection_with_only_drafts_is_404(client):
    """A collection with nothing published has no page."""
    collection = make_collection()
    make_essay(collection=collection, status=Status.DRAFT)

    assert client.get(collection.get_absolute_url()).status_code == 404


def test_author_with_only_drafts_is_404(client):
    """An author with nothing published has no page."""
    author = make_author()
    make_essay(author=author, status=Status.DRAFT)

    assert client.get(author.get_absolute_url()).status_code == 404


def test_theme_with_only_drafts_is_404(client):
    """A theme with nothing published has no page."""
    make_essay(themes=("草稿主题",), status=Status.DRAFT)

    assert client.get("/themes/草稿主题/").status_code == 404


@pytest.mark.parametrize(
    "url", ["/essays/999/", "/collections/999/", "/authors/999/", "/themes/不存在/"], ids=str
)
def test_missing_things_are_404(client, url):
    """Unknown essays, collections, authors and themes are 404."""
    assert client.get(url).status_code == 404


# Pagination -------------------------------------------------------------------------------


def test_lists_are_cut_into_pages_of_the_configured_size(client, settings):
    """A list longer than ANTHOLOGY_PAGE_SIZE shows one page and links to the next."""
    settings.ANTHOLOGY_PAGE_SIZE = 2
    collection = make_collection()
    make_essays(5, collection=collection)

    response = client.get(collection.get_absolute_url())

    assert [e.title for e in response.context["page_obj"]] == ["第1篇心得", "第2篇心得"]
    assert 'href="?page=2" rel="next"' in text(response)


def test_page_parameter_selects_a_page(client, settings):
    """?page=3 shows the third page."""
    settings.ANTHOLOGY_PAGE_SIZE = 2
    collection = make_collection()
    make_essays(5, collection=collection)

    response = client.get(collection.get_absolute_url(), {"page": 3})

    assert [e.title for e in response.context["page_obj"]] == ["第5篇心得"]
    assert "第 3/3 页" in text(response)


def test_bad_page_parameter_falls_back_to_a_real_page(client, settings):
    """?page=abc shows the first page instead of failing."""
    settings.ANTHOLOGY_PAGE_SIZE = 2
    make_essays(3)

    response = client.get(reverse("essays:essay_list"), {"page": "abc"})

    assert response.status_code == 200
    assert response.context["page_obj"].number == 1


@pytest.mark.parametrize("name", ["theme_list", "collection_list", "author_list"])
def test_index_pages_are_paginated(client, settings, name):
    """Theme, collection and author lists are paginated too."""
    settings.ANTHOLOGY_PAGE_SIZE = 2
    for i in range(3):
        make_essay(
            collection=make_collection(f"文集{i}"), author=make_author(f"作者{i}"), themes=(f"主题{i}",)
        )

    response = client.get(reverse(f"essays:{name}"))

    assert response.context["page_obj"].paginator.num_pages == 2


# Escaping ---------------------------------------------------------------------------------


def test_title_with_script_tag_is_escaped(client):
    """Markup in stored text is shown as text, never run."""
    essay = make_essay(title="<script>alert(1)</script>", body="正文<b>加粗</b>")

    page = text(client.get(essay.get_absolute_url()))

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;加粗&lt;/b&gt;" in page


def test_a_source_that_is_not_a_web_address_is_not_shown_to_readers(client):
    """Neither a javascript: address nor an imported file's name reaches a reader; the site does."""
    for source in ("javascript:alert(1)", "000_bbc99b2e8a98fb40.txt"):
        collection = make_collection(source=source, site="某某党建网")
        make_essay(collection=collection)

        page = text(client.get(collection.get_absolute_url()))

        assert source not in page and 'href="javascript:' not in page
        assert "来源：<span>某某党建网</span>" in page


def test_a_web_source_is_a_link_beside_the_site(client):
    collection = make_collection(source="https://example.org/a.html", site="某某党建网")
    make_essay(collection=collection)

    page = client.get(collection.get_absolute_url()).content.decode()

    assert '<a class="source__url" href="https://example.org/a.html"' in page


# Login-required mode ----------------------------------------------------------------------


@pytest.fixture
def login_required(settings):
    settings.ANTHOLOGY_LOGIN_REQUIRED = True


@pytest.mark.parametrize("name", ["home", "theme_list", "collection_list", "author_list"], ids=str)
def test_login_required_mode_sends_anonymous_readers_to_the_login(client, login_required, name):
    """With ANTHOLOGY_LOGIN_REQUIRED, an anonymous reader is redirected to the admin login."""
    url = reverse(f"essays:{name}")

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('admin:login')}?next={url}"


def test_login_required_mode_protects_essay_pages(client, login_required):
    """With ANTHOLOGY_LOGIN_REQUIRED, an essay page is not shown to anonymous readers."""
    essay = make_essay()

    response = client.get(essay.get_absolute_url())

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_login_required_mode_lets_logged_in_users_read(client, login_required):
    """A logged-in user, staff or not, reads normally with ANTHOLOGY_LOGIN_REQUIRED."""
    essay = make_essay(title="内网文章")
    user = get_user_model().objects.create_user("reader", password="x-very-long-password")
    client.force_login(user)

    response = client.get(essay.get_absolute_url())

    assert response.status_code == 200
    assert "内网文章" in text(response)


def test_login_required_mode_leaves_the_login_page_reachable(client, login_required):
    """The admin login page itself stays open to anonymous users."""
    assert client.get(reverse("admin:login")).status_code == 200


def test_reading_is_open_without_login_required(client, settings):
    """Without the flag anonymous readers read."""
    settings.ANTHOLOGY_LOGIN_REQUIRED = False

    assert client.get(reverse("essays:home")).status_code == 200
