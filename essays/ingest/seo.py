"""A site's SEO keyword pasted into the text: removed where it ends the first sentence of
most paragraphs and also names a short line."""

from __future__ import annotations

import re

from .cleaned import Line
from .model import Report
from .prose import HAN
from .script import to_simplified

HAN_TAIL = re.compile(f"[{HAN}]{{3,8}}$")


def remove_seo_injection(lines: list[Line], report: Report, simplified: bool = False) -> None:
    """A site keyword pasted before the first full stop of most paragraphs (…历久弥新教育培训。).

    Only a phrase that also occurs in a short (title) line is taken as the injected keyword,
    and only when it ends the first sentence of at least three paragraphs and of at least
    40% of the long ones; it is removed only there.
    """
    paras = [i for i, line in enumerate(lines) if len(line.text) >= 30 and "。" in line.text]
    if len(paras) < 3:
        return
    tails: list[tuple[int, str]] = []
    for i in paras:
        text = lines[i].text
        stop = text.index("。")
        m = HAN_TAIL.search(text[max(0, stop - 8) : stop])
        if m:
            tails.append((i, m.group(0)))
    # a phrase in enough paragraphs has its last three characters in at least as many
    need = max(3, 0.4 * len(paras))
    ends: dict[str, int] = {}
    for _i, tail in tails:
        ends[tail[-3:]] = ends.get(tail[-3:], 0) + 1
    if not any(c >= need for c in ends.values()):
        return
    # the paragraphs themselves are no evidence: a refrain they share is not a keyword
    in_paras = set(paras)
    shorts = [line.text for i, line in enumerate(lines) if len(line.text) <= 40 and i not in in_paras]
    if not simplified:
        shorts = to_simplified("\n".join(shorts)).split("\n")
    if not shorts:
        return
    tally: dict[str, list[int]] = {}
    for i, tail in tails:
        for k in range(3, len(tail) + 1):
            tally.setdefault(tail[-k:], []).append(i)
    best = None
    for phrase, where in tally.items():
        if len(where) >= 3 and len(where) >= 0.4 * len(paras):
            sp = phrase if simplified else to_simplified(phrase)
            if any(sp in s for s in shorts) and (best is None or len(phrase) > len(best)):
                best = phrase
    if best is None:
        return
    for i in tally[best]:
        text = lines[i].text
        a = text.index(best + "。")
        lines[i].text = text[:a] + text[a + len(best) :]
        if len(lines[i].simp) == len(text):
            lines[i].simp = lines[i].simp[:a] + lines[i].simp[a + len(best) :]
        else:
            lines[i].simp = to_simplified(lines[i].text)
        report.count("SEO keyword removed")
