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


# A snippet is usually settled by the opening of a text: normalising (OpenCC) only this many
# characters first spares converting 3,000-character essays for a 100-character snippet.
SNIPPET_HEAD = 800
_HEAD_MARGIN = 40  # conversions may differ near the cut: a settled snippet ends well before it


def snippet(text: str, needles: tuple[str, ...], *, width: int = 40, windows: int = 2) -> list[Segment]:
    """Up to `windows` stretches of about 2×`width` characters around hits, joined by "…".

    Without a hit (the title matched) the snippet is the opening of the text.
    """
    text = " ".join(text.split())  # paragraphs run together in a snippet
    ranges = None
    if len(text) > SNIPPET_HEAD:
        spans = hit_spans(text[:SNIPPET_HEAD], needles)
        ranges, settled_at = _ranges(spans, len(text), width, windows)
        if settled_at is None or settled_at > SNIPPET_HEAD - _HEAD_MARGIN:
            ranges = None
    if ranges is None:
        spans = hit_spans(text, needles)
        ranges, _ = _ranges(spans, len(text), width, windows)
    if not ranges:
        head = text[: 2 * width]
        return [(head + ("…" if len(text) > len(head) else ""), False)]
    out: list[Segment] = []
    for i, (start, end) in enumerate(ranges):
        if start > 0 or i > 0:
            out.append(("…", False))
        out += _segments(text, spans, start, end)
    if ranges[-1][1] < len(text):
        out.append(("…", False))
    return out


def _ranges(spans, length: int, width: int, windows: int) -> tuple[list[list[int]], int | None]:
    """The snippet's stretches, and where the text stops mattering to them: the end of the
    first span past the last stretch (None when the spans ran out first)."""
    ranges: list[list[int]] = []
    for a, b in spans:
        start, end = max(0, a - width), min(length, b + width)
        if ranges and start <= ranges[-1][1]:
            ranges[-1][1] = max(ranges[-1][1], end)
        elif len(ranges) < windows:
            ranges.append([start, end])
        else:
            return ranges, b
    return ranges, None
