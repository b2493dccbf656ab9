"""An essay's own parts around its body: what stands under its title (subtitle, byline), what
its title line carries (a name in brackets, a subtitle after ——, a label glued on), the lines
that close it (adviser, date, signature, bio), and a title made from its first clause when
it has none."""

from __future__ import annotations

import re

from .bylines import (
    ADVISER,
    Byline,
    marked_byline,
    org_name,
    parse_author_note,
    parse_bio,
    parse_byline,
    unit_alone,
)
from .doc_meta import DATE_LINE
from .headers import PageLines
from .line_kinds import HEADING, NUM, title_like
from .model import Report
from .names import is_name, unit_of
from .prose import HAN, ends_terminal, is_prose
from .script import to_simplified
from .structure import Essay
from .titles import clause_title

TITLE_SPLIT_GENRE = re.compile(rf"^(?P<label>[{HAN}]{{4,16}}?(?:心得|体会|感悟|感想))(?P<t>[{HAN}]{{8,30}})$")
NOT_TITLE_AFTER_GENRE = re.compile(
    r"^(?:体会|感悟|感想|范文|汇编|合集|精选|大全|交流|分享|汇报|报告|座谈|研讨|发言|材料|的|之|与|和|及|是|在)|篇"
)


def finish_essay(e: Essay, page: PageLines, report: Report) -> None:
    """Take the header and closing lines off the essay's lines: what is left is its body."""
    if not e.lines:
        return
    texts = page.texts
    idx = list(e.lines)
    if (
        e.title is not None
        and idx
        and e.title in (texts[idx[0]], HEADING.sub("", texts[idx[0]], count=1).strip())
    ):
        idx = _under_title(e, idx, page, report)
        _title_line_parts(e, report)
    elif idx and idx[0] in page.byline_at and e.title is None:
        idx = _byline_first(e, idx, page)
    idx = _closing_lines(e, idx, page, report)
    idx = _closing_bio(e, idx, page, report)
    e.body = idx
    if e.title is None and not e.is_fragment and idx:
        e.title = generated_title(texts[idx[0]])
        e.title_generated = bool(e.title)


def _under_title(e: Essay, idx: list[int], page: PageLines, report: Report) -> list[int]:
    j, subtitle, byline = page.header_end(idx[0])
    idx = [i for i in idx if i >= j]
    if subtitle:
        e.subtitle = subtitle
    if byline:
        e.author, e.organization = byline.author, byline.organization
        report.count("byline")
    return idx


_NAME_TITLE = re.compile(r"^(?P<n>[^\s:：，,]{2,4})\s*[:：]\s*(?P<t>\S.{3,})$")


def _title_line_parts(e: Essay, report: Report) -> None:
    # "标题(姓名)" or "标题(单位 姓名)"
    m = re.match(r"^(?P<t>.{4,}?)\s*[（(](?P<c>[^()（）]{2,30})[)）]$", e.title)
    if m and not e.author:
        c = m.group("c")
        got = org_name(c, to_simplified(c))
        if got and got[0]:
            e.author, e.organization = got[0], e.organization or got[1]
            e.title = m.group("t")
            report.count("byline in title")
    # "姓名：标题": the writer's name before the title
    m = _NAME_TITLE.match(e.title)
    if (
        m
        and not e.author
        and is_name(to_simplified(m.group("n")))
        and title_like(to_simplified(m.group("t")))
    ):
        e.author, e.title = m.group("n"), m.group("t")
        report.count("byline in title")
    # "标题 ——副标题" on one line
    m = re.match(r"^(?P<t>.+?)\s*(?P<s>——.+)$", e.title)
    if m and not e.subtitle and not _inside_brackets(m.group("t")):
        b = parse_byline(m.group("s"), to_simplified(m.group("s")))
        if b and (b.author or b.organization):
            e.author, e.organization = e.author or b.author, e.organization or b.organization
        else:
            e.subtitle = m.group("s")
        e.title = m.group("t")
    # "青干班外出调研学员心得" + "渠水长流映初心勇毅前行担使命" glued together
    m = TITLE_SPLIT_GENRE.match(to_simplified(e.title))
    if m and not NOT_TITLE_AFTER_GENRE.search(m.group("t")) and len(e.title) == len(m.group(0)):
        e.title = e.title[m.start("t") :]
        report.count("title label split")


_PAIRS = ("《》", "“”", "「」", "『』", "（）", "()", "【】", "〈〉")


def _inside_brackets(head: str) -> bool:
    """A dash after `head` stands inside a quotation or a book title (《平“语”近人——…》), so
    it starts no subtitle."""
    return any(head.count(a) > head.count(b) for a, b in _PAIRS)


def _byline_first(e: Essay, idx: list[int], page: PageLines) -> list[int]:
    b = page.byline_at[idx[0]]
    e.author, e.organization = b.author, b.organization
    idx = idx[b.lines :]
    if len(idx) > 1 and title_like(page.feats[idx[0]].simp) and is_prose(page.feats[idx[1]].simp):
        e.title = page.texts[idx[0]]  # the byline above its title: "文/王明" over "我爱读书"
        idx = idx[1:]
    return idx


def _closing_lines(e: Essay, idx: list[int], page: PageLines, report: Report) -> list[int]:
    texts, feats = page.texts, page.feats
    # a pupil's essay names the teacher who guided it under the signature: not the essay's text
    if len(idx) > 2 and ADVISER.match(feats[idx[-1]].simp):
        idx = idx[:-1]
        report.count("adviser line")
    # a closing signature block: "单位 姓名" over a date line, or either alone
    if len(idx) > 1 and DATE_LINE.match(feats[idx[-1]].simp):
        idx = idx[:-1]
        report.count("closing date")
    if len(idx) > 1 and ends_terminal(texts[idx[-2]]):
        last = idx[-1]
        note = parse_author_note(texts[last], feats[last].simp)
        signed = None if note else _signature(texts[last], feats[last].simp, last in page.byline_at)
        if note or signed:
            e.author = e.author or (signed.author if signed else None)
            e.organization = e.organization or note or signed.organization
            idx = idx[:-1]
            report.count("closing signature")
    return idx


def _signature(text: str, simp: str, hinted_byline: bool) -> Byline | None:
    """The last line as a closing signature: "单位 姓名" (not one the model reads as a byline,
    which _closing_bio reads), or a name signed with a mark that says it is one: in brackets,
    after a label, with a news credit or a form of address ((明德分监林同学), 吴奕锦通讯员)."""
    signed = parse_byline(text, simp, bare=True)
    if signed and signed.author and signed.organization and not hinted_byline:
        return signed
    if len(simp) > 40 or ends_terminal(simp):
        return None
    return marked_byline(text, simp)


def _closing_bio(e: Essay, idx: list[int], page: PageLines, report: Report) -> list[int]:
    """A closing bio or byline at the end."""
    if not idx:
        return idx
    texts, feats, byline_at = page.texts, page.feats, page.byline_at
    last = idx[-1]
    lines = 1
    bio = parse_bio(texts[last], feats[last].simp)
    if bio is None and len(idx) > 2 and not ends_terminal(texts[idx[-2]]):
        # a bio hard-wrapped onto a second line (one wrapped line sets no wrap width)
        before = idx[-2]
        bio = parse_bio(texts[before] + texts[last], feats[before].simp + feats[last].simp)
        lines = 2 if bio is not None else 1
    pair = byline_at.get(idx[-2]) if len(idx) > 2 and idx[-2] + 1 == last else None
    if bio is None and pair is not None and pair.lines == 2:
        bio, lines = pair, 2  # "姓名：王明" over "单位：县财政局"
    if bio is None and last in byline_at and len(idx) > 1:
        bio = byline_at[last]
        above = idx[-2] if len(idx) > 2 and idx[-2] + 1 == last else None
        if bio.author and not bio.organization and above is not None and unit_alone(feats[above].simp):
            # "儿科二病区" over "赵明星": the unit on its own line above the name
            bio = Byline(bio.author, unit_of(texts[above], feats[above].simp), lines=2)
            lines = 2
    if bio is not None:
        e.author = e.author or bio.author
        e.organization = e.organization or bio.organization
        idx = idx[:-lines]
        report.count("closing byline")
    return idx


def generated_title(text: str) -> str | None:
    """The first clause of the body, without list numbering, ending where a clause or a word
    ends (titles.clause_title)."""
    s = re.sub(
        rf"^(?:[{NUM}\d]+\s*[、.．是要]|[（(][{NUM}\d]+[)）]|第[{NUM}]+[，,、]|其[{NUM}]+[，,、]?)", "", text
    )
    s = re.sub(r"^(?:关键词|關鍵詞|关键字|摘要)\s*[:：]\s*", "", s).strip()
    return clause_title(s) or None
