"""The staff provenance page: the source an essay came from, its span marked, the cleanup listed."""

import html
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from essays.labels import say
from essays.middleware import SCRIPT_COOKIE
from essays.models import Essay, SourceDocument, Status
from essays.services import import_document
from tests.conftest import seed_bytes
from tests.essays.factories import make_essay

pytestmark = pytest.mark.django_db

PASSWORD = "来源-密码-123"


def source_url(essay):
    return reverse("essays:essay_source", kwargs={"pk": essay.pk})


def page_of(response) -> str:
    return b"".join(response.streaming_content).decode()


def marked(page: str) -> str:
    """The text inside the essay's <mark>, as a reader sees it."""
    match = re.search(r'<mark class="source-span" id="essay-span">(.*?)</mark>', page, re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1))) if match else ""


@pytest.fixture
def staff(client):
    user = get_user_model().objects.create_user("editor", password=PASSWORD, is_staff=True)
    client.force_login(user)
    return user


@pytest.fixture
def seed003():
    outcome = import_document(seed_bytes("003"), "seeds/003.txt", status=Status.PUBLISHED)
    return outcome.collection.essays.order_by("position")


def test_staff_see_the_source_with_the_essays_lines_marked(client, staff, seed003):
    essay = seed003[1]
    response = client.get(source_url(essay))
    assert response.status_code == 200
    page = page_of(response)
    assert marked(page) == essay.source_text + "\n"
    document = essay.source_document
    span_start = document.text.replace("\r\n", "\n").index(essay.source_text)
    first_line = document.text[:span_start].count("\n") + 1
    assert f"本篇在原文第 {first_line}–{first_line + essay.source_text.count(chr(10))} 行" in page
    for fact in (
        "seeds/003.txt",
        say(document.encoding),
        document.sha256,
        "纯文本",
        f">{document.pipeline_version}<",
    ):
        assert fact in page


def test_the_cleanup_actions_and_mojibake_repairs_of_seed_003_are_listed(client, staff, seed003):
    page = page_of(client.get(source_url(seed003[0])))
    report = seed003[0].source_document.report
    assert "删除拼音注音" in page and f">{report['counts']['pinyin annotations removed']}<" in page
    assert "合并硬换行" in page and "修复乱码处" in page
    repairs = report["repairs"]
    assert len(repairs) >= 30
    assert f"修复（{len(repairs)} 处，整份文件）" in page
    rows = re.findall(
        r'<td class="repair-before">(.*?)</td>\s*<td class="repair-after">(.*?)</td>', page, re.S
    )
    assert ("?(fàn)顩r", "狀況") in rows
    assert len(rows) == len(repairs)


def test_the_provenance_page_names_the_pipeline_s_actions_in_chinese(client, staff, seed003):
    page = page_of(client.get(source_url(seed003[0])))
    visible = re.sub(r"<[^>]+>", " ", re.sub(r"<pre.*?</pre>", "", page, flags=re.S))
    for action in seed003[0].source_document.report["counts"]:
        assert f" {action} " not in visible and f">{action}<" not in page
    for english in ("mojibake", "unrecoverable", "gb18030", "utf-8", "chrome line"):
        assert english not in visible
    assert "乱码修复" in visible


def test_repairs_inside_the_essay_are_flagged(client, staff, seed003):
    for essay in seed003:
        page = page_of(client.get(source_url(essay)))
        match = re.search(r"本篇在原文第 (\d+)–(\d+) 行", page)
        first, last = int(match.group(1)), int(match.group(2))
        expected = sum(1 for r in essay.source_document.report["repairs"] if first <= r["line"] <= last)
        assert page.count('class="is-in-essay"') == expected


def test_readers_who_are_not_staff_get_no_provenance(client, seed003):
    essay = seed003[0]
    response = client.get(source_url(essay))
    assert response.status_code == 302 and "login" in response["Location"]
    reader = get_user_model().objects.create_user("reader", password=PASSWORD)
    client.force_login(reader)
    assert client.get(source_url(essay)).status_code == 404
    assert client.get(reverse("essays:essay_source_raw", kwargs={"pk": essay.pk})).status_code == 404
    assert "来源</a>" not in client.get(essay.get_absolute_url()).content.decode()


def test_the_essay_page_links_staff_to_the_provenance(client, staff, seed003):
    essay = seed003[0]
    page = client.get(essay.get_absolute_url()).content.decode()
    assert f'<a class="provenance-link" href="{source_url(essay)}">' in page


def test_an_essay_without_a_source_has_no_provenance(client, staff):
    essay = make_essay()
    assert client.get(source_url(essay)).status_code == 404
    assert "provenance-link" not in client.get(essay.get_absolute_url()).content.decode()


def test_a_draft_has_no_provenance_page(client, staff):
    outcome = import_document(seed_bytes("004"), "seeds/004.txt", status=Status.DRAFT)
    assert client.get(source_url(outcome.collection.essays.first())).status_code == 404


def test_the_raw_file_downloads_byte_for_byte(client, staff, seed003):
    response = client.get(reverse("essays:essay_source_raw", kwargs={"pk": seed003[0].pk}))
    assert b"".join(response.streaming_content) == seed_bytes("003")
    assert 'filename="003.txt"' in response["Content-Disposition"]


def test_source_text_is_escaped(client, staff):
    data = "网页标题\n\n<script>alert('来源')</script>的心得\n\n我们要坚持学习，不断提高干部队伍的理论水平。\n".encode()
    outcome = import_document(data, "xss.txt", status=Status.PUBLISHED)
    essay = outcome.collection.essays.first()
    page = page_of(client.get(source_url(essay)))
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;来源&#x27;)&lt;/script&gt;" in page


def test_report_values_are_escaped(client, staff, seed003):
    document = seed003[0].source_document
    document.report = {
        "counts": {"<b>x</b>": 1},
        "repairs": [{"kind": "<i>k</i>", "before": "<img src=x>", "after": "</td>", "line": 1}],
        "warnings": ["<script>w</script>"],
    }
    document.save(update_fields=["report"])
    page = page_of(client.get(source_url(seed003[0])))
    for raw in ("<b>x</b>", "<i>k</i>", "<img src=x>", "<script>w</script>"):
        assert raw not in page
    assert "&lt;img src=x&gt;" in page


def test_the_source_is_shown_exactly_even_to_a_traditional_reader(client, staff):
    """Provenance reports the stored text: the script switch must not convert it."""
    outcome = import_document(seed_bytes("000"), "seeds/000.txt", status=Status.PUBLISHED)
    essay = outcome.collection.essays.order_by("position")[1]
    client.cookies[SCRIPT_COOKIE] = "hant"
    page = page_of(client.get(source_url(essay)))
    assert marked(page) == essay.source_text + "\n"
    assert "干部" in essay.source_text or "党" in essay.source_text  # has characters 繁 would change


def test_an_edited_away_source_text_marks_nothing(client, staff, seed003):
    essay = seed003[2]
    Essay.objects.filter(pk=essay.pk).update(source_text="这段文字不在原文里")
    page = page_of(client.get(source_url(essay)))
    assert 'id="essay-span"' not in page
    assert "未能在原文中确定本篇的位置" in page


def test_a_repeated_essay_is_marked_at_its_own_copy(client, staff):
    """A source holding the same essay twice: the second essay's mark is on the second copy."""
    repeated = "同一篇心得\n我们要坚持学习，不断提高干部队伍的理论水平。在实践中锤炼党性。"
    data = f"心得汇编\n\n{repeated}\n\n另一篇体会\n以实际行动践行初心使命，做到知行合一。\n\n{repeated}\n".encode()
    outcome = import_document(data, "repeat.txt", status=Status.PUBLISHED)
    essays = list(outcome.collection.essays.order_by("source_index"))
    copies = [
        e
        for e in essays
        if e.source_text.strip()
        and e.source_text in data.decode()
        and data.decode().count(e.source_text) == 2
    ]
    if not copies:
        pytest.fail(f"the pipeline no longer keeps both copies: {[e.source_text for e in essays]}")
    text = SourceDocument.objects.get().text
    second = text.rindex(copies[-1].source_text)
    line = text[:second].count("\n") + 1
    page = page_of(client.get(source_url(copies[-1])))
    assert f"本篇在原文第 {line}–" in page


@pytest.mark.parametrize("prefix", ["004", "003"])
def test_the_provenance_page_runs_four_queries(client, staff, django_assert_num_queries, prefix):
    """Session, user, the essay with its source, the document's earlier essays: whatever its size."""
    outcome = import_document(seed_bytes(prefix), f"{prefix}.txt", status=Status.PUBLISHED)
    essay = outcome.collection.essays.order_by("position").last()
    with django_assert_num_queries(4):
        response = client.get(source_url(essay))
        page_of(response)
    assert response.status_code == 200


def test_a_flood_of_repairs_lists_only_the_essays_own(client, staff, seed003, monkeypatch):
    from essays import views

    monkeypatch.setattr(views, "REPAIR_ROWS", 5)
    essay = seed003[0]
    page = page_of(client.get(source_url(essay)))
    total = len(essay.source_document.report["repairs"])
    shown = page.count('<td class="repair-before">')
    assert f"修复（{total} 处，整份文件）" in page
    assert shown == page.count('class="is-in-essay"') <= 5
    assert f"其余 {total - shown} 处未列出" in page
