"""Anti-copy noise that forum software (Discuz's "jammer") scatters through a post: runs of
one- and two-character ASCII scraps, `; k: m3 }# h7 L3 U& q8`, hidden on the page and copied
with its text, at the ends of lines and glued to their first words. Cutting them is a
well-defined transformation, like removing markup; a document must show several runs before
any is cut (one alone could be a formula or an emoticon)."""

from __future__ import annotations

import re

# five or more scraps of one or two printable ASCII characters, each followed by spaces, the
# line's end or a character outside ASCII (the last scrap is glued to the text it hides in)
RUN = re.compile(r"(?<![\x21-\x7e])(?:[\x21-\x7e]{1,2}(?: +|$|(?=[^\x00-\x7f]))){5,}")
MIN_RUNS = 3  # in the document
MIN_PAIRS = 3  # two-character scraps in a run: "x + y = 1" has none
MIN_MARKS = 2  # scraps with a punctuation mark


def noise_spans(line: str) -> list[tuple[int, int]]:
    """The spans of `line` that are jammer runs."""
    spans = []
    for m in RUN.finditer(line):
        scraps = m.group().split()
        pairs = sum(1 for s in scraps if len(s) == 2)
        marks = sum(1 for s in scraps if not s.isalnum())
        if pairs >= MIN_PAIRS and marks >= MIN_MARKS:
            spans.append(m.span())
    return spans


def has_jammer(text: str) -> bool:
    """Whether the document shows MIN_RUNS runs or more (one scan of the whole text)."""
    runs = 0
    for line in text.split("\n"):
        if RUN.search(line):
            runs += len(noise_spans(line))
            if runs >= MIN_RUNS:
                return True
    return False
