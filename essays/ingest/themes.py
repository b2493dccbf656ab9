"""Theme suggestions from a curated lexicon (data/themes.txt) and from 关键词 lines.

Each theme has a Simplified name and trigger words. An essay's title and body are converted
to Simplified once, each trigger is counted (a trigger in the title counts three times), and
the best-supported few themes are returned, strongest first. Keyword lines (关键词:…) add the
themes their words trigger; matching is therefore script-blind.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from .script import to_simplified

LEXICON = Path(__file__).parent / "data" / "themes.txt"
MAX_THEMES = 4
MIN_HITS = 2  # a theme needs at least this many trigger hits (title hits count triple)
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


@cache
def _pattern() -> tuple[re.Pattern, dict[str, list[str]]]:
    owners: dict[str, list[str]] = {}
    for name, triggers in lexicon():
        for t in triggers:
            owners.setdefault(t, []).append(name)
    words = sorted(owners, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words))), owners


def suggest_themes(
    title: str, body: str, keywords: list[str] | None = None, simplified: bool = False
) -> list[str]:
    """A few theme names (Simplified), ranked by how strongly the essay uses their triggers.

    `simplified` says the text is known to be in Simplified script (saves a conversion)."""
    rx, owners = _pattern()
    scores: dict[str, int] = {}

    def tally(text: str, weight: int) -> None:
        for m in rx.finditer(text if simplified else to_simplified(text)):
            for name in owners[m.group(0)]:
                scores[name] = scores.get(name, 0) + weight

    tally(title or "", TITLE_WEIGHT)
    tally(body or "", 1)
    for word in keywords or []:
        tally(word, KEYWORD_WEIGHT)
    for line in (body or "").split("\n")[:3]:
        m = re.match(r"^(?:关键词|關鍵詞|关键字|關鍵字)\s*[:：]\s*(.+)$", line.strip())
        if m:
            tally(m.group(1), KEYWORD_WEIGHT)
    ranked = sorted((s, name) for name, s in scores.items() if s >= MIN_HITS)
    ranked.sort(key=lambda x: -x[0])
    return [name for _s, name in ranked[:MAX_THEMES]]
