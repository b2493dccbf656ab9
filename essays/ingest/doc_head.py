"""The head of a document: a site's header above the breadcrumb, keyword tiles, the title
repeated or decorated (栏目_标题, 标题(2篇)), and what the title line carries besides the
title (a date, a column label, counters) or has under it (a date line)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .cleaned import Cleaned
from .doc_meta import DATE_LINE, partial_date
from .model import Report
from .prose import CLAUSE_MARK, LIST_ITEM, cn_number, is_prose, loose_title, strip_line

_CN = "[一二两三四五六七八九十]"
_GATHERED = "精选|热门|实用|通用|优秀|最新|经典|推荐"
TITLE_COUNTERS = [
    (
        "declared",
        re.compile(rf"\s*[（(【\[]\s*[^()（）【】\[\]\d]{{0,6}}(?P<n>\d+|{_CN}{{1,3}})\s*篇\s*[)）】\]]\s*$"),
    ),
    # "参观红色教育基地感想10篇", "观后感实用20篇": a compilation's count, bare ("……汇编7篇" names
    # the compilation: its title)
    (
        "declared",
        re.compile(
            rf"\s*(?:{_GATHERED})?\s*(?<!第)(?<!汇编)(?<!彙編)(?!一篇)(?P<n>\d{{1,2}}|{_CN}{{1,3}})\s*篇\s*$"
        ),
    ),
    ("words", re.compile(r"\s*[（(]\s*(?:全文)?(?:约|共)?\s*\d+\s*字\s*[)）]\s*$")),
    ("number", re.compile(r"\s*[（(]\s*\d{1,3}\s*[)）]\s*$")),
    (
        "label",
        re.compile(
            r"\s*[（(]\s*(?:精选|热门|实用|通用|优秀|最新|经典|必备|推荐|汇总|大全|合集|集锦|范文)[^()（）]{0,6}[)）]\s*$"
        ),
    ),
]
TITLE_LABEL = re.compile(r"^[【\[]\s*(?P<l>[^【】\[\]\d篇第]{2,6})\s*[】\]]\s*")
DECLARED = re.compile(r"(?<![篇第])(?P<n>\d{1,3}|[一二两三四五六七八九十]{1,3})\s*篇(?![章目幅])")
DATE_PREFIX = re.compile(r"^(?:(?P<y>(?:19|20)\d\d)[.．/-])?(?P<m>\d{1,2})[.．/-](?P<d>\d{1,2})\s+(?=\S)")

_SPACES = re.compile(r"\s+")
_VARIANT_NOISE = re.compile(r"\s+|[（(][^()（）]{0,10}[)）]$")


@dataclass
class _Head:
    """The text being cleaned (original and Simplified, per source line), which lines are kept,
    and how a line is dropped."""

    cur: list[str]
    scur: list[str]
    keep: list[bool]
    drop: Callable[[int, str], None]
    out: Cleaned
    report: Report

    def kept(self, lines: list[int]) -> list[int]:
        return [i for i in lines if self.keep[i]]


def clean_head(cur, scur, keep, drop, out: Cleaned, report: Report) -> None:
    h = _Head(cur, scur, keep, drop, out, report)
    head = _head_lines(h)
    if not head:
        return
    _drop_site_header(h, head)
    head = h.kept(head)
    _drop_keyword_tiles(h, head)
    head = h.kept(head)
    _drop_duplicate_titles(h, head)
    head = h.kept(head)
    _drop_title_variants(h, head)
    head = h.kept(head)
    if not head:
        return
    # counters, date prefix on the first (title) line
    first = head[0]
    if not loose_title(scur[first]):
        return
    _date_line_below(h, first)
    _clean_title_line(h, first)


def _head_lines(h: _Head) -> list[int]:
    """The kept lines above the first paragraph of text, twelve at most."""
    head: list[int] = []
    for i in range(len(h.cur)):
        if not h.keep[i]:
            continue
        if is_prose(h.scur[i]) and not h.scur[i].endswith(("?", "？", "!", "！")):
            break
        head.append(i)
        if len(head) >= 12:
            break
    return head


def _drop_site_header(h: _Head, head: list[int]) -> None:
    """A short site header above the breadcrumb (logo text such as 百合文库)."""
    crumbs = [r for (r, _t, why) in h.out.removed if why in ("breadcrumb", "navigation") and r < head[-1]]
    if crumbs:
        last_crumb = max(crumbs)  # a site's menu bar, then its column's breadcrumb, say
        for i in head:
            if i < last_crumb and len(h.scur[i]) <= 12 and not CLAUSE_MARK.search(h.scur[i]):
                h.drop(i, "site header")


def _drop_keyword_tiles(h: _Head, head: list[int]) -> None:
    """A column of one-word tiles (a keyword cloud split into lines), four or more."""
    scur = h.scur
    run: list[int] = []
    first_long = next((k for k, i in enumerate(head) if len(scur[i]) >= 6), len(head))
    for i in [*head[:first_long], None]:
        if i is not None and len(scur[i]) <= 4 and not CLAUSE_MARK.search(scur[i]):
            run.append(i)
            continue
        if len(run) >= 4:  # a short title, unit and name make three
            for j in run:
                h.drop(j, "keyword tiles")
        run = []


def _drop_duplicate_titles(h: _Head, head: list[int]) -> None:
    """Exact duplicates of a head line (the page title repeated as the article title)."""
    seen: dict[str, int] = {}
    for i in head:
        key = _SPACES.sub("", h.scur[i])
        if key in seen:
            h.drop(i, "duplicate title")
            h.report.count("duplicate title removed")
        else:
            seen[key] = i


def _drop_title_variants(h: _Head, head: list[int]) -> None:
    """Decorated variants of the real title above it: "栏目_标题", "1000字写好标题(2篇)"."""
    scur, keep = h.scur, h.keep
    titles = [i for i in head if loose_title(scur[i]) and not LIST_ITEM.match(scur[i])]
    keys = {i: _VARIANT_NOISE.sub("", scur[i]) for i in titles}
    for a in titles:
        for b in titles:
            kb, ka = keys[b], keys[a]
            if b > a and kb == ka and len(kb) >= 4 and keep[a]:
                h.drop(b, "duplicate title")
                continue
            if b > a and len(kb) >= 6 and len(kb) >= 0.4 * len(ka) and kb in ka and len(ka) > len(kb):
                h.out.title_variants.append(h.cur[a])
                h.drop(a, "decorated title")
                break


def _date_line_below(h: _Head, first: int) -> None:
    """A date line under the title dates the document."""
    below = next((i for i in range(first + 1, len(h.cur)) if h.keep[i]), None)
    m = DATE_LINE.match(h.scur[below]) if below is not None else None
    if m:
        h.out.date = h.out.date or partial_date(
            m.group("y"), m.group("m") or m.group("m2"), m.group("d") or m.group("d2")
        )
        h.drop(below, "date line")


def _clean_title_line(h: _Head, first: int) -> None:
    """Cut a date prefix, a column label and counters off the title line, noting what they say."""
    out, report = h.out, h.report
    s, o = h.scur[first], h.cur[first]
    m = DATE_PREFIX.match(s)
    if m:
        date = partial_date(m.group("y"), m.group("m"), m.group("d"))
        if date:
            out.date = date
            s, o = s[m.end() :], o[m.end() :] if len(o) == len(h.scur[first]) else o
            report.count("date prefix removed")
    # a column label before the title: "【心得体会】青年干部要在基层一线经风雨见世面"
    m = TITLE_LABEL.match(s)
    if m and len(s) - m.end() >= 6 and len(o) == len(s):
        s, o = s[m.end() :], o[m.end() :]
        report.count("title label removed")
    changed = True
    while changed:
        changed = False
        for kind, rx in TITLE_COUNTERS:
            m = rx.search(s)
            if m:
                if kind == "declared":
                    out.declared = out.declared or cn_number(m.group("n"))
                o = o[: m.start()] if len(o) == len(s) else o
                s = s[: m.start()]
                report.count("title counter removed")
                changed = True
    if out.declared is None:
        m = DECLARED.search(s)
        if m:
            out.declared = cn_number(m.group("n"))
    if o != h.cur[first]:
        h.cur[first], h.scur[first] = strip_line(o), strip_line(s)
        out.title_counter = True
