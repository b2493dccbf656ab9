"""Unicode hygiene and punctuation width.

Both stages keep the number of lines: later stages and the editors' review refer to lines of
the decoded text. Every change is counted in the report.

Never NFKC: it folds the full-width ，：；（）？！ that Chinese typesetting uses into ASCII, which
is exactly the damage `punctuation` has to undo in sources that went through it upstream.
"""

from __future__ import annotations

import re
import unicodedata

from .model import Report

# --- hygiene --------------------------------------------------------------------------------

LINE_ENDINGS = re.compile(r"\r\n?|[\u2028\u2029]")
CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]+")  # C0 and C1, except \t and \n
ZERO_WIDTH = re.compile(r"[\u200b-\u200d\u2060\ufeff]+")
NO_BREAK_SPACES = re.compile(r"[\u00a0\u202f]+")
ODD_SPACES = re.compile(r"[\u2000-\u200a\u205f]+")
# U+3000 at the start of a line is paragraph indentation (stripped later with the rest of the
# leading white space); inside a line it is just a wide space.
INNER_IDEOGRAPHIC_SPACE = re.compile(r"(?<=[^\n\u3000])\u3000+")


# Anything hygiene changes, for one quick scan of clean text.
NEEDS_WORK = re.compile(
    r"[\r\u2028\u2029\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200d\u2060\ufeff\u00a0\u202f\u2000-\u200a\u205f]"
)


def hygiene(text: str, report: Report) -> str:
    """NFC, unified line endings, control and zero-width characters dropped. Never NFKC.

    Keeps the number of lines unchanged apart from line-ending unification."""
    if NEEDS_WORK.search(text):
        text = _clean(text, report)
    if not unicodedata.is_normalized("NFC", text):
        composed = unicodedata.normalize("NFC", text)
        report.count("NFC normalised", _changed_characters(text, composed))
        text = composed
    if "\u3000" in text:
        text = _replace(
            INNER_IDEOGRAPHIC_SPACE, " ", text, report, "ideographic spaces inside lines replaced"
        )
    return text


def _clean(text: str, report: Report) -> str:
    text, n = LINE_ENDINGS.subn("\n", text)
    report.count("line endings unified", n)
    text = _remove(ZERO_WIDTH, text, report, "zero-width removed")
    text = _remove(CONTROLS, text, report, "control characters removed")
    text = _replace(NO_BREAK_SPACES, " ", text, report, "no-break spaces replaced")
    return _replace(ODD_SPACES, " ", text, report, "unusual spaces replaced")


def _remove(pattern: re.Pattern, text: str, report: Report, action: str) -> str:
    if not pattern.search(text):
        return text
    cleaned = pattern.sub("", text)
    report.count(action, len(text) - len(cleaned))
    return cleaned


def _replace(pattern: re.Pattern, replacement: str, text: str, report: Report, action: str) -> str:
    if not pattern.search(text):
        return text
    removed = 0

    def one_space(match: re.Match) -> str:
        nonlocal removed
        removed += len(match.group())
        return replacement

    text = pattern.sub(one_space, text)
    report.count(action, removed)
    return text


def _changed_characters(before: str, after: str) -> int:
    """Characters NFC changed: composed sequences shrink; singletons (CJK compatibility
    ideographs) keep the length but change the character."""
    if len(before) != len(after):
        return len(before) - len(after)
    return sum(1 for a, b in zip(before, after, strict=True) if a != b)


# --- punctuation ----------------------------------------------------------------------------

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Characters that make the surroundings Chinese: Han, CJK and full-width punctuation, and the
# curly quotes, ellipsis and dashes Chinese text uses.
CONTEXT = f"{HAN}\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u201c\u201d\u2018\u2019\u2026\u2014"
CONTEXT_CHAR = re.compile(f"[{CONTEXT}]")
IS_HAN = re.compile(f"[{HAN}]")

FULL_WIDTH = str.maketrans({",": "，", ":": "：", ";": "；", "?": "？", "!": "！"})
# Marks with spaces around them are rare; the context check skips the spaces.
SPACED_MARKS = re.compile(r" +[,:;?!]+ *|[,:;?!]+ +")
SPACED_MARK_PAIRS = tuple(f"{mark} " for mark in ",:;?!") + tuple(f" {mark}" for mark in ",:;?!")
# A run of marks right after Chinese (the lookbehind sits after the first mark so that the
# search can jump from mark to mark), then runs right before Chinese.
# (Each pattern is one group: see _full_width_runs.)
MARKS_AFTER_CHINESE = re.compile(f"([,:;?!](?<=[{CONTEXT}][,:;?!])[,:;?!]*)")
MARKS_BEFORE_CHINESE = re.compile(f"([,:;?!]+(?=[{CONTEXT}]))")
# Patterns start with a literal so that the regex engine can skip ahead; "——" is right as is.
ELLIPSES = (("...", re.compile(r"\.\.\.+")), ("。。。", re.compile("。。。+")))
DASHES = (
    ("--", re.compile("--+")),
    ("－－", re.compile("－－+")),
    ("\u2015", re.compile("\u2015+")),
    ("\u2014", re.compile("\u2014(?<!\u2014\u2014)(?!\u2014)|\u2014\u2014\u2014+")),
)
PAIRED = re.compile(r'["(]')


def punctuation(text: str, report: Report) -> str:
    """ASCII ,:;()?! to full width in Chinese context. Keeps the number of lines.

    Chinese context: a Han character or CJK punctuation next to the mark on at least one
    side, ignoring spaces. Digits (1,000), decimals (3.5), times (9:30), URLs and Latin text
    have no Chinese neighbour and stay as they are; "__" and "XX" blanks are never touched.
    Straight double quotes are curled in pairs within a line, parentheses converted in
    matching pairs (both or neither)."""
    text = _paired_marks(text, report)
    if any(pair in text for pair in SPACED_MARK_PAIRS):
        text = SPACED_MARKS.sub(lambda m: _full_width_marks(m, report), text)
    text, after = _full_width_runs(MARKS_AFTER_CHINESE, text)
    text, before = _full_width_runs(MARKS_BEFORE_CHINESE, text)
    report.count("punctuation to full width", after + before)
    for literal, pattern in ELLIPSES:
        if literal in text:
            text = pattern.sub(lambda m: _ellipsis(m, report), text)
    for literal, pattern in DASHES:
        if literal in text:
            text = pattern.sub(lambda m: _dash(m, report), text)
    return text


def _full_width_runs(pattern: re.Pattern, text: str) -> tuple[str, int]:
    """Every run of marks the pattern matches to full width, and how many marks that made.
    (split keeps the runs, its one group, at the odd places: no Python call per run.)"""
    pieces = pattern.split(text)
    runs = pieces[1::2]
    if not runs:
        return text, 0
    pieces[1::2] = [run.translate(FULL_WIDTH) for run in runs]
    return "".join(pieces), sum(map(len, runs))


def _paired_marks(text: str, report: Report) -> str:
    """Quotes and parentheses pair up within a line: only lines that have them are read."""
    pieces, position = [], 0
    while match := PAIRED.search(text, position):
        start = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.start())
        end = len(text) if end < 0 else end
        pieces += [text[position:start], _pairs_in_line(text[start:end], report)]
        position = end
    if not pieces:
        return text
    pieces.append(text[position:])
    return "".join(pieces)


def _neighbours(string: str, start: int, end: int) -> tuple[str, str]:
    """The nearest characters before `start` and from `end` on, skipping spaces, in the line."""
    left = start - 1
    while left >= 0 and string[left] == " ":
        left -= 1
    right = end
    while right < len(string) and string[right] == " ":
        right += 1
    before = string[left] if left >= 0 else "\n"
    after = string[right] if right < len(string) else "\n"
    return before, after


def _in_chinese_context(string: str, start: int, end: int) -> bool:
    before, after = _neighbours(string, start, end)
    return bool(CONTEXT_CHAR.match(before) or CONTEXT_CHAR.match(after))


def _full_width_marks(match: re.Match, report: Report) -> str:
    run = match.group().strip(" ")
    offset = match.group().index(run[0])
    start = match.start() + offset
    if not _in_chinese_context(match.string, start, start + len(run)):
        return match.group()
    report.count("punctuation to full width", len(run))
    report.count("spaces around punctuation removed", len(match.group()) - len(run))
    return run.translate(FULL_WIDTH)


def _ellipsis(match: re.Match, report: Report) -> str:
    before, after = _neighbours(match.string, match.start(), match.end())
    has_context = CONTEXT_CHAR.match(before) or CONTEXT_CHAR.match(after)
    latin_side = before.isascii() and before.isalnum() or after.isascii() and after.isalnum()
    if not has_context or latin_side:
        return match.group()
    report.count("ellipses normalised", 1)
    return "……"


def _dash(match: re.Match, report: Report) -> str:
    if not _in_chinese_context(match.string, match.start(), match.end()):
        return match.group()
    report.count("dashes normalised", 1)
    return "——"


def _pairs_in_line(line: str, report: Report) -> str:
    """Quotes and parentheses pair up within a line; lines without them cost one scan."""
    if '"' in line:
        line = _curl_quotes(line, report)
    if "(" in line:
        line = _full_width_parens(line, report)
    return line


def _curl_quotes(line: str, report: Report) -> str:
    positions = _positions(line, '"')
    if len(positions) % 2:
        report.count("straight quotes left (odd number in a line)", len(positions))
        return line
    pairs = zip(positions[0::2], positions[1::2], strict=True)
    return _replace_pairs(line, pairs, "\u201c", "\u201d", report, "straight quotes curled")


def _full_width_parens(line: str, report: Report) -> str:
    pairs, stack = [], []
    for i in _positions(line, "(", ")"):
        if line[i] == "(":
            stack.append(i)
        elif stack:
            pairs.append((stack.pop(), i))
    return _replace_pairs(line, sorted(pairs), "（", "）", report, "parentheses to full width")


def _positions(line: str, *marks: str) -> list[int]:
    return [i for i, ch in enumerate(line) if ch in marks] if len(line) < 64 else _find_all(line, marks)


def _find_all(line: str, marks: tuple[str, ...]) -> list[int]:
    found = []
    for mark in marks:
        i = line.find(mark)
        while i >= 0:
            found.append(i)
            i = line.find(mark, i + 1)
    return sorted(found)


def _replace_pairs(line: str, pairs, opening: str, closing: str, report: Report, action: str) -> str:
    """Replace the pairs whose content has Han characters or whose outside is Chinese."""
    replaced = {}
    for open_at, close_at in pairs:
        if IS_HAN.search(line, open_at + 1, close_at) or _in_chinese_context(line, open_at, close_at + 1):
            replaced[open_at], replaced[close_at] = opening, closing
    if not replaced:
        return line
    report.count(action, len(replaced))
    pieces, position = [], 0
    for i in sorted(replaced):
        pieces += [line[position:i], replaced[i]]
        position = i + 1
    pieces.append(line[position:])
    return "".join(pieces)
