"""What one cleaned line is, read on its own: an essay marker (篇1 / 【篇一】 / 第一篇), a section
heading (一、 (一) 1、 第一, 其一 篇章一: ●…● 一看: 引言:), a line that could be a title, and the
numbering family it belongs to. Patterns are matched on Simplified text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .cleaned import Line
from .prose import HAN, cn_number, ends_terminal, han_count, is_prose

NUM = "一二三四五六七八九十两"
_N = rf"[{NUM}\d]{{1,3}}"

MARKERS = [
    re.compile(rf"^[【\[（(]?\s*篇\s*(?P<n>{_N})\s*[】\]）)]?\s*[:：、.．]?\s*(?P<t>.*)$"),
    re.compile(rf"^[【\[（(]?\s*第\s*(?P<n>{_N})\s*篇\s*[】\]）)]?\s*[:：、.．]?\s*(?P<t>.*)$"),
    re.compile(rf"^[【\[（(]?\s*范文\s*(?P<n>{_N})\s*[】\]）)]?\s*[:：、.．]?\s*(?P<t>.*)$"),
    re.compile(rf"^(?P<t>.{{2,50}}?)\s*[【\[（(]?\s*篇\s*(?P<n>{_N})\s*[】\]）)]?$"),
]
HEADING = re.compile(
    rf"^(?:[{NUM}]+\s*[、.．]|[（(]\s*[{NUM}\d]+\s*[)）]|\d{{1,2}}\s*[、.．](?!\d)|"
    rf"第[{NUM}\d]+(?:[，,、:：]|部分|章|节)|其[{NUM}]+[，,、:：]?|[{NUM}]+[是要看讲抓来][，,:：]|"
    rf"[①-⑳]|篇章\s*[{NUM}\d]+|[●■◆▲★☆○◎□◇►▶]|"
    r"(?:引言|前言|序言|导言|导语|结语|结束语|后记|摘要|内容摘要|内容提要|关键词|参考文献|附录|附件)\s*[:：]|"
    rf"[{NUM}]+[{HAN}]?[:：])"
)
SECTION_LABEL = re.compile(r"^(?:引言|前言|序言|导言|导语|结语|结束语|后记|摘要|参考文献|附录|附件)$")
REFERENCE = re.compile(r"^(?:[【\[]\s*\d+\s*[】\]]|\[\w\])")
GENRE = re.compile(r"心得|体会|感悟|感想|总结|读后感|观后感|发言|讲话|有感|随笔|学习|汇报|报告")
# what a page puts before a title: a Markdown heading's hashes, a separator bar
# a Markdown heading's hashes or a table's bar before a title, a table's bars after it ("我是一名护士. | ||")
TITLE_DECORATION = re.compile(r"^(?:#{1,6}\s+|[|｜]\s*)|(?:\s*[|｜])+\s*$")
EMPHASIS = re.compile(r"^(\*\*|__)(?P<t>.+)\1$")  # Markdown emphasis around a whole title


def undecorated(title: str) -> str:
    """A title without a Markdown heading's hashes, a table's bars or emphasis around it."""
    title = TITLE_DECORATION.sub("", title) or title
    m = EMPHASIS.match(title)
    return m.group("t").strip() or title if m else title


PAREN_LINE = re.compile(r"^[（(][^()（）]{2,40}[)）]$")
SALUTATION = re.compile(r"各位|尊敬的|亲爱的|同志们|同事们|朋友们|同学们|老师们|代表们|同仁们|大家")


@dataclass
class Feat:
    text: str
    simp: str
    kind: str = "body"  # marker, heading, title, body
    marker_title: str | None = None
    family: tuple[str, int, int] | None = None  # (family, rank, value)


FAMILIES = [
    ("part", 5, re.compile(rf"^第([{NUM}]+)(?:部分|章|节)")),
    ("cn", 4, re.compile(rf"^([{NUM}]+)\s*[、.．]")),
    ("pcn", 3, re.compile(rf"^[（(]\s*([{NUM}]+)\s*[)）]")),
    ("ord", 2, re.compile(rf"^第([{NUM}]+)\s*[，,、:：]")),
    ("num", 2, re.compile(r"^(\d{1,2})\s*[、.．](?!\d)")),
    ("pnum", 1, re.compile(r"^[（(]\s*(\d{1,2})\s*[)）]")),
    ("shi", 0, re.compile(rf"^([{NUM}]+)是")),
    ("yao", 0, re.compile(rf"^([{NUM}]+)要")),
    ("qi", 0, re.compile(rf"^其([{NUM}]+)[，,、:：]")),
]


_FAMILY_FIRST = frozenset(f"第其（({NUM}")


def _family(s: str) -> tuple[str, int, int] | None:
    first = s[:1]
    if first not in _FAMILY_FIRST and not first.isdecimal():  # "" is in no family either
        return None
    for name, rank, rx in FAMILIES:
        m = rx.match(s)
        if m:
            value = cn_number(m.group(1))
            if value:
                return name, rank, value
    return None


_SENTENCE_INSIDE = re.compile(r"[。；;]")
_QUESTION = re.compile(r"[?？!！]")
_COMMA = re.compile(r"[，,]")
_NOT_WORDS = re.compile(r"[\d_\s年月日XＸ]+")


def title_like(s: str, head: bool = False) -> bool:
    """Short, no sentence end, at most one comma: could be a title."""
    if not 2 <= len(s) <= 50 or han_count(s) < 4:
        return False
    body = s.rstrip("?？!！") if head else s
    if body != s and len(s) > 40:
        return False
    if ends_terminal(body) or body.endswith(("，", ",", "、", "：", ":", "；", ";", "……", "...")):
        return False
    if _SENTENCE_INSIDE.search(body) or (not head and _QUESTION.search(body)):
        return False
    if len(_COMMA.findall(s)) > 1 or REFERENCE.match(s):
        return False
    if is_prose(s) and not head:
        return False
    return not _NOT_WORDS.fullmatch(s)


def _marker(s: str) -> tuple[int, str] | None:
    if len(s) > 60 or ("篇" not in s and "范文" not in s) or is_prose(s):
        return None
    for rx in MARKERS:
        m = rx.match(s)
        if m and cn_number(m.group("n")):
            return cn_number(m.group("n")), m.group("t").strip()
    return None


def classify(lines: list[Line], simp: list[str]) -> list[Feat]:
    """Each line's kind (marker, heading or body) and numbering family; a format's hints count."""
    feats = [Feat(line.text, s) for line, s in zip(lines, simp, strict=True)]
    for f, line in zip(feats, lines, strict=True):
        mk = _marker(f.simp) or ((0, f.text) if line.hint == "essay" else None)
        if mk:
            f.kind, f.marker_title = "marker", mk[1]
        elif HEADING.match(f.simp) or SECTION_LABEL.match(f.simp) or line.hint == "heading":
            f.kind = "heading"
        f.family = _family(f.simp)
    return feats
