"""Page furniture around the text: a printed page's running header or footer, the lines of a
page break (which the unwrapping looks through), and the footer zone a share bar or a
相关文章 list opens at the end."""

from __future__ import annotations

from collections import Counter

from .chrome import BRACKET_META, FOOTER_WIDGET, toolbar
from .model import Report
from .prose import CLAUSE_MARK, LIST_ITEM, is_prose


def drop_running_heads(scur, keep, drop, marks: list[int]) -> None:
    """A short line repeated beside the page markers is the printed page's header or footer."""
    if not marks:
        return
    near: dict[str, set[int]] = {}
    for mark in [-1, *marks]:  # the top of the document is the top of a page too
        for step in (-1, 1) if mark >= 0 else (1,):
            j, seen = mark + step, 0
            while 0 <= j < len(scur) and seen < 2:
                if keep[j]:
                    seen += 1
                    s = scur[j]
                    # a header holds no clause: a line of running text always may
                    if len(s) <= 40 and not CLAUSE_MARK.search(s) and not LIST_ITEM.match(s):
                        near.setdefault(s, set()).add(j)
                j += step
    kept = Counter(scur[i] for i in range(len(scur)) if keep[i] and scur[i] in near)
    for s, where in near.items():
        if len(where) >= 2 and kept[s] == len(where):  # and never away from a page break
            for i in sorted(where):
                drop(i, "running header")


def page_breaks(keep, cur, removed) -> set[int]:
    """The lines of each page break: a page marker or running header with the blank and
    removed lines around it, which the unwrapping looks through."""
    furniture = {i for i, _t, why in removed if why in ("page marker", "running header")}
    if not furniture:
        return set()
    breaks: set[int] = set()
    for i in sorted(furniture):
        if i in breaks:
            continue
        lo = hi = i
        while lo > 0 and not (keep[lo - 1] and cur[lo - 1]):
            lo -= 1
        while hi + 1 < len(cur) and not (keep[hi + 1] and cur[hi + 1]):
            hi += 1
        breaks.update(range(lo, hi + 1))
    return breaks


def clean_tail(cur, scur, keep, drop, report: Report) -> None:
    """From the first footer widget after which no real paragraph follows, drop everything.

    Share bars and 相关文章 lists end the article; the lines after them are site furniture
    (newspaper names, 热点新闻, related titles). A widget followed by more paragraphs is not
    a footer (share bars also sit above articles), so only the widget itself goes.
    """
    n = len(cur)

    def last_prose(shortest: int) -> int:
        return next(
            (i for i in range(n - 1, -1, -1) if keep[i] and len(scur[i]) >= shortest and is_prose(scur[i])),
            -1,
        )

    # a hard-wrapped text has no long line: its last line of prose, however short, ends it
    start = last_prose(50)
    if start < 0:
        start = last_prose(10)
    for i in range(start + 1, n):
        s = scur[i].lstrip(">»› ")
        if s and len(s) <= 60 and (FOOTER_WIDGET.match(s) or BRACKET_META.match(s) or toolbar(s)):
            rest = [j for j in range(i + 1, n) if keep[j]]
            if sum(len(scur[j]) for j in rest) > sum(len(scur[j]) for j in range(i) if keep[j]):
                return  # most of the text follows: the widget sits above the article
            for j in rest:
                drop(j, "page footer")
            if rest:
                report.count("footer zone")
            return
