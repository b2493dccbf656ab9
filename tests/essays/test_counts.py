"""The published-essay counts the reading pages show are kept, never computed per request,
and never stale: after every kind of write, every page's numbers equal a recount."""

import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from essays.counts import AUTHOR, COLLECTION, THEME, YEAR, ThemeCount, YearCount, differences, recount
from essays.models import Author, Collection, Essay, Status, Theme
from essays.services import (
    add_themes,
    import_document,
    merge_authors,
    merge_themes,
    publish_essays,
    remove_themes,
    unpublish_essays,
)
from essays.services.structure import merge_essays, move_essays, split_essay
from tests.conftest import seed_bytes

from .factories import make_author, make_collection, make_essay

LISTED = re.compile(
    r'<a href="([^"]+)">[^<]*</a>(?:\s*<span class="meta">[^<]*</span>)?\s*<span class="count">(\d+) 篇</span>'
)
CLOUD = re.compile(r'<a href="([^"]+)">[^<]*<span class="count">(\d+)</span></a>')
DETAIL = re.compile(r"(\d+) 篇")


@pytest.fixture(autouse=True)
def _everything_on_one_page(settings):
    settings.ANTHOLOGY_PAGE_SIZE = 1000


def _expected_urls() -> dict[str, dict[str, int]]:
    """What each list page should show, from a recount: {list: {url: count}}."""
    models = {THEME: Theme, COLLECTION: Collection, AUTHOR: Author}
    expected = {THEME: {}, COLLECTION: {}, AUTHOR: {}, YEAR: {}}
    for (kind, pk), n in recount().items():
        if kind == YEAR:
            expected[kind][reverse("essays:year_detail", args=[pk])] = n
        else:
            expected[kind][models[kind].objects.get(pk=pk).get_absolute_url()] = n
    return expected


def _shown(client, name, pattern=LISTED) -> dict[str, int]:
    html = client.get(reverse(name)).content.decode()
    return {url: int(n) for url, n in pattern.findall(html)}


def assert_pages_match_recount(client):
    assert differences() == {}
    expected = _expected_urls()
    assert _shown(client, "essays:theme_list") == expected[THEME]
    assert _shown(client, "essays:collection_list") == expected[COLLECTION]
    assert _shown(client, "essays:author_list") == expected[AUTHOR]
    assert _shown(client, "essays:year_list") == expected[YEAR]
    assert _shown(client, "essays:home", CLOUD) == expected[THEME] | expected[YEAR]
    # The all-essays page counts every published essay and lists each once.
    total = Essay.objects.filter(status=Status.PUBLISHED).count()
    for order in ("newest", "title", "length"):
        response = client.get(reverse("essays:essay_list"), {"sort": order})
        assert f"共 {total} 篇" in response.content.decode()
        assert {e.pk for e in response.context["page_obj"]} == set(
            Essay.objects.filter(status=Status.PUBLISHED).values_list("pk", flat=True)
        )
    # The search filters browse with the same counts.
    for (kind, key), n in recount().items():
        if kind == THEME:
            params = {"theme": Theme.objects.get(pk=key).slug}
        elif kind == YEAR:
            params = {"from": key, "to": key}
        else:
            params = {kind: key}
        response = client.get(reverse("essays:search"), params)
        assert f"共 <strong>{n}</strong> 篇" in response.content.decode(), (kind, key)
        assert len(response.context["page_obj"].object_list) == n, (kind, key)
    for kind in (THEME, AUTHOR, COLLECTION, YEAR):
        for url, n in expected[kind].items():
            response = client.get(url)
            assert response.status_code == 200, url
            assert DETAIL.search(response.content.decode()).group(1) == str(n), url
    # Nothing that has lost its last published essay is still reachable.
    for model in (Theme, Collection, Author):
        for obj in model.objects.all():
            if (
                obj.get_absolute_url()
                not in expected[{Theme: THEME, Collection: COLLECTION, Author: AUTHOR}[model]]
            ):
                assert client.get(obj.get_absolute_url()).status_code == 404


@pytest.fixture
def archive(db):
    """Two collections, three authors, published essays and drafts sharing themes."""
    first, second = make_collection("第一辑", date_year=2019), make_collection("第二辑", date_year=2021)
    zhang, li, wang = make_author("张静"), make_author("李明", "财政局"), make_author("王芳", "教育局")
    essays = [
        make_essay(first, "一", author=zhang, themes=["党的建设", "初心使命"]),
        make_essay(first, "二", author=li, themes=["党的建设"]),
        make_essay(first, "三", author=zhang, themes=["廉洁自律"], status=Status.DRAFT),
        make_essay(second, "四", author=wang, themes=["初心使命", "调查研究"]),
        make_essay(second, "五", author=li, themes=["调查研究"], status=Status.DRAFT),
    ]
    return {"collections": (first, second), "authors": (zhang, li, wang), "essays": essays}


def test_counts_are_kept_as_essays_are_created(archive, client):
    assert ThemeCount.objects.get(theme__name="党的建设").published == 2
    assert_pages_match_recount(client)


def test_publish_and_unpublish(archive, client):
    essays = archive["essays"]
    publish_essays(Essay.objects.filter(pk__in=[essays[2].pk, essays[4].pk]))
    assert ThemeCount.objects.get(theme__name="廉洁自律").published == 1
    assert_pages_match_recount(client)
    unpublish_essays(Essay.objects.filter(pk__in=[essays[0].pk, essays[3].pk]))
    assert_pages_match_recount(client)
    # Saving a status by hand (the admin's form) counts as well.
    essay = Essay.objects.get(pk=essays[1].pk)
    essay.status = Status.DRAFT
    essay.save()
    assert_pages_match_recount(client)


def test_retheme(archive, client):
    essays = archive["essays"]
    add_themes(Essay.objects.filter(pk__in=[e.pk for e in essays]), "廉洁自律，新主题")
    assert_pages_match_recount(client)
    remove_themes(Essay.objects.filter(pk=essays[0].pk), ["党的建设"])
    assert_pages_match_recount(client)
    Essay.objects.get(pk=essays[3].pk).themes.set(["党的建设", "为民服务"])  # the admin's theme field
    assert_pages_match_recount(client)
    Essay.objects.get(pk=essays[1].pk).themes.clear()
    assert_pages_match_recount(client)


def test_merge_themes_and_authors(archive, client):
    merge_themes(Theme.objects.get(name="党的建设"), Theme.objects.filter(name__in=["初心使命", "调查研究"]))
    assert_pages_match_recount(client)
    zhang, li, wang = archive["authors"]
    merge_authors(zhang, [li, wang])
    assert Author.objects.get(pk=zhang.pk).kept_count.published == 3
    assert_pages_match_recount(client)


def test_merge_split_and_move_essays(archive, client):
    essays = archive["essays"]
    first, second = archive["collections"]
    merged = merge_essays([essays[1], essays[2]])  # a published essay and a draft
    assert_pages_match_recount(client)
    split_essay(merged, 1, title="后半")
    assert_pages_match_recount(client)
    move_essays([essays[0], merged], second)
    assert_pages_match_recount(client)
    essay = Essay.objects.get(pk=essays[3].pk)
    essay.author = archive["authors"][0]
    essay.collection = first
    essay.save()
    assert_pages_match_recount(client)


def test_delete(archive, client):
    essays = archive["essays"]
    Essay.objects.get(pk=essays[0].pk).delete()
    assert_pages_match_recount(client)
    Theme.objects.get(name="调查研究").delete()
    assert_pages_match_recount(client)
    Author.objects.get(pk=archive["authors"][1].pk).delete()
    assert_pages_match_recount(client)
    Essay.objects.filter(pk__in=[essays[1].pk, essays[2].pk]).delete()  # the admin's bulk delete
    assert_pages_match_recount(client)
    archive["collections"][1].delete()
    assert_pages_match_recount(client)


def test_import_and_reimport(db, client):
    outcome = import_document(seed_bytes("001"), "001.txt", status=Status.PUBLISHED)
    assert outcome.essays_created > 1
    assert_pages_match_recount(client)
    assert recount()  # the seed's essays count somewhere
    import_document(seed_bytes("002"), "002.txt", status=Status.DRAFT)
    publish_essays(list(Essay.objects.filter(status=Status.DRAFT)[:2]))
    assert_pages_match_recount(client)


def test_check_counts_finds_and_fixes_a_difference(archive, capsys):
    call_command("check_counts")
    assert "篇数一致" in capsys.readouterr().out
    ThemeCount.objects.filter(theme__name="党的建设").update(published=7)
    with pytest.raises(CommandError) as refused:
        call_command("check_counts")
    assert refused.value.returncode == 1
    assert "记录 7 篇，实际 2 篇" in capsys.readouterr().out
    call_command("check_counts", "--fix")
    assert differences() == {}
    assert ThemeCount.objects.get(theme__name="党的建设").published == 2


def test_a_collections_date_moves_its_essays_year(archive, client):
    first, second = archive["collections"]
    assert YearCount.objects.get(year=2019).published == 2
    first.date_year = 2021
    first.save()
    assert not YearCount.objects.filter(year=2019, published__gt=0).exists()
    assert YearCount.objects.get(year=2021).published == 3
    assert client.get(reverse("essays:year_detail", args=[2019])).status_code == 404
    assert_pages_match_recount(client)
    second.date_year = None
    second.save()
    assert_pages_match_recount(client)


def test_check_counts_finds_an_essays_stale_year(archive, capsys):
    Essay.objects.filter(pk=archive["essays"][0].pk).update(year=2000)
    with pytest.raises(CommandError):
        call_command("check_counts")
    call_command("check_counts", "--fix")
    assert differences() == {}
    assert Essay.objects.get(pk=archive["essays"][0].pk).year == 2019
