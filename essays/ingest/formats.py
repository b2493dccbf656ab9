"""Source formats -> text lines with hints. (Stub: only .txt.)"""

from dataclasses import dataclass, field

from .decode import decode_bytes


@dataclass
class Extraction:
    text: str  # lines separated by "\n"
    encoding: str  # "utf-8", "gb18030", "big5", "utf-16", or "docx"/"html:utf-8" style labels
    format: str  # "txt", "docx", "html"
    # 0-based line index in `text` -> "title" or "heading" (from Word styles or <h1>-<h3>)
    hints: dict[int, str] = field(default_factory=dict)


def extract(data: bytes, name: str) -> Extraction:
    text, encoding = decode_bytes(data, name)
    return Extraction(text=text, encoding=encoding, format="txt")
