"""Chrome and boilerplate removal, counters, watermarks and hard-wrap rejoining.

Input is the decoded, hygiene-cleaned text (pinyin and mojibake already repaired); output is
a list of `Line`s, each the cleaned text of one paragraph with the span of source lines it
came from, plus what the chrome told us about the document (page n/total, declared essay
count, date, site name, keywords). Every removed line is kept in `Cleaned.removed` with the
reason, and every action is counted in the report, so nothing disappears silently.

Rules are matched against the Simplified form of each line (one OpenCC pass over the whole
text), so 相關文章 and 相关文章 are the same rule; edits are applied to the original text.
The rules describe how the page types are built (content farms, document-sharing sites,
newspaper and court/party-organisation columns, 范文 compilations), not single files.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from .chrome import (
    DATETIME,
    LONG_LINE_SUSPECT,
    META_TAIL,
    NOTICE_ITEM,
    STAMP_TAIL,
    URL_OPEN,
    URL_REST,
    chrome_reason,
)
from .cleaned import Cleaned, Line
from .doc_head import clean_head
from .doc_meta import front_matter, mine_chrome_line, mine_keywords
from .furniture import clean_tail, drop_running_heads, page_breaks
from .jammer import has_jammer, noise_spans
from .model import Report
from .prose import STRIP, han_count, strip_line
from .seo import remove_seo_injection
from .simplified import edit_at_spans, simplified_lines
from .unwrap import join_open_brackets, join_wrapped_title, unwrap

DIGIT_LINE = re.compile(r"^\d{1,2}$")

# ---------------------------------------------------------------------------------------------
# Inline rules (applied to the original text at the spans found in the Simplified text)
# ---------------------------------------------------------------------------------------------

# a watermark names its source with one of these
WATERMARK_HINT = re.compile(r"来源|出处|转自|转载自|稿源")
WATERMARK = re.compile(
    r"[（(]\s*(?:来源|出处|转自|转载自|本文来源|稿源)\s*[:：]\s*[^()（）]{0,20}?"
    r"(?:站|网|文库|范文|\.com|\.cn|www)[^()（）]{0,10}[)）]",
    re.I,
)
PAGINATION = re.compile(
    r"[（(]\s*第\s*(?P<n>\d+)\s*/\s*(?P<t>\d+)\s*页\s*[)）]|第\s*(?P<n2>\d+)\s*页\s*[/，,]?\s*共\s*(?P<t2>\d+)\s*页"
)
HIDDEN_TEXT = re.compile(r"…*\s*此处隐藏\s*\d+\s*个?字\s*…*")
ENTITY = re.compile(r"&(?:[a-zA-Z][a-zA-Z0-9]{1,7}|#[0-9]{2,6}|#[xX][0-9a-fA-F]{2,5});")
HTML_JUNK = re.compile(
    r"^[\"']?\s*>\s*|</?(?:h\d|p|br|div|span|strong|b|i|u|em|font|section|center|small|big|sup|sub|a|img|"
    r"table|tr|td|th|ul|ol|li|blockquote)\b[^>]*>",
    re.I,
)


@dataclass
class _Cleaning:
    """The text being cleaned, per source line: its current original-script text, the same in
    Simplified script, the text before inline edits, and whether the line is kept."""

    report: Report
    cur: list[str]
    before: list[str]
    scur: list[str]
    keep: list[bool]
    out: Cleaned
    stext: str  # the whole Simplified text
    fm_end: int = 0  # the lines of the front matter, if any

    @property
    def n(self) -> int:
        return len(self.cur)

    def drop(self, i: int, reason: str) -> None:
        if self.keep[i]:
            self.keep[i] = False
            self.out.removed.append((i, self.cur[i], reason))
            self.report.count(f"chrome line removed: {reason}")


def clean(
    text: str,
    report: Report,
    hints: dict[int, str] | None = None,
    wrapped_widths: list[int] | None = None,
) -> Cleaned:
    """`wrapped_widths`: each line's display width before earlier stages shortened it, which is
    the width a hard wrap was made at."""
    hints = hints or {}
    raw = text.split("\n")
    simp, stext, simplified = simplified_lines(text, raw)
    cur = [x.strip(STRIP) for x in raw]  # current (original-script) text per source line
    c = _Cleaning(
        report=report,
        cur=cur,
        before=list(cur),
        scur=list(cur) if simplified else [x.strip(STRIP) for x in simp],
        keep=[bool(x) for x in cur],
        out=Cleaned(lines=[], simplified=simplified),
        stext=stext,
    )

    # front matter (Markdown/Jekyll posts): its title is the document's title
    c.fm_end, c.out.front_title = front_matter(raw)
    for i in range(c.fm_end):
        if cur[i]:
            c.drop(i, "front matter")

    # 0. markup left in the text, "……此处隐藏1234个字……", a forum's anti-copy noise
    _strip_markup(c, text)
    _strip_jammer(c, text)
    # 1. whole-line chrome: a page's links in a row, then by the rules
    for i, hint in hints.items():
        if hint == "link" and i < c.n and c.keep[i]:
            c.drop(i, "link list")
    digit_lines = _drop_chrome_lines(c)
    drop_running_heads(c.scur, c.keep, c.drop, [i for i, _t, why in c.out.removed if why == "page marker"])
    # 2. inline: watermarks and pagination markers anywhere
    _cut_inline_marks(c)
    # 3. the document head: site header, duplicated and decorated title lines, counters
    clean_head(c.cur, c.scur, c.keep, c.drop, c.out, report)
    # 4. the tail: after a footer widget, page furniture only
    clean_tail(c.cur, c.scur, c.keep, c.drop, report)
    _drop_site_names(c)
    _mine_keyword_lines(c)
    _mark_separated_and_numbered(c, digit_lines)
    # 5. rejoin hard-wrapped lines, across page breaks (a paragraph runs on to the next page)
    lines = _paragraphs(c, hints, wrapped_widths)
    join_wrapped_title(lines, report)
    join_open_brackets(lines, report)
    remove_seo_injection(lines, report, c.out.simplified)
    c.out.lines = lines
    return c.out


def _strip_jammer(c: _Cleaning, text: str) -> None:
    if not has_jammer(text):
        return
    cur, scur = c.cur, c.scur
    for i in range(c.fm_end, c.n):
        spans = noise_spans(scur[i]) if c.keep[i] else None
        if spans:
            c.report.count("forum anti-copy noise removed", len(spans))
            text = strip_line(edit_at_spans(cur[i], scur[i], spans))
            if not text:
                c.drop(i, "anti-copy noise")  # recorded as it was
                continue
            cur[i], scur[i] = text, strip_line(edit_at_spans(scur[i], scur[i], spans))
    c.stext = "\n".join(scur)


def _strip_markup(c: _Cleaning, text: str) -> None:
    # (stext, the whole Simplified text, holds every line: a word missing from it is missing from
    # every line, so one scan of it can rule a step out for the whole document)
    if "<" in text or ">" in text or "隐藏" in c.stext:
        cur, scur = c.cur, c.scur
        for i in range(c.fm_end, c.n):
            if c.keep[i] and ("<" in cur[i] or ">" in cur[i] or "隐藏" in scur[i]):
                for rx in (HTML_JUNK, HIDDEN_TEXT):
                    cur[i], scur[i] = strip_line(rx.sub("", cur[i])), strip_line(rx.sub("", scur[i]))
                if not cur[i]:
                    c.drop(i, "markup")
        c.stext = "\n".join(scur)  # cutting markup can join words
    if "&" in text:
        _decode_entities(c)


def _decode_entities(c: _Cleaning) -> None:
    """Character references a page's source or a Markdown file left as written (&emsp;&emsp;
    before a paragraph, &ldquo;): what they stand for, as a browser shows them."""
    decoded = 0
    for i in range(c.fm_end, c.n):
        if c.keep[i] and "&" in c.cur[i]:
            for line in (c.cur, c.scur):
                line[i], n = ENTITY.subn(_entity, line[i])
            decoded += n
            c.cur[i], c.scur[i] = strip_line(c.cur[i]), strip_line(c.scur[i])
            if not c.cur[i]:
                c.drop(i, "markup")
    if decoded:
        c.report.count("HTML character references decoded", decoded)
        c.stext = "\n".join(c.scur)


def _entity(m: re.Match) -> str:
    return html.unescape(m.group())


def _drop_chrome_lines(c: _Cleaning) -> list[tuple[int, int]]:
    """Drop every line of chrome, noting what it tells about the document; return the bare
    number lines dropped with their numbers."""
    # no suspect word anywhere: no long line can be chrome (see chrome_reason)
    suspect = None if LONG_LINE_SUSPECT.search(c.stext) else False
    digit_lines: list[tuple[int, int]] = []
    notice = link = False
    for i in range(c.fm_end, c.n):
        if not c.keep[i]:
            continue
        s = c.scur[i]
        reason = chrome_reason(s, suspect)
        if reason is None and notice and NOTICE_ITEM.match(s):
            reason = "site notice"  # the numbered items under 温馨提示:
        if reason is None and link and URL_REST.match(s):
            reason = "link"  # the rest of an address hard-wrapped off the line above
        notice = reason == "site notice"
        link = reason == "link" and URL_OPEN.search(s) is not None
        if reason is None:
            continue
        mine_chrome_line(reason, c.cur[i], s, c.out)
        if reason == "article metadata" and _cut_metadata_tail(c, i):
            continue
        if DIGIT_LINE.match(s) and int(s) > 0:
            digit_lines.append((i, int(s)))
        c.drop(i, reason)
    return digit_lines


def _cut_metadata_tail(c: _Cleaning, i: int) -> bool:
    """ "——记人民公仆焦裕禄 作者:杨宗海 发布时间:…": keep what precedes the metadata."""
    s = c.scur[i]
    m = META_TAIL.search(s) or STAMP_TAIL.search(s)
    head = s[: m.start()].strip() if m else ""
    if (
        head
        and len(c.cur[i]) == len(s)
        and not DATETIME.search(head)
        and han_count(head) >= 4
        and chrome_reason(head) is None  # "编辑:张勇 作者: 发布时间:…": the head is a field too
    ):
        c.out.removed.append((i, c.cur[i][m.start() :], "article metadata"))
        c.report.count("metadata cut from a line")
        c.cur[i], c.scur[i] = strip_line(c.cur[i][: m.start()]), head
        return True
    return False


def _cut_inline_marks(c: _Cleaning) -> None:
    cur, scur, out = c.cur, c.scur, c.out
    watermarks = WATERMARK_HINT.search(c.stext) is not None
    pages = "页" in c.stext
    for i in range(c.n):
        if not c.keep[i]:
            continue
        s = scur[i]
        spans = [m.span() for m in WATERMARK.finditer(s)] if watermarks else None
        if spans:
            cur[i] = strip_line(edit_at_spans(cur[i], s, spans))
            scur[i] = strip_line(edit_at_spans(s, s, spans))
            c.report.count("watermark removed", len(spans))
        if pages and len(s) <= 100:
            m = PAGINATION.search(scur[i])
            if m:
                page = (int(m.group("n") or m.group("n2")), int(m.group("t") or m.group("t2")))
                if 0 < page[0] <= page[1]:
                    out.page = out.page or page
                cur[i] = strip_line(edit_at_spans(cur[i], scur[i], [m.span()]))
                scur[i] = strip_line(scur[i][: m.start()] + scur[i][m.end() :])
                c.report.count("page counter removed")
        m = TRAILING_BAR.search(cur[i])
        if m and len(cur[i]) == len(scur[i]):
            cur[i], scur[i] = cur[i][: m.start()], scur[i][: m.start()]
            c.report.count("table bar removed")
        if not cur[i]:
            c.drop(i, "counter")


# "…致富增收。 |": a table cell's bar left after a paragraph's last sentence
TRAILING_BAR = re.compile(r"(?<=[。！？!?”」』）)])\s+[|｜]\s*$")


def _drop_site_names(c: _Cleaning) -> None:
    """Lines equal to the site's own name (learned from 来源: lines)."""
    if c.out.sites:
        for i in range(c.n):
            if c.keep[i] and c.scur[i] in c.out.sites:
                c.drop(i, "site name")


def _mine_keyword_lines(c: _Cleaning) -> None:
    """Keyword lines in the text feed themes (they stay in the text); they have a colon."""
    if ":" in c.stext or "：" in c.stext:
        for i in range(c.n):
            if c.keep[i] and len(c.scur[i]) <= 80:
                mine_keywords(c.scur[i], c.out)


def _mark_separated_and_numbered(c: _Cleaning, digit_lines: list[tuple[int, int]]) -> None:
    """The line after a separator may begin a piece; a bare number right above a line numbers
    that line (an essay number in compilations)."""
    n, keep = c.n, c.keep
    for i, _t, why in c.out.removed:
        if why == "separator":
            after = next((j for j in range(i + 1, n) if keep[j]), None)
            if after is not None:
                c.out.separated.add(after)
    for i, value in digit_lines:
        nxt = next((j for j in range(i + 1, min(n, i + 4)) if keep[j]), None)
        if nxt is not None:
            c.out.numbered[nxt] = value


def _paragraphs(c: _Cleaning, hints: dict[int, str], wrapped_widths: list[int] | None) -> list[Line]:
    """The kept lines joined into paragraphs where hard wraps broke them."""
    n, cur, keep, before, scur = c.n, c.cur, c.keep, c.before, c.scur
    breaks = page_breaks(keep, cur, c.out.removed)
    rest = [i for i in range(n) if i not in breaks] if breaks else range(n)
    known = [wrapped_widths[i] for i in rest] if wrapped_widths and len(wrapped_widths) == n else None
    groups = [
        (rest[a], rest[b]) for a, b in unwrap([cur[i] if keep[i] else "" for i in rest], c.report, known)
    ]
    lines: list[Line] = []
    for start, end in groups:
        if start == end:  # most paragraphs are one source line
            if keep[start] and cur[start]:
                lines.append(Line(cur[start], start, start, hints.get(start), before[start], scur[start]))
            continue
        parts = [cur[i] for i in range(start, end + 1) if keep[i]]
        textline = "".join(parts)
        if not textline:
            continue
        hint = next((hints[i] for i in range(start, end + 1) if i in hints), None)
        rawline = "".join(before[i] for i in range(start, end + 1) if keep[i])
        simpline = "".join(scur[i] for i in range(start, end + 1) if keep[i])
        lines.append(Line(text=textline, start=start, end=end, hint=hint, raw=rawline, simp=simpline))
    return lines
