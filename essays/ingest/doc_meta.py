"""What a page tells about its document beside its text: the title in its front matter, the
date, authors and sites in its metadata lines, the topic and count an editor's preface
names, its keywords."""

from __future__ import annotations

import re

from .chrome import FILE_TITLE
from .cleaned import Cleaned
from .model import PartialDate
from .prose import cn_number, strip_line

SOURCE_SITE = re.compile(r"来源\s*[:：]\s*(?P<site>[^\s:：|｜,，。]{2,16})")
PREFACE_TOPIC = re.compile(
    r"(?:收集|整理|搜集|精选)了?(?:丰富的|一些|几篇|多篇|\d+篇|[一二三四五六七八九十]+篇)?"
    r"(?P<t>[^，,。：:\s]{2,24}?)(?:主题)?(?:范文|文章|资料|例文|模板|素材)"
)
PREFACE_COUNT = re.compile(
    r"(?:整理|收集|搜集|精选|汇编|收录|带来|分享|推荐)了?(?:以下|如下)?\s*(?P<n>\d{1,3}|[一二两三四五六七八九十]{1,3})\s*篇"
)
KEYWORD_LINE = re.compile(r"^(?:本文)?(?:关键词|关键字|主题词|标签|tags?)\s*[:：]\s*(?P<k>.+)$", re.I)
# "2022年8月3日" as well as 2022-08-03, for the date a metadata line gives
META_DATE = re.compile(r"(?P<y>(?:19|20)\d\d)(?:[-/]|\s*年\s*)(?P<m>\d{1,2})(?:[-/]|\s*月\s*)(?P<d>\d{1,2})")
# the name ends at a separator, the line's end or the next field glued on ("作者:雷小竞发布时间:…")
META_AUTHOR = re.compile(
    r"作者\s*[:：]\s*(?P<a>[^\s:：|｜,，]{2,6}?)"
    r"(?=[\s:：|｜,，]|$|发布|发表|时间|日期|来源|点击|浏览|阅读|编辑|责编|字号|更新|单位|出处)"
)
# a line that is only a date: "2023年12月20日", "（2023年6月）", "2023.12.20"
DATE_LINE = re.compile(
    r"^[（(]?\s*(?P<y>(?:19|20)\d\d)\s*(?:年\s*(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*日)?|"
    r"[.\-/]\s*(?P<m2>\d{1,2})\s*[.\-/]\s*(?P<d2>\d{1,2}))\s*[)）]?$"
)
FRONT_TITLE = re.compile(r"^title\s*:\s*(?P<q>['\"]?)(?P<t>.+?)(?P=q)\s*$")


def mine_chrome_line(reason: str, orig: str, s: str, out: Cleaned) -> None:
    """What a line of chrome (`orig`, Simplified `s`) tells about the document, by its reason."""
    if reason == "file name":
        m = FILE_TITLE.match(orig)
        out.file_title = out.file_title or (m.group("t").strip() if m else None)
    elif reason == "editor's preface":
        mine_preface(orig, s, out)
    elif reason == "site keywords":
        mine_keywords(s, out)
    if reason in ("article metadata", "document-site metadata", "counters"):
        m = META_DATE.search(s)
        if m and out.date is None:
            out.date = partial_date(m.group("y"), m.group("m"), m.group("d"))
        for m in META_AUTHOR.finditer(s):
            out.meta_authors.append(m.group("a"))
    for m in SOURCE_SITE.finditer(s):
        out.sites.add(m.group("site"))


def front_matter(lines: list[str]) -> tuple[int, str | None]:
    """YAML front matter (--- ... ---) at the top: (number of lines it spans, its title)."""
    i = 0
    while i < len(lines) and not strip_line(lines[i]):
        i += 1
    if i >= len(lines) or strip_line(lines[i]) != "---":
        return 0, None
    title = None
    for j in range(i + 1, min(len(lines), i + 200)):
        s = strip_line(lines[j])
        if s == "---":
            return j + 1, title
        m = FRONT_TITLE.match(s)
        if m and title is None:
            title = m.group("t").strip()
    return 0, None


def partial_date(y: str | None, m: str, d: str | None) -> PartialDate | None:
    month, day = int(m), int(d) if d else None
    if not (1 <= month <= 12 and (day is None or 1 <= day <= 31)) or (day is None and not y):
        return None
    return PartialDate(year=int(y) if y else None, month=month, day=day)


def mine_preface(orig: str, s: str, out: Cleaned) -> None:
    m = PREFACE_TOPIC.search(s)
    if m and out.preface_topic is None:
        a, b = m.span("t")
        topic = orig[a:b] if len(orig) == len(s) else m.group("t")
        out.preface_topic = topic
    m = PREFACE_COUNT.search(s)
    if m and out.declared is None:
        out.declared = cn_number(m.group("n"))


def mine_keywords(s: str, out: Cleaned) -> None:
    m = KEYWORD_LINE.match(s) or (re.match(r"^本文(?:关键词|关键字)\s*[:：]\s*(?P<k>[^，,。]+)", s))
    if not m:
        return
    for word in re.split(r"[\s,，、;；|/]+", m.group("k")):
        word = word.strip("。.")
        if 2 <= len(word) <= 12 and word not in out.keywords:
            out.keywords.append(word)
