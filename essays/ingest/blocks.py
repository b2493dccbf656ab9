"""What reading a source format gives: text lines, and hints about the lines (title, heading)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Extraction:
    text: str  # lines separated by "\n"
    encoding: str  # "utf-8", "gb18030", "big5", "utf-16"...; "docx" for Word; a page's charset for HTML
    format: str  # "txt", "docx", "html"
    # 0-based line index in `text` -> "title" or "heading" (from Word styles or <h1>-<h3>)
    hints: dict[int, str] = field(default_factory=dict)


def from_blocks(blocks, *, encoding: str, format: str) -> Extraction:
    """An Extraction of (text, hint) blocks: one line per non-blank line of each block."""
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
