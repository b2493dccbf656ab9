"""The editor's corrections in the import preview, as pure functions over a parse."""

import pytest

from essays.ingest import parse_document
from essays.ingest.edits import EditError, apply_edits, apply_op, paragraphs, start_edits
from essays.ingest.model import CollectionDraft, EssayDraft, ParsedDocument, Report
from tests.conftest import seed_bytes


def parsed_with(*drafts):
    return ParsedDocument(
        name="汇编.txt",
        text="",
        encoding="utf-8",
        format="txt",
        collection=CollectionDraft(title="心得体会汇编"),
        essays=list(drafts),
        report=Report(),
    )


FIRST = EssayDraft(
    title="牢记初心使命",
    body="第一段，坚定理想信念。\n第二段，立足岗位作贡献。\n第三段，以实际行动践行使命。",
    author="张静",
    organization="市财政局",
    themes=["初心使命"],
    script="simplified",
    source_text="牢记初心使命\n张静 市财政局\n第一段，坚定理想信念。\n第二段，立足岗位作贡献。\n第三段，以实际行动践行使命。",
)
SECOND = EssayDraft(
    title="学习心得",
    title_generated=True,
    body="接上文，继续努力。",
    themes=["理想信念", "初心使命"],
    script="simplified",
    warnings=["truncated: the text ends mid-sentence"],
    is_fragment=True,
    source_text="接上文，继续努力。",
)
THIRD = EssayDraft(title="第三篇", body="乡村振兴，奋发有为。", script="simplified")


def test_no_edits_gives_the_parse_back_untouched():
    parsed = parsed_with(FIRST, SECOND)
    edited = apply_edits(parsed, [])
    assert [e.title for e in edited.essays] == ["牢记初心使命", "学习心得"]
    assert [e.source_index for e in edited.essays] == [0, 1]
    assert not any(e.edited for e in edited.essays)
    assert parsed.essays[0] is FIRST  # the parse itself is not changed


def test_renaming_a_title_marks_it_as_the_editors_and_keeps_the_parsers_version():
    edited = apply_edits(
        parsed_with(FIRST, SECOND), [{"op": "set", "index": 1, "field": "title", "value": " 继续 努力 "}]
    )
    essay = edited.essays[1]
    assert essay.title == "继续 努力"  # one line, inner spacing kept
    assert essay.title_generated is False
    assert essay.edited_from.title == "学习心得" and essay.edited_from.title_generated is True
    assert not edited.essays[0].edited


def test_emptying_a_title_asks_for_a_generated_one():
    edited = apply_edits(parsed_with(FIRST), [{"op": "set", "index": 0, "field": "title", "value": "  "}])
    assert edited.essays[0].title is None and edited.essays[0].title_generated is True


def test_setting_a_field_to_what_it_already_is_is_no_edit():
    edited = apply_edits(parsed_with(FIRST), [{"op": "set", "index": 0, "field": "author", "value": "张静"}])
    assert not edited.essays[0].edited


def test_fixing_author_and_unit():
    ops = [
        {"op": "set", "index": 0, "field": "author", "value": "張靜"},
        {"op": "set", "index": 0, "field": "organization", "value": ""},
    ]
    essay = apply_edits(parsed_with(FIRST), ops).essays[0]
    assert (essay.author, essay.organization) == ("張靜", None)
    assert (essay.edited_from.author, essay.edited_from.organization) == ("张静", "市财政局")


def test_dropping_an_essay_keeps_the_others_parser_indices():
    edited = apply_edits(parsed_with(FIRST, SECOND, THIRD), [{"op": "drop", "index": 1}])
    assert [e.title for e in edited.essays] == ["牢记初心使命", "第三篇"]
    assert [e.source_index for e in edited.essays] == [0, 2]
    assert not any(e.edited for e in edited.essays)


def test_merging_with_the_next_joins_bodies_themes_and_sources_without_losing_a_character():
    edited = apply_edits(parsed_with(FIRST, SECOND, THIRD), [{"op": "merge", "index": 0}])
    assert len(edited.essays) == 2
    merged = edited.essays[0]
    assert merged.body == FIRST.body + "\n" + SECOND.body
    assert merged.title == "牢记初心使命" and merged.author == "张静"
    assert merged.themes == ["初心使命", "理想信念"]
    assert merged.source_text == FIRST.source_text + "\n" + SECOND.source_text
    assert merged.warnings == SECOND.warnings
    assert merged.source_index == 0 and merged.edited_from.body == FIRST.body
    assert edited.essays[1].source_index == 2


def test_splitting_at_a_paragraph_makes_two_essays_from_the_paragraphs():
    edited = apply_edits(parsed_with(FIRST, THIRD), [{"op": "split", "index": 0, "at": 3}])
    head, tail, third = edited.essays
    assert head.body + "\n" + tail.body == FIRST.body
    assert paragraphs(tail.body) == ["第三段，以实际行动践行使命。"]
    assert head.title == "牢记初心使命" and head.author == "张静"
    assert tail.title is None and tail.title_generated and tail.author is None
    # The source text is cut where the paragraph starts in it.
    assert tail.source_text == "第三段，以实际行动践行使命。"
    assert head.source_text + "\n" + tail.source_text == FIRST.source_text
    assert head.source_index == tail.source_index == 0 and head.edited and tail.edited
    assert third.source_index == 1


def test_operations_apply_in_order_to_the_list_as_it_stands():
    ops = [
        {"op": "split", "index": 0, "at": 2},  # 0: 第一段  1: 第二段+第三段  2: SECOND  3: THIRD
        {"op": "merge", "index": 1},  # 1 now also holds SECOND
        {"op": "set", "index": 1, "field": "title", "value": "后半篇"},
        {"op": "drop", "index": 2},
    ]
    edited = apply_edits(parsed_with(FIRST, SECOND, THIRD), ops)
    assert [e.title for e in edited.essays] == ["牢记初心使命", "后半篇"]
    assert (
        edited.essays[1].body == "第二段，立足岗位作贡献。\n第三段，以实际行动践行使命。\n接上文，继续努力。"
    )
    assert edited.essays[1].edited_from.body == FIRST.body


@pytest.mark.parametrize(
    "op",
    [
        {"op": "merge", "index": 2},  # the last one has no next
        {"op": "drop", "index": 3},
        {"op": "drop", "index": -1},
        {"op": "drop", "index": "0"},
        {"op": "split", "index": 0, "at": 1},
        {"op": "split", "index": 0, "at": 4},
        {"op": "split", "index": 1, "at": 2},  # one paragraph only
        {"op": "set", "index": 0, "field": "body", "value": "x"},
        {"op": "set", "index": 0, "field": "title", "value": "长" * 301},
        {"op": "rename", "index": 0},
        "drop",
    ],
)
def test_an_operation_that_does_not_fit_is_refused(op):
    with pytest.raises(EditError):
        apply_op(start_edits(parsed_with(FIRST, SECOND, THIRD)), op)


def test_seed_003_merge_and_split_round_trip_keeps_every_character():
    """On the damaged Traditional seed: split one essay and merge two; the text is all there."""
    parsed = parse_document(seed_bytes("003"), "003.txt")
    n = len(parsed.essays)
    ops = [{"op": "split", "index": 2, "at": 2}, {"op": "merge", "index": 5}]
    edited = apply_edits(parsed, ops)
    assert len(edited.essays) == n
    assert "".join(e.body for e in edited.essays).replace("\n", "") == "".join(
        e.body for e in parsed.essays
    ).replace("\n", "")
    assert edited.essays[2].script == parsed.essays[2].script
