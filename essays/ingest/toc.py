"""A table of contents (目录 and the titles it lists), and the key a title is compared by."""

from __future__ import annotations

import re

from .line_kinds import NUM, Feat
from .prose import is_prose

_KEY_NUMBER = re.compile(
    rf"^(?:[{NUM}\d]+[、.．]|[（(][{NUM}\d]+[)）]|第[{NUM}\d]+[篇章节]|篇[{NUM}\d]+[:：]?)"
)
_KEY_PUNCT = re.compile(r"[\s\"“”'‘’《》:：,，.．…·_\-—]+")
TOC_HEAD = re.compile(r"目\s*录[:：]?")


def title_key(s: str) -> str:
    return _KEY_PUNCT.sub("", _KEY_NUMBER.sub("", s, count=1))


def toc(feats: list[Feat]) -> tuple[set[str], set[int]]:
    """目录 followed by short entries that reappear later as lines: titles to anchor on."""
    n = len(feats)
    for i in range(min(n, 40)):
        if feats[i].simp.startswith("目") and TOC_HEAD.fullmatch(feats[i].simp):
            entries, keys = [], {}
            j = i + 1
            while j < n and not is_prose(feats[j].simp) and len(feats[j].simp) <= 60:
                key = title_key(re.sub(r"[.…·\s]*\d+$", "", feats[j].simp))
                if key in keys:  # the first title repeated: the table has ended
                    break
                keys[key] = j
                entries.append(j)
                j += 1
            later = {title_key(feats[k].simp) for k in range(j, n)}
            hits = {k for k in keys if k and k in later}
            if len(hits) >= 2 and len(hits) >= len(keys) / 2:
                return hits, {i, *entries}
    return set(), set()
