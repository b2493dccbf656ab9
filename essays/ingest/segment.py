"""Structure: the collection (title, counters, date, intro) and its essays.

Works on the cleaned lines (one paragraph each). The steps:

1. classify every line: essay marker (篇1 / 【篇一】 / 第一篇), section heading (一、 (一) 1、
   第一, 其一 篇章一: ●…● 一看: 引言:), byline, subtitle (——…), title-like, body;
2. the head line is the page title; a table of contents (目录) names the essay titles;
3. essay boundaries: markers; titles followed by a byline; in compilations (汇编7篇, (实用15篇),
   征文 intros, 小编 prefaces, several bylines) every title that heads a body; in untitled 范文
   compilations, numbering restarts and essay openings (关键词: / 今天,…召开 / 现将…总结如下);
4. the text before the first essay is the collection intro, a fragment continued from an
   earlier page, or an untitled essay;
5. bylines (opening, or a closing 作者: bio), subtitles, generated titles, truncation.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .boundaries import numbered_titles, split_at_bylines, split_untitled
from .bylines import BYLINE_DASH, Byline, labelled_byline, signature
from .cleaned import Cleaned, Line
from .essay_parts import finish_essay
from .headers import PageLines, find_bylines
from .line_kinds import HEADING, NUM, PAREN_LINE, classify, title_like, undecorated
from .model import CollectionDraft, Report
from .names import is_name
from .prose import cn_number, is_prose
from .script import to_simplified
from .structure import Essay, Structure
from .toc import toc

LEAD_COUNTER = re.compile(
    r"^(?:[(（【]?(?:篇|第)?(?P<n>[一二三四五六七八九十\d]{1,3})篇?[)）】]?\s*[、.．:：]\s*)"
)
STRICT_GENRE = re.compile(r"心得|体会|感悟|感想|读后感|观后感|总结|发言|有感")
MULTI_WORDS = re.compile(
    r"汇编|合集|精选|范文|大全|汇总|集锦|选编|收集|汇聚|例文|摘编|选登|辑录|\d+\s*[篇则]|[一二两三四五六七八九十]+[篇则]"
)
DESCRIPTION_CUES = re.compile(
    r"征文|专栏|本期|编者按|编者|选登|刊发|刊登|以飨读者|与大家分享|分享共勉|一起来看|下面是|以下是|"
    r"汇聚于|汇编|收录|整理了|现选|现将部分|选取部分|筛选部分"
)
CONNECTIVE = re.compile(
    r"^(?:总之|综上|总而言之|因此|所以|由此|可见|此外|另外|同时|最后|其次|再次|然而|但是|而且|并且|于是|从而|进而)"
)
# an essay's opening: at the start of a line (OPENERS_START) or anywhere in it (OPENERS_ANY)


_GLUED_NUMBER = re.compile(rf"\s*(?:篇\s*)?(?:\d{{1,2}}|[{NUM}]{{1,3}})(?![\d{NUM}])")


def _split_glued_markers(lines: list[Line], report: Report) -> list[Line]:
    """ "散文读后感1从古至今……": the page title + a number glued to the essay's first line."""
    if not lines:
        return lines
    title = lines[0].text
    if not any(line.text.startswith(title) for line in lines[1:]):  # nothing glued to the title
        return list(lines)
    if not title_like(to_simplified(title), head=True):
        return lines
    out = [lines[0]]
    for line in lines[1:]:
        m = _GLUED_NUMBER.match(line.text, len(title)) if line.text.startswith(title) else None
        if m and len(line.text) - m.end() >= 10:
            out.append(Line(line.text[: m.end()], line.start, line.end, "essay", line.raw[: m.end()]))
            rest = line.text[m.end() :].lstrip(" :：、.．")
            out.append(Line(rest, line.start, line.end, None, rest, to_simplified(rest)))
            report.count("glued essay number split")
        else:
            out.append(line)
    return out


@dataclass
class _Segmenting:
    """What the steps of segment() find, each step reading what the ones before it found."""

    page: PageLines
    cleaned: Cleaned
    report: Report
    collection: CollectionDraft
    head: int | None = None  # the page title's line
    head_counter: bool = False  # the page title carries a counter: "…(2/3)", "…10篇"
    toc_titles: set[str] = field(default_factory=set)
    toc_lines: set[int] = field(default_factory=set)  # lines that are no essay's text
    numbered_titles: set[int] = field(default_factory=set)
    collection_like: bool = False
    markers: list[int] = field(default_factory=list)
    cands: list[int] = field(default_factory=list)  # title-like lines that head a body
    strong: set[int] = field(default_factory=set)  # candidates sure to open an essay
    signed: set[int] = field(default_factory=set)  # candidates with a byline under them
    multi: bool = False  # the page holds several essays
    starts: list[int] = field(default_factory=list)
    untitled: bool = False


def segment(lines: list[Line], cleaned: Cleaned, report: Report) -> Structure:
    lines = _split_glued_markers(lines, report)
    # the Simplified form clean made (punctuation widths may differ: the patterns take both)
    simp_all = [
        line.simp or (line.text if cleaned.simplified else to_simplified(line.text)) for line in lines
    ]
    page = PageLines(lines, [line.text for line in lines], classify(lines, simp_all))
    collection = CollectionDraft(declared_essay_count=cleaned.declared, page=cleaned.page, date=cleaned.date)
    s = _Segmenting(page, cleaned, report, collection)

    s.head = _head_line(page, cleaned)
    s.head_counter = _name_collection(s)
    s.toc_titles, s.toc_lines = toc(page.feats)
    report.count("table of contents line removed", len(s.toc_lines))
    page.byline_at = find_bylines(page, s.toc_lines)
    _word_headings(page, s.toc_titles)
    by_start = {line.start: i for i, line in enumerate(lines)}
    _numbered_markers(page, cleaned, by_start, report)
    _numbered_essay_titles(s)
    _candidates(s)
    _choose_starts(s)
    _drop_repeated_head(s)
    s.untitled = s.multi and not s.markers and len(s.starts) <= 1
    if s.untitled:
        report.count("untitled compilation")

    essays, above = _lead_essays(s)
    essays.extend(_essays_at_starts(s))
    if s.untitled:
        essays = _split_untitled_runs(s, essays, by_start)
    essays = [piece for e in essays for piece in split_at_bylines(e, page, report)]

    # ---- per essay: header (subtitle, byline), body, closing bio ----
    for e in essays:
        finish_essay(e, page, report)
    if above is not None and essays and not (essays[0].author or essays[0].organization):
        essays[0].author, essays[0].organization = above.author, above.organization
    essays = _tidy(essays, s)
    return Structure(collection=collection, essays=essays, lines=lines, simplified=simp_all)


def _head_line(page: PageLines, cleaned: Cleaned) -> int | None:
    """The page title: a first line that reads as a title, not as a byline or an essay marker."""
    lines, texts, feats = page.lines, page.texts, page.feats
    if not (page.n and cleaned.front_title is None):
        return None
    f0 = feats[0]
    if (
        f0.kind != "marker"
        and (title_like(f0.simp, head=True) or lines[0].hint == "title")
        and lines[0].hint != "byline"  # the line-role model reads it as a byline
        and not labelled_byline(texts[0], f0.simp)  # "文/王明（县一中）"
        and not signature(texts[0], f0.simp)  # "县财政局 王明"
    ):
        rest = HEADING.sub("", f0.simp, count=1)
        numbered_title = (
            STRICT_GENRE.search(rest) and not re.search(r"[，,、]", rest) and not cleaned.preface_topic
        )
        if lines[0].hint == "heading" and not HEADING.match(f0.simp):
            f0.kind = "body"  # a Word heading styled as the first line titles the document
        if f0.kind != "heading" or numbered_title:  # "3、小学教师两学一做学习心得"
            return 0
    return None


def _name_collection(s: _Segmenting) -> bool:
    """The collection's title; whether the page title carries a counter."""
    cleaned, collection, page = s.cleaned, s.collection, s.page
    if cleaned.front_title:
        collection.title = cleaned.front_title
    elif s.head is not None:
        collection.title = undecorated(page.texts[0])  # "## 读书报告", "| 本会"
        raw = page.lines[0].raw
        if unicodedata.normalize("NFKC", raw) != unicodedata.normalize("NFKC", collection.title):
            collection.title_raw = raw
        if page.feats[0].kind == "heading":  # "3、小学教师两学一做学习心得": an essay, not the collection
            collection.title = cleaned.preface_topic
            collection.title_raw = None
    elif cleaned.preface_topic:
        collection.title = cleaned.preface_topic
    return bool(
        collection.title_raw
        and (cleaned.page or cleaned.declared or re.search(r"[)）]\s*$", collection.title_raw))
    )


def _word_headings(page: PageLines, toc_titles: set[str]) -> None:
    """A Word heading is an essay title where the table of contents lists it or a byline
    follows it; otherwise it is a section heading."""
    for i in range(page.n):
        if (
            page.lines[i].hint == "heading"
            and not HEADING.match(page.feats[i].simp)
            and ((toc_titles and page.key_at(i) in toc_titles) or page.header_end(i)[2] is not None)
        ):
            page.feats[i].kind = "body"


def _numbered_markers(page: PageLines, cleaned: Cleaned, by_start: dict[int, int], report: Report) -> None:
    """A bare "1", "2" above a title (removed as chrome by clean) numbers the essays."""
    feats = page.feats
    numbered = sorted((by_start[s], v) for s, v in cleaned.numbered.items() if s in by_start)
    values = [v for _i, v in numbered]
    if numbered and values == list(range(values[0], values[0] + len(values))):
        for i, _v in numbered:
            if feats[i].kind == "body" and page.title_at(i) and page.heads_body(i):
                feats[i].kind, feats[i].marker_title = "marker", page.texts[i]
                report.count("numbered essay title")


def _numbered_essay_titles(s: _Segmenting) -> None:
    """Numbered essay titles: "1.读书让我更坚定" above its own "一、" sections."""
    cleaned, collection = s.cleaned, s.collection
    s.collection_like = bool(
        (cleaned.declared and cleaned.declared > 1)
        or (collection.title and MULTI_WORDS.search(to_simplified(collection.title_raw or collection.title)))
        or cleaned.preface_topic
    )
    if s.collection_like:
        s.numbered_titles = numbered_titles(s.page.feats, s.toc_lines, cleaned.declared)
    for i in s.numbered_titles:
        s.page.feats[i].kind = "body"
    if s.numbered_titles:
        s.report.count("numbered essay titles", len(s.numbered_titles))


def _candidates(s: _Segmenting) -> None:
    """Candidate essay starts: markers, and title-like lines that head a body of text."""
    page, feats, texts = s.page, s.page.feats, s.page.texts
    s.markers = [i for i in range(page.n) if feats[i].kind == "marker" and i not in s.toc_lines]
    s.strong = set(s.numbered_titles)
    for i in range(page.n):
        if i == s.head or i in s.toc_lines or i in page.byline_at or feats[i].kind != "body":
            continue
        if i not in s.numbered_titles and signature(texts[i], feats[i].simp):
            continue  # "县教育局 李红" signs the essay above; no title reads like that
        if not (page.title_at(i) or page.lines[i].hint == "title" or i in s.numbered_titles):
            continue
        if BYLINE_DASH.match(feats[i].simp) or PAREN_LINE.match(feats[i].simp):
            continue  # "——读《…》有感", "（在…会上的发言）": subtitles, never titles
        if not page.heads_body(i):
            continue
        s.cands.append(i)
        _j, _sub, by = page.header_end(i)
        if (
            by is not None
            or page.lines[i].hint == "title"
            or (s.toc_titles and page.key_at(i) in s.toc_titles)
        ):
            s.strong.add(i)


def _choose_starts(s: _Segmenting) -> None:
    """Whether the page holds several essays, and the lines that open them."""
    page, feats = s.page, s.page.feats
    s.multi = s.collection_like or bool(s.markers) or len(page.byline_at) >= 2 or len(s.strong) >= 2
    lead_end = min([*s.markers, *s.cands, page.n])
    lead = [i for i in range((s.head + 1) if s.head is not None else 0, lead_end) if i not in s.toc_lines]
    if not s.multi and any(DESCRIPTION_CUES.search(feats[i].simp) for i in lead if is_prose(feats[i].simp)):
        s.multi = True

    s.signed = {i for i in s.cands if page.header_end(i)[2] is not None}
    head_key = page.key_at(s.head) if s.head is not None else None
    repeats_head = {i for i in s.cands if head_key and page.key_at(i) == head_key}
    if s.markers:
        s.starts = sorted(set(s.markers) | s.strong)
    elif s.numbered_titles:
        s.starts = sorted(s.numbered_titles)
    elif s.multi and s.signed:
        # the essays here are signed: an unsigned title-like line is a section heading,
        # unless it repeats the page title (the page's own article)
        s.starts = sorted(s.signed | s.strong | repeats_head)
    elif s.multi:
        s.starts = sorted(set(s.cands) | s.strong)
    else:
        s.starts = sorted(s.strong)


def _drop_repeated_head(s: _Segmenting) -> None:
    """The page title repeated further down (not as an essay's own title) is a banner."""
    page = s.page
    head_key = page.key_at(s.head) if s.head is not None else None
    if not head_key:
        return
    # a line ending in 。 has a key ending in 。 (title_key drops numbering and other punctuation)
    full_stop = head_key.endswith("。")
    for i in range(page.n):
        if i == s.head or (page.feats[i].simp.endswith("。") and not full_stop) or page.key_at(i) != head_key:
            continue
        if i not in s.starts:
            s.toc_lines.add(i)
            s.report.count("repeated page title removed")


def _lead_essays(s: _Segmenting) -> tuple[list[Essay], Byline | None]:
    """The text between the head and the first essay, and a byline standing over the first
    essay's title ("政治部 王明" above it)."""
    byline_at = s.page.byline_at
    first = s.starts[0] if s.starts else s.page.n
    lead = [i for i in range((s.head + 1) if s.head is not None else 0, first) if i not in s.toc_lines]
    above: Byline | None = None
    for k, i in enumerate(lead):
        if (
            s.starts
            and i in byline_at
            and i + byline_at[i].lines == first
            and lead[k:] == list(range(i, first))
        ):
            above, lead = byline_at[i], lead[:k]
            s.report.count("byline above the title")
            break
    if not lead:
        return [], above
    signed_column = bool(s.starts) and s.starts[0] in s.signed
    return _lead(s, lead, signed_column), above


def _lead(s: _Segmenting, lead: list[int], signed_column: bool) -> list[Essay]:
    """The text between the page title and the first essay title.

    It is a fragment continued from an earlier page (page 2/2, or it opens with 总之/因此…),
    the collection's intro (征文/专栏/以下是… and followed by essays; or an unsigned paragraph
    above signed essays), the body of the page title's own essay, or an untitled essay.
    """
    cleaned, texts, starts = s.cleaned, s.page.texts, s.starts
    lead_text = [s.page.feats[i].simp for i in lead]
    e = Essay(lines=list(lead))
    if (cleaned.page and cleaned.page[0] > 1) or CONNECTIVE.match(lead_text[0]):
        e.is_fragment = True
        e.warnings.append("continues an essay from an earlier page")
        s.report.count("leading fragment")
        return [e]
    if (
        starts
        and len(lead) <= 3
        and (
            any(DESCRIPTION_CUES.search(t) for t in lead_text)
            or (signed_column and s.multi and len(lead) <= 2)
        )
    ):
        s.collection.description = "\n".join(texts[i] for i in lead)
        s.report.count("collection intro")
        return []
    if s.head is not None and not s.head_counter and not (starts and s.multi):
        e.title = texts[s.head]
        e.lines = [s.head, *lead]
    elif cleaned.front_title and not starts:
        e.title = cleaned.front_title
    return [e]


def _essays_at_starts(s: _Segmenting) -> list[Essay]:
    """An essay from each start to the next, titled by its start line."""
    feats, texts, n = s.page.feats, s.page.texts, s.page.n
    essays = []
    for k, start in enumerate(s.starts):
        end = s.starts[k + 1] if k + 1 < len(s.starts) else n
        e = Essay(lines=[i for i in range(start, end) if i not in s.toc_lines])
        f = feats[start]
        if f.kind == "marker":
            e.title = texts[start] if f.marker_title else None
            if not f.marker_title:
                # a bare "范文一" / "篇二" numbers the essay: it is not its text
                s.report.count("essay number line")
                e.lines = e.lines[1:]
                if start + 1 < end and s.page.title_at(start + 1):
                    e.title = texts[start + 1]
        else:
            # a collection's running number is its order, kept by the essay's position
            e.title = (
                HEADING.sub("", texts[start], count=1).strip() if start in s.numbered_titles else texts[start]
            )
        essays.append(e)
    return essays


def _split_untitled_runs(s: _Segmenting, essays: list[Essay], by_start: dict[int, int]) -> list[Essay]:
    """Untitled compilations: split where numbering restarts and where an essay opens."""
    separated = {by_start[start] for start in s.cleaned.separated if start in by_start}
    split: list[Essay] = []
    for e in essays:
        pieces = split_untitled(e, s.page.feats, s.report, separated)
        if len(pieces) > 1 and s.collection.title and pieces[0].title == s.collection.title:
            # the page's title names all the pieces, not the first
            pieces[0].title = None
            pieces[0].lines = [i for i in pieces[0].lines if i != s.head]
        split.extend(pieces)
    return split


def _tidy(essays: list[Essay], s: _Segmenting) -> list[Essay]:
    """Drop empty essays, undecorate titles; the preface describes the collection."""
    essays = [e for e in essays if e.body or e.title]
    for e in essays:
        if e.title and not e.title_generated:
            e.title = undecorated(e.title)
    if s.cleaned.preface and not s.collection.description:
        s.collection.description = "\n".join(s.cleaned.preface)
    # a page of one titled essay is titled by it (the title less its number: "1、", "篇一："), unless
    # its number says the page holds a later essay of a compilation ("3、…")
    only = essays[0] if len(essays) == 1 else None
    if only and s.collection.title is None and only.title and not only.title_generated:
        m = LEAD_COUNTER.match(only.title)
        if m is None or cn_number(m.group("n")) == 1:
            s.collection.title = LEAD_COUNTER.sub("", only.title) or only.title
            s.report.count("collection titled by its one essay")
    # "作者:杨宗海" in the article's metadata line signs a single article
    if len(essays) == 1 and not essays[0].author:
        names = [a for a in s.cleaned.meta_authors if is_name(to_simplified(a))]
        if names:
            essays[0].author = names[0]
            s.report.count("byline from metadata")
    return essays
