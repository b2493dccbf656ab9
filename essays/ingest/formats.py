"""Source formats -> text lines with hints: plain text, Word .docx and HTML pages.

The format comes from the content first and the file name second, because downloaded files
often carry the wrong extension: a ZIP holding word/document.xml is a .docx whatever it is
called, and text that starts like an HTML page is parsed as HTML.
"""

from __future__ import annotations

import re
from pathlib import PurePath

from .blocks import Extraction
from .decode import decode_bytes
from .formats_docx import extract_docx
from .formats_html import extract_html
from .model import IngestError

__all__ = ["Extraction", "extract"]


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
        return extract_docx(data, name)
    if data.startswith(OLE_MAGIC):
        if extension == ".docx":  # Word stores a .docx with a password inside such a file
            raise IngestError(
                name, "加了密码的 Word 文件或旧版 .doc 文件无法读取，请去掉密码或另存为 .docx 再导入"
            )
        raise IngestError(name, "old Word .doc files are not supported; save it as .docx")
    if extension in HTML_EXTENSIONS or _looks_like_html(data):
        return extract_html(data, name)
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
