"""Hard wraps: lines of one width that break mid-sentence are rejoined into paragraphs, a
title broken after a particle and a bracket closed on the next line are joined."""

from __future__ import annotations

import re

from .cleaned import Line
from .model import Report
from .prose import HAN_RE, LIST_ITEM, display_width, ends_terminal, is_prose, loose_title

TITLE_PARTICLE_END = re.compile(r"(?:的|之|与|和|及|暨|对|关于|以及|为了|在)$")


def unwrap(texts: list[str], report: Report, known_widths: list[int] | None = None) -> list[tuple[int, int]]:
    """Groups of source lines that form one paragraph (§4 of the cleanup research).

    A document is hard-wrapped when at least three consecutive lines share one width W
    (give or take a character) without ending a sentence. Then a line of about W columns
    that does not end a sentence continues on the next line unless that one is a list item.
    Separately, a very long line broken right before its last few characters is rejoined.
    `known_widths`: the lines' widths before cleanup shortened them (pinyin annotations
    removed). A wrap may have been made before the damage or after it, so a line is taken
    as wrapped by either measure.
    """
    n = len(texts)
    # Every width test below is against 34 columns or more, and a line is at most twice as wide
    # as it is long: a line under 17 characters keeps that bound, the others are measured when
    # first needed.
    widths = [2 * len(t) if len(t) < 17 else -1 for t in texts]

    def width(i: int) -> int:
        w = widths[i]
        if w < 0:
            w = widths[i] = display_width(texts[i])
        return w

    measures = [(width, _wrap_width(texts, width))]
    if known_widths:
        measures.append((known_widths.__getitem__, _wrap_width(texts, known_widths.__getitem__)))
    measures = [(w, wrap_w) for w, wrap_w in measures if wrap_w is not None]

    groups: list[tuple[int, int]] = []
    i = 0
    while i < n:
        start = i
        while i + 1 < n:
            cur, nxt = texts[i], texts[i + 1]
            if not cur or not nxt:
                break
            wrapped = not ends_terminal(cur) and any(
                wrap_w - 6 <= w(i) <= wrap_w + 3 for w, wrap_w in measures
            )
            stray = (
                not wrapped
                and width(i) >= 120
                and (HAN_RE.match(cur[-1]) or cur[-1] in "_、,，")
                and is_prose(nxt)
                and not ends_terminal(cur)
            )
            if not (wrapped or stray) or LIST_ITEM.match(nxt):
                break
            report.count("hard wrap joined")
            i += 1
        groups.append((start, i))
        i += 1
    return groups


def _wrap_width(texts: list[str], width) -> int | None:
    """W, the width the text is wrapped at, or None when it is not hard-wrapped."""
    counts: dict[int, int] = {}
    for i, t in enumerate(texts):
        if len(t) >= 20 and not ends_terminal(t):
            w = width(i)
            if w >= 40:
                counts[w] = counts.get(w, 0) + 1
    if not counts:
        return None
    # W: the width with the most lines in [W - 6, W] (the widest of equals)
    best, best_n = 0, 0
    ws = sorted(counts)
    lo = window = 0
    for w in ws:
        window += counts[w]
        while ws[lo] < w - 6:
            window -= counts[ws[lo]]
            lo += 1
        if window >= best_n:
            best, best_n = w, window
    if best_n < 3:
        return None
    # confirm: a run of three consecutive full lines somewhere
    full = [bool(texts[i]) and best - 6 <= width(i) <= best + 3 for i in range(len(texts))]
    if any(full[i] and full[i + 1] and full[i + 2] for i in range(len(texts) - 2)):
        return best
    return None


def join_wrapped_title(lines: list[Line], report: Report) -> None:
    """A title broken after a particle: 关于在…学习的 / 研讨发言材料."""
    if len(lines) < 2:
        return
    a, b = lines[0], lines[1]
    if (
        loose_title(a.text)
        and len(a.text) <= 40
        and TITLE_PARTICLE_END.search(a.text)
        and len(b.text) <= 20
        and not re.search(r"[。，,：:！!？?；;、]", b.text)
        and not LIST_ITEM.match(b.text)
    ):
        lines[0] = Line(a.text + b.text, a.start, b.end, a.hint, a.raw + "\n" + b.raw, a.simp + b.simp)
        del lines[1]
        report.count("wrapped title joined")


def join_open_brackets(lines: list[Line], report: Report) -> None:
    """A short line that opens a bracket closed on the next short line: "(某某研究所" / "助理 林毅)"."""
    i = 0
    while i + 1 < len(lines):
        a, b = lines[i], lines[i + 1]
        if len(a.text) > 40 or ("(" not in a.text and "（" not in a.text):
            i += 1
            continue
        opened = a.text.count("(") + a.text.count("（") - a.text.count(")") - a.text.count("）")
        if (
            opened > 0
            and len(b.text) <= 40
            and b.text.rstrip().endswith((")", "）"))
            and "(" not in b.text
            and "（" not in b.text
        ):
            lines[i] = Line(a.text + b.text, a.start, b.end, a.hint or b.hint, a.raw + b.raw, a.simp + b.simp)
            del lines[i + 1]
            report.count("bracketed line joined")
        i += 1
