"""Source formats -> text lines with hints: plain text, Word .docx and HTML pages.

The format comes from the content first and the file name second, because downloaded files
often carry the wrong extension: a ZIP holding word/document.xml is a .docx whatever it is
called, and text that starts like an HTML page is parsed as HTML.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath

from .decode import decode_bytes, plausibility
from .model import IngestError


@dataclass
class Extraction:
    text: str  # lines separated by "\n"
    encoding: str  # "utf-8", "gb18030", "big5", "utf-16"...; "docx" for Word; a page's charset for HTML
    format: str  # "txt", "docx", "html"
    # 0-based line index in `text` -> "title" or "heading" (from Word styles or <h1>-<h3>)
    hints: dict[int, str] = field(default_factory=dict)


ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 .doc (and .xls, .ppt)
RTF_MAGIC = b"{\\rtf"
HTML_EXTENSIONS = {".html", ".htm", ".xhtml", ".shtml"}
HTML_START = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.I | re.S
)
HTML_BODY = re.compile(rb"<body[\s>]", re.I)
HTML_PARAGRAPH = re.compile(rb"<p[\s>]|</p>", re.I)
SNIFF_BYTES = 65536


def extract(data: bytes, name: str) -> Extraction:
    """Read one source file. Raises IngestError (naming the file) when it cannot be read."""
    extension = PurePath(name).suffix.lower()
    if data.startswith(ZIP_MAGIC):
        return _extract_docx(data, name)
    if data.startswith(OLE_MAGIC):
        raise IngestError(name, "old Word .doc files are not supported; save it as .docx")
    if extension in HTML_EXTENSIONS or _looks_like_html(data):
        return _extract_html(data, name)
    if data.lstrip().startswith(RTF_MAGIC):
        raise IngestError(name, "RTF files are not supported; save it as .docx")
    if extension == ".doc":
        raise IngestError(name, "old Word .doc files are not supported; save it as .docx")
    text, encoding = decode_bytes(data, name)
    return Extraction(text=text, encoding=encoding, format="txt")


def _looks_like_html(data: bytes) -> bool:
    head = data[:SNIFF_BYTES]
    if b"\x00" in head[:200]:  # UTF-16: the tags are ASCII once the NUL bytes are gone
        head = head.replace(b"\x00", b"")
        head = head.removeprefix(b"\xff\xfe").removeprefix(b"\xfe\xff")
    if HTML_START.match(head) or HTML_BODY.search(head):
        return True
    return len(HTML_PARAGRAPH.findall(head)) >= 2


# --- .docx ----------------------------------------------------------------------------------

TITLE_STYLES = {"title", "标题", "標題"}
HEADING_STYLE = re.compile(r"^(?:heading|标题|標題)\s*([1-9])$", re.I)
HEADING_LEVELS = (1, 2, 3)


def _extract_docx(data: bytes, name: str) -> Extraction:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = set(archive.namelist())
    except zipfile.BadZipFile as error:
        raise IngestError(name, f"is a damaged ZIP archive or .docx file ({error})") from None
    if "word/document.xml" not in members:
        raise IngestError(name, "is a ZIP archive but not a Word .docx file")
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
        blocks = list(_docx_blocks(document))
    except Exception as error:  # python-docx raises KeyError, ValueError, lxml errors...
        reason = " ".join(str(error).split())[:200] or type(error).__name__
        raise IngestError(name, f"is a damaged Word .docx file ({reason})") from None
    return _from_blocks(blocks, encoding="docx", format="docx")


def _docx_blocks(document):
    """(text, hint) per paragraph and per table row, in document order."""
    from docx.table import Table

    for item in document.iter_inner_content():
        if isinstance(item, Table):
            for row in item.rows:
                yield from _table_row_lines(row)
        else:
            yield item.text, _paragraph_hint(item)


def _table_row_lines(row):
    """A data row is one line, its cells side by side; a row that holds running text (a
    single cell, or a cell of several paragraphs: a table used for layout) gives each
    paragraph its own line."""
    cells, seen = [], []
    for cell in row.cells:
        if any(cell._tc is other for other in seen):  # a merged cell comes once per grid column
            continue
        seen.append(cell._tc)
        paragraphs = [p for p in cell.paragraphs if p.text.strip()]
        if paragraphs:
            cells.append(paragraphs)
    if len(cells) == 1 or any(len(paragraphs) > 1 for paragraphs in cells):
        for paragraphs in cells:
            for paragraph in paragraphs:
                yield paragraph.text, _paragraph_hint(paragraph)
    elif cells:
        yield " ".join(paragraphs[0].text.strip() for paragraphs in cells), None


def _paragraph_hint(paragraph) -> str | None:
    style = paragraph.style
    style_name = (style.name or "").strip().lower() if style is not None else ""
    if style_name in TITLE_STYLES:
        return "title"
    match = HEADING_STYLE.match(style_name)
    if match and int(match.group(1)) in HEADING_LEVELS:
        return "heading"
    level = _outline_level(paragraph)
    if level is not None and level + 1 in HEADING_LEVELS:
        return "heading"
    return None


def _outline_level(paragraph) -> int | None:
    """w:outlineLvl of the paragraph or of its style chain (0 = level 1; 9 = body text)."""
    from docx.oxml.ns import qn

    candidates = [paragraph._p.pPr]
    style = paragraph.style
    while style is not None:
        candidates.append(style.element.pPr)
        style = style.base_style
    for ppr in candidates:
        if ppr is None:
            continue
        element = ppr.find(qn("w:outlineLvl"))
        if element is not None:
            try:
                return int(element.get(qn("w:val")))
            except (TypeError, ValueError):
                return None
    return None


# --- HTML -----------------------------------------------------------------------------------

META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([-\w.:]+)""", re.I)
CHARSET_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "gb18030": "gb18030",
    "big5": "big5",
    "big5-hkscs": "big5hkscs",
    "x-x-big5": "big5",
    "utf8": "utf-8",
    "utf-8": "utf-8",
}
MISLABELLED_MARGIN = 20  # plausibility points (10 per nat of character frequency)
DROP_TAGS = ("script", "style", "nav", "header", "footer", "aside", "form", "noscript", "template", "iframe")
CHROME_NAME = re.compile(
    r"(?:^|[-_\s])(?:nav|navbar|menu|breadcrumbs?|crumbs?|share|sharing|comments?|related|sidebar|footer)",
    re.I,
)
KEEP_TAGS = {"html", "body", "article", "main"}
BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre",
    "table", "tr", "td", "th", "thead", "tbody", "figure", "figcaption", "address", "center",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr",
}  # fmt: skip
HEADING_HINTS = {
    "h1": "title",
    "h2": "title",
    "h3": "heading",
    "h4": "heading",
    "h5": "heading",
    "h6": "heading",
}
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
SPACE_RUN = re.compile(r"\s+")
CJK_BREAK = re.compile(
    r"(?<=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef])\s*\n\s*(?=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef])"
)


def _extract_html(data: bytes, name: str) -> Extraction:
    text, encoding = _decode_html(data, name)
    try:
        from bs4 import BeautifulSoup

        soup = BeautifulSoup(text, "lxml")
    except Exception as error:
        raise IngestError(name, f"is a damaged HTML page ({error})") from None
    _drop_chrome(soup)
    root = _main_content(soup)
    try:
        blocks = _outside_title(soup, root) + _html_blocks(root)
    except RecursionError:
        raise IngestError(name, "is an HTML page nested too deeply to read") from None
    return _from_blocks(blocks, encoding=encoding, format="html")


def _outside_title(soup, root) -> list[tuple[str, str]]:
    """Pages often put the <h1> title above the <article>: keep it when the content has no
    heading, or when the page's <title> opens with it (the content's <h2>s are then the
    titles of the essays it collects; an <h1> that is the site's logo ends the <title>)."""
    if root is soup or root.find("h1") is not None:
        return []
    title = soup.find("h1")
    if title is None:
        above = _line_above(root)
        return [(above, None)] if above else []  # clean and segment judge it like any line
    if root in title.parents:
        return []
    text = _collapse_html_space(title.get_text())
    if not text:
        return []
    if root.find("h2") is not None:
        page_title = _collapse_html_space(soup.title.get_text()) if soup.title else ""
        if not (len(text) >= 4 and page_title.startswith(text)):
            return []
    return [(text, "title")]


def _line_above(root) -> str | None:
    """With no <h1>: a short line of text just above the content, such as the title of
    pages built of <div>s (<div class="tit">标题</div> over <div class="con">…)."""
    above = root.find_previous_sibling(True)
    if above is None or above.find(["div", "p", "table", "ul", "ol"]) is not None:
        return None
    text = _collapse_html_space(above.get_text())
    return text if 4 <= len(text) <= 60 and "。" not in text else None


def _decode_html(data: bytes, name: str) -> tuple[str, str]:
    """A byte-order mark or a <meta charset> decides; without them, the plain-text detector."""
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return decode_bytes(data, name)
    match = META_CHARSET.search(data[:4096])
    declared = _decode_declared(data, match.group(1)) if match else None
    if declared is None:
        return decode_bytes(data, name)
    try:
        detected = decode_bytes(data, name)
    except IngestError:
        return declared
    # Pages often declare gb2312 while serving Big5 or the reverse; when the detector's
    # reading is far more plausible than the declared one, the declaration is wrong.
    if plausibility(detected[0]) > plausibility(declared[0]) + MISLABELLED_MARGIN:
        return detected
    return declared


def _decode_declared(data: bytes, charset: bytes) -> tuple[str, str] | None:
    name = charset.decode("ascii", "replace").lower()
    codec = CHARSET_ALIASES.get(name, name)
    try:
        text = data.decode(codec)
        label = codecs.lookup(codec).name
    except (LookupError, UnicodeDecodeError):
        return None
    return text, "big5" if label.startswith("big5") else label


def _drop_chrome(soup) -> None:
    for tag in soup.find_all(DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(True):
        if tag.decomposed or tag.name in KEEP_TAGS or tag.attrs is None:
            continue
        names = " ".join([tag.get("id") or "", *(tag.get("class") or [])])
        if names.strip() and CHROME_NAME.search(names):
            tag.decompose()


def _main_content(soup):
    articles = soup.find_all("article")
    if articles:
        return max(articles, key=_cjk_count)
    main = soup.find("main")
    if main is not None:
        return main
    best, best_count = None, 0
    for tag in soup.find_all(True):
        # children by hand: bs4's find_all builds a filter per call, seconds on a big page
        count = sum(_cjk_count(child) for child in tag.children if _paragraph(child))
        if count > best_count:
            best, best_count = tag, count
    return best or soup.body or soup


_INNER_BLOCKS = frozenset(["div", "p", "table", "ul", "ol", "section", "article"])


def _paragraph(node) -> bool:
    """A <p>, or a <div> used as one (pages built of <div>s): no blocks inside, and prose."""
    name = getattr(node, "name", None)
    if name == "p":
        return True
    if name != "div" or any(getattr(d, "name", None) in _INNER_BLOCKS for d in node.descendants):
        return False
    text = node.get_text()
    return "。" in text or "，" in text


def _cjk_count(tag) -> int:
    return len(CJK.findall(tag.get_text()))


def _html_blocks(root):
    """(text, hint) per block element and per <br>-separated line, in reading order."""
    blocks: list[tuple[str, str | None]] = []
    buffer: list[str] = []
    hint_stack: list[str | None] = [None]

    def flush() -> None:
        line = _collapse_html_space("".join(buffer))
        buffer.clear()
        if line:
            blocks.append((line, hint_stack[-1]))

    def walk(node) -> None:
        from bs4 import CData, NavigableString

        for child in node.children:
            if isinstance(child, NavigableString):
                if type(child) in (NavigableString, CData):  # not comments, doctypes...
                    buffer.append(str(child))
                continue
            if child.name == "br":
                flush()
            elif child.name == "pre":
                flush()
                for line in child.get_text().split("\n"):
                    if line.strip():
                        blocks.append((line.strip(), hint_stack[-1]))
            elif child.name in BLOCK_TAGS:
                flush()
                hint_stack.append(HEADING_HINTS.get(child.name, hint_stack[-1]))
                walk(child)
                flush()
                hint_stack.pop()
            else:
                walk(child)

    walk(root)
    flush()
    return blocks


def _collapse_html_space(text: str) -> str:
    # A line break in the HTML source between two Chinese characters is not a space.
    text = CJK_BREAK.sub("", text.replace("\r", "\n"))
    return SPACE_RUN.sub(" ", text.replace("\u00a0", " ")).strip()


# --- shared ---------------------------------------------------------------------------------


def _from_blocks(blocks, *, encoding: str, format: str) -> Extraction:
    lines: list[str] = []
    hints: dict[int, str] = {}
    for text, hint in blocks:
        for line in text.replace("\r", "\n").replace("\v", "\n").split("\n"):
            if not line.strip():
                continue
            if hint:
                hints[len(lines)] = hint
            lines.append(line.rstrip())
    return Extraction(text="\n".join(lines), encoding=encoding, format=format, hints=hints)
