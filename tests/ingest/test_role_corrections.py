"""An editor's line roles: every line of a parse has one, and correcting one rebuilds the
essays around it and nothing else."""

from pathlib import Path

import pytest

from essays.ingest import IngestError, parse_document
from essays.ingest.model import ParsedDocument
from essays.ingest.parallel import parse_one
from essays.ingest.roles.corpus import CORPUS
from essays.ingest.roles.editing import CorrectionError

DEVSET_DOCS = sorted((CORPUS / "docs").glob("dev-1[0-2]*.txt"))

PAGE = "\n".join(
    [
        "首页 > 心得体会 > 正文",  # 0
        "学习心得体会两篇",  # 1
        "",
        "学习党章的体会",  # 3
        "县财政局 王明",  # 4
        "今天我们学习了党章，收获很大，我们要认真贯彻落实，做好各项工作。",  # 5
        "我们还要加强学习，不断提高自己的本领。",  # 6
        "这本书的后半部分也写得很好，讲了基层党组织的建设和党员的教育管理。",  # 7
        "我们要把学到的用到工作中去，真正做到学以致用、知行合一。",  # 8
        "上一篇：没有了",  # 9
    ]
).encode()


def source_lines(parsed: ParsedDocument) -> list[str]:
    return parsed.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def role_at(parsed: ParsedDocument, line: int) -> str:
    return next(r.role for r in parsed.line_roles if r.start == line)


def bodies(parsed: ParsedDocument) -> list[str]:
    return [e.body for e in parsed.essays]


def test_a_parse_gives_every_line_that_holds_text_a_role():
    for path in DEVSET_DOCS:
        parsed = parse_document(path.read_bytes(), path.name, with_roles=True)
        covered = {i for r in parsed.line_roles for i in range(r.start, r.end + 1)}
        lines = source_lines(parsed)
        assert [i for i, line in enumerate(lines) if line.strip() and i not in covered] == [], path.name


def test_roles_are_kept_only_when_asked_for():
    assert parse_document(PAGE, "page.txt").line_roles == []
    assert parse_document(PAGE, "page.txt", with_roles=True).line_roles


def test_giving_the_parse_its_own_roles_back_changes_no_essay():
    for path in DEVSET_DOCS:
        data = path.read_bytes()
        parsed = parse_document(data, path.name, with_roles=True)
        own = {}
        for r in parsed.line_roles:
            own.setdefault(r.start, r.role)
        again = parse_document(data, path.name, corrections=own)
        assert again.essays == parsed.essays, path.name
        assert again.collection == parsed.collection, path.name


def test_a_body_line_made_a_title_starts_a_new_essay_there():
    parsed = parse_document(PAGE, "page.txt", with_roles=True)
    assert role_at(parsed, 7) == "body"
    corrected = parse_document(PAGE, "page.txt", corrections={7: "title"})
    titles = [e.title for e in corrected.essays]
    assert titles[-1] == "这本书的后半部分也写得很好，讲了基层党组织的建设和党员的教育管理。"
    assert len(corrected.essays) == len(parsed.essays) + 1
    assert corrected.essays[-1].body.startswith("我们要把学到的用到工作中去")
    assert role_at(corrected, 7) == "title"
    assert next(r for r in corrected.line_roles if r.start == 7).corrected


def test_a_new_essay_can_start_without_a_title():
    corrected = parse_document(PAGE, "page.txt", corrections={7: "start"})
    last = corrected.essays[-1]
    assert last.body.startswith("这本书的后半部分也写得很好")
    assert last.title_generated
    assert "后半部分" not in corrected.essays[-2].body


def test_a_line_made_chrome_leaves_the_essay_and_one_made_body_comes_back():
    parsed = parse_document(PAGE, "page.txt", with_roles=True)
    assert role_at(parsed, 9) == "chrome"
    assert "上一篇" not in "".join(bodies(parsed))

    corrected = parse_document(PAGE, "page.txt", corrections={9: "body", 6: "chrome"})
    text = "\n".join(bodies(corrected))
    assert "上一篇：没有了" in text
    assert "不断提高自己的本领" not in text
    assert "今天我们学习了党章" in text


def test_an_essay_no_correction_touches_keeps_what_segment_made_of_it():
    parsed = parse_document(PAGE, "page.txt", with_roles=True)
    first = parsed.essays[0]
    assert (first.author, first.organization) == ("王明", "县财政局")
    corrected = parse_document(PAGE, "page.txt", corrections={9: "body"})
    assert corrected.essays[0].title == first.title
    assert (corrected.essays[0].author, corrected.essays[0].organization) == ("王明", "县财政局")


def test_a_line_made_preface_becomes_the_collections_description():
    corrected = parse_document(PAGE, "page.txt", corrections={5: "preface"})
    assert (
        corrected.collection.description == "今天我们学习了党章，收获很大，我们要认真贯彻落实，做好各项工作。"
    )
    assert "今天我们学习了党章" not in "".join(bodies(corrected))


def test_a_byline_line_names_the_author_of_its_essay():
    page = "\n".join(
        [
            "学习党章的体会",
            "今天我们学习了党章，收获很大，我们要认真贯彻落实，做好各项工作。",
            "县财政局 王明",
            "我们还要加强学习，不断提高自己的本领，做一名合格的党员干部。",
        ]
    ).encode()
    corrected = parse_document(page, "page.txt", corrections={2: "byline"})
    (essay,) = corrected.essays
    assert (essay.author, essay.organization) == ("王明", "县财政局")
    assert "王明" not in essay.body


@pytest.mark.parametrize(
    ("corrections", "message"),
    [({99: "body"}, "没有第 100 行"), ({3: "heading"}, "不能设为"), ({"x": "body"}, "行号无效")],
)
def test_a_correction_to_no_line_or_no_role_is_refused(corrections, message):
    with pytest.raises(CorrectionError, match=message):
        parse_document(PAGE, "page.txt", corrections=corrections)


def test_the_sandboxed_parse_takes_corrections_and_refuses_bad_ones_like_a_bad_file():
    got = parse_one(PAGE, "page.txt", corrections={7: "title"})
    assert isinstance(got, ParsedDocument)
    assert got.essays[-1].title.startswith("这本书的后半部分也写得很好")
    refused = parse_one(PAGE, "page.txt", corrections={99: "body"})
    assert isinstance(refused, IngestError)
    assert "page.txt" in str(refused) and "没有第 100 行" in str(refused)


def test_line_roles_survive_storing_the_parse():
    parsed = parse_document(PAGE, "page.txt", corrections={7: "title"})
    again = ParsedDocument.from_json(parsed.as_stored_json())
    assert again.line_roles == parsed.line_roles
    assert any(r.corrected for r in again.line_roles)


def test_the_preview_is_told_which_lines_the_model_is_least_sure_of():
    path = Path(DEVSET_DOCS[0])
    parsed = parse_document(path.read_bytes(), path.name, with_roles=True)
    scored = [r for r in parsed.line_roles if r.confidence is not None]
    assert scored, "the shipped model labels the kept lines"
    assert all(r.uncertain == (r.confidence < 0.7) for r in scored)


def test_a_correction_inside_a_wrapped_paragraph_or_on_a_blank_line_is_refused():
    with pytest.raises(CorrectionError, match="第 3 行不是一行文字的开头"):
        parse_document(PAGE, "page.txt", corrections={2: "body"})  # line 3 is blank


def test_a_correction_on_a_line_whose_furniture_was_cut_applies_to_the_text_left():
    page = "\n".join(
        [
            "“走进”习近平的七年知青岁月",  # 0
            "单位:物资供应作者:雷小竞发布时间:2018-05-24 点击数:6002",  # 1: the meta part is cut off
            "当我第一次拿到这本书的时候，心里不禁在想到底是什么样的经历造就了他。",  # 2
            "从农村出身的我，小时候经常被跳蚤咬，那种感觉到现在都让我记忆犹新。",  # 3
        ]
    ).encode()
    # the rules alone: the model's own reading of line 1 would not come into it
    parsed = parse_document(page, "page.txt", roles="rules", corrections={1: "byline"})
    [essay] = parsed.essays
    assert essay.body.startswith("当我第一次")
    assert "发布时间" not in essay.body
    assert [r.role for r in parsed.line_roles if r.start == 1] == ["chrome", "byline"]
