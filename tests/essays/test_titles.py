"""Titles made from an essay's opening end at a clause or word boundary (issue 17, item 7)."""

import pytest

from essays.ingest.titles import clause_title


@pytest.mark.parametrize(
    "opening, title",
    [
        ("通过学习，我深刻认识到", "通过学习"),
        ("首先，要坚定理想信念。", "首先，要坚定理想信念"),
        ("“不忘初心、牢记使命”主题教育心得", "不忘初心、牢记使命”主题教育心得"),
        # A clause longer than the limit is cut after a word, never inside one (坚定了理|想).
        (
            "在这次学习中我们进一步坚定了理想信念增强了为人民服务的宗旨意识和本领",
            "在这次学习中我们进一步坚定了理想信念增强了…",
        ),
        (
            "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二",
            "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二",
        ),
    ],
)
def test_a_generated_title_ends_at_a_boundary(opening, title):
    assert clause_title(opening) == title


def test_never_half_a_word():
    title = clause_title("在学习中坚定了理想信念和为人民服务的宗旨意识与担当精神并且不断提高本领", longest=12)
    assert title == "在学习中坚定了理想信念…"
    assert clause_title("在学习中坚定了理想信念", longest=8) == "在学习中坚定了…"
