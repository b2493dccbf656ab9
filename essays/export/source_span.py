"""Where an essay sits in its source document, and what the cleanup did there.

An essay stores `source_text`: its whole lines exactly as they stood in the decoded source
(line ends unified to "\\n"). Finding it again is a search for those lines at line
boundaries. A source can hold the same lines twice (a reposted essay, a repeated page), so
when the text occurs more than once the document's earlier essays are walked in order to
tell which copy is this one; when that fails too, nothing is marked — a missing mark is
honest, a wrong one is not.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# The pipeline's report counts cleanup actions under English keys; editors read Chinese.
CLEANUP_LABELS = {
    "pinyin annotations removed": "删除拼音注音",
    "pinyin annotations kept (too few to be a converter's)": "保留拼音注音（数量太少，不像转换器所加）",
    "damaged pinyin annotations turned into repair hints": "损坏的拼音注音用作修复线索",
    "mojibake sites repaired": "修复乱码处",
    "mojibake characters not recovered (〓)": "无法恢复的乱码字（〓）",
    "hard wrap joined": "合并硬换行",
    "wrapped title joined": "合并折行标题",
    "bracketed line joined": "合并括号断行",
    "line endings unified": "统一行尾",
    "NFC normalised": "Unicode NFC 规范化",
    "punctuation to full width": "标点改为全角",
    "parentheses to full width": "括号改为全角",
    "straight quotes curled": "直引号改为弯引号",
    "straight quotes left (odd number in a line)": "保留直引号（行内数目为奇数）",
    "spaces around punctuation removed": "删除标点两侧空格",
    "dashes normalised": "统一破折号",
    "ellipses normalised": "统一省略号",
    "watermark removed": "删除水印",
    "page counter removed": "删除页码计数",
    "title counter removed": "删除标题计数",
    "SEO keyword removed": "删除 SEO 关键词",
    "repeated page title removed": "删除重复的页面标题",
    "duplicate title removed": "删除重复标题",
    "table of contents line removed": "删除目录行",
    "date prefix removed": "删除日期前缀",
    "footer zone": "页脚区",
    "truncated document": "文档在句中截断",
    "untitled compilation": "无总标题的汇编",
    "untitled essay boundary": "无标题的篇章分界",
    "leading fragment": "开头的残篇",
    "collection intro": "文集导语",
    "byline": "署名",
    "closing byline": "文末署名",
    "byline in title": "标题中的署名",
    "byline from metadata": "来自元数据的署名",
    "numbered essay title": "编号标题",
    "glued essay number split": "拆开粘连的篇号",
    "title label split": "拆开标题标签",
    "metadata cut from a line": "从行中切出元数据",
    "closing date": "删除文末日期",
    "closing signature": "文末落款",
    "essay number line": "篇号行",
    "numbered essay titles": "编号的篇目标题",
    "title label removed": "删除标题前的栏目标签",
    "lines decoded again from Windows-1252 mojibake": "重新解码的乱码行（UTF-8 曾被当作 Windows-1252 读取）",
    "zero-width removed": "删除零宽字符",
    "control characters removed": "删除控制字符",
    "no-break spaces replaced": "不换行空格改为普通空格",
    "unusual spaces replaced": "特殊空格改为普通空格",
    "chrome line removed: line-role model": "删除网页杂项行（行角色模型判定）",
    "chrome line removed: collection preface": "删除文集导语（存为文集简介）",
    "byline (line roles)": "署名（行角色模型判定）",
    "ideographic spaces inside lines replaced": "行内全角空格改为普通空格",
}
CHROME_PREFIX = "chrome line removed: "


def cleanup_label(action: str) -> str:
    """The Chinese name of a report action; unknown actions keep their key."""
    if action in CLEANUP_LABELS:
        return CLEANUP_LABELS[action]
    if action.startswith(CHROME_PREFIX):
        return f"删除网页杂项行：{action[len(CHROME_PREFIX) :]}"
    return CLEANUP_LABELS.get(action, action)


@dataclass(frozen=True)
class Span:
    start: int  # character offsets in the newline-unified text
    end: int
    first_line: int  # 1-based, inclusive
    last_line: int


def unify_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def locate_span(text: str, fragment: str, earlier: Iterable[str] | None = ()) -> Span | None:
    """Where `fragment` (an essay's source_text) stands in `text`, or None.

    `text` must already have unified newlines. `earlier` holds the source_text of the essays
    before this one in the same document, in order; it is read only when `fragment` occurs
    more than once. None means the order is unknown, so a repeated fragment stays unmarked.
    """
    fragment = unify_newlines(fragment or "")
    if not fragment.strip():
        return None
    first = _find_whole_lines(text, fragment, 0)
    if first is None:
        return None
    if _find_whole_lines(text, fragment, first + 1) is None:
        return _span(text, first, fragment)
    if earlier is None:
        return None
    position = 0
    for previous in earlier:
        previous = unify_newlines(previous or "")
        if not previous.strip():
            continue
        found = _find_whole_lines(text, previous, position)
        if found is None:
            return None
        # Neighbouring essays may share a source line, so the next search starts just past
        # this essay's start rather than past its end.
        position = found + 1
    found = _find_whole_lines(text, fragment, position)
    return _span(text, found, fragment) if found is not None else None


def repair_lines_in(span: Span | None, repairs: list[dict]) -> list[bool]:
    """For each repair of the report, whether its line falls inside the span."""
    if span is None:
        return [False] * len(repairs)
    return [
        isinstance(r.get("line"), int) and span.first_line <= r["line"] <= span.last_line for r in repairs
    ]


def repair_rows(span: Span | None, repairs: list[dict], limit: int) -> tuple[list[tuple[dict, bool]], int]:
    """(repair, inside the essay) pairs to show, and how many were left out.

    All of them up to `limit`; beyond that only the essay's own (a page listing tens of
    thousands of repairs helps nobody, and the essay's are the ones asked about).
    """
    rows = list(zip(repairs, repair_lines_in(span, repairs), strict=True))
    if len(rows) > limit:
        rows = [row for row in rows if row[1]][:limit]
    return rows, len(repairs) - len(rows)


def _find_whole_lines(text: str, fragment: str, start: int) -> int | None:
    while True:
        index = text.find(fragment, start)
        if index < 0:
            return None
        end = index + len(fragment)
        if (index == 0 or text[index - 1] == "\n") and (end == len(text) or text[end] == "\n"):
            return index
        start = index + 1


def _span(text: str, start: int, fragment: str) -> Span:
    first_line = text.count("\n", 0, start) + 1
    return Span(start, start + len(fragment), first_line, first_line + fragment.count("\n"))
