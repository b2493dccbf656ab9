"""The pure export code: .docx and .txt built from plain data, and source spans."""

import io
import subprocess
import sys

import docx
import pytest
from docx.oxml.ns import qn

from essays.export import (
    ExportCollection,
    ExportEssay,
    collection_docx,
    collection_text,
    download_filename,
    essay_docx,
    essay_text,
    locate_span,
    repair_lines_in,
    repair_rows,
    source_label,
)
from essays.export.word import HEADING_STYLES
from tests.conftest import ROOT

ESSAY = ExportEssay(
    title="干部学习心得",
    subtitle="——写在培训结业之际",
    body="我们要坚持学习，不断提高干部队伍的理论水平。\n\n在实践中锤炼党性，做到知行合一。",
    author="张静",
    organization="县委办公室",
    collection_title="学习心得体会汇编",
    source="https://example.org/文章/1.html",
)


def paragraphs(data: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]


def text_of(data: bytes) -> str:
    assert data.startswith(b"\xef\xbb\xbf"), "a BOM, for Windows Notepad"
    return data.decode("utf-8-sig")


def test_an_essay_docx_holds_every_part_in_simplified():
    lines = paragraphs(essay_docx(ESSAY, "hans"))
    assert lines[0] == "干部学习心得"
    assert "——写在培训结业之际" in lines
    assert "作者：张静" in lines
    assert "单位：县委办公室" in lines
    assert "文集：学习心得体会汇编" in lines
    assert "来源：https://example.org/文章/1.html" in lines
    assert lines[-2:] == ["我们要坚持学习，不断提高干部队伍的理论水平。", "在实践中锤炼党性，做到知行合一。"]


def test_an_essay_docx_in_traditional_converts_the_text_but_not_the_source_url():
    lines = paragraphs(essay_docx(ESSAY, "hant"))
    assert lines[0] == "幹部學習心得"
    assert "作者：張靜" in lines
    assert "單位：縣委辦公室" in lines
    assert "來源：https://example.org/文章/1.html" in lines
    assert lines[-1] == "在實踐中錘鍊黨性，做到知行合一。"


@pytest.mark.parametrize(
    ("script", "body", "heading", "lang"),
    [("hans", "宋体", "黑体", "zh-CN"), ("hant", "新細明體", "微軟正黑體", "zh-TW")],
)
def test_styles_name_an_east_asian_font_and_no_theme_font_overrides_it(script, body, heading, lang):
    """Word takes Chinese glyphs from w:eastAsia; a w:eastAsiaTheme would win over it."""
    document = docx.Document(io.BytesIO(essay_docx(ESSAY, script)))
    for name, face in [("Normal", body), *((h, heading) for h in HEADING_STYLES)]:
        fonts = document.styles[name].element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == face, name
        assert fonts.get(qn("w:eastAsiaTheme")) is None, name
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert defaults.find(qn("w:rFonts")).get(qn("w:eastAsia")) == body
    assert defaults.find(qn("w:lang")).get(qn("w:eastAsia")) == lang


def test_the_title_uses_the_title_style_and_the_page_is_a4():
    document = docx.Document(io.BytesIO(essay_docx(ESSAY, "hans")))
    assert document.paragraphs[0].style.name == "Title"
    assert round(document.sections[0].page_width.cm, 1) == 21.0
    assert document.core_properties.title == "干部学习心得"


def test_a_collection_docx_puts_each_essay_on_its_own_page_in_order():
    essays = [ExportEssay(title=f"第{n}篇", body=f"第{n}篇的正文。", author=f"作者{n}") for n in (1, 2, 3)]
    collection = ExportCollection(
        title="心得汇编", essays=essays, description="编者按：共三篇。", date="2021年3月"
    )
    document = docx.Document(io.BytesIO(collection_docx(collection, "hans")))
    headings = [p for p in document.paragraphs if p.style.name == "Heading 1"]
    assert [p.text for p in headings] == ["第1篇", "第2篇", "第3篇"]
    assert all(p.paragraph_format.page_break_before for p in headings)
    lines = [p.text for p in document.paragraphs]
    assert lines[0] == "心得汇编"
    assert "编者按：共三篇。" in lines and "日期：2021年3月" in lines and "篇数：3" in lines
    assert lines.index("第2篇的正文。") < lines.index("第3篇") < lines.index("第3篇的正文。")


def test_an_essay_txt_is_utf8_with_crlf_in_either_script():
    simplified = text_of(essay_text(ESSAY, "hans"))
    assert simplified.startswith("干部学习心得\r\n——写在培训结业之际\r\n作者：张静\r\n单位：县委办公室\r\n")
    assert "\r\n\r\n我们要坚持学习，不断提高干部队伍的理论水平。\r\n\r\n在实践中锤炼党性" in simplified
    assert "\n" not in simplified.replace("\r\n", "")
    traditional = text_of(essay_text(ESSAY, "hant"))
    assert traditional.startswith("幹部學習心得\r\n")
    assert "在實踐中錘鍊黨性，做到知行合一。" in traditional


def test_a_collection_txt_lists_the_essays_in_order():
    essays = [ExportEssay(title=f"第{n}篇", body=f"正文{n}。", author="张静") for n in (1, 2)]
    text = text_of(collection_text(ExportCollection(title="心得汇编", essays=essays), "hans"))
    assert text.index("1. 第1篇") < text.index("正文1。") < text.index("2. 第2篇") < text.index("正文2。")


def test_no_character_is_lost_on_the_way_to_docx():
    """Rare characters, extension-B ideographs and full-width punctuation survive."""
    body = "𠮷野家的“𡘙”字，〇〇七号；①②③，ＡＢＣ。"
    essay = ExportEssay(title="生僻字", body=body)
    assert paragraphs(essay_docx(essay, "hans"))[-1] == body
    assert text_of(essay_text(essay, "hans")).rstrip("\r\n").endswith(body)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("学习心得", "学习心得.docx"),
        ('a/b\\c:d*e?f"g<h>i|j', "a b c d e f g h i j.docx"),
        ("  ..  ", "fallback.docx"),
        ("", "fallback.docx"),
        ("长" * 200, "长" * 80 + ".docx"),
        ("line\nbreak\x00", "line break.docx"),
    ],
)
def test_download_names_are_safe_and_never_empty(title, expected):
    assert download_filename(title, "docx", fallback="fallback") == expected


def test_sources_are_urls_or_bare_file_names():
    assert source_label("https://example.org/a", "/srv/in/a.txt") == "https://example.org/a"
    assert source_label("", "/srv/secret/a.txt") == "a.txt"
    assert source_label("", "C:\\导入\\文件.docx") == "文件.docx"


TEXT = "标题\n第一篇第一行\n第一篇第二行\n重复\n中间\n重复\n尾"


def test_a_span_is_found_at_whole_lines():
    span = locate_span(TEXT, "第一篇第一行\n第一篇第二行")
    assert (span.first_line, span.last_line) == (2, 3)
    assert TEXT[span.start : span.end] == "第一篇第一行\n第一篇第二行"


def test_text_inside_a_line_is_not_a_span():
    assert locate_span(TEXT, "一篇第一行") is None
    assert locate_span(TEXT, "") is None
    assert locate_span(TEXT, "不在原文里") is None


def test_crlf_in_the_stored_text_still_matches():
    assert locate_span(TEXT, "中间\r\n重复").first_line == 5


def test_repeated_text_is_told_apart_by_the_essays_before_it():
    assert locate_span(TEXT, "重复", earlier=["标题"]).first_line == 4
    assert locate_span(TEXT, "重复", earlier=["重复", "中间"]).first_line == 6
    assert locate_span(TEXT, "重复", earlier=["重复"]).first_line == 6


def test_repeated_text_with_unknown_order_or_a_lost_neighbour_is_not_marked():
    assert locate_span(TEXT, "重复", earlier=None) is None
    assert locate_span(TEXT, "重复", earlier=["改过的前一篇"]) is None


def test_repairs_are_flagged_when_their_line_is_in_the_span():
    span = locate_span(TEXT, "第一篇第一行\n第一篇第二行")
    repairs = [{"line": 1}, {"line": 2}, {"line": 3}, {"line": None}, {}]
    assert repair_lines_in(span, repairs) == [False, True, True, False, False]
    assert repair_lines_in(None, repairs) == [False] * 5


def test_the_export_code_imports_without_django_in_a_fresh_interpreter():
    program = "import essays.export, sys; assert 'django' not in sys.modules, 'django imported'"
    result = subprocess.run(
        [sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr


def test_a_flood_of_repairs_is_cut_to_the_essays_own():
    span = locate_span(TEXT, "第一篇第一行\n第一篇第二行")
    repairs = [{"line": n % 7 + 1} for n in range(50)]
    rows, hidden = repair_rows(span, repairs, limit=100)
    assert len(rows) == 50 and hidden == 0
    rows, hidden = repair_rows(span, repairs, limit=10)
    assert [r["line"] for r, inside in rows] == [2, 3] * 5 and all(inside for _, inside in rows)
    assert hidden == 40


def test_a_text_saved_with_crlf_line_ends_exports_as_if_saved_with_lf():
    # An admin form of an earlier release stored what the browser sent: "\r\n".
    crlf = ExportEssay(title="心得", body="第一段。\r\n第二段。\r\n\r\n第三段。")
    lf = ExportEssay(title="心得", body="第一段。\n第二段。\n\n第三段。")
    assert essay_text(crlf, "hans") == essay_text(lf, "hans")
    assert b"\r\r\n" not in essay_text(crlf, "hans")
    assert paragraphs(essay_docx(crlf, "hans")) == paragraphs(essay_docx(lf, "hans"))
    collection = ExportCollection(title="汇编", description="导语一。\r\n导语二。", essays=[crlf])
    assert b"\r\r\n" not in collection_text(collection, "hans")
    assert "导语二。" in paragraphs(collection_docx(collection, "hans"))
