"""Word .docx -> text lines with hints (title, heading) from the paragraph styles.

An untrusted file: the ZIP's directory is checked before anything is inflated (declared
sizes, compression ratios, part count; essays.ingest.limits), each part is read with a
bounded read, and paragraphs, runs, rows and cells are paid for from a budget as they are read.
"""

from __future__ import annotations

import io
import re
import zipfile

from . import limits
from .blocks import Extraction, from_blocks
from .model import IngestError

TITLE_STYLES = {"title", "标题", "標題"}
HEADING_STYLE = re.compile(r"^(?:heading|标题|標題)\s*([1-9])$", re.I)
HEADING_LEVELS = (1, 2, 3)


def extract_docx(data: bytes, name: str) -> Extraction:
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
    return from_blocks(blocks, encoding="docx", format="docx")


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
