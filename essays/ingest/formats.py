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
from itertools import islice
from pathlib import PurePath

from . import limits
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
        if extension == ".docx":  # Word stores a .docx with a password inside such a file
            raise IngestError(
                name, "加了密码的 Word 文件或旧版 .doc 文件无法读取，请去掉密码或另存为 .docx 再导入"
            )
        raise IngestError(name, "old Word .doc files are not supported; save it as .docx")
    if extension in HTML_EXTENSIONS or _looks_like_html(data):
        return _extract_html(data, name)
    if data.lstrip().startswith(RTF_MAGIC):
        raise IngestError(name, "RTF files are not supported; save it as .docx")
    if extension == ".doc":
        raise IngestError(name, "old Word .doc files are not supported; save it as .docx")
    if extension == ".docx" and data:  # an empty one is refused as empty below
        raise IngestError(
            name,
            "扩展名是 .docx，内容却不是 Word 文件（不是 ZIP 格式），可能改过扩展名或已损坏；纯文本请改为 .txt 再导入",
        )
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
    parts = _docx_parts(data, name)
    try:
        import docx

        document = docx.Document(io.BytesIO(_stored_zip(parts)))
        del parts
        blocks = list(_docx_blocks(document, name))
    except IngestError:
        raise
    except Exception as error:  # python-docx raises KeyError, ValueError, lxml errors...
        raise IngestError(name, f"is a damaged Word .docx file ({_one_line(error)})") from None
    return _from_blocks(blocks, encoding="docx", format="docx")


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())[:200] or type(error).__name__


def _docx_parts(data: bytes, name: str) -> dict[str, bytes]:
    """Every member of the ZIP, inflated. A few KB of ZIP can hold gigabytes: the sizes its
    directory declares are checked against the limits before anything is inflated, and each
    member is read with a bounded read in case its declared size lies."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise IngestError(name, f"is a damaged ZIP archive or .docx file ({error})") from None
    with archive:
        members = archive.infolist()
        if "word/document.xml" not in {member.filename for member in members}:
            raise IngestError(name, "is a ZIP archive but not a Word .docx file")
        _check_declared_sizes(members, name)
        parts, budget = {}, limits.DOCX_TOTAL_BYTES
        for member in members:
            parts[member.filename] = _read_part(archive, member, min(budget, limits.DOCX_PART_BYTES), name)
            budget -= len(parts[member.filename])
    return parts


def _check_declared_sizes(members: list[zipfile.ZipInfo], name: str) -> None:
    if len(members) > limits.DOCX_PARTS:
        raise IngestError(name, f"Word 文件内含 {len(members):,} 个部件，超过上限 {limits.DOCX_PARTS:,} 个")
    total = 0
    for member in members:
        if member.file_size > limits.DOCX_PART_BYTES:
            raise IngestError(name, _too_big(member.filename, member.file_size, limits.DOCX_PART_BYTES))
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > limits.DOCX_RATIO_FLOOR and ratio > limits.DOCX_RATIO:
            raise IngestError(
                name,
                f"Word 文件中 {member.filename} 的压缩比为 {ratio:,.0f}:1，超过上限 {limits.DOCX_RATIO}:1，"
                "疑为压缩炸弹",
            )
        total += member.file_size
    if total > limits.DOCX_TOTAL_BYTES:
        raise IngestError(name, _too_big("全部部件", total, limits.DOCX_TOTAL_BYTES))


def _read_part(archive: zipfile.ZipFile, member: zipfile.ZipInfo, limit: int, name: str) -> bytes:
    expected = min(member.file_size, limit)
    try:
        with archive.open(member) as stream:
            content = stream.read(expected + 1)  # inflates no more than that, whatever follows
    except Exception as error:  # BadZipFile (bad CRC), zlib.error, NotImplementedError...
        raise IngestError(name, f"is a damaged Word .docx file ({_one_line(error)})") from None
    if len(content) > expected:  # zipfile stops at the declared size: a second guard
        raise IngestError(name, f"Word 文件中 {member.filename} 解压后比声明的 {expected:,} 字节大")
    return content


def _too_big(part: str, size: int, limit: int) -> str:
    return f"Word 文件中 {part} 解压后有 {size / limits.MB:,.1f} MB，超过上限 {limit // limits.MB} MB"


def _stored_zip(parts: dict[str, bytes]) -> bytes:
    """The members again as a ZIP without compression, for python-docx to read: it reads
    exactly the bytes the bounded reads returned."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for part, content in parts.items():
            archive.writestr(part, content)
    return buffer.getvalue()


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
W_P, W_TBL, W_TR, W_TC, W_R, W_HYPERLINK = (W + tag for tag in ("p", "tbl", "tr", "tc", "r", "hyperlink"))


def _docx_blocks(document, name: str):
    """(text, hint) per paragraph and per table row, in document order. The elements are
    taken one at a time (python-docx's iter_inner_content, rows, cells and paragraphs list
    every one first), and each is paid for from a _Budget before it is read."""
    from docx.table import Table, _Row
    from docx.text.paragraph import Paragraph

    hints, budget = _StyleHints(document), _Budget(name)
    merged: dict = {}  # w:tc continuing a vertical merge -> the w:tc that starts it
    body = document._body
    for element in body._element.iterchildren(W_P, W_TBL):
        if element.tag == W_TBL:
            table = Table(element, body)
            for tr in element.iterchildren(W_TR):
                budget.spend(1)
                yield from _table_row_lines(_Row(tr, table), hints, budget, merged)
        else:
            budget.spend_paragraph(element)
            paragraph = Paragraph(element, body)
            yield paragraph.text, hints.hint(paragraph)


class _Budget:
    """Counts what python-docx makes objects of and reads one by one (paragraphs, their
    runs, table rows, cells) and refuses the document past limits.DOCX_ITEMS."""

    def __init__(self, name: str):
        self.name, self.left = name, limits.DOCX_ITEMS

    def spend(self, n: int) -> None:
        self.left -= n
        if self.left < 0:
            raise IngestError(
                self.name,
                f"Word 文档内容太多（段落、文字片段和表格单元格合计超过 {limits.DOCX_ITEMS:,} 个），"
                "请拆成几个文件再导入",
            )

    def spend_paragraph(self, p) -> None:
        """The paragraph and its runs and hyperlinks, those nested in others included."""
        self.spend(1 + sum(1 for _ in p.iter(W_R, W_HYPERLINK)))


def _table_row_lines(row, hints, budget, merged):
    """A data row is one line, its cells side by side; a row that holds running text (a
    single cell, or a cell of several paragraphs: a table used for layout) gives each
    paragraph its own line."""
    from docx.table import _Cell
    from docx.text.paragraph import Paragraph

    cells, seen = [], set()  # seen holds the w:tc elements themselves: their ids are reused
    for tc in row._tr.iterchildren(W_TC):  # not row.cells: a cell comes once per column it spans
        budget.spend(1)
        tc = _merged_root(tc, merged, budget)
        if tc in seen:
            continue
        seen.add(tc)
        cell, paragraphs = _Cell(tc, row.table), []
        for p in tc.iterchildren(W_P):
            budget.spend_paragraph(p)
            paragraph = Paragraph(p, cell)
            if paragraph.text.strip():
                paragraphs.append(paragraph)
        if paragraphs:
            cells.append(paragraphs)
    if len(cells) == 1 or any(len(paragraphs) > 1 for paragraphs in cells):
        for paragraphs in cells:
            for paragraph in paragraphs:
                yield paragraph.text, hints.hint(paragraph)
    elif cells:
        yield " ".join(paragraphs[0].text.strip() for paragraphs in cells), None


def _merged_root(tc, merged: dict, budget: _Budget):
    """The cell a vertically merged cell continues, as python-docx's row.cells finds it;
    remembered, so that a merge down N rows costs N steps, not N²/2."""
    path = []
    while tc not in merged and tc.vMerge == "continue":
        budget.spend(limits.DOCX_MERGE_STEP)
        path.append(tc)
        tc = tc._tc_above
    root = merged.get(tc, tc)
    for continued in path:
        merged[continued] = root
    return root


class _StyleHints:
    """The hint of a paragraph, from its style's name or an outline level (its own or its
    style chain's). Each style is resolved once: python-docx's paragraph.style scans every
    style of the document per call (0.7 ms a paragraph with Word's ~200 styles)."""

    def __init__(self, document):
        from docx.enum.style import WD_STYLE_TYPE

        self.paragraph_type = WD_STYLE_TYPE.PARAGRAPH
        self.by_id: dict = {}  # the first style of each id, as python-docx finds it
        self.default = None  # the last default paragraph style, as python-docx finds it
        for style in document.styles.element.iterchildren(W + "style"):
            self.by_id.setdefault(style.get(W + "styleId"), style)
            if style.get(W + "default") is not None and style.default and style.type == self.paragraph_type:
                self.default = style
        self.by_style: dict = {}  # style id -> (hint from its name, w:outlineLvl of its chain)
        self.chain: dict = {}  # style -> the first w:outlineLvl along its basedOn chain

    def hint(self, paragraph) -> str | None:
        style_id = paragraph._p.style
        if style_id not in self.by_style:
            self.by_style[style_id] = self._style_hint(style_id)
        name_hint, style_outline = self.by_style[style_id]
        if name_hint:
            return name_hint
        outline = _outline(paragraph._p.pPr)
        level = _outline_level(style_outline if outline is None else outline)
        if level is not None and level + 1 in HEADING_LEVELS:
            return "heading"
        return None

    def _style_hint(self, style_id: str | None):
        style = self.by_id.get(style_id) if style_id is not None else None
        if style is None or style.type != self.paragraph_type:
            style = self.default
        if style is None:
            return None, None
        style_name = (style.name_val or "").strip().lower()
        if style_name in TITLE_STYLES:
            return "title", None
        match = HEADING_STYLE.match(style_name)
        if match and int(match.group(1)) in HEADING_LEVELS:
            return "heading", None
        return None, self._chain_outline(style)

    def _chain_outline(self, style):
        """The first w:outlineLvl along the style's basedOn chain. Remembered per style, so a
        long chain is walked once; a chain that goes round in a loop has none."""
        path, outline = {}, None  # a dict keeps the order and finds a style at once
        while style is not None and style not in self.chain:
            if style in path:  # basedOn went round in a loop
                style = None
                break
            path[style] = None
            outline = _outline(style.pPr)
            if outline is not None:
                break
            based_on = style.basedOn
            style = self.by_id.get(based_on.val) if based_on is not None else None
        if outline is None and style is not None:
            outline = self.chain[style]
        for walked in path:
            self.chain[walked] = outline
        return outline


def _outline(ppr):
    """The w:outlineLvl element of a paragraph's or a style's properties, if any."""
    return ppr.find(W + "outlineLvl") if ppr is not None else None


def _outline_level(outline) -> int | None:
    """0 = level 1; 9 = body text."""
    if outline is None:
        return None
    try:
        return int(outline.get(W + "val"))
    except (TypeError, ValueError):
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
START_TAG = re.compile(r"<[A-Za-z]")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
SPACE_RUN = re.compile(r"\s+")
CJK_BREAK = re.compile(
    r"(?<=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef])\s*\n\s*(?=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef])"
)


def _extract_html(data: bytes, name: str) -> Extraction:
    text, encoding = _decode_html(data, name)
    if _too_many_tags(text):
        raise IngestError(name, f"网页过大（标签超过 {limits.HTML_TAGS:,} 个），请只保存正文部分再导入")
    try:
        from bs4 import BeautifulSoup

        soup = BeautifulSoup(text, "lxml")
    except Exception as error:
        raise IngestError(name, f"is a damaged HTML page ({error})") from None
    _drop_chrome(soup)
    root = _main_content(soup)
    blocks = _outside_title(soup, root) + _html_blocks(root)
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
    if any(parent is root for parent in title.parents):  # `in` compares whole subtrees
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


def _too_many_tags(text: str) -> bool:
    """More than limits.HTML_TAGS start tags, counted before parsing (in at most that many
    steps): BeautifulSoup's tree costs ~25 µs and ~1 KB an element."""
    if text.count("<") <= limits.HTML_TAGS:
        return False
    return sum(1 for _ in islice(START_TAG.finditer(text), limits.HTML_TAGS + 1)) > limits.HTML_TAGS


# Every walk of the tree below is one pass over its elements, with a stack: no recursion, and
# no search of an element's subtree per element (100,000 nested <div>s took >600 s when
# _drop_chrome asked each tag `tag.decomposed`, which bs4 answers by searching its subtree).


def _tags(root) -> list:
    """Every element under `root` in document order (`root` itself not included): one pass
    with a stack, so depth costs neither time nor recursion."""
    from bs4 import Tag

    order, stack = [], [root]
    while stack:
        tag = stack.pop()
        if tag is not root:
            order.append(tag)
        stack.extend(child for child in reversed(tag.contents) if isinstance(child, Tag))
    return order


def _drop_chrome(soup) -> None:
    """Remove scripts, navigation, headers, footers... and every element whose id or class
    names chrome (nav, menu, share, comments...), with everything inside them. One pass: what
    lies inside a dropped element is never looked at."""
    from bs4 import Tag

    dropped, stack = [], [soup]
    while stack:
        for child in stack.pop().contents:
            if isinstance(child, Tag):
                (dropped if _chrome(child) else stack).append(child)
    _remove(dropped)


def _chrome(tag) -> bool:
    if tag.name in DROP_TAGS:
        return True
    if tag.name in KEEP_TAGS:
        return False
    names = " ".join([tag.get("id") or "", *(tag.get("class") or [])])
    return bool(names.strip() and CHROME_NAME.search(names))


def _remove(tags) -> None:
    """Take `tags` (none inside another) out of the tree. Each parent's list of children is
    rebuilt once: bs4's extract() finds and deletes a child by position, quadratic when a
    page has 100,000 sibling chrome elements."""
    doomed: dict[int, tuple[object, set[int]]] = {}
    for tag in tags:
        doomed.setdefault(id(tag.parent), (tag.parent, set()))[1].add(id(tag))
    for parent, ids in doomed.values():
        parent.contents[:] = [child for child in parent.contents if id(child) not in ids]
    for tag in tags:
        tag.parent = None  # already gone from its parent's children: extract() only relinks
        tag.extract()


def _main_content(soup):
    tags = _tags(soup)
    stats = _text_stats(tags)
    articles = [tag for tag in tags if tag.name == "article"]
    if articles:
        return max(articles, key=lambda tag: stats[id(tag)][0])
    main = next((tag for tag in tags if tag.name == "main"), None)
    if main is not None:
        return main
    best, best_count = None, 0
    for tag in tags:
        count = sum(stats[id(child)][0] for child in tag.contents if _paragraph(child, stats))
        if count > best_count:
            best, best_count = tag, count
    return best or soup.body or soup


_INNER_BLOCKS = frozenset(["div", "p", "table", "ul", "ol", "section", "article"])


def _text_stats(tags) -> dict[int, tuple[int, bool, bool]]:
    """For each element (by id): the Chinese characters of its text, whether its text has a
    。 or ，, and whether a block (_INNER_BLOCKS) lies inside it. Computed children first
    (`tags` in reverse document order), so each string and element is read once; the text
    is what get_text() gives (NavigableString and CData, no comments or scripts)."""
    from bs4 import CData, NavigableString, Tag

    stats: dict[int, tuple[int, bool, bool]] = {}
    for tag in reversed(tags):
        cjk, prose, blocks = 0, False, False
        for child in tag.contents:
            if isinstance(child, Tag):
                child_cjk, child_prose, child_blocks = stats[id(child)]
                cjk += child_cjk
                prose = prose or child_prose
                blocks = blocks or child_blocks or child.name in _INNER_BLOCKS
            elif type(child) in (NavigableString, CData):
                cjk += len(CJK.findall(child))
                prose = prose or "。" in child or "，" in child
        stats[id(tag)] = (cjk, prose, blocks)
    return stats


def _paragraph(node, stats) -> bool:
    """A <p>, or a <div> used as one (pages built of <div>s): no blocks inside, and prose."""
    name = getattr(node, "name", None)
    if name == "p":
        return True
    if name != "div":
        return False
    _, prose, blocks = stats[id(node)]
    return prose and not blocks


def _html_blocks(root):
    """(text, hint) per block element and per <br>-separated line, in reading order."""
    from bs4 import CData, NavigableString

    blocks: list[tuple[str, str | None]] = []
    buffer: list[str] = []
    hint_stack: list[str | None] = [None]

    def flush() -> None:
        line = _collapse_html_space("".join(buffer))
        buffer.clear()
        if line:
            blocks.append((line, hint_stack[-1]))

    # (children still to read, whether the element is a block) per open element
    stack = [(iter(root.children), False)]
    while stack:
        children, block = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if block:
                flush()
                hint_stack.pop()
        elif isinstance(child, NavigableString):
            if type(child) in (NavigableString, CData):  # not comments, doctypes...
                buffer.append(str(child))
        elif child.name == "br":
            flush()
        elif child.name == "pre":
            flush()
            for line in child.get_text().split("\n"):
                if line.strip():
                    blocks.append((line.strip(), hint_stack[-1]))
        elif child.name in BLOCK_TAGS:
            flush()
            hint_stack.append(HEADING_HINTS.get(child.name, hint_stack[-1]))
            stack.append((iter(child.children), True))
        else:
            stack.append((iter(child.children), False))
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
