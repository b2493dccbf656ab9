"""The pure text diff behind the admin's version comparison."""

from essays.history_diff import DELETED, INSERTED, SAME, char_diff, list_diff, paragraph_diff


def test_char_diff_marks_only_the_changed_characters():
    """Changing 二十大 to 二十届 marks 大 deleted and 届 inserted; the rest is unchanged."""
    old, new = char_diff("学习二十大精神", "学习二十届精神")

    assert old == [(SAME, "学习二十"), (DELETED, "大"), (SAME, "精神")]
    assert new == [(SAME, "学习二十"), (INSERTED, "届"), (SAME, "精神")]


def test_char_diff_keeps_every_character():
    """Joining the pieces gives back both texts exactly, rare characters included."""
    before, after = "𠮷野家的心得，坚定理想信念。", "𠮷野家的体会：坚定理想信念！"
    old, new = char_diff(before, after)

    assert "".join(t for _, t in old) == before
    assert "".join(t for _, t in new) == after


def test_paragraph_diff_pairs_an_edited_paragraph_and_marks_added_ones():
    """An edited paragraph is one 'changed' block; a new paragraph is 'added'."""
    before = "第一段不变。\n第二段写得不好。\n第三段不变。"
    after = "第一段不变。\n第二段写得很好。\n第三段不变。\n新加的第四段。"

    blocks = paragraph_diff(before, after)
    kinds = [b.kind for b in blocks]

    assert kinds == ["same", "changed", "same", "added"]
    changed = blocks[1]
    assert (DELETED, "不") in changed.old and (INSERTED, "很") in changed.new
    assert blocks[3].new == [(INSERTED, "新加的第四段。")]


def test_paragraph_diff_folds_long_unchanged_runs():
    """Twenty unchanged paragraphs before an edit collapse to a count, keeping one of context."""
    same = [f"第{i}段。" for i in range(20)]
    blocks = paragraph_diff("\n".join([*same, "旧结尾。"]), "\n".join([*same, "新结尾。"]))

    assert blocks[0].kind == "skip" and blocks[0].skipped == 19
    assert [b.kind for b in blocks[1:]] == ["same", "changed"]


def test_unrelated_paragraphs_show_as_removed_and_added():
    """A paragraph replaced by a different one is not shown as a character soup."""
    blocks = paragraph_diff("今天天气晴朗。", "党建工作要落到实处，抓出成效。")

    assert [b.kind for b in blocks] == ["removed", "added"]


def test_list_diff_lists_kept_removed_and_added_names():
    assert list_diff(["党的建设", "理想信念"], ["理想信念", "初心使命"]) == [
        (SAME, "理想信念"),
        (DELETED, "党的建设"),
        (INSERTED, "初心使命"),
    ]
