"""Repair GBK byte-misalignment mojibake (docs research §2).

What happened to the damaged documents: the text was GBK, a decoder lost one byte, and from
there on every character it produced was made of the trail byte of one original character and
the lead byte of the next (`當地的報刊` -> `數氐膱罂`). The run ends where a trail byte happens
to be ASCII (0x40-0x7E) and the decoder resynchronises: the stray `F`, `r`, `^`, `M` after a
run is the last original character's trail byte. Inside runs, full-width punctuation became
ASCII (NFKC upstream: `！` -> `!`), characters the site could not represent became `?` (which
sometimes ate the following `(` of a pinyin annotation), and pairs from GBK's user-defined
areas were silently dropped.

The repair re-reads the damaged span one byte over. Each window of a line around damage
signals (a `?`, a lone ASCII byte next to Han characters, a pinyin hint left by
pinyin.strip_pinyin) is decoded with a beam search over two modes: "aligned" (a character is
what it shows) and "shifted" (its bytes belong half to the previous and half to the next
original character). Unknown bytes (a lost lead byte, a `?`, a dropped pair) are enumerated
among the values that give real characters (the commonest ones, and those that make a word
with the character before); pinyin hints restrict them to characters with that reading. Paths
are scored with a word unigram model over jieba's dictionary (the best segmentation, as jieba's
own route; traditional characters are looked up through OpenCC t2s), plus penalties for
starting a run, for every byte chosen freely, for inventing a dropped pair, for a character of
the other script than the document's, and for giving up (〓). The damaged reading is always
one of the paths, so text changes only where a repaired reading is far more plausible.

Gated at document level: only documents with pinyin hints or with very rare characters next to
damage signals are searched, so clean documents pay one pass over their distinct characters and
come out identical. Every change is recorded as a Repair(before, after, line).
"""

from __future__ import annotations

import re

from ..model import Repair, Report
from ..pinyin import HINTS, LOST_HINT, READING_HINT
from .gate import SIGNAL, is_traditional, looks_damaged
from .tables import _DocumentModel, _Model, _Style
from .tokens import LOST_MARK
from .windows import repaired_line


def repair_mojibake(text: str, report: Report) -> str:
    """Gated: touches only documents that show damage. Keeps the number of lines.

    Resolves every hint pinyin.strip_pinyin left: into a repaired character or into 〓."""
    has_hints = (LOST_HINT in text or READING_HINT in text) and HINTS.search(text)
    if not has_hints and not looks_damaged(text):
        return text
    shared = _Model.get()
    shared.trim_caches()
    style = _Style(
        traditional=is_traditional(text),
        # Sources folded by NFKC upstream have no full-width ，; repaired text follows suit.
        ascii_punctuation="，" not in text and "：" not in text,
    )
    model = _DocumentModel(shared, shared.traditional_set if style.traditional else shared.simplified_set)
    lines = text.split("\n")
    unrecovered = 0
    for number, line in enumerate(lines):
        if SIGNAL.search(line):
            lines[number], lost = repaired_line(line, number + 1, model, style, report)
            unrecovered += lost
        if HINTS.search(lines[number]):  # never let a hint through
            lines[number], lost = _drop_hints(lines[number], number + 1, report)
            unrecovered += lost
    if unrecovered:
        report.count("mojibake characters not recovered (〓)", unrecovered)
        report.warn(
            f"{unrecovered} damaged character(s) could not be recovered and are marked {LOST_MARK}; "
            "compare with the source"
        )
    return "\n".join(lines)


def _drop_hints(line: str, number: int, report: Report) -> tuple[str, int]:
    """Hints outside any window: a lost character becomes 〓, a reading hint goes."""
    lost = 0

    def resolve(match: re.Match) -> str:
        nonlocal lost
        if match.group(1) != LOST_HINT:
            return ""
        lost += 1
        report.repairs.append(Repair("unrecoverable", f"?({match.group(2)})", LOST_MARK, number))
        return LOST_MARK

    return HINTS.sub(resolve, line), lost
