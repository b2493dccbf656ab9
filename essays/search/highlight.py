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
    return [(a, b) for a, b, _ in hits(text, needles)]


def hits(text: str, needles: tuple[str, ...]) -> list[tuple[int, int, str]]:
    """(start, end, the word as normalised) of every occurrence."""
    pattern = _pattern(tuple(needles))
    if pattern is None or not text:
        return []
    return [(*m.span(), m.group().lower()) for m in pattern.finditer(normalize_aligned(text))]


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
WINDOW = 80  # characters in each of a snippet's stretches
LEAD = 20  # of them, before the stretch's first hit
LONE_WINDOW = 140  # a snippet of one stretch: about as long as two
OPENING = 120  # a snippet without a hit: the opening of the text


def snippet(text: str, needles: tuple[str, ...], *, windows: int = 2) -> list[Segment]:
    """The stretches of `text` where the words meet best: at most `windows` of WINDOW
    characters (one stretch of LONE_WINDOW), in text order, joined by "…": 100–160
    characters whatever the text. Without a hit (the title matched), the opening.
    """
    text = " ".join(text.split())  # paragraphs run together in a snippet
    wanted = len({n for n in needles if n})
    ranges = None
    if len(text) > SNIPPET_HEAD:
        # The opening settles it when it holds `windows` stretches with every word, well
        # before the cut: the whole text could offer only later ones, and earlier wins.
        found = [h for h in hits(text[:SNIPPET_HEAD], needles) if h[1] <= SNIPPET_HEAD - WINDOW]
        ranges = _best_windows(len(text), found, windows)
        if len(ranges) < windows or any(n < wanted for n in ranges.values()):
            ranges = None
    if ranges is None:
        found = hits(text, needles)
        ranges = _best_windows(len(text), found, windows)
    spans = [(a, b) for a, b, _ in found]
    if not spans:
        head = text[:OPENING]
        return [(head + ("…" if len(text) > len(head) else ""), False)]
    ranges = sorted(ranges)
    if len(ranges) == 1:
        start, end = ranges[0]
        ranges = [(start, min(len(text), max(end, start + LONE_WINDOW)))]
    out: list[Segment] = []
    for start, end in ranges:
        if start > 0 or out:
            out.append(("…", False))
        out += _segments(text, spans, start, end)
    if ranges[-1][1] < len(text):
        out.append(("…", False))
    return out


def _best_windows(length: int, found, windows: int) -> dict[tuple[int, int], int]:
    """Up to `windows` non-overlapping stretches, each starting LEAD characters before a hit:
    those holding the most different words, the earliest among equals. {(start, end): words}"""
    candidates = []
    j = 0
    for i, (a, _, _) in enumerate(found):
        start = max(0, a - LEAD)
        end = min(length, start + WINDOW)
        j = max(j, i)
        while j < len(found) and found[j][1] <= end:
            j += 1
        candidates.append((-len({word for _, _, word in found[i:j]}), start, end))
    chosen: dict[tuple[int, int], int] = {}
    for words, start, end in sorted(candidates):
        if all(end <= s or start >= e for s, e in chosen):
            chosen[start, end] = -words
            if len(chosen) == windows:
                break
    return chosen
