"""The text in Simplified script for the rules to match (one OpenCC pass over the whole text),
and edits found in it applied to the original."""

from __future__ import annotations

import re
from functools import cache

from .script import to_simplified


@cache
def _traditional_chars() -> re.Pattern:
    """A character class of every CJK character OpenCC t2s changes (built once, ~4,000)."""
    chars = [chr(c) for c in range(0x3400, 0xA000)] + [chr(c) for c in range(0xF900, 0xFB00)]
    converted = to_simplified("\n".join(chars)).split("\n")
    return re.compile(
        "[" + re.escape("".join(a for a, b in zip(chars, converted, strict=True) if a != b)) + "]"
    )


def has_traditional(text: str) -> bool:
    """Whether the text has a character t2s would change (a fast scan, no conversion)."""
    return _traditional_chars().search(text) is not None


def simplified_lines(text: str, raw: list[str]) -> tuple[list[str], str, bool]:
    """The source lines in Simplified script, the whole text so, and whether nothing changed."""
    if not has_traditional(text):  # most documents: nothing to convert
        return raw, text, True
    converted = to_simplified(text)
    if converted == text:
        return raw, text, True
    simp = converted.split("\n")
    if len(simp) != len(raw):  # OpenCC never joins lines, but be safe
        simp = [to_simplified(line) for line in raw]
        converted = "\n".join(simp)
        return simp, converted, all(a == b for a, b in zip(raw, simp, strict=True))
    return simp, converted, False  # same line count and a different text: some line differs


def edit_at_spans(orig: str, simp: str, spans: list[tuple[int, int]], repl: str = "") -> str:
    """Cut spans found in the Simplified text out of the original (same length in practice)."""
    if len(orig) != len(simp):
        return orig
    for a, b in sorted(spans, reverse=True):
        orig = orig[:a] + repl + orig[b:]
    return orig
