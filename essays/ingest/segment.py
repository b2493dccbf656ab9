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

from .bylines import (
    ADVISER,
    BYLINE_DASH,
    Byline,
    is_name,
    labelled_byline,
    org_name,
    parse_author_note,
    parse_bio,
    parse_byline,
    read_byline,
    signature,
    unit_alone,
    unit_of,
)
from .clean import DATE_LINE, HAN, Cleaned, Line, cn_number, ends_terminal, han_count, is_prose, is_sentence
from .model import CollectionDraft, Report
from .script import to_simplified
from .titles import clause_title

NUM = "一二三四五六七八九十两"
_N = rf"[{NUM}\d]{{1,3}}"

# ---------------------------------------------------------------------------------------------
# Line patterns (matched on Simplified text)
# ---------------------------------------------------------------------------------------------

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
OPENERS_START = re.compile(
    r"(?:关键词|关键字|摘要|内容摘要|内容提要)\s*[:：]|"
    r"(?:尊敬的|各位领导|各位同志|各位同事|各位老师|同志们|亲爱的).{0,30}[:：]\s*$|"
    r"今天[，,].{0,40}(?:召开|举行|举办|在这里)|"
    r"(?:不知不觉|转眼|时光飞逝|光阴似箭|岁月如梭|时光荏苒|时间过得真快)"
)
OPENERS_ANY = re.compile(
    r"(?:现将|现就|下面将|下面就|下面我就|下面我).{0,30}(?:总结|汇报|报告)(?:如下|一下)|总结如下"
)
TITLE_SPLIT_GENRE = re.compile(rf"^(?P<label>[{HAN}]{{4,16}}?(?:心得|体会|感悟|感想))(?P<t>[{HAN}]{{8,30}})$")
NOT_TITLE_AFTER_GENRE = re.compile(
    r"^(?:体会|感悟|感想|范文|汇编|合集|精选|大全|交流|分享|汇报|报告|座谈|研讨|发言|材料|的|之|与|和|及|是|在)|篇"
)

# what a page puts before a title: a Markdown heading's hashes, a separator bar
TITLE_DECORATION = re.compile(r"^(?:#{1,6}\s+|[|｜]\s*)")
PAREN_LINE = re.compile(r"^[（(][^()（）]{2,40}[)）]$")
SALUTATION = re.compile(r"各位|尊敬的|亲爱的|同志们|同事们|朋友们|同学们|老师们|代表们|同仁们|大家")

# ---------------------------------------------------------------------------------------------
# Line features
# ---------------------------------------------------------------------------------------------


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
_ANY_PUNCT = re.compile(r"[，,。！？!?；;]")


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


# ---------------------------------------------------------------------------------------------


@dataclass
class Essay:
    lines: list[int] = field(default_factory=list)  # indices into the line list (header + body)
    body: list[int] = field(default_factory=list)
    title: str | None = None
    title_generated: bool = False
    subtitle: str | None = None
    author: str | None = None
    organization: str | None = None
    is_fragment: bool = False
    warnings: list[str] = field(default_factory=list)


@dataclass
class Structure:
    collection: CollectionDraft
    essays: list[Essay]
    lines: list[Line]  # the lines the essays index into
    simplified: list[str]  # the same lines in Simplified script


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


def segment(lines: list[Line], cleaned: Cleaned, report: Report) -> Structure:
    lines = _split_glued_markers(lines, report)
    texts = [line.text for line in lines]
    # the Simplified form clean made (punctuation widths may differ: the patterns take both)
    simp_all = [
        line.simp or (line.text if cleaned.simplified else to_simplified(line.text)) for line in lines
    ]
    feats = [Feat(t, s) for t, s in zip(texts, simp_all, strict=True)]
    n = len(feats)

    # title_like and _key of a line are asked for several times: compute each once
    titleish: dict[int, bool] = {}
    keys: dict[int, str] = {}

    def title_at(i: int) -> bool:
        t = titleish.get(i)
        if t is None:
            t = titleish[i] = title_like(feats[i].simp)
        return t

    def key_at(i: int) -> str:
        k = keys.get(i)
        if k is None:
            k = keys[i] = _key(feats[i].simp)
        return k

    for f, line in zip(feats, lines, strict=True):
        mk = _marker(f.simp) or ((0, f.text) if line.hint == "essay" else None)
        if mk:
            f.kind, f.marker_title = "marker", mk[1]
        elif HEADING.match(f.simp) or SECTION_LABEL.match(f.simp) or line.hint == "heading":
            f.kind = "heading"
        f.family = _family(f.simp)

    collection = CollectionDraft(declared_essay_count=cleaned.declared, page=cleaned.page, date=cleaned.date)

    # ---- head line: the page title ----
    head: int | None = None
    if n and cleaned.front_title is None:
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
                head = 0
    if cleaned.front_title:
        collection.title = cleaned.front_title
    elif head is not None:
        collection.title = texts[0]
        if unicodedata.normalize("NFKC", lines[0].raw) != unicodedata.normalize("NFKC", texts[0]):
            collection.title_raw = lines[0].raw
        if feats[0].kind == "heading":  # "3、小学教师两学一做学习心得": an essay, not the collection
            collection.title = cleaned.preface_topic
            collection.title_raw = None
    elif cleaned.preface_topic:
        collection.title = cleaned.preface_topic
    head_counter = bool(
        collection.title_raw
        and (cleaned.page or cleaned.declared or re.search(r"[)）]\s*$", collection.title_raw))
    )

    # ---- table of contents ----
    toc_titles, toc_lines = _toc(feats)
    report.count("table of contents line removed", len(toc_lines))

    # ---- bylines following title-like lines ----
    byline_at: dict[int, Byline] = {}
    for i in range(n):
        if i in toc_lines or len(feats[i].simp) > 40:  # parse_byline takes no longer line
            continue
        prev_title = i > 0 and (
            (title_like(feats[0].simp, head=True) if i == 1 else title_at(i - 1))
            or feats[i - 1].kind == "marker"
        )
        hinted = lines[i].hint == "byline"  # the line-role model reads it as one
        b = parse_byline(texts[i], feats[i].simp, bare=prev_title or hinted)
        if b is None and i == 0 and signature(texts[0], feats[0].simp):
            b = parse_byline(texts[0], feats[0].simp, bare=True)  # the page opens with who signs it
        if hinted and (b is None or not (b.author or b.organization)):
            b = read_byline(texts[i], feats[i].simp) or b
        if b is None and prev_title and unit_alone(feats[i].simp):
            b = Byline(None, unit_of(texts[i], feats[i].simp))  # "县财政局" over "王明"
        if b is not None:
            following = feats[i + 1].simp if i + 1 < n else ""
            if b.author is None and is_name(following.replace(" ", "")):
                b = Byline(texts[i + 1].replace(" ", ""), b.organization, lines=2)
            elif b.author and not b.organization and following:
                # "王明" over "县财政局", "作者：王明" over "单位：县财政局"
                unit = parse_byline(texts[i + 1], following)
                if unit is not None and unit.organization and not unit.author:
                    b = Byline(b.author, unit.organization, lines=2)
                elif unit_alone(following):
                    b = Byline(b.author, unit_of(texts[i + 1], following), lines=2)
            if b.author or b.organization:
                byline_at[i] = b

    def header_end(i: int) -> tuple[int, str | None, Byline | None]:
        """After a title at i: skip a subtitle and a byline; return (first body index, subtitle, byline)."""
        j = i + 1
        subtitle = None
        byline = None
        if j < n and j not in byline_at and len(feats[j].simp) <= 40:
            # "——在…座谈会上的发言" or "（在…座谈会上的发言）" under the title
            if BYLINE_DASH.match(feats[j].simp) or (
                PAREN_LINE.match(feats[j].simp) and not DATE_LINE.match(feats[j].simp)
            ):
                subtitle = texts[j]
                j += 1
        if j < n and j in byline_at:
            byline = byline_at[j]
            j += byline.lines
        if j + 1 < n and DATE_LINE.match(feats[j].simp):  # the date it was written
            j += 1
        return j, subtitle, byline

    # a Word heading is an essay title where the table of contents lists it or a byline
    # follows it; otherwise it is a section heading
    for i in range(n):
        if (
            lines[i].hint == "heading"
            and not HEADING.match(feats[i].simp)
            and ((toc_titles and key_at(i) in toc_titles) or header_end(i)[2] is not None)
        ):
            feats[i].kind = "body"

    def heads_body(i: int) -> bool:
        j, _sub, _by = header_end(i)
        if j >= n:
            return False
        f = feats[j]
        if f.kind in ("heading", "marker") or is_prose(f.simp):
            return True
        if f.simp.endswith(("：", ":")) and len(f.simp) <= 30 and SALUTATION.search(f.simp):
            return True  # a speech opens: "各位领导、同事们："
        return bool(_ANY_PUNCT.search(f.simp)) and not title_at(j)

    # ---- a bare "1", "2" above a title (removed as chrome by clean) numbers the essays ----
    by_start = {line.start: i for i, line in enumerate(lines)}
    numbered = sorted((by_start[s], v) for s, v in cleaned.numbered.items() if s in by_start)
    values = [v for _i, v in numbered]
    if numbered and values == list(range(values[0], values[0] + len(values))):
        for i, _v in numbered:
            if feats[i].kind == "body" and title_at(i) and heads_body(i):
                feats[i].kind, feats[i].marker_title = "marker", texts[i]
                report.count("numbered essay title")

    # ---- numbered essay titles: "1.读书让我更坚定" above its own "一、" sections ----
    collection_like = bool(
        (cleaned.declared and cleaned.declared > 1)
        or (collection.title and MULTI_WORDS.search(to_simplified(collection.title_raw or collection.title)))
        or cleaned.preface_topic
    )
    numbered_titles = _numbered_titles(feats, toc_lines, cleaned.declared) if collection_like else set()
    for i in numbered_titles:
        feats[i].kind = "body"
    if numbered_titles:
        report.count("numbered essay titles", len(numbered_titles))

    # ---- candidate essay starts ----
    markers = [i for i in range(n) if feats[i].kind == "marker" and i not in toc_lines]
    cands: list[int] = []
    strong: set[int] = set(numbered_titles)
    for i in range(n):
        if i == head or i in toc_lines or i in byline_at or feats[i].kind != "body":
            continue
        if i not in numbered_titles and signature(texts[i], feats[i].simp):
            continue  # "县教育局 李红" signs the essay above; no title reads like that
        if not (title_at(i) or lines[i].hint == "title" or i in numbered_titles):
            continue
        if BYLINE_DASH.match(feats[i].simp) or PAREN_LINE.match(feats[i].simp):
            continue  # "——读《…》有感", "（在…会上的发言）": subtitles, never titles
        if not heads_body(i):
            continue
        cands.append(i)
        _j, _sub, by = header_end(i)
        if by is not None or lines[i].hint == "title" or (toc_titles and key_at(i) in toc_titles):
            strong.add(i)

    n_bylines = len({i for i in byline_at})
    multi = collection_like or bool(markers) or n_bylines >= 2 or len(strong) >= 2
    lead_end = min([*markers, *cands, n])
    lead = [i for i in range((head + 1) if head is not None else 0, lead_end) if i not in toc_lines]
    if not multi and any(DESCRIPTION_CUES.search(feats[i].simp) for i in lead if is_prose(feats[i].simp)):
        multi = True

    signed = {i for i in cands if header_end(i)[2] is not None}
    head_key = key_at(head) if head is not None else None
    repeats_head = {i for i in cands if head_key and key_at(i) == head_key}
    if markers:
        starts = sorted(set(markers) | strong)
    elif numbered_titles:
        starts = sorted(numbered_titles)
    elif multi and signed:
        # the essays here are signed: an unsigned title-like line is a section heading,
        # unless it repeats the page title (the page's own article)
        starts = sorted(signed | strong | repeats_head)
    elif multi:
        starts = sorted(set(cands) | strong)
    else:
        starts = sorted(strong)
    # the page title repeated further down (not as an essay's own title) is a banner
    if head_key:
        # a line ending in 。 has a key ending in 。 (_key drops numbering and other punctuation)
        full_stop = head_key.endswith("。")
        for i in range(n):
            if i == head or (feats[i].simp.endswith("。") and not full_stop) or key_at(i) != head_key:
                continue
            if i not in starts:
                toc_lines.add(i)
                report.count("repeated page title removed")
    untitled = multi and not markers and len(starts) <= 1
    if untitled:
        report.count("untitled compilation")

    # ---- the lead: text between the head and the first essay ----
    first = starts[0] if starts else n
    lead = [i for i in range((head + 1) if head is not None else 0, first) if i not in toc_lines]
    essays: list[Essay] = []
    above: Byline | None = None  # a byline over the first essay's title: "政治部 王明" above it
    for k, i in enumerate(lead):
        if (
            starts
            and i in byline_at
            and i + byline_at[i].lines == first
            and lead[k:] == list(range(i, first))
        ):
            above, lead = byline_at[i], lead[:k]
            report.count("byline above the title")
            break
    if lead:
        signed_column = bool(starts) and starts[0] in signed
        essays.extend(
            _lead(
                lead,
                head,
                starts,
                feats,
                texts,
                cleaned,
                collection,
                head_counter,
                multi,
                signed_column,
                report,
            )
        )

    for k, s in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else n
        e = Essay(lines=[i for i in range(s, end) if i not in toc_lines])
        f = feats[s]
        if f.kind == "marker":
            e.title = texts[s] if f.marker_title else None
            if not f.marker_title:
                # a bare "范文一" / "篇二" numbers the essay: it is not its text
                report.count("essay number line")
                e.lines = e.lines[1:]
                if s + 1 < end and title_at(s + 1):
                    e.title = texts[s + 1]
        else:
            # a collection's running number is its order, kept by the essay's position
            e.title = HEADING.sub("", texts[s], count=1).strip() if s in numbered_titles else texts[s]
        essays.append(e)

    # ---- untitled compilations: numbering restarts and openings ----
    if untitled:
        separated = {by_start[s] for s in cleaned.separated if s in by_start}
        split: list[Essay] = []
        for e in essays:
            pieces = _split_untitled(e, feats, report, separated)
            if len(pieces) > 1 and collection.title and pieces[0].title == collection.title:
                # the page's title names all the pieces, not the first
                pieces[0].title = None
                pieces[0].lines = [i for i in pieces[0].lines if i != head]
            split.extend(pieces)
        essays = split

    essays = [piece for e in essays for piece in _split_at_bylines(e, texts, feats, byline_at, report)]

    # ---- per essay: header (subtitle, byline), body, closing bio ----
    for e in essays:
        _finish(e, texts, feats, byline_at, header_end, report)
    if above is not None and essays and not (essays[0].author or essays[0].organization):
        essays[0].author, essays[0].organization = above.author, above.organization

    essays = [e for e in essays if e.body or e.title]
    for e in essays:
        if e.title and not e.title_generated:
            e.title = TITLE_DECORATION.sub("", e.title) or e.title
    if cleaned.preface and not collection.description:
        collection.description = "\n".join(cleaned.preface)
    # "作者:杨宗海" in the article's metadata line signs a single article
    if len(essays) == 1 and not essays[0].author:
        names = [a for a in cleaned.meta_authors if is_name(to_simplified(a))]
        if names:
            essays[0].author = names[0]
            report.count("byline from metadata")
    return Structure(collection=collection, essays=essays, lines=lines, simplified=simp_all)


def _numbered_titles(feats: list[Feat], skip: set[int], declared: int | None) -> set[int]:
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


def _split_at_bylines(e: Essay, texts, feats, byline_at: dict, report: Report) -> list[Essay]:
    """Untitled essays signed one after another: a byline standing between two paragraphs of
    text ends one essay and begins the next. The essay's own first byline says which way they
    sign: above their text (where it heads the essay, so each byline opens one) or under it."""
    idx = e.lines
    if len(idx) < 4:
        return [e]

    def signs(i: int) -> bool:
        b = byline_at.get(i) or parse_byline(texts[i], feats[i].simp, bare=True)
        if b is not None and b.author and b.lines == 1:
            byline_at.setdefault(i, b)  # for _finish, which reads an essay's bylines there
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


def _lead(
    lead, head, starts, feats, texts, cleaned, collection, head_counter, multi, signed_column, report
) -> list[Essay]:
    """The text between the page title and the first essay title.

    It is a fragment continued from an earlier page (page 2/2, or it opens with 总之/因此…),
    the collection's intro (征文/专栏/以下是… and followed by essays; or an unsigned paragraph
    above signed essays), the body of the page title's own essay, or an untitled essay.
    """
    lead_text = [feats[i].simp for i in lead]
    e = Essay(lines=list(lead))
    if (cleaned.page and cleaned.page[0] > 1) or CONNECTIVE.match(lead_text[0]):
        e.is_fragment = True
        e.warnings.append("continues an essay from an earlier page")
        report.count("leading fragment")
        return [e]
    if (
        starts
        and len(lead) <= 3
        and (
            any(DESCRIPTION_CUES.search(t) for t in lead_text) or (signed_column and multi and len(lead) <= 2)
        )
    ):
        collection.description = "\n".join(texts[i] for i in lead)
        report.count("collection intro")
        return []
    if head is not None and not head_counter and not (starts and multi):
        e.title = texts[head]
        e.lines = [head, *lead]
    elif cleaned.front_title and not starts:
        e.title = cleaned.front_title
    return [e]


_KEY_NUMBER = re.compile(
    rf"^(?:[{NUM}\d]+[、.．]|[（(][{NUM}\d]+[)）]|第[{NUM}\d]+[篇章节]|篇[{NUM}\d]+[:：]?)"
)
_KEY_PUNCT = re.compile(r"[\s\"“”'‘’《》:：,，.．…·_\-—]+")
_TOC_HEAD = re.compile(r"目\s*录[:：]?")


def _key(s: str) -> str:
    return _KEY_PUNCT.sub("", _KEY_NUMBER.sub("", s, count=1))


def header_lines(lines: list[Line]) -> set[int]:
    """Lines the rules read as structure rather than text: a table of contents, and a
    title-like line with a subtitle, byline or a sentence of text under it. The line-role model, which has seen few of
    them (11 subtitles in 378 documents), does not remove these."""
    simp = [line.simp or to_simplified(line.text) for line in lines]
    _titles, found = _toc([Feat(line.text, s) for line, s in zip(lines, simp, strict=True)])
    found = set(found)
    titled = [title_like(s, head=True) for s in simp]
    for i in range(len(lines) - 1):
        if titled[i] and is_sentence(lines[i + 1].text):
            found.add(i)  # a title over a paragraph of text
    for i in range(1, len(lines)):
        above = i - 1 in found or titled[i - 1]
        s = simp[i]
        if not above or len(s) > 40:
            continue
        if (
            BYLINE_DASH.match(s)
            or (PAREN_LINE.match(s) and not DATE_LINE.match(s))
            or unit_alone(s)
            or parse_byline(lines[i].text, s, bare=True) is not None
        ):
            found.update((i - 1, i))  # and the title above them
    return found


def _toc(feats: list[Feat]) -> tuple[set[str], set[int]]:
    """目录 followed by short entries that reappear later as lines: titles to anchor on."""
    n = len(feats)
    for i in range(min(n, 40)):
        if feats[i].simp.startswith("目") and _TOC_HEAD.fullmatch(feats[i].simp):
            entries, keys = [], {}
            j = i + 1
            while j < n and not is_prose(feats[j].simp) and len(feats[j].simp) <= 60:
                key = _key(re.sub(r"[.…·\s]*\d+$", "", feats[j].simp))
                if key in keys:  # the first title repeated: the table has ended
                    break
                keys[key] = j
                entries.append(j)
                j += 1
            later = {_key(feats[k].simp) for k in range(j, n)}
            hits = {k for k in keys if k and k in later}
            if len(hits) >= 2 and len(hits) >= len(keys) / 2:
                return hits, {i, *entries}
    return set(), set()


def _split_untitled(e: Essay, feats: list[Feat], report: Report, separated: set[int]) -> list[Essay]:
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


def _finish(e: Essay, texts, feats, byline_at, header_end, report: Report) -> None:
    if not e.lines:
        return
    idx = list(e.lines)
    if (
        e.title is not None
        and idx
        and e.title in (texts[idx[0]], HEADING.sub("", texts[idx[0]], count=1).strip())
    ):
        j, subtitle, byline = header_end(idx[0])
        consumed = [i for i in idx if i < j]
        idx = [i for i in idx if i >= j]
        if subtitle:
            e.subtitle = subtitle
        if byline:
            e.author, e.organization = byline.author, byline.organization
            report.count("byline")
        del consumed
        # "标题(姓名)" or "标题(单位 姓名)"
        m = re.match(r"^(?P<t>.{4,}?)\s*[（(](?P<c>[^()（）]{2,30})[)）]$", e.title)
        if m and not e.author:
            c = m.group("c")
            got = org_name(c, to_simplified(c))
            if got and got[0]:
                e.author, e.organization = got[0], e.organization or got[1]
                e.title = m.group("t")
                report.count("byline in title")
        # "标题 ——副标题" on one line
        m = re.match(r"^(?P<t>.+?)\s*(?P<s>——.+)$", e.title)
        if m and not e.subtitle:
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
    elif idx and idx[0] in byline_at and e.title is None:
        b = byline_at[idx[0]]
        e.author, e.organization = b.author, b.organization
        idx = idx[b.lines :]
        if len(idx) > 1 and title_like(feats[idx[0]].simp) and is_prose(feats[idx[1]].simp):
            e.title = texts[idx[0]]  # the byline above its title: "文/王明" over "我爱读书"
            idx = idx[1:]
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
        signed = None if note else parse_byline(texts[last], feats[last].simp, bare=True)
        if note or (signed and signed.author and signed.organization and last not in byline_at):
            e.author = e.author or (signed.author if signed else None)
            e.organization = e.organization or (note or signed.organization)
            idx = idx[:-1]
            report.count("closing signature")
    # closing bio or byline at the end
    if idx:
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
        if bio is not None:
            e.author = e.author or bio.author
            e.organization = e.organization or bio.organization
            idx = idx[:-lines]
            report.count("closing byline")
    e.body = idx
    if e.title is None and not e.is_fragment and idx:
        e.title = generated_title(texts[idx[0]])
        e.title_generated = bool(e.title)


def generated_title(text: str) -> str | None:
    """The first clause of the body, without list numbering, ending where a clause or a word
    ends (titles.clause_title)."""
    s = re.sub(
        rf"^(?:[{NUM}\d]+\s*[、.．是要]|[（(][{NUM}\d]+[)）]|第[{NUM}]+[，,、]|其[{NUM}]+[，,、]?)", "", text
    )
    s = re.sub(r"^(?:关键词|關鍵詞|关键字|摘要)\s*[:：]\s*", "", s).strip()
    return clause_title(s) or None
