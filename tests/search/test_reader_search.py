"""Search a reader can scan (issue 17, item 6): short snippets around the best matches,
filters that browse without a word, and a fragment that does not outrank full essays."""

import re

import pytest
from django.urls import reverse

from essays.search.highlight import snippet
from essays.search.index import rebuild_index
from essays.search.query import Filters, SearchRequest
from essays.search.tokens import parse_query
from tests.essays.factories import make_author, make_collection, make_essay

pytestmark = pytest.mark.django_db

FILLER = "我们要坚持学习，不断提高理论水平，把学习成果转化为推动工作的实际行动。"


def shown_text(segments) -> str:
    return "".join(text for text, _ in segments)


@pytest.mark.parametrize(
    "body",
    [
        # Hits close together chain windows into one: the snippet stayed 843 characters long.
        ("焦裕禄精神" + "学习焦裕禄，弘扬精神。" * 3) * 40,
        FILLER * 20 + "焦裕禄精神" + FILLER * 20 + "焦裕禄精神" + FILLER * 20 + "焦裕禄精神" + FILLER,
        "焦裕禄精神" + FILLER,
    ],
)
def test_a_snippet_is_short_and_has_at_most_two_stretches(body):
    segments = snippet(body, parse_query("焦裕禄精神").needles)
    text = shown_text(segments)
    assert len(text.replace("…", "")) <= 160
    assert text.strip("…").count("…") <= 1  # two stretches at most
    assert any(hit for _, hit in segments)


def test_a_snippet_prefers_the_stretch_where_all_the_words_meet():
    body = FILLER * 3 + "焦裕禄" + FILLER * 10 + "焦裕禄精神的实质是为人民服务" + FILLER * 10
    text = shown_text(snippet(body, parse_query("焦裕禄 为人民服务").needles))
    assert "焦裕禄精神的实质是为人民服务" in text


def test_a_fragment_does_not_outrank_essays_that_use_the_words_more(db):
    make_essay(title="残篇", body="……学习焦裕禄精神，坚定理想信念，做人民满意的公务员。", is_fragment=True)
    for i in range(3):
        make_essay(title=f"全文{i}", body=(FILLER * 4 + "焦裕禄精神" + FILLER * 4) * (2 + i))
    for i in range(6):  # essays without the words: the words are rare, as in an archive
        make_essay(title=f"其他{i}", body=FILLER * (3 + i))
    # the index as these essays make it: an earlier test's committed rows (a flush does not
    # empty the full-text table) would change every text's weight
    rebuild_index()
    page = SearchRequest("焦裕禄精神").run(per_page=10)
    found = [h.essay.title for h in page.object_list]
    assert found[-1] == "残篇", found
    assert found[:3] == ["全文2", "全文1", "全文0"]


def _titles(response):
    return [h.essay.title for h in response.context["page_obj"].object_list]


def test_filters_browse_without_a_search_word(db, client):
    old = make_collection("旧文集", date_year=2019)
    new = make_collection("新文集", date_year=2023)
    a = make_author("张静", "市财政局")
    b = make_author("李明", "县委组织部")
    make_essay(collection=old, title="旧", body=FILLER, author=a, themes=["党的建设"])
    make_essay(collection=new, title="新", body=FILLER, author=b, themes=["乡村振兴"])
    make_essay(collection=new, title="新二", body=FILLER, author=a, themes=["党的建设"])
    search = reverse("essays:search")
    assert sorted(_titles(client.get(search, {"from": 2023, "to": 2023}))) == ["新", "新二"]
    assert sorted(_titles(client.get(search, {"theme": "党的建设"}))) == ["新二", "旧"]
    assert _titles(client.get(search, {"unit": "組織部"})) == ["新"]
    assert sorted(_titles(client.get(search, {"collection": old.pk}))) == ["旧"]
    assert _titles(client.get(search, {"theme": "党的建设", "from": 2020})) == ["新二"]
    html = client.get(search, {"theme": "党的建设", "from": 2020}).content.decode()
    assert "共 <strong>1</strong> 篇" in html and "新二" in html
    # Each hit shows the opening of the text, short.
    opening = re.search(r'<p class="search-hit__snippet">(.*?)</p>', html, re.S).group(1)
    assert len(re.sub(r"<[^>]+>", "", opening).strip()) <= 161
    # No word and no filter: the help, no list.
    assert client.get(search).context["page_obj"] is None


def test_filter_choices_of_a_browse_are_escaped(db, client):
    make_essay(title="<b>粗</b>", body=FILLER, themes=["党的建设"])
    html = client.get(reverse("essays:search"), {"theme": "党的建设"}).content.decode()
    assert "&lt;b&gt;粗&lt;/b&gt;" in html and "<b>粗</b>" not in html


def test_filters_alone_are_a_request(db):
    assert Filters(year_from=2020)
    assert not SearchRequest("", Filters()).browsing
    assert SearchRequest("", Filters(theme="党的建设")).browsing


def test_the_filter_offers_the_most_used_themes_in_pinyin_order_and_the_chosen_one(db, client, monkeypatch):
    from essays.search import query

    monkeypatch.setattr(query, "THEME_CHOICES", 2)
    make_essay(title="甲", body=FILLER, themes=["主题教育", "乡村振兴", "爱国"])
    make_essay(title="乙", body=FILLER, themes=["主题教育", "乡村振兴"])
    response = client.get(reverse("essays:search"), {"q": "学习"})
    assert [name for _, name, _ in response.context["themes"]] == ["乡村振兴", "主题教育"]
    response = client.get(reverse("essays:search"), {"theme": "爱国"})
    assert [(name, chosen) for _, name, chosen in response.context["themes"]] == [
        ("爱国", True),
        ("乡村振兴", False),
        ("主题教育", False),
    ]
