"""Essays and collections as plain text: UTF-8 with a byte-order mark and CRLF line ends.

The readers are on Windows intranets: older Notepad guesses a BOM-less file's encoding from
the system code page (GBK) and shows the Chinese as mojibake, and ignores bare LF breaks.
Every other reader takes a BOM and CRLF in its stride.
"""

from __future__ import annotations

from .model import ExportCollection, ExportEssay, converter

BOM = "\ufeff"
NEWLINE = "\r\n"
ESSAY_RULE = "—" * 20


def essay_text(essay: ExportEssay, script: str) -> bytes:
    essay = essay.in_script(script)
    lines = [essay.title, *_essay_lines(essay, script, with_collection=True)]
    return _encode(lines)


def collection_text(collection: ExportCollection, script: str) -> bytes:
    collection = collection.in_script(script)
    convert = converter(script)
    lines = [collection.title]
    for label, value in (
        ("日期", collection.date),
        ("网站", collection.site),
        ("来源", collection.source),
        ("篇数", str(len(collection.essays))),
    ):
        if value:
            lines.append(f"{convert(label)}：{value}")
    description = collection.description_lines
    if description:
        lines += ["", *description]
    for number, essay in enumerate(collection.essays, start=1):
        lines += ["", "", ESSAY_RULE, f"{number}. {essay.title}"]
        lines += _essay_lines(essay, script, with_collection=False)
    return _encode(lines)


def _essay_lines(essay: ExportEssay, script: str, *, with_collection: bool) -> list[str]:
    convert = converter(script)
    lines = [essay.subtitle] if essay.subtitle else []
    meta = [("作者", essay.author), ("单位", essay.organization)]
    if with_collection:
        meta += [("文集", essay.collection_title), ("来源", essay.source)]
    lines += [f"{convert(label)}：{value}" for label, value in meta if value]
    for paragraph in essay.paragraphs:
        lines += ["", paragraph]
    return lines


def _encode(lines: list[str]) -> bytes:
    return (BOM + NEWLINE.join(lines) + NEWLINE).encode("utf-8")
