"""Search behaviour on small hand-made essays: ranking, phrases, filters, page, escaping."""

import pytest
from django.urls import reverse

from essays.models import Status
from essays.search.query import SearchRequest
from tests.essays.factories import make_author, make_collection, make_essay

FILLER = "我们要坚持学习，不断提高理论水平。"


def titles(q, **filters):
    from essays.search.query import Filters

    page = SearchRequest(q, Filters(**filters)).run(per_page=50)
    return [h.essay.title for h in page.object_list]


def test_title_hits_rank_above_body_hits_then_by_frequency(db):
    make_essay(title="正文一次", body=FILLER + "党建" + FILLER * 5)
    make_essay(title="正文三次", body=("党建" + FILLER) * 3)
    make_essay(title="标题里有党建", body=FILLER * 6)
    assert titles("党建") == ["标题里有党建", "正文三次", "正文一次"]


def test_phrase_needs_its_characters_together(db):
    make_essay(title="一", body="学习焦裕禄精神。")
    make_essay(title="二", body="焦裕禄同志，他的精神。")
    assert titles("焦裕禄精神") == ["一"]
    assert sorted(titles("焦裕禄 精神")) == ["一", "二"]


def test_three_character_and_one_character_queries(db):
    make_essay(title="甲", body="抓好党建工作。")
    make_essay(title="乙", body="工作要有党性。")
    make_essay(title="丙", body="做好工作。")
    assert titles("党建工") == ["甲"]
    assert sorted(titles("党")) == ["乙", "甲"]
    # A character that ends a run (党。) is found too.
    make_essay(title="丁", body="热爱我们的党。")
    assert sorted(titles("党")) == ["丁", "乙", "甲"]


def test_latin_words_match_whole_and_ignore_case(db):
    make_essay(title="甲", body="参加G20峰会的体会。")
    make_essay(title="乙", body="G2的会议。")
    assert titles("g20") == ["甲"]


def test_filters_by_theme_collection_author_unit_and_year(db):
    old = make_collection("旧文集", date_year=2019)
    new = make_collection("新文集", date_year=2023)
    a = make_author("张静", "市财政局")
    b = make_author("李明", "县委组织部")
    make_essay(collection=old, title="旧", body="初心", author=a, themes=["党的建设"])
    make_essay(collection=new, title="新", body="初心", author=b, themes=["乡村振兴"])
    assert sorted(titles("初心")) == ["新", "旧"]
    assert titles("初心", theme="乡村振兴") == ["新"]
    assert titles("初心", collection=old.pk) == ["旧"]
    assert titles("初心", author=a.pk) == ["旧"]
    assert titles("初心", unit="組織部") == ["新"]  # Traditional words find the Simplified unit
    assert titles("初心", year_from=2020) == ["新"]
    assert titles("初心", year_to=2020) == ["旧"]


def test_search_page_counts_paginates_and_marks(db, client, settings):
    settings.ANTHOLOGY_PAGE_SIZE = 2
    for i in range(5):
        make_essay(title=f"第{i}篇", body=f"{FILLER}践行初心。", position=i + 1)
    response = client.get(reverse("essays:search"), {"q": "初心"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "找到 <strong>5</strong> 篇" in html
    assert html.count('class="essay-item search-hit"') == 2
    assert "<mark>初心</mark>" in html
    assert "第 1/3 页" in html
    page3 = client.get(reverse("essays:search"), {"q": "初心", "page": 3}).content.decode()
    assert page3.count('class="essay-item search-hit"') == 1
    # Past the end shows the last page.
    page9 = client.get(reverse("essays:search"), {"q": "初心", "page": 9}).content.decode()
    assert page9.count('class="essay-item search-hit"') == 1


def test_search_page_escapes_titles_bodies_and_the_query(db, client):
    make_essay(title="<script>alert(1)</script>初心", body="<b>初心</b> & 使命")
    html = client.get(reverse("essays:search"), {"q": "初心"}).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<mark>初心</mark>" in html
    assert "&lt;b&gt;<mark>初心</mark>&lt;/b&gt; &amp; 使命" in html
    echoed = client.get(reverse("essays:search"), {"q": '"><img src=x>'}).content.decode()
    assert "<img src=x>" not in echoed and "&quot;&gt;&lt;img src=x&gt;" in echoed


def test_search_page_hides_drafts(db, client):
    make_essay(title="草稿", body="初心", status=Status.DRAFT)
    make_essay(title="已发布", body="初心")
    html = client.get(reverse("essays:search"), {"q": "初心"}).content.decode()
    assert "已发布" in html and "草稿" not in html


def test_empty_query_shows_help_and_every_page_has_a_search_box(db, client):
    html = client.get(reverse("essays:search")).content.decode()
    assert "search-count" not in html and "繁体写法均可互相找到" in html
    home = client.get(reverse("essays:home")).content.decode()
    assert 'action="/search/"' in home


def test_traditional_reader_sees_results_and_marks_in_traditional(db, client):
    make_essay(title="干部学习", body="年轻干部要学习。")
    client.cookies["anthology_script"] = "hant"
    html = client.get(reverse("essays:search"), {"q": "干部"}).content.decode()
    assert "<mark>幹部</mark>學習" in html
    assert "年輕<mark>幹部</mark>要學習" in html


def test_essay_page_marks_the_searched_words(db, client):
    essay = make_essay(title="甲", body="第一段讲初心。\n第二段<讲>使命。")
    html = client.get(essay.get_absolute_url(), {"hl": "初心 使命"}).content.decode()
    assert "讲<mark>初心</mark>。" in html
    assert "&lt;讲&gt;<mark>使命</mark>" in html
    plain = client.get(essay.get_absolute_url()).content.decode()
    assert "<mark>" not in plain


@pytest.mark.parametrize("q", ["初心", "幹部 初心", '"不忘初心"'])
def test_admin_changelist_search_uses_the_index_and_includes_drafts(db, admin_client, q):
    make_essay(title="草稿", body="不忘初心，年轻干部。", status=Status.DRAFT)
    make_essay(title="已发布", body="不忘初心，年轻幹部。")
    make_essay(title="无关", body="别的话题。")
    html = admin_client.get(reverse("admin:essays_essay_changelist"), {"q": q}).content.decode()
    assert "草稿" in html and "已发布" in html and "无关" not in html


def test_admin_search_still_finds_author_names(db, admin_client):
    make_essay(title="某篇", body="正文。", author=make_author("欧阳修", "史馆"))
    html = admin_client.get(reverse("admin:essays_essay_changelist"), {"q": "欧阳修"}).content.decode()
    assert "某篇" in html


def test_past_the_count_limit_title_hits_come_first_then_newest(db, client, monkeypatch):
    from essays.search.backends import base

    monkeypatch.setattr(base, "COUNT_LIMIT", 2)
    make_essay(title="旧", body="初心" * 5)
    make_essay(title="标题初心", body="正文。")
    make_essay(title="新", body="初心")
    assert titles("初心") == ["标题初心", "新", "旧"]
    html = client.get(reverse("essays:search"), {"q": "初心"}).content.decode()
    assert "按时间从新到旧" in html


def test_counting_stops_at_the_count_limit_and_pages_still_follow_the_ranking(db, client, monkeypatch):
    from essays.search.backends import base

    monkeypatch.setattr(base, "COUNT_LIMIT", 3)
    make_essay(title="标题初心", body="正文。")
    for i in range(4):
        make_essay(title=f"第{i}篇", body="初心")
    page = SearchRequest("初心").run(per_page=2)
    assert page.paginator.count == 3 and not page.total_is_exact
    assert page.object_list[0].essay.title == "标题初心"
    second = SearchRequest("初心", page=2).run(per_page=2)
    first_titles = {h.essay.title for h in page.object_list}
    second_titles = {h.essay.title for h in second.object_list}
    assert second_titles and not first_titles & second_titles  # the last counted page goes on
    html = client.get(reverse("essays:search"), {"q": "初心"}).content.decode()
    assert "找到 <strong>3+</strong> 篇" in html
    exact = client.get(reverse("essays:search"), {"q": "标题"}).content.decode()
    assert "找到 <strong>1</strong> 篇" in exact
