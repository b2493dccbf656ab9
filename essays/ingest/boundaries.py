"""Where essays begin and end inside a run of text: numbered lines that title the essays of a
collection, untitled essays split where numbering restarts or an essay opens, and signed
essays split at the bylines between them."""

from __future__ import annotations

import re

from .bylines import parse_byline
from .headers import PageLines
from .line_kinds import HEADING, Feat, title_like
from .model import Report
from .prose import ends_terminal, is_prose
from .structure import Essay

# an essay's opening: at the start of a line (OPENERS_START) or anywhere in it (OPENERS_ANY)
OPENERS_START = re.compile(
    r"(?:关键词|关键字|摘要|内容摘要|内容提要)\s*[:：]|"
    r"(?:尊敬的|各位领导|各位同志|各位同事|各位老师|同志们|亲爱的).{0,30}[:：]\s*$|"
    r"今天[，,].{0,40}(?:召开|举行|举办|在这里)|"
    r"(?:不知不觉|转眼|时光飞逝|光阴似箭|岁月如梭|时光荏苒|时间过得真快)"
)
OPENERS_ANY = re.compile(
    r"(?:现将|现就|下面将|下面就|下面我就|下面我).{0,30}(?:总结|汇报|报告)(?:如下|一下)|总结如下"
)


def numbered_titles(feats: list[Feat], skip: set[int], declared: int | None) -> set[int]:
    """Lines of one numbering family that number the essays of a collection, not sections.

    Its numbers run 1, 2, 3… once through the document, each line reads as a title, and
    either a higher-ranked family (一、 above 1. in any essay's outline) first appears inside
    its first item (so it is nested under it), or there are as many as the declared count.
    """
    members: dict[str, list[int]] = {}
    for i, f in enumerate(feats):
        if f.family and i not in skip:
            members.setdefault(f.family[0], []).append(i)
    for idx in members.values():
        if len(idx) < 2 or [feats[i].family[2] for i in idx] != list(range(1, len(idx) + 1)):
            continue
        if not all(title_like(HEADING.sub("", feats[i].simp, count=1)) for i in idx):
            continue
        rank = feats[idx[0]].family[1]
        higher = [i for i, f in enumerate(feats) if f.family and f.family[1] > rank and i not in skip]
        nested = bool(higher) and higher[0] > idx[0]
        if nested or declared == len(idx):
            return set(idx)
    return set()


def split_at_bylines(e: Essay, page: PageLines, report: Report) -> list[Essay]:
    """Untitled essays signed one after another: a byline standing between two paragraphs of
    text ends one essay and begins the next. The essay's own first byline says which way they
    sign: above their text (where it heads the essay, so each byline opens one) or under it."""
    idx = e.lines
    if len(idx) < 4:
        return [e]
    texts, feats, byline_at = page.texts, page.feats, page.byline_at

    def signs(i: int) -> bool:
        b = byline_at.get(i) or parse_byline(texts[i], feats[i].simp, bare=True)
        if b is not None and b.author and b.lines == 1:
            byline_at.setdefault(i, b)  # for finish_essay, which reads an essay's bylines there
            return True
        return False

    head = [i for i in idx[:3] if not is_prose(feats[i].simp)]
    opening = any(signs(i) for i in head)
    cuts = []
    for k in range(1, len(idx) - 1):
        i = idx[k]
        if i in head or not signs(i):
            continue
        before, after = feats[idx[k - 1]].simp, feats[idx[k + 1]].simp
        if (is_prose(before) or ends_terminal(before)) and is_prose(after):
            cuts.append(k if opening else k + 1)
    if not cuts:
        return [e]
    pieces, at = [], 0
    for k in [*cuts, len(idx)]:
        if k > at:
            piece = Essay(lines=idx[at:k], title=e.title if at == 0 else None)
            if at == 0:
                piece.is_fragment, piece.warnings = e.is_fragment, list(e.warnings)
            pieces.append(piece)
        at = k
    report.count("essay boundary at a byline", len(pieces) - 1)
    return pieces


def split_untitled(e: Essay, feats: list[Feat], report: Report, separated: set[int]) -> list[Essay]:
    """Split an untitled run where numbering restarts, a new essay opens or a separator line
    (*** or ———, removed as chrome) stood."""
    out: list[Essay] = []
    cur = Essay(lines=[], title=e.title, is_fragment=e.is_fragment, warnings=list(e.warnings))
    seen: dict[str, int] = {}  # family -> last value in the current piece
    top: tuple[str, int] | None = None  # (family, rank) of the highest rank seen
    last: tuple[str, int, int] | None = None  # the most recent numbered line

    def boundary(i: int) -> bool:
        f = feats[i]
        if i in separated and any(is_prose(feats[j].simp) for j in cur.lines):
            return True
        if OPENERS_START.match(f.simp) or OPENERS_ANY.search(f.simp):
            return True
        if not f.family:
            return False
        name, rank, value = f.family
        if value != 1:
            return False
        if name in seen:
            return top is not None and top[0] == name and rank > 0 and seen[name] >= 2
        return last is not None and last[2] >= 2 and last[0] != name and rank >= last[1]

    body_started = False
    for i in e.lines:
        if body_started and cur.lines and boundary(i):
            out.append(cur)
            cur = Essay(lines=[])
            seen, top, last = {}, None, None
            report.count("untitled essay boundary")
        cur.lines.append(i)
        f = feats[i]
        if f.kind == "body" or f.family:
            body_started = True
        if f.family:
            name, rank, value = f.family
            seen[name] = value
            last = f.family
            if top is None or rank > top[1]:
                top = (name, rank)
    out.append(cur)
    return out
