"""A few hand-checked truths from the development set (the scorer checks all of them)."""

import difflib
import json
from functools import cache
from pathlib import Path

import pytest

from essays.ingest import parse_document
from essays.ingest.script import to_simplified

# A copy of ../shared/devset (docs and truth), so the suite runs anywhere.
DEVSET = Path(__file__).resolve().parent.parent / "fixtures" / "devset"


@cache
def parse(name: str):
    path = DEVSET / "docs" / f"{name}.txt"
    return parse_document(path.read_bytes(), path.name)


def truth(name: str) -> dict:
    return json.loads((DEVSET / "truth" / f"{name}.json").read_text("utf-8"))


def squash(s: str | None) -> str:
    return "".join(to_simplified(s or "").split())


def test_blog_repost_keeps_the_bare_title_and_drops_the_seo_title():
    doc = parse("web-005")
    assert squash(doc.essays[0].title).startswith("下乡挂职锻炼难道只是一种形式吗")
    assert not any("查看日志" in e.body or "发表时间" in e.body for e in doc.essays)


def test_page_of_a_numbered_compilation_has_no_collection_title():
    doc = parse("web-006")
    assert doc.collection.title is None
    assert doc.essays[0].title.endswith("小学教师两学一做学习心得")
    assert doc.essays[0].author is None  # 作者:三水老师 in the meta line is the site editor


def test_court_column_intro_is_not_an_essay():
    doc = parse("web-009")
    # The truth gives this column page no collection title. With the intro taken out as the
    # collection's preface, the signed essay's title line opens the page and names the
    # collection too (as on single-essay pages); the essay itself is whole and signed.
    assert doc.collection.description.startswith("岁月长河奔涌不息")
    assert doc.essays[0].title == "教育培训心得体会"
    assert (doc.essays[0].author, doc.essays[0].organization) == ("窦智", "民事审判一庭")
    assert doc.essays[0].body.startswith("在反法西斯胜利80周年之际")


def test_glued_unit_and_name_byline():
    doc = parse("web-023")
    essay = doc.essays[0]
    assert (essay.author, essay.organization) == ("葛广磊", "政府办综合办公室")
    assert essay.title == "渠水长流映初心勇毅前行担使命"


def test_counter_in_page_title_gives_declared_count():
    doc = parse("web-026")
    assert doc.collection.title == "中国天眼心得体会"
    assert doc.collection.declared_essay_count == 15


def test_site_disclaimers_are_not_essays():
    doc = parse("web-029")
    assert len(doc.essays) == 1
    assert doc.essays[0].title == "焦裕禄事迹学习心得"
    assert doc.essays[0].body.startswith("4月29日")


def test_continued_page_without_title_is_one_untitled_essay():
    doc = parse("web-037")
    assert doc.collection.title == "《东方巨响》读后感汇聚"
    assert len(doc.essays) == 1 and doc.essays[0].title_generated


def test_markdown_post_takes_its_title_from_front_matter():
    doc = parse("web-040")
    assert doc.essays[0].title == "学习读后感 My Thoughts after Reading"
    assert doc.essays[0].body.endswith("凝聚成巨大的力量。")
    assert not doc.essays[0].is_fragment


@pytest.mark.parametrize("name", sorted(p.stem for p in (DEVSET / "truth").glob("*.json")))
def test_chrome_lines_of_the_truth_never_reach_an_essay(name):
    doc = parse(name)
    lines = {squash(line) for e in doc.essays for line in e.body.split("\n")}
    for chrome in truth(name)["chrome_lines"]:
        assert squash(chrome) not in lines


@pytest.mark.parametrize("name", sorted(p.stem for p in (DEVSET / "truth").glob("*.json")))
def test_essay_count_matches_the_required_truth_essays(name):
    t = truth(name)
    required = sum(1 for e in t["essays"] if not e.get("optional"))
    assert required <= len(parse(name).essays) <= len(t["essays"])


def test_a_hard_wrapped_annotated_page_is_rejoined_as_it_was_wrapped():
    """Seed 003 (pinyin annotations) broken at 76 columns, as a fixed-width editor would: the
    annotations removed first leave lines of uneven length, so the wrap is judged by the
    widths the lines had when they were wrapped, and annotations cut by a break still go."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from devset_variants import variant

    path = DEVSET / "docs" / "003_b11e6ee3c82aea19.txt"
    data, _suffix, _truth = variant("hard-wrapped", path.read_text("utf-8"), truth("003_b11e6ee3c82aea19"))
    wrapped = parse_document(data, "wrapped.txt")
    whole = parse("003_b11e6ee3c82aea19")
    # the page as found was wrapped before it was annotated: those breaks still join
    assert "工作對象都相對陌生，" in whole.essays[0].body
    assert [e.title for e in wrapped.essays] == [e.title for e in whole.essays]
    assert wrapped.report.counts["pinyin annotations removed"] == 1975
    for a, b in zip(wrapped.essays, whole.essays, strict=True):
        # the same text, but for the few GBK repairs a line break falls inside (〓 instead)
        similarity = difflib.SequenceMatcher(None, squash(a.body), squash(b.body), autojunk=False).ratio()
        assert similarity > 0.99, a.title
