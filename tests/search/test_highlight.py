"""Snippets and marks are cut from the original text, in its own script (pure Python)."""

from essays.search.highlight import marked, snippet
from essays.search.tokens import normalize


def test_simplified_query_marks_the_traditional_original():
    assert marked("政工幹部的初心", ("干部",)) == [("政工", False), ("幹部", True), ("的初心", False)]


def test_every_occurrence_is_marked_longest_first():
    segments = marked("焦裕禄精神与焦裕禄", ("焦裕禄精神", "焦裕禄"))
    assert [s for s, hit in segments if hit] == ["焦裕禄精神", "焦裕禄"]


def test_latin_words_match_whole():
    assert [s for s, hit in marked("AI said ai", ("ai",)) if hit] == ["AI", "ai"]


def test_snippet_is_a_window_around_the_hit_with_ellipses():
    text = "甲" * 100 + "初心" + "乙" * 300
    segments = snippet(text, ("初心",))
    assert segments[0] == ("…", False) and segments[-1] == ("…", False)
    assert ("初心", True) in segments
    # One stretch: LEAD characters before the hit, LONE_WINDOW in all.
    assert sum(len(s) for s, _ in segments if s != "…") == 140
    assert segments[1] == ("甲" * 20, False)


def test_snippet_without_a_hit_is_the_opening():
    assert snippet("标题命中而正文没有", ("不在",)) == [("标题命中而正文没有", False)]
    assert snippet("标" * 300, ("不在",)) == [("标" * 120 + "…", False)]


def test_snippet_joins_paragraphs_and_keeps_every_character():
    text = "第一段讲初心。\n第二段讲使命。"
    joined = "".join(s for s, _ in snippet(text, ("初心", "使命")))
    assert joined == "第一段讲初心。 第二段讲使命。"


def test_snippets_from_the_opening_equal_snippets_from_the_whole_text(monkeypatch):
    """The head-first shortcut never changes a snippet: seed texts, both scripts, many words."""
    import random

    from essays.search import highlight
    from tests.conftest import SEEDS

    text = "\n".join(p.read_text("utf-8") for p in sorted(SEEDS.glob("*.txt")))
    rng = random.Random(3)
    cases = []
    for _ in range(300):
        start = rng.randrange(len(text) - 3000)
        body = text[start : start + rng.choice([900, 1500, 3000])]
        word = body[rng.randrange(len(body) - 2) :][: rng.choice([1, 2, 3])]
        cases.append((body, (normalize(word),)))
    fast = [highlight.snippet(body, needles) for body, needles in cases]
    monkeypatch.setattr(highlight, "SNIPPET_HEAD", 10**9)
    assert fast == [highlight.snippet(body, needles) for body, needles in cases]
    assert sum(any(hit for _, hit in s) for s in fast) > 250  # the words were found
