"""A title made from an essay's opening words ends where a clause ends, never mid-word.

Part of the import pipeline (segment.generated_title); the reading site's lists use it too.
Cutting a clause at a fixed 20 characters gave 「…坚定了理」 (理想 cut in
two, issue 17). Without a word segmenter a clause is only cut where a word surely ends: at
a pause mark (、 or a space), after an aspect particle (了, 着, 过) or before a conjunction
(和, 与, 及, 并, 而), and the cut is shown with an ellipsis.
"""

import re

CLAUSE_END = re.compile(r"[，,。：:；;！!？?（(\n]")
PAUSE = "、 　"
AFTER = "了着过"  # a word ends after these
BEFORE = "和与及并而"  # and before these
QUOTES = " “”\"‘’'「」『』《》〈〉"
SHORTEST = 4  # a clause shorter than this (首先，) is read with the next one
LONGEST = 30  # a clause longer than this is cut at a word's end


def clause_title(text: str, longest: int = LONGEST) -> str:
    """The opening clause of `text` (with the next ones while it is shorter than SHORTEST),
    whole when it has at most `longest` characters, else cut at the last word end within
    them and followed by "…"."""
    text = " ".join((text or "").split())
    title, rest = "", text
    while rest and len(title.strip(QUOTES)) < SHORTEST:
        match = CLAUSE_END.search(rest)
        end = match.start() if match else len(rest)
        title += ("，" if title else "") + rest[:end]
        rest = rest[end + 1 :] if match else ""
    title = title.strip(QUOTES)
    if len(title) <= longest:
        return title
    window = title[:longest]
    cut = max(
        max(window.rfind(c) for c in PAUSE + BEFORE),
        max(window.rfind(c) + 1 for c in AFTER),
    )
    if cut < SHORTEST:
        return title  # no sure word end: the whole clause rather than half a word
    return window[:cut].rstrip(PAUSE) + "…"
