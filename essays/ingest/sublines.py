"""One line holding two things: split it so that each piece gets its own role.

Scraped and pasted pages glue an essay's parts together: a name and a colon before the first
sentence (罗小明：观看……), a bracketed signature or credit before it (【某某支行团支部李浩】：聆听……,
（通讯员 王明）今天……), a
title run into the first sentence (……座谈会上的发言秦岭巴山一水间，……), a title and its
byline on one line (畢業感言      六年六班24號, 挂职心得 ◇邢慰卿, 服務台組 / 許資穎), a
column's label before a title (【我身边的清廉故事】我的“廉政故事”二三事). The split proposes pieces;
it decides nothing about them: the line-role model labels each piece like any line, and the
corpus derives each piece's role from the truth the same way (roles.corpus).

Only a line that can open an essay is split: the first line, or one after a line that does not
end a sentence (a title, a byline, furniture), never a line inside running text.
"""

from __future__ import annotations

import re

from .bylines import SPEAKER_ROLE, read_byline
from .cleaned import Line
from .line_kinds import _marker, title_like
from .model import Report
from .names import is_name
from .prose import ends_terminal, han_count
from .script import to_simplified

MAX_PIECES = 3  # a title, its copy or its byline, the first sentence
MIN_REST = 10  # characters of text after the split: less is a title's tail, not a sentence
_SENTENCE = re.compile(r"[，,。；;！!？?]")

# a form's label, however like a name it looks (单 and 时 are surnames)
_FORM_LABEL = re.compile(
    r"单位|姓名|作者|学校|班级|题目|标题|主题|时间|日期|地点|来源|编辑|简介|内容|活动|关键词|标签|分类|栏目|摘要"
)
# "罗小明：", "【单位李浩】：", "◎王明 ": a name (or a signature) before the colon
_NAME_COLON = re.compile(rf"^(?P<head>{SPEAKER_ROLE}?(?P<name>[^\s:：，,。]{{2,4}}))\s*[:：]\s*(?P<rest>.+)$")
_BRACKETED = re.compile(r"^(?P<head>[【\[][^】\]]{2,30}[】\]])\s*[:：]?\s*(?P<rest>.+)$")
# "（通讯员 王明）今天……": a news story's credit in brackets before its first sentence
_CREDIT = re.compile(r"^(?P<head>[(（][^()（）]{2,30}[)）])\s*(?P<rest>[^\s(（].+)$")
# a genre word closing a title (the longer word first: 心得体会, not 心得 + 体会……), with the
# number a compilation gives it (发言稿4篇, 心得体会1, 篇一)
_GENRE_END = re.compile(
    r"(?:心得体会|学习体会|读后感|观后感|演讲稿|发言稿|讲话稿|心得|体会|感悟|感想|总结|发言|有感|征文)"
    r"(?P<n>\s*(?:(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*篇|\d{1,2}|[（(]\s*[一二三四五六七八九十\d]{1,2}\s*[)）]|篇[一二三四五六七八九十\d]{1,3}|[（(]篇[一二三四五六七八九十\d]{1,3}[)）]))?"
)
# what continues a title or a sentence rather than starting one: "学习体会到了", "心得是",
# "发言材料", "观后感栏目", "心得写作评选", a clause break
_CONTINUES = re.compile(
    r"^[的是了很和与及也都还就在有为到得着过我们中上下时后体稿材提范栏写大，,;；、:：(（]"
)
_FIRST_CLAUSE = re.compile(r"^[^，,。；;！!？?]*")
# "班主任培训心得体会：淬炼教育初心，赋能学生成长": a colon, then the title's second half, short
# and no sentence ended: one title
_TITLE_AFTER_COLON = re.compile(r"^\s*[:：]\s*[^。！!？?；;]{4,24}$")
_GENRE_WORD = re.compile(r"心得|体会|感悟|感想|有感|读后感|观后感|发言|征文")
_SEAT = re.compile(r"[班级系][\d一二三四五六七八九十]*[号號]?$")  # "六年六班24號"
# "【栏目】标题": a column's label before a title
_LABELLED = re.compile(r"^(?P<head>[【\[〔][^】\]〕]{2,20}[】\]〕])\s*(?P<rest>[^【\[〔].{3,})$")
# "标题 / 许资颖", "毕业感言/敬恒国中 陈凯雯": a title and its byline after a slash
_SLASHED = re.compile(r"^(?P<head>[^/／]{2,40}?)\s*[/／]\s*(?P<rest>[^/／]{2,30})$")  # one slash only
# "标题——张馨怡", "圖書館的寶藏--許藝馨(94級)": a title, a dash, the writer's name (a subtitle
# after a dash names no one: ——庆祝建党100周年)
_DASHED = re.compile(r"^(?P<head>.{2,40}?)\s*(?P<rest>(?:——|—|--+|－－)\s*(?P<signed>[^—\-－].{1,29}))$")
# "義工活動感想 (Kenny Chan)", "话感悟(代维)": a title and its writer's name in brackets
_NAME_IN_BRACKETS = re.compile(r"^(?P<head>.{4,40}?)\s*(?P<rest>[(（]\s*(?P<name>[^()（）]{2,30}?)\s*[)）])$")
_LATIN_FULL_NAME = re.compile(r"[A-Z][a-z]+(?: [A-Z][a-z]+){1,3}")
# a title, wide spaces or a mark, then a short signature
_WIDE_GAP = re.compile(r"^(?P<head>\S.{1,38}?\S)(?:\s{3,}|\s*[◇◎◆●■]\s*)(?P<rest>\S.{0,24})$")


def _pieces(text: str, simp: str) -> tuple[int, int] | None:
    """(end of the first piece, start of the second) in `text`, or None: no split."""
    if len(text) != len(simp):
        return None  # the offsets would not agree
    cut = _speaker_cut(simp)
    if cut:
        return cut
    m = _named(simp)
    if m:
        rest = m.group("rest")
        if title_like(rest) and not _SENTENCE.search(rest):  # "魏勇军：《平安中国之守护者》观后感"
            return m.end("head"), m.start("rest")
    m = _BRACKETED.match(simp)
    if m and len(m.group("rest")) >= MIN_REST:
        inner = m.group("head")[1:-1]
        if read_byline(inner, inner) is not None and _SENTENCE.search(m.group("rest")):
            return m.end("head"), m.start("rest")
    m = _CREDIT.match(simp)
    if m and len(m.group("rest")) >= MIN_REST and _SENTENCE.search(m.group("rest")):
        inner = m.group("head")[1:-1]
        credit = read_byline(inner, inner)
        if credit is not None and credit.author and " " in inner.strip():
            return m.end("head"), m.start("rest")
    m = _LABELLED.match(simp)
    if m and title_like(m.group("rest")) and _marker(m.group("head")) is None:
        return m.end("head"), m.start("rest")
    m = _SLASHED.match(simp)
    if m and title_like(m.group("head")):
        byline = read_byline(m.group("rest"), m.group("rest"))
        if byline is not None and byline.author:
            return m.end("head"), m.start("rest")
    m = _DASHED.match(simp)
    if m and title_like(m.group("head")):
        signed = m.group("signed").rstrip(" |｜")
        byline = read_byline(signed, signed)
        if byline is not None and byline.author and is_name(byline.author.replace(" ", "")):
            return m.end("head"), m.start("rest")
    m = _NAME_IN_BRACKETS.match(simp)
    if m and title_like(m.group("head").rstrip(":：")):
        name = m.group("name")
        if is_name(name.replace(" ", "")) or _LATIN_FULL_NAME.fullmatch(name) or _addressed(name):
            return m.end("head"), m.start("rest")
    m = _WIDE_GAP.match(simp)
    if m and title_like(m.group("head")) and not _SENTENCE.search(m.group("rest")):
        rest = m.group("rest")
        if read_byline(rest, rest) is not None or _SEAT.search(rest):
            return m.end("head"), m.start("rest")
    for m in _GENRE_END.finditer(simp, 0, 40):
        head, rest = simp[: m.end()], simp[m.end() :].lstrip(" :：、.．")
        if (
            len(head) >= 6
            and not _SENTENCE.search(head)
            and _opens_text(rest)
            and (m.group("n") or not _CONTINUES.match(rest))  # a counter closes a title
            # one title, run on; unless the page doubled it (a heading and its hidden copy)
            and (rest.startswith(head) or not _GENRE_WORD.search(_FIRST_CLAUSE.match(rest).group()))
            and not _TITLE_AFTER_COLON.match(simp[m.end() :])
        ):
            return m.end(), len(simp) - len(rest)
    return _byline_before_text(simp) or _head_before_text(simp)


# "天津消防网讯 2019年伊始，……", "2023 年 義工分享   每個人……": a short head of fields (a space
# inside it) or a news wire's 讯, a wide gap (one space after 讯), then the first sentence; one
# word before a wide gap may be the sentence's own first words
_HEAD_GAP = re.compile(r"^(?P<head>[^，,。；;！!？?：:“”\"]{2,20}?)(?:(?<=讯)\s+|\s{2,}|　+)(?P<rest>\S)")


def _head_before_text(simp: str) -> tuple[int, int] | None:
    m = _HEAD_GAP.match(simp)
    if not m or not han_count(m.group("head")):
        return None
    if not (m.group("head").endswith("讯") or " " in m.group("head").strip()):
        return None
    if not _opens_text(simp[m.start("rest") :]):
        return None
    return m.end("head"), m.start("rest")


def _opens_text(rest: str) -> bool:
    """What follows a head is the text's first sentence: long enough, a clause in its opening."""
    return len(rest) >= MIN_REST and bool(_SENTENCE.search(rest[:40]))


_GAP = re.compile(r"\s+")
# a label, a list or a bracket opened: a form's fields or a credit, not one byline
_NOT_BYLINE = re.compile(r"[:：;；,，、/／(（【\[]")
BYLINE_WIDTH = 30  # at most this long, a byline before the first sentence


def _byline_before_text(simp: str) -> tuple[int, int] | None:
    """ "汕头棉城三下乡服务队 周韵莹 在这个……", "◎王明 4月10日……": a byline that ends in the
    writer's name, a space, then the first sentence."""
    for gap in _GAP.finditer(simp, 0, BYLINE_WIDTH + 1):
        head, rest = simp[: gap.start()], simp[gap.end() :]
        if not _opens_text(rest):
            break
        if han_count(head) and not _NOT_BYLINE.search(head) and _signed_by(head.lstrip("◎◇ ")):
            return gap.start(), gap.end()
    return None


# "浙江传媒学院团委书记应广兴：我发现……": a unit, a post and a name before the colon
_SIGNED_COLON = re.compile(r"^(?P<head>[^\s:：，,。；;！!？?“”\"]{2,30}?)\s*[:：]\s*(?P<rest>.+)$")


def _speaker_cut(simp: str) -> tuple[int, int] | None:
    """Where a speaker's name (perhaps after a unit and a post) ends and what they say begins."""
    m = _named(simp)
    if not m:
        m = _SIGNED_COLON.match(simp)
        if not m or len(m.group("head")) <= 4 or not _signed_by(m.group("head")):
            return None
    rest = m.group("rest")
    if len(rest) < MIN_REST or not _SENTENCE.search(rest):
        return None
    return m.end("head"), m.start("rest")


def _named(simp: str) -> re.Match | None:
    """ "罗小明：…": a person's name before the colon (not a form's label that looks like one)."""
    m = _NAME_COLON.match(simp)
    if m and is_name(m.group("name")) and not _FORM_LABEL.fullmatch(m.group("name")):
        return m
    return None


def _addressed(words: str) -> bool:
    """A name and how the page addresses its writer: "梁诺恒同学", "唐婉如校友"."""
    byline = read_byline(words, words)
    return (
        byline is not None
        and bool(byline.author)
        and words.startswith(byline.author)
        and is_name(byline.author)
    )


def _signed_by(head: str) -> bool:
    """A unit and a post that end in a person's name."""
    byline = read_byline(head, head)
    return byline is not None and bool(byline.author) and head.endswith(byline.author)


def _speaker(line: Line, simplified: bool) -> bool:
    if len(line.text) < 6 or ("：" not in line.text[:34] and ":" not in line.text[:34]):
        return False
    simp = line.simp or (line.text if simplified else to_simplified(line.text))
    return len(simp) == len(line.text) and _speaker_cut(simp) is not None


def split_lines(lines: list[Line], simplified: bool, report: Report) -> list[Line]:
    """The lines, each that holds two parts of an essay's opening split in two (both pieces keep
    the source line numbers of the line)."""
    out: list[Line] = []
    # a page where several people speak in turn (陈汉武：…, 严灵灵：…, 团委书记应广兴：…): each
    # speaker's paragraph opens a piece of its own, though the one before ends a sentence
    speakers = {k for k, line in enumerate(lines) if _speaker(line, simplified)}
    speakers = speakers if len(speakers) >= 2 else set()
    for k, line in enumerate(lines):
        opening = k == 0 or not ends_terminal(lines[k - 1].text) or k in speakers
        pieces = 0
        while opening and pieces < MAX_PIECES - 1:
            simp = line.simp or (line.text if simplified else to_simplified(line.text))
            cut = _pieces(line.text, simp) if len(line.text) >= 6 else None
            if cut is None:
                break
            a, b = cut
            head, rest = line.text[:a], line.text[b:]
            raw_same = line.raw == line.text
            out.append(Line(head, line.start, line.end, line.hint, head if raw_same else line.raw, simp[:a]))
            line = Line(rest, line.start, line.end, None, rest, simp[b:])
            pieces += 1
            report.count("line split in two")
        out.append(line)
    return out
