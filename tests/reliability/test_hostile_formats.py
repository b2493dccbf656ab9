"""Hostile source files: each is built here, and each must be read or refused in seconds,
with a one-line reason, never hang the import or fill the memory.

Each case hung or blew up before: 100,000 nested <div>s ran past 600 s; a .docx of 1 MB
inflated to 1.1 GB (2.3 GB of memory); 200 MB of small Word paragraphs ran past 600 s.
"""

import io
import re
import signal
import struct
import time
import tracemalloc
import zipfile
from contextlib import contextmanager

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE

from essays.ingest import limits
from essays.ingest.formats import extract
from essays.ingest.model import IngestError

CHINESE = re.compile(r"[\u4e00-\u9fff]")


class TookTooLong(BaseException):
    """Not an Exception: the importer's `except Exception` must not turn it into a refusal."""


@contextmanager
def deadline(seconds: float):
    """Fail the test once `seconds` have passed, instead of waiting for a hang to end."""

    def expire(signum, frame):
        raise TookTooLong(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def assert_refused_in_chinese(error: pytest.ExceptionInfo, name: str) -> None:
    assert error.value.name == name
    assert "\n" not in str(error.value)
    assert CHINESE.search(error.value.reason), error.value.reason


# --- HTML -----------------------------------------------------------------------------------


def nested(open_tag: str, close_tag: str, depth: int, inner: str = "正文。") -> bytes:
    return f"<html><body>{open_tag * depth}{inner}{close_tag * depth}</body></html>".encode()


def test_a_page_of_100000_nested_divs_is_read_in_seconds():
    page = nested("<div>", "</div>", 100_000)  # 1.1 MB
    started = time.monotonic()
    with deadline(60):  # measured 1.9 s; the old code ran past 600 s
        extraction = extract(page, "deep.html")
    assert extraction.text == "正文。"
    assert time.monotonic() - started < 30


def test_nested_articles_are_compared_by_their_text_once():
    # each <article> counted the Chinese of its whole subtree: 5,000 levels took 10 s
    page = nested("<article><p>正文，一段。</p>", "</article>", 5_000)
    with deadline(20):
        extraction = extract(page, "articles.html")
    assert extraction.text.split("\n") == ["正文，一段。"] * 5_000 + ["正文。"]


def test_a_page_of_unclosed_tags_keeps_every_line_however_deep_they_nest():
    # an old CMS leaves each <font> open: the tree nests one level per line, 3,000 levels
    # here, which the old recursive walk refused as "nested too deeply"
    page = ("<html><body>" + "<font color=red>第一段。<br>" * 3_000 + "</body></html>").encode()
    with deadline(20):
        extraction = extract(page, "unclosed.html")
    assert extraction.text.split("\n") == ["第一段。"] * 3_000


def test_90000_sibling_chrome_elements_are_dropped_in_one_pass():
    # bs4's decompose() finds each child by position in its parent: quadratic on siblings
    unit = '<div class="nav">导航</div><p>正文，一段。</p>'
    page = ("<html><body>" + unit * 90_000 + "</body></html>").encode()  # 180,002 tags
    with deadline(60):  # measured ~4 s; the old code took 7 s for 20,000, ~150 s for these
        extraction = extract(page, "siblings.html")
    lines = extraction.text.split("\n")
    assert len(lines) == 90_000 and set(lines) == {"正文，一段。"}


def test_nested_chrome_is_dropped_with_everything_inside_it():
    page = nested('<div class="share-bar">', "</div>", 20_000, inner="分享到微信")
    page = page.replace(b"</body>", "<p>正文内容。</p></body>".encode())
    with deadline(20):
        assert extract(page, "chrome.html").text == "正文内容。"


def test_a_page_with_more_tags_than_the_limit_is_refused_before_it_is_parsed():
    page = ("<html><body>" + "<b>字" * limits.HTML_TAGS + "<i>超</i></body></html>").encode()
    started = time.monotonic()
    with deadline(30), pytest.raises(IngestError, match=f"{limits.HTML_TAGS:,}") as error:
        extract(page, "tags.html")
    assert time.monotonic() - started < 5  # counted, not parsed (parsing it takes seconds)
    assert_refused_in_chinese(error, "tags.html")


def test_a_page_at_the_tag_limit_is_still_read():
    page = ("<p>字" * (limits.HTML_TAGS - 2)).encode()  # + the <html> and <body> lxml adds
    with deadline(60):
        extraction = extract(page, "big.html")
    assert len(extraction.text.split("\n")) == limits.HTML_TAGS - 2


# --- .docx: the ZIP -------------------------------------------------------------------------

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
DOCUMENT_START = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}><w:body>'.encode()
DOCUMENT_END = b"<w:sectPr/></w:body></w:document>"


def template_members() -> dict[str, bytes]:
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


TEMPLATE = template_members()


def docx_with(body_chunks, extra: dict[str, bytes] | None = None) -> bytes:
    """A .docx whose word/document.xml body is the chunks (streamed: some are large)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in {**TEMPLATE, **(extra or {})}.items():
            if name != "word/document.xml":
                archive.writestr(name, content)
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(DOCUMENT_START)
            for chunk in body_chunks:
                part.write(chunk)
            part.write(DOCUMENT_END)
    return buffer.getvalue()


def paragraph(text: str) -> bytes:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>".encode()


def test_a_docx_whose_document_inflates_past_the_limit_is_refused_before_inflating():
    chunk = b"<w:p/>" * 100_000
    data = docx_with([chunk] * (limits.DOCX_PART_BYTES // len(chunk) + 1))  # ~30 KB of ZIP
    tracemalloc.start()
    try:
        with deadline(10), pytest.raises(IngestError, match=r"word/document\.xml.*MB") as error:
            extract(data, "bomb.docx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 5 * 1024 * 1024  # the 20 MB were never inflated
    assert_refused_in_chinese(error, "bomb.docx")


def test_a_docx_compressed_far_more_than_any_document_is_refused():
    # 2 MB of empty paragraphs, under the size limit but ~600:1: the old code spent 0.7 ms
    # a paragraph on them (350,000 paragraphs: four minutes)
    data = docx_with([b"<w:p/>" * 350_000])
    with deadline(10), pytest.raises(IngestError, match="压缩比") as error:
        extract(data, "ratio.docx")
    assert_refused_in_chinese(error, "ratio.docx")


def test_parts_adding_up_past_the_total_limit_are_refused(monkeypatch):
    monkeypatch.setattr(limits, "DOCX_TOTAL_BYTES", 1024 * 1024)
    pictures = {f"word/media/image{n}.png": bytes(range(256)) * 1600 for n in range(3)}  # 400 KB each
    with pytest.raises(IngestError, match="全部部件") as error:
        extract(docx_with([paragraph("正文")], pictures), "pictures.docx")
    assert_refused_in_chinese(error, "pictures.docx")


def test_a_zip_of_too_many_parts_is_refused():
    extra = {f"customXml/item{n}.xml": b"<a/>" for n in range(limits.DOCX_PARTS)}
    with deadline(10), pytest.raises(IngestError, match="部件") as error:
        extract(docx_with([paragraph("正文")], extra), "parts.docx")
    assert_refused_in_chinese(error, "parts.docx")


def lie_about_size(data: bytes, member: str, declared: int) -> bytes:
    """Rewrite the uncompressed size the ZIP's central directory gives `member`."""
    data = bytearray(data)
    entry = data.find(b"PK\x01\x02")
    while entry != -1:
        name_length = struct.unpack_from("<H", data, entry + 28)[0]
        if data[entry + 46 : entry + 46 + name_length] == member.encode():
            struct.pack_into("<I", data, entry + 24, declared)
        entry = data.find(b"PK\x01\x02", entry + 46)
    return bytes(data)


def test_a_docx_lying_about_its_inflated_size_is_refused_without_inflating_the_rest():
    body = DOCUMENT_START + b"".join(paragraph(f"第{n}段正文，") for n in range(200_000)) + DOCUMENT_END
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in {**TEMPLATE, "word/document.xml": body}.items():  # ~8 MB inflated
            archive.writestr(name, content)
    liar = lie_about_size(buffer.getvalue(), "word/document.xml", 4096)
    with zipfile.ZipFile(io.BytesIO(liar)) as archive:
        assert archive.getinfo("word/document.xml").file_size == 4096
    tracemalloc.start()
    try:
        with deadline(10), pytest.raises(IngestError, match="damaged") as error:
            extract(liar, "liar.docx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert error.value.name == "liar.docx"
    assert peak < 2 * 1024 * 1024  # read up to the declared 4 KB, then its checksum fails


def test_a_text_file_named_docx_is_refused_not_read_as_text():
    with pytest.raises(IngestError, match=r"\.docx.*ZIP") as error:
        extract("学习心得体会\n正文。".encode("gb18030"), "essay.docx")
    assert_refused_in_chinese(error, "essay.docx")


def test_a_password_protected_docx_is_refused_with_advice():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)  # Word keeps it in an OLE file
    with pytest.raises(IngestError, match="密码") as error:
        extract(ole, "secret.docx")
    assert_refused_in_chinese(error, "secret.docx")


# --- .docx: the document --------------------------------------------------------------------


def test_more_paragraphs_than_the_limit_are_refused_as_they_are_read(monkeypatch):
    monkeypatch.setattr(limits, "DOCX_ITEMS", 1_000)
    data = docx_with([paragraph("正文") for _ in range(600)])  # each paragraph and its run: 2
    with pytest.raises(IngestError, match="1,000") as error:
        extract(data, "long.docx")
    assert_refused_in_chinese(error, "long.docx")


def test_a_docx_of_100000_small_paragraphs_is_read_in_seconds_not_minutes():
    # ~4 MB of two-character paragraphs that compress like real text (~8:1): the old code
    # took 0.7 ms a paragraph (100,000: 73 s)
    han = [chr(0x4E00 + n) for n in range(3000)]
    chunks = [paragraph(han[n % 3000] + han[(n * 7) % 2999]) for n in range(100_000)]
    data = docx_with(chunks)
    with deadline(60):
        extraction = extract(data, "small.docx")
    assert len(extraction.text.split("\n")) == 100_000


def test_styles_based_on_each_other_in_a_loop_do_not_hang():
    document = docx.Document()
    first = document.styles.add_style("甲样式", WD_STYLE_TYPE.PARAGRAPH)
    second = document.styles.add_style("乙样式", WD_STYLE_TYPE.PARAGRAPH)
    first.base_style, second.base_style = second, first
    document.add_paragraph("正文。", style="甲样式")
    buffer = io.BytesIO()
    document.save(buffer)
    with deadline(10):
        assert extract(buffer.getvalue(), "loop.docx").text == "正文。"


def test_a_cell_spanning_a_hundred_million_columns_is_read_once():
    cell = '<w:tc><w:tcPr><w:gridSpan w:val="100000000"/></w:tcPr>' + paragraph("合并").decode() + "</w:tc>"
    table = f"<w:tbl><w:tblGrid><w:gridCol/></w:tblGrid><w:tr>{cell}</w:tr></w:tbl>".encode()
    tracemalloc.start()
    try:
        with deadline(10):
            extraction = extract(docx_with([table]), "span.docx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert extraction.text == "合并"
    assert peak < 100 * 1024 * 1024  # python-docx's row.cells makes a tuple of 10⁸ cells: 800 MB


def test_a_cell_merged_down_thousands_of_rows_is_read_in_linear_time():
    # python-docx finds a merged cell's content by recursing up one row at a time: 2,000
    # rows raised RecursionError, and each row walked every row above it
    start = (
        '<w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr>' + paragraph("合并的单元格").decode() + "</w:tc>"
    )
    below = "<w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>"
    rows = f"<w:tr>{start}</w:tr>" + f"<w:tr>{below}</w:tr>" * 2_000
    table = f"<w:tbl><w:tblGrid><w:gridCol/></w:tblGrid>{rows}</w:tbl>".encode()
    with deadline(20):
        extraction = extract(docx_with([table]), "merged.docx")
    assert extraction.text.split("\n") == ["合并的单元格"] * 2_001
