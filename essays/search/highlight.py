"""Where query words occur in original text, for snippets and marked essays: pure Python.

Matching happens on the normalised text (normalize_aligned keeps one character per
character), so 幹部 in a Traditional essay is found by 干部 and the original characters are
what the reader sees. Results are plain (text, is_hit) segments; rendering, with escaping,
is the template layer's job.
"""

import re
from functools import lru_cache

from .tokens import normalize_aligned

Segment = tuple[str, bool]


@lru_cache(maxsize=256)
def _pattern(needles: tuple[str, ...]) -> re.Pattern | None:
    alternatives = []
    for needle in sorted(set(needles), key=len, reverse=True):
        if not needle:
            continue
        if needle.isascii():
            # Latin words match whole: "ai" must not light up "said".
            alternatives.append(rf"(?<![0-9a-z]){re.escape(needle)}(?![0-9a-z])")
        else:
            alternatives.append(re.escape(needle))
    return re.compile("|".join(alternatives)) if alternatives else None


def hit_spans(text: str, needles: tuple[str, ...]) -> list[tuple[int, int]]:
    pattern = _pattern(tuple(needles))
    if pattern is None or not text:
        return []
    return [m.span() for m in pattern.finditer(normalize_aligned(text))]


def _segments(text: str, spans, start: int, end: int) -> list[Segment]:
    out: list[Segment] = []
    position = start
    for a, b in spans:
        if b <= start or a >= end:
            continue
        a, b = max(a, start), min(b, end)
        if a > position:
            out.append((text[position:a], False))
        out.append((text[a:b], True))
        position = b
    if position < end:
        out.append((text[position:end], False))
    return out


def marked(text: str, needles: tuple[str, ...]) -> list[Segment]:
    """All of `text`, with every occurrence of the needles flagged."""
    return _segments(text, hit_spans(text, needles), 0, len(text))


def snippet(text: str, needles: tuple[str, ...], *, width: int = 40, windows: int = 2) -> list[Segment]:
    """Up to `windows` stretches of about 2×`width` characters around hits, joined by "…".

    Without a hit (the title matched) the snippet is the opening of the text.
    """
    text = " ".join(text.split())  # paragraphs run together in a snippet
    spans = hit_spans(text, needles)
    if not spans:
        head = text[: 2 * width]
        return [(head + ("…" if len(text) > len(head) else ""), False)]
    ranges: list[list[int]] = []
    for a, b in spans:
        start, end = max(0, a - width), min(len(text), b + width)
        if ranges and start <= ranges[-1][1]:
            ranges[-1][1] = max(ranges[-1][1], end)
        elif len(ranges) < windows:
            ranges.append([start, end])
        else:
            break
    out: list[Segment] = []
    for i, (start, end) in enumerate(ranges):
        if start > 0 or i > 0:
            out.append(("…", False))
        out += _segments(text, spans, start, end)
    if ranges[-1][1] < len(text):
        out.append(("…", False))
    return out
