"""Theme suggestions from a curated lexicon (data/themes.txt) and from 关键词 lines.

Each theme has a Simplified name and trigger words. An essay's title and body are converted
to Simplified once, each trigger is counted (a trigger in the title counts three times), and
the best-supported few themes are returned, strongest first. Keyword lines (关键词:…) add the
themes their words trigger; matching is therefore script-blind.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path

from .script import to_simplified

LEXICON = Path(__file__).parent / "data" / "themes.txt"
MAX_THEMES = 4
MIN_HITS = 2  # a theme needs at least this many trigger hits (title hits count triple)
# ...and, so that a word mentioned in passing does not tag a long essay, at least one hit per
# this many characters and this share of the strongest theme's score.
CHARS_PER_HIT = 800
SHARE_OF_BEST = 0.25
TITLE_WEIGHT = 3
KEYWORD_WEIGHT = 5


@cache
def lexicon() -> tuple[tuple[str, tuple[str, ...]], ...]:
    themes = []
    for line in LEXICON.read_text("utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or ":" not in line:
            continue
        name, _, words = line.partition(":")
        name = name.strip()
        triggers = {w.strip() for w in words.split(",") if w.strip()} | {name}
        themes.append((name, tuple(sorted(triggers, key=len, reverse=True))))
    return tuple(themes)


def _trie_pattern(words) -> str:
    """A pattern matching what "|".join(words sorted longest first) matches: the longest word
    starting at each position. Factored as a trie, so a position whose character starts no
    word is passed over at once and one that does tries only the words sharing it (the flat
    alternation tries every word at every such position: about twice as slow)."""
    trie: dict = {}
    for w in words:
        node = trie
        for c in w:
            node = node.setdefault(c, {})
        node[""] = {}  # a word ends here

    def emit(node: dict) -> str:
        # a longer word before the word ending here: regex alternation takes the first that fits
        alts = [re.escape(c) + emit(child) for c, child in node.items() if c]
        if not alts:
            return ""
        if len(alts) == 1 and "" not in node:
            return alts[0]
        return "(?:" + "|".join(alts) + ("|)" if "" in node else ")")

    return emit(trie)


@cache
def _pattern() -> tuple[re.Pattern, dict[str, list[str]]]:
    owners: dict[str, list[str]] = {}
    for name, triggers in lexicon():
        for t in triggers:
            owners.setdefault(t, []).append(name)
    return re.compile(_trie_pattern(owners)), owners


_KEYWORD_LINE = re.compile(r"^(?:关键词|關鍵詞|关键字|關鍵字)\s*[:：]\s*(.+)$")


def suggest_themes(
    title: str, body: str, keywords: list[str] | None = None, simplified: bool = False
) -> list[str]:
    """A few theme names (Simplified), ranked by how strongly the essay uses their triggers.

    `simplified` says the text is known to be in Simplified script (saves a conversion)."""
    rx, owners = _pattern()
    scores: dict[str, int] = {}

    def tally(text: str, weight: int) -> None:
        # each distinct trigger once, with its number of hits (the pattern has no groups)
        for trigger, hits in Counter(rx.findall(text if simplified else to_simplified(text))).items():
            for name in owners[trigger]:
                scores[name] = scores.get(name, 0) + weight * hits

    tally(title or "", TITLE_WEIGHT)
    tally(body or "", 1)
    for word in keywords or []:
        tally(word, KEYWORD_WEIGHT)
    for line in (body or "").split("\n", 3)[:3]:
        m = _KEYWORD_LINE.match(line.strip())
        if m:
            tally(m.group(1), KEYWORD_WEIGHT)
    if not scores:
        return []
    floor = max(MIN_HITS, len(body or "") / CHARS_PER_HIT, SHARE_OF_BEST * max(scores.values()))
    ranked = sorted((s, name) for name, s in scores.items() if s >= floor)
    ranked.sort(key=lambda x: -x[0])
    return [name for _s, name in ranked[:MAX_THEMES]]
