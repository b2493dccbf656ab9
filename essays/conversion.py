"""Showing text in the reader's script (简/繁) with the author's own characters kept.

Two rules:

* A text already in the script asked for is returned untouched. Converting Traditional to
  Traditional is not a no-op in OpenCC (了解 becomes 瞭解, 裏 becomes 裡): the reader would
  never see what the author wrote.
* Conversion to the other script goes through OpenCC's phrase-aware Taiwan configs, then
  through the project's own phrase corrections (`data/script_phrases.tsv`).

Why tw2s / s2tw rather than t2s / s2t (measured on the 110 Traditional and 183 Simplified
documents of essays/ingest/corpus/docs and seeds/, see tests/essays/test_conversion.py):
t2s leaves the particle 著 alone (发挥著, 带著: 193 places where tw2s gives 着); s2t writes
OpenCC's own character forms (爲, 羣, 衆) that no document in the corpus uses, 2,600
characters differing from the Traditional originals against 1,788 for s2tw. The "p" configs
(tw2sp, s2twp) also swap vocabulary (资料 → 数据, 石埠街 → 石端口街): that is rewriting the
author, not changing the script.

The script-blind keys (search tokens, theme and author keys) keep essays.ingest.script's
plain t2s: they are never shown, and must not change when this file's corrections do.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import opencc

from .ingest.script import SIMPLIFIED, TRADITIONAL, detect_script

HANS = "hans"  # the reader's choices, as in the script cookie
HANT = "hant"
# A stored Script value (essays.models.Script) as the reader choice it already matches.
SCRIPT_OF_ORIGINAL = {SIMPLIFIED: HANS, TRADITIONAL: HANT}

_OPENCC_CONFIG = {HANS: "tw2s", HANT: "s2tw"}
PHRASES_FILE = Path(__file__).parent / "data" / "script_phrases.tsv"


@cache
def _opencc(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def load_phrases(path: Path = PHRASES_FILE) -> dict[str, dict[str, str]]:
    """The corrections, by target script: {"hant": {OpenCC's output: right phrase}, …}.

    One row a line, tab-separated: target (简 or 繁), what OpenCC writes, what it should be,
    and a note. Lines starting with # are comments.
    """
    targets = {"简": HANS, "繁": HANT}
    phrases: dict[str, dict[str, str]] = {HANS: {}, HANT: {}}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) < 3 or fields[0] not in targets or not fields[1] or len(fields[1]) != len(fields[2]):
            # Same length on both sides keeps offsets (search marks, snippets) valid.
            raise ValueError(f"{path.name} 第 {number} 行格式不对：{line!r}")
        phrases[targets[fields[0]]][fields[1]] = fields[2]
    return phrases


@cache
def _corrections(target: str) -> tuple[re.Pattern | None, dict[str, str]]:
    table = load_phrases()[target]
    if not table:
        return None, table
    # Longest first, so a longer phrase wins over a shorter one starting at the same place.
    alternatives = sorted(table, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, alternatives))), table


def convert_to(text: str, target: str) -> str:
    """`text` converted into `target` ("hans" or "hant"), whatever script it is in."""
    if not text:
        return text
    converted = _opencc(_OPENCC_CONFIG[target]).convert(text)
    pattern, table = _corrections(target)
    return pattern.sub(lambda m: table[m.group()], converted) if pattern else converted


def show_in(text: str, target: str, original: str | None = None) -> str:
    """`text` as a reader of `target` sees it: untouched when already written in that script.

    `original` is the stored Script value (simplified, traditional, mixed, unknown); without
    it the text's own characters decide.
    """
    if not text:
        return text
    if original is None:
        original = detect_script(text)
    if SCRIPT_OF_ORIGINAL.get(original) == target:
        return text
    return convert_to(text, target)
