"""A damaged line repaired window by window: the token ranges around damage signals (reaching
back no further than the text that reads well), each decoded by the search, every change
recorded as a Repair."""

from __future__ import annotations

from dataclasses import replace

from ..model import Repair, Report
from .search import decode_window
from .tables import _Model, _Style
from .tokens import CHAR, HAN, LOST, LOST_MARK, QUESTION, READING, _shown, _Token, _tokenize

CONTEXT_BEFORE = 28  # window tokens before a signal: runs are rarely longer
CONTEXT_AFTER = 6
RUN_MARGIN = 2  # tokens kept before the well-read stretch that bounds a run
CONTEXT_CHARS = 3  # characters either side of a window that words may span
SIGNAL_KINDS = frozenset((QUESTION, LOST, READING))


def repaired_line(line: str, number: int, model: _Model, style: _Style, report: Report) -> tuple[str, int]:
    """_repair_line, memoised: a line's repair depends only on the line and the style, and
    damaged lines recur (pages copied from one another, the same page imported again)."""
    key = (line, style)
    known = model.lines.get(key)
    if known is None:
        scratch = Report()
        output, lost = _repair_line(line, 0, model, style, scratch)
        known = model.lines[key] = (output, lost, tuple(scratch.repairs))
    output, lost, repairs = known
    for repair in repairs:
        report.repairs.append(replace(repair, line=number))
        report.count("mojibake sites repaired")
    return output, lost


def _repair_line(line: str, number: int, model: _Model, style: _Style, report: Report) -> tuple[str, int]:
    tokens = _tokenize(line, model)
    pieces: list[str] = []
    unrecovered = 0
    position = 0
    for start, end in _windows(tokens, model):
        pieces.append("".join(t.text for t in tokens[position:start]))
        window = tokens[start:end]
        before = "".join(t.text for t in tokens[max(0, start - CONTEXT_CHARS) : start] if t.kind == CHAR)
        after = "".join(t.text for t in tokens[end : end + CONTEXT_CHARS] if t.kind == CHAR)
        previous = tokens[start - 1] if start else None
        output = decode_window(window, previous, before, after, model, style)
        original = "".join(t.text for t in window if t.kind != READING)
        if output != original:
            _record("".join(_shown(t) for t in window), output, number, report)
            unrecovered += output.count(LOST_MARK) - original.count(LOST_MARK)
        pieces.append(output)
        position = end
    pieces.append("".join(t.text for t in tokens[position:]))
    return "".join(pieces), unrecovered


def _windows(tokens: list[_Token], model: _Model) -> list[tuple[int, int]]:
    """Token ranges around damage signals, merged when they overlap."""
    ranges: list[list[int]] = []
    # only hints, "?" and trail bytes can be signals: the other tokens need no closer look
    maybe = [i for i, token in enumerate(tokens) if token.trail or token.kind in SIGNAL_KINDS]
    for i in maybe:
        if not _is_signal(tokens, i):
            continue
        start, end = _run_start(tokens, i, model), min(len(tokens), i + CONTEXT_AFTER + 1)
        if ranges and start <= ranges[-1][1]:
            ranges[-1][1] = max(ranges[-1][1], end)
        else:
            ranges.append([start, end])
    return [(a, b) for a, b in ranges]


def _run_start(tokens: list[_Token], signal: int, model: _Model) -> int:
    """Where the window before a signal starts: CONTEXT_BEFORE tokens back, or later, just
    before the nearest stretch that reads as two dictionary words in a row. Shifted characters
    are byte halves of their neighbours and almost never make two words running, so a run
    cannot reach back across such a stretch; the beam then skips the well-read text, which
    was most of its work (a window is searched in time proportional to its length)."""
    limit = max(0, signal - CONTEXT_BEFORE)
    words = model.words
    simple = model.simplified
    j = signal - 1
    while j - 3 >= limit:
        if _word_pair(tokens, j - 1, words, simple) and _word_pair(tokens, j - 3, words, simple):
            return max(limit, j - 3 - RUN_MARGIN)
        j -= 1
    return limit


def _word_pair(tokens: list[_Token], i: int, words: dict, simple: dict) -> bool:
    a, b = tokens[i], tokens[i + 1]
    if a.kind != CHAR or b.kind != CHAR:
        return False
    return simple.get(a.text, a.text) + simple.get(b.text, b.text) in words


def _is_signal(tokens: list[_Token], i: int) -> bool:
    token = tokens[i]
    if token.kind in (LOST, READING):
        return True
    if not (token.kind == QUESTION or token.trail):
        return False
    return _han_at(tokens, i - 1) or _han_at(tokens, i + 1)


def _han_at(tokens: list[_Token], i: int) -> bool:
    if not 0 <= i < len(tokens):
        return False
    token = tokens[i]
    return token.kind in (LOST, READING) or (token.kind == CHAR and bool(HAN.match(token.text)))


def _record(before: str, after: str, line: int, report: Report) -> None:
    """One Repair per window, trimmed to the span that changed."""
    prefix = 0
    while prefix < min(len(before), len(after)) and before[prefix] == after[prefix]:
        prefix += 1
    suffix = 0
    limit = min(len(before), len(after)) - prefix
    while suffix < limit and before[len(before) - 1 - suffix] == after[len(after) - 1 - suffix]:
        suffix += 1
    old, new = before[prefix : len(before) - suffix], after[prefix : len(after) - suffix]
    kind = "unrecoverable" if new and set(new) == {LOST_MARK} else "mojibake"
    report.repairs.append(Repair(kind, old, new, line))
    report.count("mojibake sites repaired")
