"""Bylines: who wrote an essay, read from the line that says so.

A byline names a person and, often, the unit they work in, in many shapes: "—— 县财政局 王明",
"作者：王明 单位：县财政局", "文/陈美玲（台北市某某协会）", "县财政局：王明", a closing
"（本文作者为某某协会会员）" or "作者简介：王明，男，…". `read_byline` is the one entry point
for a line; the others serve it and the line features (essays.ingest.roles.features). Job
titles are left out of the unit; a person's name is checked against the surname list.

Works on a line as it appears (`orig`) and its Simplified form (`simp`), which have the same
length, so what is found in one is cut from the other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .names import (
    CLASS_ALONE,
    CLASS_CODE,
    COHORT_LEAD,
    JOB_END,
    ORG_END,
    STANDING,
    is_name,
    post_only,
    strip_job,
    unit_like,
    unit_of,
)
from .prose import HAN
from .script import to_simplified

BYLINE_DASH = re.compile(r"^(?:——|—|--|－－|―|—―)\s*(?:[Bb]y\s*)?(?P<c>.+)$")  # "——王明", "--By王明"
# who wrote it: the labels a byline puts before a name or a unit ("作  者：" spaced to width)
_AUTHOR_LABELS = (
    r"本文作者|文章作者|作者姓名|学生姓名|作\s*者|文\s*[、/／]\s*图|图\s*[、/／]\s*文|图文|文稿|撰稿人|撰写人|供稿人|文字|撰稿|撰文|供稿|执笔|讲述者|分享人|书籍推荐人|推荐人|"
    r"姓\s*名|发表学生|文"
)
BYLINE_LABEL = re.compile(
    rf"^(?:(?:{_AUTHOR_LABELS}|作者单位|单位|学校|投稿)\s*[:：/／|｜丨]|(?:作者|撰稿|执笔|撰文|文)\s+|[Bb]y\s+(?=[\u3400-\u9fff]))\s*(?P<c>.+)$"
)
# an author's label alone, however the line goes on: "文/", "作者：", "文、圖/", "文——"
_AUTHOR_LABEL = re.compile(rf"^(?:{_AUTHOR_LABELS})\s*(?:[:：/／|｜丨]|[—－―]{{1,2}})\s*")
# "作者：王明 单位：县财政局"
BYLINE_FIELDS = re.compile(
    r"^(?:作者|撰稿|撰文|执笔|文)\s*[:：/／]\s*(?P<a>[^\s:：]{2,4})\s+(?:单位|作者单位|工作单位)\s*[:：]\s*(?P<o>.{2,30})$"
)
# "◎王明", "县财政局 王明 2023年9月": what a byline may carry around it
# a participant named before what they say: "王明：", "学员王明：", "22501班王明："
SPEAKER_ROLE = r"(?:学员|学生|同学|队员|会员|党员|代表|志愿者|\d{3,6}班)"  # read by sublines.py too
_SPEAKER = re.compile(rf"{SPEAKER_ROLE}?(?P<n>[^\s:：]{{2,4}})\s*[:：]")
_BYLINE_TRIM = re.compile(
    r"^(?:(?:19|20)\d\d[.\-/]\d{1,2}[.\-/]\d{1,2}\s*(?=[◎※|｜]))?"  # a date before it: "2019-06-22◎王明"
    r"[◎□■●★☆◆▲▼◇○※▶►❖【\s]*(?P<core>.+?)\s*(?:[,，]?\s*[（(]?\s*(?:19|20)\d\d\s*(?:年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?|"
    r"[.\-/]\d{1,2}(?:[.\-/]\d{1,2})?)\s*[)）]?)?[】\s]*"
    r"(?:[（(]\d{4,}[)）]\s*)?$"  # a student's or staff number: "曹宗鼎(79484101)"
)
JOB_IN_LIST = re.compile(
    r"(?:书记|主任|局长|部长|处长|科长|院长|校长|委员|常委|主席|组长|队长|所长|站长|馆长|经理|秘书长|"
    r"镇长|乡长|县长|市长|区长|村长|社长|会长|行长|庭长)[、]"
)
BYLINE_PAREN = re.compile(
    r"^[（(](?:作者单位\s*[:：]|作者\s*[:：]|单位\s*[:：])?(?P<c>[^()（）]{2,40})[)）]$"
)
# "文/陈美玲（台北市某某协会）", "作者：张三（某某局）": a name and its unit in brackets, either way
NAME_AND_UNIT = re.compile(
    r"^(?P<a>[^()（）\[\]【】]{2,30}?)\s*[（(\[【]\s*(?:作者单位|单位)?\s*[:：]?\s*(?P<b>[^()（）\[\]【】]{2,30})$"
)
# "（本文作者为某某协会会员）" closing an essay
AUTHOR_NOTE = re.compile(
    r"^[（(]\s*(?:本文)?作者(?:系|为|是|现为|单位为|单位\s*[:：])\s*(?P<c>[^()（）]{2,40})[)）]$"
)
BIO = re.compile(r"^(?:作者|作者简介)\s*[:：]\s*(?P<name>[^,，\s]{2,6})\s*[,，]\s*(?P<rest>.+)$")
BIO_WORDS = re.compile(r"男|女|岁|生于|出生|籍贯|现任|系|汉族|毕业|退休|党员|人[,，]")


@dataclass(frozen=True)
class Byline:
    author: str | None
    organization: str | None
    lines: int = 1  # source lines used (a label line and a name line)


def org_name(orig: str, simp: str) -> tuple[str | None, str | None] | None:
    """(author, organization) from "组织 姓名", "组织姓名", "组织 职务", "姓名"; None if no sense."""
    o_tokens, s_tokens = orig.split(), simp.split()
    if len(o_tokens) != len(s_tokens):
        o_tokens = s_tokens
    # a two-character name spaced to the width of three: "王 明"
    if (
        len(s_tokens) >= 2
        and len(s_tokens[-1]) == len(s_tokens[-2]) == 1
        and is_name(s_tokens[-2] + s_tokens[-1])
    ):
        s_tokens = [*s_tokens[:-2], s_tokens[-2] + s_tokens[-1]]
        o_tokens = [*o_tokens[:-2], o_tokens[-2] + o_tokens[-1]]
    # the same glued to its unit: "某某班王 明"
    if (
        len(s_tokens) >= 2
        and len(s_tokens[-1]) == 1
        and len(s_tokens[-2]) >= 3
        and is_name(s_tokens[-2][-1] + s_tokens[-1])
        and ORG_END.search(strip_job(s_tokens[-2][:-1]))
    ):
        s_tokens = [*s_tokens[:-2], s_tokens[-2][:-1], s_tokens[-2][-1] + s_tokens[-1]]
        o_tokens = [*o_tokens[:-2], o_tokens[-2][:-1], o_tokens[-2][-1] + o_tokens[-1]]
    while len(s_tokens) >= 2 and STANDING.fullmatch(s_tokens[-1]):
        s_tokens, o_tokens = s_tokens[:-1], o_tokens[:-1]  # "… 王明 中共党员"
    author = org = None
    rest_o, rest_s = o_tokens, s_tokens
    if s_tokens and is_name(s_tokens[-1]) and (len(s_tokens) > 1 or len(s_tokens[-1]) <= 3):
        if len(s_tokens) > 1 or not ORG_END.search(s_tokens[-1]):
            author = o_tokens[-1]
            rest_o, rest_s = o_tokens[:-1], s_tokens[:-1]
    elif s_tokens:
        glued = _split_glued(o_tokens[-1], s_tokens[-1])
        if glued:
            author, org = glued
            rest_o, rest_s = o_tokens[:-1], s_tokens[:-1]
    parts = []
    for o, s in zip(rest_o, rest_s, strict=True):
        if JOB_END.search(s) and not ORG_END.search(strip_job(s)):
            continue  # a job title (员额法官)
        if parts and COHORT_LEAD.match(s):
            break  # the student's year and subject after the unit: "教育学院 2015级教育学专业"
        stripped = strip_job(s)
        parts.append(o[: len(stripped)] if len(o) == len(s) else o)
    if parts:
        org = "".join(parts) + (org or "") if org is None else "".join(parts) + org
    if org:
        s_org = to_simplified(org)
        if not unit_like(s_org):
            return None if author is None else (author, None)
        org = unit_of(org, s_org)
    if author is None and org is None:
        return None
    return author, org


def _split_glued(orig: str, simp: str) -> tuple[str, str] | None:
    """ "杏花嶺法院政治部張靜" -> (張靜, 杏花嶺法院政治部)."""
    for k in (3, 2, 4):
        if len(simp) <= k + 1:
            continue
        name, prefix = simp[-k:], simp[:-k]
        if not is_name(name):
            continue
        if unit_like(prefix):
            return orig[-k:], unit_of(orig[: len(prefix)], prefix)
    return None


# another credit after the author's, on the same line: "作者/王明；图/某某", "(作者|王明 编辑|李红)",
# or the page's links run into it: "作者：王明 上一篇 下一篇"
_PAGE_LINKS = r"上一篇|下一篇|上一页|下一页|返回列表|打印本页|关闭窗口|返回|打印|关闭|收藏|分享|顶部"
_OTHER_CREDIT = re.compile(
    r"(?<=[^\s:：/／|｜])(?<!文、)(?<!文和)(?:\s*[;；,，|｜(（]?\s*(?:图|摄影|摄|编辑|责编|责任编辑|校对|审核|审校|来源|插图|排版|美编|"
    r"指导老师|指导教师|辅导老师)"
    rf"\s*[:：/／|｜]|\s+(?:{_PAGE_LINKS})"
    r"(?:\s|$))"
)
_SENTENCE_END = re.compile(r"[。！？!?；;]")
_CLASS_NUMBER = re.compile(r"[（(][一二三四五六七八九十\d]{1,2}[)）](?=[班级])")
_BYLINE_BAD = re.compile(r"[,，《》“”\"]")
_BARE_BAD = re.compile(r"[,，:：、《》“”\"()（）!！?？]")


# The line-role features, segment's header reading and the preview ask about the same short
# lines again and again; a Byline is frozen, so one answer serves them all. A longer line is
# read each time: its cache entry would keep it alive (8,192 paragraphs of a 10 MB text).
CACHED_LINE = 80


def parse_byline(orig: str, simp: str, bare: bool = False) -> Byline | None:
    """An opening byline line. `bare` also accepts an unlabelled "单位 姓名" line.

    A dash or bracket line needs a person's name (——读《…》有感 is a subtitle); a labelled
    line (作者:/文/) may give only the unit, the name following on the next line.
    """
    if len(orig) > CACHED_LINE:
        return _parse_byline(orig, simp, bare)
    return _parse_byline_cached(orig, simp, bare)


def read_byline(text: str, simp: str) -> Byline | None:
    """A line known to be a byline (the line-role model or an editor says so), read more freely
    than parse_byline reads any line: a unit and a name in any of the usual shapes, a bio, an
    author's note, or a name alone."""
    simp = simp.replace("∕", "/")  # a division slash, as some pages set the credit's slashes
    if len(text) > CACHED_LINE:
        return _read_byline(text, simp)
    return _read_byline_cached(text, simp)


# a form's fields on one line: "学校名称：内埔国小 作者：林心薇（五年孝班） 指导老师：萧桂英 人气：294"
_FIELD = re.compile(r"(?P<label>[^\s:：]{1,6})\s*[:：]\s*(?P<value>[^\s:：]+)")
_FIELD_AUTHOR = re.compile(r"^(?:作者|姓名|作者姓名|学生姓名|学生|撰文|撰稿|撰写人|执笔|发表学生)$")
_FIELD_UNIT = re.compile(r"^(?:单位|作者单位|工作单位|学校|学校名称|就读学校|所在单位)$")
_GLUED_LABEL = re.compile(
    r"(?<=[\d\u3400-\u9fff])(?<!作者)(?<!发布)(?<!更新)(?<!新闻)(?<!文章)(?<!信息)"
    r"(?=(?:作者|单位|发布时间|时间|点击数|浏览次数|阅读次数|来源|编辑)\s*[:：])"
)
_CLASS_IN_BRACKETS = re.compile(r"[（(][^()（）]{1,12}[)）]$")


def _form_fields(orig: str, simp: str) -> Byline | None:
    """A byline given as a form's labelled fields, two or more on the line: the author's name
    from its field, the unit from the school's or unit's field; the rest (an adviser, a date,
    a view count) left aside."""
    glued = [m.start() for m in _GLUED_LABEL.finditer(simp)]
    if glued and len(orig) == len(simp):  # "单位:物资供应作者:雷小竞发布时间:2018-05-24": fields run together
        for at in reversed(glued):
            orig, simp = f"{orig[:at]} {orig[at:]}", f"{simp[:at]} {simp[at:]}"
    fields = list(_FIELD.finditer(simp))
    if len(fields) < 2:
        return None
    same = len(orig) == len(simp)
    author = unit = None
    for m in fields:
        label, (a, b) = m.group("label"), m.span("value")
        value = orig[a:b] if same else m.group("value")
        if _FIELD_AUTHOR.match(label) and author is None:
            name = _CLASS_IN_BRACKETS.sub("", value)
            if is_name(to_simplified(name)):
                author = name
        elif _FIELD_UNIT.match(label) and unit is None:
            unit = value
    return Byline(author, unit) if author else None


def _own_credit(orig: str, simp: str) -> tuple[str, str]:
    """ "作者/王明；图/某某", "王明(指导老师:李红)": the author's credit alone."""
    m = _OTHER_CREDIT.search(simp)
    if m and len(orig) == len(simp):
        orig, simp = orig[: m.start()], simp[: m.start()]
        if simp.startswith(("(", "（")) and not re.search(r"[)）]", simp):
            orig, simp = orig[1:], simp[1:]
    return orig, simp


def _parse_byline(orig: str, simp: str, bare: bool = False) -> Byline | None:
    orig, simp = _own_credit(orig, simp)
    if len(simp) > 40 or _SENTENCE_END.search(simp):
        return None
    # decoration before it and the date after it say nothing of who wrote it
    m = _BYLINE_TRIM.match(simp)
    if m and m.group("core") != simp and len(orig) == len(simp):
        a, b = m.span("core")
        orig, simp = orig[a:b], simp[a:b]
    got = _form_fields(orig, simp)
    if got:  # "学校：相桥小学 姓名：冯进 时间：2016.9"
        return got
    m = BYLINE_FIELDS.match(simp)
    if m:  # "作者：王明 单位：县财政局"
        name, unit = m.group("a"), m.group("o").strip()
        if is_name(name) and ORG_END.search(strip_job(unit)):
            same = len(orig) == len(simp)
            a, o = m.start("o"), len(strip_job(unit))
            return Byline(
                orig[m.start("a") : m.end("a")] if same else name, orig[a : a + o] if same else unit[:o]
            )
    for rx in (BYLINE_DASH, BYLINE_LABEL, BYLINE_PAREN):
        m = rx.match(simp)
        if not m:
            continue
        a = m.start("c")
        if rx is BYLINE_LABEL and simp[a:].startswith(("(", "（")):  # "本文作者: (杨若熙)"
            a += 1
        c_s = simp[a:].rstrip(")）").strip()
        c_o = orig[a : a + len(c_s)] if len(orig) == len(simp) else c_s
        if _BYLINE_BAD.search(c_s):
            return None
        names = re.split(r"\s*[\s、]\s*", c_s)
        if len(names) >= 2 and all(is_name(x) for x in names):  # "文/王明 李红": two authors
            return Byline(c_o, None)
        first = _name_then_unit(c_o, c_s)  # "作者：王明 县财政局"
        if rx is BYLINE_LABEL and (sep := _name_sep_unit(c_o, c_s)):  # "文、图/王明/县财政局"
            return sep
        got = _name_and_unit(c_o, c_s) or (first and (first.author, first.organization)) or org_name(c_o, c_s)
        labelled = rx is BYLINE_LABEL or re.match(r"^[（(]\s*(?:作者|单位|作者单位)", simp)
        if got and (got[0] or labelled):
            return Byline(*got)
        if rx is BYLINE_LABEL:
            return Byline(None, None)  # "作者:" whose name may be on the next line
        return None
    if bare and 2 <= len(simp) <= 30:
        got = _name_and_unit(orig[:-1], simp[:-1]) if simp.endswith((")", "）", "]", "】")) else None
        if got:  # "王明（县财政局）", "王明[县财政局局长]"
            return Byline(*got)
        m = _SPEAKER.fullmatch(simp)
        if m and is_name(m.group("n")):  # "王明：", "学员王明：" over the text its author speaks
            return Byline(orig[m.start("n") : m.end("n")] if len(orig) == len(simp) else m.group("n"), None)
        m = _UNIT_COLON_NAME.match(simp)
        if m and is_name(m.group("n")) and ORG_END.search(strip_job(m.group("u"))):  # "县财政局：王明"
            same = len(orig) == len(simp)
            a, b = m.span("u")
            unit = unit_of(orig[a:b] if same else m.group("u"), m.group("u"))
            return Byline(orig[m.start("n") : m.end("n")] if same else m.group("n"), unit)
        if "、" in simp and JOB_IN_LIST.search(simp):
            orig, simp = _last_post(orig, simp)
        if not _BARE_BAD.search(_CLASS_NUMBER.sub("", simp)):  # "高一（7）班 王明"
            got = org_name(orig, simp)
            if got and got[0] and (got[1] or len(simp) <= 4):  # a bare line: a name, after its unit
                return Byline(*got)
        first = _name_then_unit(orig, simp)
        if first and first.organization and len(simp.split()) == 2 and simp.endswith(first.organization):
            return first  # or before it, and nothing after: "王明 县财政局"
    return None


_BYLINE_LEAD = re.compile(rf"^[\s—\-－―─(（【\[]*(?:{_AUTHOR_LABELS})?\s*[:：/／|｜]?\s*")
_BYLINE_TAIL = re.compile(r"[\s)）】\]]+$")


def _unit_and_name(text: str, simp: str) -> Byline | None:
    """ "——智能制造专业 冯义浩", "(单位 职务 姓名)", "大学 系 职务 姓名": the name last, the
    unit before it (every word of it, without the post)."""
    lead = _BYLINE_LEAD.match(simp)
    start = lead.end() if lead else 0
    tail = _BYLINE_TAIL.search(simp)
    end = tail.start() if tail else len(simp)
    parts = simp[start:end].split()
    if len(parts) >= 2 and not is_name(parts[-1]):
        m = _ADDRESS.search(parts[-1])
        if m and m.start() >= 2:  # "某某系 王明同学"
            end = simp.rfind(parts[-1], start, end) + m.start()
            parts[-1] = parts[-1][: m.start()]
    post_at = None
    if len(parts) >= 2 and not is_name(parts[-1]):
        name = _after_post(parts[-1])  # "政治部 四级法官助理何敏芬": the post left out of the unit
        if name != parts[-1]:
            post_at, parts[-1] = simp.rfind(parts[-1], start, end), name
    if len(parts) < 2 or not is_name(parts[-1]):
        return None
    name_at = simp.rfind(parts[-1], start, end)
    if _DATE_WORD.search(simp[start:name_at]):
        return None  # "1月28日 武汉": a date and a place, not a unit and a person
    unit_end = name_at if post_at is None else post_at
    unit = _unit_words(text[start:unit_end], simp[start:unit_end])
    return Byline(text[name_at : name_at + len(parts[-1])], unit)


def _after_post(word: str) -> str:
    """The name a post runs into ("法官助理何敏芬" -> "何敏芬"), else the word."""
    for n in (3, 2):
        if len(word) > n + 1 and is_name(word[-n:]) and JOB_END.search(word[:-n]):
            return word[-n:]
    return word


# a form of address after a name
_ADDRESS = re.compile(r"(?:同学|老师|校长|先生|女士|同志|姐妹|弟兄|修女|神父|牧师)$")
ADVISER = re.compile(r"^(?:指导|辅导)(?:教师|老师)\s*[:：]\s*\S{2,4}$")
_DATE_WORD = re.compile(r"\d\s*[年月日号]|[年月]\s*\d|\d{1,4}\s*[.\-/]\s*\d{1,2}")


def _unit_words(orig: str, simp: str) -> str | None:
    """The unit of the words before a name: posts alone ("通讯员") dropped, the rest as written."""
    o_tokens, s_tokens = orig.split(), simp.split()
    if len(o_tokens) != len(s_tokens):
        o_tokens = s_tokens
    while s_tokens and (
        post_only(s_tokens[-1])
        or CLASS_CODE.fullmatch(s_tokens[-1])
        or (len(s_tokens) > 1 and COHORT_LEAD.match(s_tokens[-1]))
    ):  # "通讯员", "5A" alone: no unit; "学院 12级数学" : the student's year and subject
        s_tokens, o_tokens = s_tokens[:-1], o_tokens[:-1]
    if not s_tokens:
        return None
    a = orig.find(o_tokens[0])
    b = orig.rfind(o_tokens[-1]) + len(o_tokens[-1])
    so = simp[simp.find(s_tokens[0]) : simp.rfind(s_tokens[-1]) + len(s_tokens[-1])]
    unit = (
        unit_of(orig[a:b], so) if len(orig) == len(simp) else unit_of(" ".join(o_tokens), " ".join(s_tokens))
    )
    return unit if len(unit) >= 2 else None


_NAMES_APART = re.compile(r"\s*[\s、，,]\s*")


_CLOSER = {"(": ")", "（": "）", "【": "】", "[": "]"}


def _unwrapped(text: str, simp: str) -> tuple[str, str] | None:
    """A line wholly in one pair of brackets, its inside: "（供稿人：王明）", "【文/王明】"."""
    t, s = text.strip(), simp.strip()
    if len(t) != len(s) or len(s) < 4 or _CLOSER.get(s[0]) != s[-1]:
        return None
    inner = s[1:-1]
    if any(c in inner for c in (s[0], s[-1])) and inner.count(s[0]) != inner.count(s[-1]):
        return None
    return t[1:-1].strip(), inner.strip()


def _read_byline(text: str, simp: str) -> Byline | None:
    inside = _unwrapped(text, simp)
    if inside:
        b = _read_byline(*inside)
        if b is not None and b.author:
            return b
    names = _NAMES_APART.split(simp.strip()) if len(simp) <= 40 else []
    if len(names) >= 2 and all(is_name(x) for x in names):
        return Byline(text.strip(), None)  # "王明 李红", "王明、李红": two authors, not a unit and a name
    b = parse_byline(text, simp, bare=True) or parse_bio(text, simp)
    if b is not None and not (b.author or b.organization):
        b = None  # a label ("作者：") whose name is not where parse_byline looks
    if b is not None and b.author and not b.organization and not re.search(r"[\s、]", b.author):
        b = _unit_and_name(text, simp) or b
    if b is None:
        b = _unit_and_name(text, simp)
    if b is None:
        b = _name_then_unit(text, simp)
    if b is None:
        note = parse_author_note(text, simp)
        if note:
            b = Byline(None, note)
    if b is None:
        b = _name_sep_unit(text, simp)
    if b is None:
        b = _person_alone(text, simp) or _latin_name(text, simp) or _pen_name(text, simp)
    return b


# "劉芊雨/高雄市梓官區蚵寮國小4年2班", "楊惠婷◎社區組義工": the name, a mark, the unit
_NAME_SEP_UNIT = re.compile(r"^[◎\s]*(?P<n>[^\s/／◎]{2,4})\s*[/／◎]\s*(?P<u>[^/／◎]{2,40})$")


def _name_sep_unit(text: str, simp: str) -> Byline | None:
    text, simp = _own_credit(text, simp)
    m = _BYLINE_TRIM.match(simp)
    at = m.start("core") if m else 0
    end = m.end("core") if m else len(simp)
    m = _NAME_SEP_UNIT.match(simp[at:end])
    if not m or not is_name(m.group("n")):
        return None
    unit_s = m.group("u").strip()
    if not unit_like(unit_of(unit_s, unit_s)):
        return None
    same = len(text) == len(simp)
    a, b = at + m.start("n"), at + m.end("n")
    ua = at + m.start("u")
    unit_o = text[ua : ua + len(unit_s)] if same else unit_s
    return Byline(text[a:b] if same else m.group("n"), unit_of(unit_o, unit_s))


# what a label may name that is no surname and given name: a pen name (文/過河卒), a user name,
# a name in Latin letters (撰文: Holly Lam)
_PEN_NAME = re.compile(
    rf"[{HAN}]{{2,6}}|[A-Za-z][A-Za-z0-9_\-]{{1,19}}(?: [A-Za-z][A-Za-z\-]{{1,19}}){{0,3}}"
)
_NO_NAME = re.compile(rf"佚名|匿名|未知|不详|管理员|admin|{_PAGE_LINKS}", re.I)


def _pen_name(text: str, simp: str) -> Byline | None:
    """Whatever a labelled author line names, when it is one name-like word and no unit."""
    m = _AUTHOR_LABEL.match(simp)
    if not m:
        return None
    core = simp[m.end() :].strip()
    if not _PEN_NAME.fullmatch(core) or unit_like(core) or JOB_END.search(core) or _NO_NAME.fullmatch(core):
        return None
    a = simp.find(core, m.end())
    return Byline(text[a : a + len(core)] if len(text) == len(simp) else core, None)


# a place in brackets after a unit's name: "某某小学(海滨道)"
_UNIT_BRANCH = re.compile(r"\s*[（(][^()（）]{1,10}[)）]$")


def _name_then_unit(text: str, simp: str) -> Byline | None:
    """The name first, then the unit, perhaps with a pupil's class: "王明 县财政局",
    "王明 某某国小 四年级", "王明 某某小学(海滨道) 5C"."""
    lead = _BYLINE_LEAD.match(simp)
    start = lead.end() if lead else 0
    tail = _BYLINE_TAIL.search(simp)
    end = tail.start() if tail else len(simp)
    words = simp[start:end].split()
    if len(words) >= 3 and len(words[0]) == len(words[1]) == 1:
        words = [words[0] + words[1], *words[2:]]  # "王 明 县财政局"
    if len(words) < 2 or not is_name(words[0]):
        return None
    while len(words) > 2 and CLASS_ALONE.fullmatch(words[-1]):
        words = words[:-1]  # the class after the school
    unit_s = " ".join(words[1:])
    core = _UNIT_BRANCH.sub("", unit_s)
    if _BARE_BAD.search(core) or not ORG_END.search(strip_job(core.replace(" ", ""))):
        return None
    same = len(text) == len(simp)
    a = simp.find(words[1], start)
    b = simp.rfind(words[-1], start, end) + len(words[-1])
    unit = unit_of(text[a:b] if same else unit_s, simp[a:b] if same else unit_s)
    name = text[start:a].replace(" ", "") if same else words[0]  # perhaps spaced to width
    return Byline(name, unit)


# "县财政局：王明", "县财政局——王明"
_UNIT_COLON_NAME = re.compile(r"^(?P<u>[^:：\s—]{2,30}?)\s*(?:[:：]|——|--)\s*(?P<n>[^\s:：—]{2,4})$")
# what follows a name signed alone: a form of address, a post, a news credit, "原创", a colon, a
# place in brackets
_AFTER_NAME = re.compile(
    r"(?:\s*(?:同学|校友|老师|校长|先生|女士|同志|原创|通讯员|记者)|\s*[:：]|\s*[（(][^()（）]{1,12}[)）]|\s+[A-Z][a-z]{1,11})$"
)


# a class or seat number before a pupil's name: "5A", "S.6D", "506."
_CODE_LEAD = re.compile(r"(?:[A-Za-z]{1,2}\.?)?\d{1,4}[A-Za-z]?\s*[.．、]?\s*")
# a name in Latin letters after a form of address or a class: "Ms. Ng Yuk Lun", "5E CHAN TAI MAN"
_LATIN_NAME = re.compile(
    r"^(?:(?:Mr|Mrs|Ms|Miss|Dr|Prof)\.?\s+|(?:[A-Za-z]{1,2}\.?)?\d{1,4}[A-Za-z]?\.?\s+)"
    r"(?P<n>(?:[A-Z][a-z]+|[A-Z]+)(?:[ -](?:[A-Z][a-z]+|[A-Z]+)){1,3})$"
)


# in brackets, as signed after a title: "(Pencil Wong)" (bare, "Student Voices" is a heading)
_LATIN_ALONE = re.compile(r"^[（(]\s*(?P<n>[A-Z][a-z]+(?: [A-Z][a-z]+){1,3})\s*[)）]$")


def _latin_name(text: str, simp: str) -> Byline | None:
    m = _LATIN_NAME.match(simp.strip()) or _LATIN_ALONE.match(simp.strip())
    if not m:
        return None
    return Byline(m.group("n"), None)


def _person_alone(text: str, simp: str) -> Byline | None:
    """A name signed alone, in the forms a byline line takes: "王明", "王明同学", "王明：",
    "王明（江苏）", "作者：（王明）", "506.王明"."""
    lead = _BYLINE_LEAD.match(simp)
    start = lead.end() if lead else 0
    code = _CODE_LEAD.match(simp, start)
    if code and code.end() > start and not lead.group().strip():
        start = code.end()  # a class or seat number
    core = simp[start:].strip()
    if lead and lead.group().lstrip().startswith(("(", "（")) and core.endswith((")", "）")):
        core = core[:-1].strip()  # "(撰稿人/王明)"
    for _ in range(2):
        if core.startswith(("(", "（")) and core.endswith((")", "）")):
            core = core[1:-1].strip()
        name = core.replace(" ", "")
        if is_name(name):
            at = simp.find(core, start)
            if len(text) == len(simp) and at >= 0:
                return Byline(text[at : at + len(core)].replace(" ", ""), None)
            return Byline(name, None)
        m = _AFTER_NAME.search(core)
        if not m or m.start() < 2:
            return None
        core = core[: m.start()].strip()
    return None


def _last_post(orig: str, simp: str) -> tuple[str, str]:
    """Of posts listed with 、 ("县委常委、组织部部长 王明"), the last one held in a unit
    ("组织部部长 王明"), which is the unit the signature speaks for."""
    lead = simp.split()[0]
    if "、" not in lead or len(orig) != len(simp):
        return orig, simp
    posts = lead.split("、")
    for k in range(len(posts) - 1, -1, -1):
        if ORG_END.search(strip_job(posts[k])):
            a = sum(len(p) + 1 for p in posts[:k])
            b = a + len(posts[k])
            rest = slice(simp.index(lead) + len(lead), None)
            return orig[a:b] + orig[rest], simp[a:b] + simp[rest]
    return orig, simp


def _name_and_unit(orig: str, simp: str) -> tuple[str, str] | None:
    """(author, organization) of "姓名（单位）" or "单位（姓名）"."""
    m = NAME_AND_UNIT.match(simp)
    if not m:
        return None

    def part(name: str) -> str:
        a, b = m.span(name)
        return orig[a:b].strip() if len(orig) == len(simp) else m.group(name).strip()

    a, b = m.group("a").strip(), m.group("b").strip()
    if is_name(a) and ORG_END.search(strip_job(b)):
        return part("a"), unit_of(part("b"), b)
    if is_name(b) and ORG_END.search(strip_job(a)):
        return part("b"), unit_of(part("a"), a)
    return None


def parse_author_note(orig: str, simp: str) -> str | None:
    """The unit named by a closing "（本文作者为某某协会会员）"."""
    m = AUTHOR_NOTE.match(simp)
    if not m:
        return None
    unit = strip_job(m.group("c").strip())
    if not ORG_END.search(unit):
        return None
    a = m.start("c")
    return orig[a : a + len(unit)] if len(orig) == len(simp) else unit


def parse_bio(orig: str, simp: str) -> Byline | None:
    """A closing author bio: 作者:邓学东,男,78岁,…,长沙市开福区关工委副主任。"""
    m = BIO.match(simp)
    if not m or not is_name(m.group("name")):
        return None
    rest = m.group("rest")
    # "男，78岁…", or the unit and post the author holds: "某某小学学生"
    held = any(strip_job(f) != f and ORG_END.search(strip_job(f)) for f in re.split(r"[,，、;；。]", rest))
    if not (BIO_WORDS.search(rest) or held):
        return None
    a, b = m.span("name")
    author = orig[a:b] if len(orig) == len(simp) else m.group("name")
    org = None
    fields_s = re.split(r"[,，、;；。]", simp[m.start("rest") :])
    offset = m.start("rest")
    spans = []
    pos = offset
    for f in fields_s:
        spans.append((pos, f))
        pos += len(f) + 1
    for start, f in reversed(spans):
        f2 = re.sub(r"^(?:现任|曾任|任|系|现为|为|是)", "", f.strip())
        core = strip_job(f2)
        if core != f2 and ORG_END.search(core):
            lead = f.index(f2) if f2 in f else 0
            org_s = unit_of(core, core)
            org = orig[start + lead : start + lead + len(org_s)] if len(orig) == len(simp) else org_s
            break
    return Byline(author, org)


def labelled_byline(orig: str, simp: str) -> bool:
    """A line a label or a dash marks as a byline and that names a person: "文/王明"."""
    if not (_AUTHOR_LABEL.match(simp) or simp.startswith(("——", "—", "--"))):
        return False
    b = parse_byline(orig, simp)
    return b is not None and bool(b.author)


def byline_shaped(orig: str, simp: str) -> bool:
    """A line that reads as a byline, or is marked as one (作者：…, ◎…) even where no person
    can be read in it."""
    if _AUTHOR_LABEL.match(simp) or simp.startswith("◎"):
        return True
    b = read_byline(orig, simp)
    return b is not None and bool(b.author)


# what marks a line as a signature whatever else it holds: a label before it, brackets around
# it, a news credit or a form of address after the name
_SIGNED_MARK = re.compile(r"(?:通讯员|记者|同学|校友|供稿|撰稿|整理)[)）]?$")


def marked_byline(text: str, simp: str) -> Byline | None:
    """A line that says it is a signature ((明德分监林同学), 吴奕锦通讯员, 文：王明), read."""
    s = simp.strip()
    if not (_AUTHOR_LABEL.match(s) or _unwrapped(text, simp) or _SIGNED_MARK.search(s)):
        return None
    b = read_byline(text, simp)
    return b if b is not None and b.author else None


def unit_alone(simp: str) -> bool:
    """A line that is only a unit's name, perhaps with the signer's post or a pupil's class:
    "县财政局", "县财政局局长", "某某国小 四年级"."""
    words = simp.split()
    if len(words) == 2 and CLASS_ALONE.fullmatch(words[1]):
        simp = words[0]  # "某某国小 四年级": the school, then the class
    return (
        4 <= len(simp) <= 20
        and not _BARE_BAD.search(simp)
        and " " not in simp
        and bool(ORG_END.search(strip_job(simp)))
    )


def signature(orig: str, simp: str) -> bool:
    """A "单位 姓名" line: a unit and a person, nothing else."""
    if len(simp) > 30:
        return False
    b = parse_byline(orig, simp, bare=True)
    return b is not None and bool(b.author) and bool(b.organization)


_parse_byline_cached = lru_cache(maxsize=8192)(_parse_byline)
_read_byline_cached = lru_cache(maxsize=8192)(_read_byline)
