"""What changed between two versions of a text: pure Python, no Django.

Bodies are compared paragraph by paragraph (a paragraph is a line), and a changed paragraph
character by character, since Chinese has no spaces to split words on. The result is data;
essays.admin.history escapes and renders it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher

SAME, DELETED, INSERTED = "=", "-", "+"

# Character diffs cost about len(a) * len(b) in the worst case; past this the two
# paragraphs are shown as one removed and one added.
MAX_CHAR_DIFF_CELLS = 4_000_000
# Paragraphs less alike than this are shown as removed and added rather than as edits.
MIN_PAIR_RATIO = 0.3


@dataclass
class Block:
    """One row of a paragraph diff.

    kind: "same" (unchanged paragraph), "skip" (`skipped` unchanged paragraphs not shown),
    "removed", "added" or "changed". `old`/`new` are lists of (op, text) pieces.
    """

    kind: str
    old: list[tuple[str, str]] = field(default_factory=list)
    new: list[tuple[str, str]] = field(default_factory=list)
    skipped: int = 0


def char_diff(old: str, new: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The old text with deletions marked and the new text with insertions marked."""
    if old == new:
        return [(SAME, old)], [(SAME, new)]
    prefix = _common_prefix(old, new)
    suffix = _common_prefix(old[prefix:][::-1], new[prefix:][::-1])
    a, b = old[prefix : len(old) - suffix], new[prefix : len(new) - suffix]
    old_parts: list[tuple[str, str]] = [(SAME, old[:prefix])]
    new_parts: list[tuple[str, str]] = [(SAME, new[:prefix])]
    if len(a) * len(b) > MAX_CHAR_DIFF_CELLS:
        old_parts.append((DELETED, a))
        new_parts.append((INSERTED, b))
    else:
        for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
            if tag == "equal":
                old_parts.append((SAME, a[i1:i2]))
                new_parts.append((SAME, b[j1:j2]))
            else:
                old_parts.append((DELETED, a[i1:i2]))
                new_parts.append((INSERTED, b[j1:j2]))
    old_parts.append((SAME, old[len(old) - suffix :]))
    new_parts.append((SAME, new[len(new) - suffix :]))
    return _merge(old_parts), _merge(new_parts)


def paragraph_diff(old: str, new: str, *, context: int = 1) -> list[Block]:
    """Blocks from the old text to the new; unchanged runs keep `context` paragraphs each side."""
    a, b = _paragraphs(old), _paragraphs(new)
    blocks: list[Block] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            blocks.extend(_unchanged(a[i1:i2], context, first=not blocks, last=i2 == len(a)))
            continue
        old_run, new_run = a[i1:i2], b[j1:j2]
        paired = min(len(old_run), len(new_run))
        for old_par, new_par in zip(old_run[:paired], new_run[:paired], strict=True):
            if SequenceMatcher(None, old_par, new_par, autojunk=False).quick_ratio() >= MIN_PAIR_RATIO:
                old_parts, new_parts = char_diff(old_par, new_par)
                blocks.append(Block("changed", old=old_parts, new=new_parts))
            else:
                blocks.append(Block("removed", old=[(DELETED, old_par)]))
                blocks.append(Block("added", new=[(INSERTED, new_par)]))
        blocks.extend(Block("removed", old=[(DELETED, p)]) for p in old_run[paired:])
        blocks.extend(Block("added", new=[(INSERTED, p)]) for p in new_run[paired:])
    return blocks


def list_diff(old: list[str], new: list[str]) -> list[tuple[str, str]]:
    """Items of two lists (e.g. theme names) as (op, item): kept, removed, then added."""
    old_set, new_set = set(old), set(new)
    return (
        [(SAME, x) for x in new if x in old_set]
        + [(DELETED, x) for x in old if x not in new_set]
        + [(INSERTED, x) for x in new if x not in old_set]
    )


def _paragraphs(text: str) -> list[str]:
    return [line for line in (text or "").split("\n") if line.strip()]


def _unchanged(run: list[str], context: int, *, first: bool, last: bool) -> list[Block]:
    head = 0 if first else context
    tail = 0 if last else context
    if len(run) <= head + tail + 1:
        return [Block("same", old=[(SAME, p)], new=[(SAME, p)]) for p in run]
    blocks = [Block("same", old=[(SAME, p)], new=[(SAME, p)]) for p in run[:head]]
    blocks.append(Block("skip", skipped=len(run) - head - tail))
    blocks.extend(Block("same", old=[(SAME, p)], new=[(SAME, p)]) for p in run[len(run) - tail :])
    return blocks


def _common_prefix(a: str, b: str) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


def _merge(parts: list[tuple[str, str]]) -> list[tuple[str, str]]:
    merged: list[tuple[str, str]] = []
    for op, text in parts:
        if not text:
            continue
        if merged and merged[-1][0] == op:
            merged[-1] = (op, merged[-1][1] + text)
        else:
            merged.append((op, text))
    return merged
