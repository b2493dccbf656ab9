"""Snippets and marks are cut from the original text, in its own script (pure Python)."""

from essays.search.highlight import marked, snippet


def test_simplified_query_marks_the_traditional_original():
    assert marked("政工幹部的初心", ("干部",)) == [("政工", False), ("幹部", True), ("的初心", False)]


def test_every_occurrence_is_marked_longest_first():
    segments = marked("焦裕禄精神与焦裕禄", ("焦裕禄精神", "焦裕禄"))
    assert [s for s, hit in segments if hit] == ["焦裕禄精神", "焦裕禄"]


def test_latin_words_match_whole():
    assert [s for s, hit in marked("AI said ai", ("ai",)) if hit] == ["AI", "ai"]


def test_snippet_is_a_window_around_the_hit_with_ellipses():
    text = "甲" * 100 + "初心" + "乙" * 100
    segments = snippet(text, ("初心",), width=10)
    assert segments[0] == ("…", False) and segments[-1] == ("…", False)
    assert ("初心", True) in segments
    assert sum(len(s) for s, _ in segments if s != "…") == 22


def test_snippet_without_a_hit_is_the_opening():
    assert snippet("标题命中而正文没有", ("不在",), width=2) == [("标题命中…", False)]


def test_snippet_joins_paragraphs_and_keeps_every_character():
    text = "第一段讲初心。\n第二段讲使命。"
    joined = "".join(s for s, _ in snippet(text, ("初心", "使命"), width=50))
    assert joined == "第一段讲初心。 第二段讲使命。"
