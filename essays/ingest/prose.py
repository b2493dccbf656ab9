"""How a line's text reads: its Han characters and display width, whether it ends a sentence
or runs on as text, and numbers written in Chinese."""

from __future__ import annotations

import re

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN_RE = re.compile(f"[{HAN}]")
STRIP = " \t\u3000\u00a0\u2002\u2003\u200b\ufeff"

TERMINAL = "。！？!?…；;"
CLOSE_QUOTES = "”’」』）)》】"
LIST_ITEM = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d{1,2}\s*[、.．](?!\d)|"
    r"第[一二三四五六七八九十\d]+[，,、:：]|[●■◆▲★☆○◎]|其[一二三四五六七八九十]|[①-⑳])"
)
# a mark inside a clause: a line with one is running text, never a header or a menu item
CLAUSE_MARK = re.compile(r"[。，,：:！!？?]")

CN_NUM = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def cn_number(s: str) -> int | None:
    """1–99 written in Arabic or Chinese numerals."""
    if s.isdigit():
        return int(s)
    if not s or any(c not in CN_NUM for c in s):
        return None
    if s == "十":
        return 10
    if "十" in s:
        head, _, tail = s.partition("十")
        return (CN_NUM.get(head, 1) if head else 1) * 10 + (CN_NUM.get(tail, 0) if tail else 0)
    return CN_NUM[s] if len(s) == 1 else None


def strip_line(s: str) -> str:
    return s.strip(STRIP)


_HAN_RUN = re.compile(f"[{HAN}]+")


def han_count(s: str) -> int:
    # runs, not characters: a list of one-character strings per line cost a quarter of the
    # line-role features' time on long lines
    return sum(map(len, _HAN_RUN.findall(s)))


_NARROW = re.compile(r"[^\u1100-\uffff,:;()?!]")


def display_width(s: str) -> int:
    """Columns as typeset: CJK and (originally full-width) ASCII punctuation count 2.

    Everything from U+1100 up counts as wide (CJK, full-width forms, and the ambiguous “”…
    that Chinese typesetting sets full width); below that only ,:;()?! do (NFKC folded them)."""
    return 2 * len(s) - len(_NARROW.findall(s))


def ends_terminal(s: str) -> bool:
    """Ends a sentence: 。！？… or a closing quote/bracket right after one."""
    s = s.rstrip(STRIP)
    if not s:
        return False
    if s[-1] in TERMINAL or s.endswith("......"):
        return True
    if s[-1] in CLOSE_QUOTES:
        inner = s.rstrip(CLOSE_QUOTES)
        return bool(inner) and (inner[-1] in TERMINAL or inner.endswith("......"))
    return False


def is_sentence(s: str) -> bool:
    """A line that reads as a sentence of text: ten Han characters or more, ending as a
    sentence ends (shorter than is_prose asks: "以实际行动践行初心使命，做到知行合一。")."""
    return ends_terminal(s) and han_count(s) >= 10


def is_prose(s: str) -> bool:
    """A paragraph of running text (not a title, heading, byline or widget).

    A question or exclamation mark at the end of a short line does not make it prose
    (下鄉掛職鍛煉難道只是一種形式嗎? is a title)."""
    if len(s) >= 60:
        return True
    if len(s) < 40:
        s = s.rstrip("?？!！")
    return len(s) >= 25 and any(c in s for c in "。！？!?；;")


def loose_title(s: str) -> bool:
    """Short and not ending as a sentence or clause does: the page's title line may be this."""
    return 2 <= len(s) <= 60 and not is_prose(s) and not s.endswith(("。", "，", ",", "；", ";", "：", ":"))
