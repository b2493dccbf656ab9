"""formats.extract: plain text, Word .docx and HTML pages, whatever their file names say."""

import io
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from essays.ingest.formats import extract
from essays.ingest.model import IngestError


def docx_bytes(build) -> bytes:
    document = docx.Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def essay_document(document) -> None:
    document.add_paragraph("学习心得体会", style="Title")
    document.add_paragraph("第一段正文。")
    document.add_paragraph("")
    document.add_heading("一、提高认识", level=1)
    document.add_paragraph("第二段正文。")
    document.add_heading("（一）小节", level=2)
    document.add_heading("1. 细目", level=3)
    document.add_heading("不算标题的四级", level=4)


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


# --- .txt -----------------------------------------------------------------------------------


def test_a_text_file_is_decoded_and_labelled_with_its_encoding():
    extraction = extract("心得体会\n正文".encode("gb18030"), "essay.txt")
    assert (extraction.text, extraction.encoding, extraction.format) == ("心得体会\n正文", "gb18030", "txt")
    assert extraction.hints == {}


def test_a_file_with_an_unknown_extension_is_read_by_its_content():
    assert extract("心得体会".encode(), "essay.dat").format == "txt"


# --- .docx ----------------------------------------------------------------------------------


def test_docx_paragraphs_come_in_order_without_empty_ones():
    extraction = extract(docx_bytes(essay_document), "essay.docx")
    assert extraction.text.split("\n") == [
        "学习心得体会",
        "第一段正文。",
        "一、提高认识",
        "第二段正文。",
        "（一）小节",
        "1. 细目",
        "不算标题的四级",
    ]
    assert (extraction.encoding, extraction.format) == ("docx", "docx")


def test_docx_title_style_gives_a_title_hint_and_headings_1_to_3_a_heading_hint():
    extraction = extract(docx_bytes(essay_document), "essay.docx")
    assert extraction.hints == {0: "title", 2: "heading", 4: "heading", 5: "heading"}


def test_docx_heading_from_a_localised_style_with_an_outline_level():
    def build(document):
        style = document.styles.add_style("章节标题", WD_STYLE_TYPE.PARAGRAPH)
        outline = OxmlElement("w:outlineLvl")
        outline.set(qn("w:val"), "0")
        style.element.get_or_add_pPr().append(outline)
        document.add_paragraph("第一章 总体要求", style="章节标题")
        document.add_paragraph("正文。")

    assert extract(docx_bytes(build), "essay.docx").hints == {0: "heading"}


def test_docx_outline_level_on_the_paragraph_itself_gives_a_heading_hint():
    def build(document):
        paragraph = document.add_paragraph("二、工作体会")
        outline = OxmlElement("w:outlineLvl")
        outline.set(qn("w:val"), "1")
        paragraph._p.get_or_add_pPr().append(outline)

    assert extract(docx_bytes(build), "essay.docx").hints == {0: "heading"}


def test_docx_table_rows_become_lines_after_the_paragraphs_before_them():
    def build(document):
        document.add_paragraph("表格前")
        table = document.add_table(rows=2, cols=2)
        table.cell(0, 0).text, table.cell(0, 1).text = "姓名", "张三"
        table.cell(1, 0).merge(table.cell(1, 1)).text = "合并的单元格"
        document.add_paragraph("表格后")

    assert extract(docx_bytes(build), "essay.docx").text == "表格前\n姓名 张三\n合并的单元格\n表格后"


def test_docx_text_laid_out_in_a_table_keeps_one_line_per_paragraph():
    def build(document):
        cell = document.add_table(rows=1, cols=1).cell(0, 0)
        cell.paragraphs[0].text = "学习党章心得体会"
        for text in ("县财政局 王明", "党章是党的根本大法。", "作为一名党员，我要自觉学习党章。"):
            cell.add_paragraph(text)

    assert extract(docx_bytes(build), "essay.docx").text.split("\n") == [
        "学习党章心得体会",
        "县财政局 王明",
        "党章是党的根本大法。",
        "作为一名党员，我要自觉学习党章。",
    ]


def test_docx_soft_line_breaks_split_a_paragraph_into_lines():
    def build(document):
        paragraph = document.add_paragraph("春眠不觉晓，")
        paragraph.add_run().add_break()
        paragraph.add_run("处处闻啼鸟。")

    assert extract(docx_bytes(build), "poem.docx").text == "春眠不觉晓，\n处处闻啼鸟。"


def test_a_docx_with_the_wrong_extension_is_still_read_as_docx():
    extraction = extract(docx_bytes(essay_document), "download.txt")
    assert extraction.format == "docx"
    assert extraction.text.startswith("学习心得体会")


def test_a_zip_that_is_not_a_docx_is_refused():
    with pytest.raises(IngestError, match="is a ZIP archive but not a Word .docx file"):
        extract(zip_bytes({"readme.txt": b"hello"}), "essays.zip")


def test_a_damaged_docx_is_refused_with_the_reason():
    data = zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document><broken"})
    with pytest.raises(IngestError, match="damaged Word .docx file") as error:
        extract(data, "broken.docx")
    assert error.value.name == "broken.docx"


def test_a_cut_off_zip_is_refused():
    with pytest.raises(IngestError, match="damaged"):
        extract(docx_bytes(essay_document)[:300], "cut.docx")


def test_an_old_word_doc_file_is_refused_with_advice():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    with pytest.raises(IngestError) as error:
        extract(ole, "old.doc")
    assert error.value.reason == "old Word .doc files are not supported; save it as .docx"


def test_a_text_file_named_docx_is_refused_as_not_a_word_file():
    with pytest.raises(IngestError) as error:
        extract("心得体会".encode("gb18030"), "essay.docx")
    assert error.value.name == "essay.docx"
    assert error.value.reason.startswith("扩展名是 .docx，内容却不是 Word 文件（不是 ZIP 格式）")


def test_an_html_page_named_docx_is_still_read_as_html():
    assert extract("<p>第一段</p><p>第二段</p>".encode(), "page.docx").format == "html"


def test_an_empty_file_named_docx_is_refused_as_empty():
    with pytest.raises(IngestError, match="the file is empty"):
        extract(b"", "empty.docx")


def test_docx_vertically_merged_cells_repeat_on_each_row_as_before():
    def build(document):
        table = document.add_table(rows=3, cols=2)
        table.cell(0, 0).merge(table.cell(2, 0)).text = "部门"
        for row, name in enumerate(("张三", "李四", "王五")):
            table.cell(row, 1).text = name

    assert extract(docx_bytes(build), "merged.docx").text.split("\n") == [
        "部门 张三",
        "部门 李四",
        "部门 王五",
    ]


def test_docx_heading_from_an_outline_level_on_a_base_style():
    def build(document):
        base = document.styles.add_style("章节", WD_STYLE_TYPE.PARAGRAPH)
        outline = OxmlElement("w:outlineLvl")
        outline.set(qn("w:val"), "2")
        base.element.get_or_add_pPr().append(outline)
        derived = document.styles.add_style("章节（正文）", WD_STYLE_TYPE.PARAGRAPH)
        derived.base_style = base
        document.add_paragraph("（一）细则", style=derived)
        # properties of its own, but no outline level among them: the style chain's counts
        document.add_paragraph("（二）细则", style=derived).paragraph_format.left_indent = 0

    assert extract(docx_bytes(build), "chain.docx").hints == {0: "heading", 1: "heading"}


def test_docx_an_unknown_style_id_falls_back_to_the_default_style():
    def build(document):
        paragraph = document.add_paragraph("正文。")
        paragraph._p.get_or_add_pPr().get_or_add_pStyle().val = "不存在的样式"
        document.styles["Normal"].element.get_or_add_pPr().append(OxmlElement("w:outlineLvl"))

    # Normal's outline level has no w:val: not a heading, and no error
    assert extract(docx_bytes(build), "unknown.docx").hints == {}


def test_an_rtf_file_is_refused_with_advice():
    with pytest.raises(IngestError, match="RTF files are not supported"):
        extract(b"{\\rtf1\\ansi hello}", "essay.doc")


def test_an_old_word_file_renamed_to_txt_is_still_refused_as_doc():
    with pytest.raises(IngestError, match="old Word .doc"):
        extract(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "renamed.txt")


# --- HTML -----------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html><head><meta charset="gb2312"><title>站点标题</title>
<style>p {{ color: red }}</style><script>var ads = "广告";</script></head>
<body>
<div class="top-nav"><a href="/">首页</a> &gt; <a href="/list">心得体会</a></div>
<header>网站头部</header>
<div id="main-content">
  <h1>学习心得体会</h1>
  <div class="info">发布时间：2024-01-01</div>
  <p>第一段，我们要认真
  学习。</p>
  <p>第二段<br>第二行&nbsp;继续</p>
  <h3>一、小标题</h3>
  <ul><li>要点一</li><li>要点二</li></ul>
  {extra}
  <div class="share-bar">分享到：微信 微博</div>
  <div id="comments"><p>网友评论很多很多很多很多很多很多很多很多很多</p></div>
</div>
<aside><p>热门文章推荐很多很多很多很多很多很多很多很多很多很多很多很多很多很多</p></aside>
<div class="related-posts"><p>相关文章很多很多很多很多很多很多很多很多很多很多很多很多很多</p></div>
<footer>ICP备案号</footer>
</body></html>"""


def page(extra: str = "") -> str:
    return PAGE.format(extra=extra)


def test_html_keeps_the_article_text_one_line_per_block():
    extraction = extract(page().encode("gbk"), "page.html")
    assert extraction.text.split("\n") == [
        "学习心得体会",
        "发布时间：2024-01-01",
        "第一段，我们要认真学习。",
        "第二段",
        "第二行 继续",
        "一、小标题",
        "要点一",
        "要点二",
    ]


def test_html_headings_give_hints():
    assert extract(page().encode("gbk"), "page.html").hints == {0: "title", 5: "heading"}


def test_html_honours_the_declared_charset_and_labels_it():
    extraction = extract(page().encode("gbk"), "page.htm")
    assert (extraction.encoding, extraction.format) == ("gb18030", "html")


def test_html_declared_as_gb2312_but_served_as_big5_is_still_read_correctly():
    big5_page = (
        page().replace("学习心得体会", "學習心得體會").replace("第一段，我们要认真", "第一段，我們要認真")
    )
    text = big5_page.encode("big5", errors="ignore")
    assert "學習心得體會" in extract(text, "page.html").text


def test_html_navigation_comments_sidebars_and_footers_are_dropped():
    text = extract(page().encode("gbk"), "page.html").text
    for chrome in (
        "首页",
        "网站头部",
        "分享到",
        "网友评论",
        "热门文章",
        "相关文章",
        "ICP",
        "广告",
        "站点标题",
    ):
        assert chrome not in text


def test_html_article_element_is_the_main_content_when_there_is_one():
    html = "<html><body><div><p>导航很多很多很多很多很多很多很多</p></div><article><p>正文内容。</p></article></body></html>"
    assert extract(html.encode(), "page.html").text == "正文内容。"


def test_html_title_above_the_article_is_kept_as_the_title():
    html = "<html><body><h1>学习体会</h1><p>作者：张三</p><article><p>正文内容。</p></article></body></html>"
    extraction = extract(html.encode(), "page.html")
    assert (extraction.text, extraction.hints) == ("学习体会\n正文内容。", {0: "title"})


def test_html_comments_are_not_text():
    assert extract("<p>正文<!-- 广告位 -->内容</p><p>二</p>".encode(), "x.html").text == "正文内容\n二"


def test_html_without_markup_names_is_read_from_the_block_with_most_chinese_paragraphs():
    html = (
        "<html><body><div><p>短</p></div>"
        "<div><p>这是正文的第一段，内容很长很长。</p><p>这是正文的第二段，内容也很长。</p></div>"
        "</body></html>"
    )
    assert (
        extract(html.encode(), "page.html").text
        == "这是正文的第一段，内容很长很长。\n这是正文的第二段，内容也很长。"
    )


def _posts(*bodies: str) -> bytes:
    posts = "".join(
        f'<div class="post"><h2>感言{n}</h2><div class="entry"><p>{body}</p></div></div>'
        for n, body in enumerate(bodies, 1)
    )
    return (
        f'<html><body><div id="content">{posts}</div><div class="side">友情链接</div></body></html>'.encode()
    )


FIRST_POST = "如果有人问我这五年教会了我什么，我会说是习惯、态度和方法，还有坚持到底的勇气和耐心。" * 2
LONGEST_POST = FIRST_POST * 2


def test_a_page_of_several_posts_keeps_every_post_not_only_the_longest():
    text = extract(_posts(FIRST_POST, LONGEST_POST, FIRST_POST), "page.html").text
    assert text.split("\n") == ["感言1", FIRST_POST, "感言2", LONGEST_POST, "感言3", FIRST_POST]


def test_a_post_beside_blocks_of_its_kind_without_text_is_read_alone():
    text = extract(_posts(LONGEST_POST, "评论", "分享"), "page.html").text
    assert text == LONGEST_POST


def test_an_html_page_saved_as_txt_is_parsed_as_html():
    extraction = extract(page().encode("gbk"), "page.txt")
    assert extraction.format == "html"
    assert extraction.text.startswith("学习心得体会")


def test_a_text_with_paragraph_tags_is_parsed_as_html():
    assert extract("<p>第一段</p>\n<p>第二段</p>".encode(), "note").text == "第一段\n第二段"


def test_html_entities_are_decoded():
    assert extract("<p>甲&amp;乙&lt;丙&gt;&#x4E01;</p>".encode(), "x.html").text == "甲&乙<丙>丁"


def test_a_compilation_page_keeps_its_h1_above_the_content_whose_h2s_title_the_essays():
    from essays.ingest import parse_document

    data = (
        Path(__file__).resolve().parent.parent / "fixtures" / "formats_compilation_page.html"
    ).read_bytes()
    doc = parse_document(data, "compilation.html")
    assert doc.collection.title == "2023年主题教育心得体会范文"  # the count is the declared count
    assert doc.collection.declared_essay_count == 5
    assert [e.title for e in doc.essays] == ["主题教育心得体会1", "主题教育心得体会2", "主题教育心得体会3"]
    assert "一、提高政治站位" in doc.essays[0].body


def test_a_logo_h1_outside_the_content_is_not_taken_for_the_title():
    page = (
        "<html><head><title>读书心得 - 某某党建网</title></head><body><h1>某某党建网</h1>"
        "<div class='content'><h2>读书心得</h2><p>近日，我认真阅读了一本好书，深受启发。</p>"
        "<p>我要以书中人物为榜样，扎根基层、服务群众。</p></div></body></html>"
    )
    lines = extract(page.encode(), "page.html").text.split("\n")
    assert "某某党建网" not in lines
    assert lines[0] == "读书心得"


def test_a_page_built_of_divs_gives_its_text_and_title_not_its_sidebar():
    from essays.ingest import parse_document

    data = (Path(__file__).resolve().parent.parent / "fixtures" / "formats_div_page.html").read_bytes()
    doc = parse_document(data, "divs.html")
    [essay] = doc.essays
    assert essay.title == "学习焦裕禄精神心得体会"
    assert essay.body.split("\n") == [
        "焦裕禄同志是县委书记的榜样，是全党学习的楷模。",
        "他始终把群众放在心中最高位置，他的精神永远激励着我们。",
        "作为新时代的党员干部，我们要以焦裕禄同志为榜样，做人民满意的公仆。",
    ]


LINKED_PAGE = """<html><head><title>學習心得</title></head><body>
<h2>學習心得</h2>
<p>從來沒學過設計網頁，藉由這堂課的學習了解到網頁架構。
<p>對於這堂最大的收穫就是可以自己建造一個網頁。
<p>
<a href="index.html">首頁綜合美介紹</a>
<a href="2nd.html">青醬蛤蠣義大利麵</a>
<a href="3rd.html">紅醬海鮮義大利麵</a>
<a href="lobby.html">← 回遊戲大廳</a>
</body></html>"""


def test_links_in_a_row_are_a_menu_each_on_its_own_line_and_out_of_the_essay():
    from essays.ingest import parse_document

    extraction = extract(LINKED_PAGE.encode(), "page.html")
    lines = extraction.text.split("\n")
    assert "青醬蛤蠣義大利麵" in lines and "首頁綜合美介紹青醬蛤蠣義大利麵" not in extraction.text
    doc = parse_document(LINKED_PAGE.encode(), "page.html")
    [essay] = doc.essays
    assert essay.body.endswith("可以自己建造一個網頁。")
    assert doc.report.counts["chrome line removed: link list"] == 4


def test_a_contents_list_of_links_within_the_page_is_not_a_menu():
    page = (
        '<html><body><p><a href="#a1">第一篇 我的老師</a> <a href="#a2">第二篇 我的母親</a></p>'
        '<h2 id="a1">第一篇 我的老師</h2><p>老師每天都很早來到學校，我們都很敬佩她。</p>'
        '<h2 id="a2">第二篇 我的母親</h2><p>母親每天都很早起床，為我們準備早餐。</p></body></html>'
    )
    assert "第一篇 我的老師 第二篇 我的母親" in extract(page.encode(), "page.html").text.split("\n")
