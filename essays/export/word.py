"""Essays and collections as .docx (python-docx).

Word picks a run's typeface by script: Latin text from w:ascii/w:hAnsi, Chinese from
w:eastAsia. python-docx's `font.name` sets only the Latin slots, and its template's title and
heading styles point w:eastAsiaTheme at the theme font, which wins over a w:eastAsia name. So
the styles here get an explicit w:eastAsia and lose the theme attributes; without that Word
shows the Chinese in whatever its East-Asian theme font is, or in a Latin font's fallback.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from .model import HANT, ExportCollection, ExportEssay, converter

LATIN_BODY = "Times New Roman"
LATIN_HEADING = "Arial"
# Faces present on every Chinese Windows and Office install, named as Word names them.
EAST_ASIAN = {
    "hans": {"body": "宋体", "heading": "黑体", "lang": "zh-CN"},
    HANT: {"body": "新細明體", "heading": "微軟正黑體", "lang": "zh-TW"},
}
BODY_SIZE = Pt(12)  # 小四
META_SIZE = Pt(10.5)  # 五号
HEADING_STYLES = ("Title", "Subtitle", "Heading 1", "Heading 2")
_THEME_FONT_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
META_COLOR = RGBColor(0x57, 0x60, 0x6A)


def essay_docx(essay: ExportEssay, script: str) -> bytes:
    """One essay as a .docx, in `script` ("hans" or "hant")."""
    essay = essay.in_script(script)
    document = _new_document(script, title=essay.title, author=essay.author)
    document.add_paragraph(essay.title, style="Title")
    _add_essay_head(document, essay, script, with_collection=True)
    _add_paragraphs(document, essay.paragraphs)
    return _save(document)


def collection_docx(collection: ExportCollection, script: str) -> bytes:
    """A collection as one .docx: its particulars, a contents list, then each essay on a new page."""
    collection = collection.in_script(script)
    document = _new_document(script, title=collection.title, author="")
    document.add_paragraph(collection.title, style="Title")
    for label, value in _collection_meta(collection):
        _add_meta(document, script, label, value)
    for line in collection.description_lines:
        _add_body_paragraph(document, line)
    document.add_paragraph(converter(script)("目录"), style="Heading 2")
    for number, essay in enumerate(collection.essays, start=1):
        byline = f"　{essay.author}" if essay.author else ""
        document.add_paragraph(f"{number}. {essay.title}{byline}")
    for essay in collection.essays:
        heading = document.add_paragraph(essay.title, style="Heading 1")
        heading.paragraph_format.page_break_before = True
        _add_essay_head(document, essay, script, with_collection=False)
        _add_paragraphs(document, essay.paragraphs)
    return _save(document)


def _collection_meta(collection: ExportCollection) -> list[tuple[str, str]]:
    return [
        ("日期", collection.date),
        ("网站", collection.site),
        ("来源", collection.source),
        ("篇数", str(len(collection.essays))),
    ]


def _add_essay_head(document, essay: ExportEssay, script: str, *, with_collection: bool) -> None:
    if essay.subtitle:
        document.add_paragraph(essay.subtitle, style="Subtitle")
    _add_meta(document, script, "作者", essay.author)
    _add_meta(document, script, "单位", essay.organization)
    if with_collection:
        _add_meta(document, script, "文集", essay.collection_title)
        _add_meta(document, script, "来源", essay.source)


def _add_meta(document, script: str, label: str, value: str) -> None:
    if not value:
        return
    # Labels are UI text: they follow the reader's script like the reading pages' chrome.
    label = converter(script)(label)
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(0)
    run = paragraph.add_run(f"{label}：{value}")
    run.font.size = META_SIZE
    run.font.color.rgb = META_COLOR


def _add_paragraphs(document, paragraphs: list[str]) -> None:
    if paragraphs:
        document.paragraphs[-1].paragraph_format.space_after = Pt(12)
    for text in paragraphs:
        _add_body_paragraph(document, text)


def _add_body_paragraph(document, text: str) -> None:
    paragraph = document.add_paragraph(text)
    # Chinese paragraphs open with a two-character indent rather than a blank line.
    paragraph.paragraph_format.first_line_indent = BODY_SIZE * 2
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.line_spacing = 1.5


def _new_document(script: str, *, title: str, author: str):
    fonts = EAST_ASIAN.get(script, EAST_ASIAN["hans"])
    document = Document()
    section = document.sections[0]
    # A4 with Word's Chinese default margins; python-docx's template is US Letter.
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2.54)
    section.left_margin = section.right_margin = Cm(3.17)

    _set_fonts(_default_run_properties(document), LATIN_BODY, fonts["body"], lang=fonts["lang"])
    normal = document.styles["Normal"]
    _set_fonts(normal.element.get_or_add_rPr(), LATIN_BODY, fonts["body"])
    normal.font.size = BODY_SIZE
    for name in HEADING_STYLES:
        style = document.styles[name]
        _set_fonts(style.element.get_or_add_rPr(), LATIN_HEADING, fonts["heading"])
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.paragraph_format.alignment = (
            WD_ALIGN_PARAGRAPH.CENTER if name in ("Title", "Subtitle") else None
        )
    document.styles["Subtitle"].font.italic = False  # Chinese has no italics

    properties = document.core_properties
    properties.title = title
    properties.author = author
    properties.language = fonts["lang"]
    properties.comments = "Anthology"
    return document


def _default_run_properties(document):
    """The document-wide run defaults (w:docDefaults/w:rPrDefault/w:rPr), created if absent."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    run_default = defaults.find(qn("w:rPrDefault"))
    if run_default is None:
        run_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, run_default)
    properties = run_default.find(qn("w:rPr"))
    if properties is None:
        properties = OxmlElement("w:rPr")
        run_default.append(properties)
    return properties


def _set_fonts(run_properties, latin: str, east_asian: str, *, lang: str | None = None) -> None:
    fonts = run_properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        run_properties.insert(0, fonts)  # rFonts comes first in CT_RPr's sequence
    for attribute in _THEME_FONT_ATTRIBUTES:
        fonts.attrib.pop(qn(attribute), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asian)
    if lang:
        language = run_properties.find(qn("w:lang"))
        if language is None:
            language = OxmlElement("w:lang")
            run_properties.append(language)
        language.set(qn("w:eastAsia"), lang)


def _save(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
