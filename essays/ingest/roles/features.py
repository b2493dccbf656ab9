"""A line and its neighbours -> features for the line-role model.

The hand rules of clean.py and segment.py enter here as features, not verdicts: a chrome
pattern, a title shape or a byline parse says what it saw, and the model learns from the corpus
how much that is worth next to the line's length, punctuation, position and characters.
"""

from __future__ import annotations

import re
from collections import Counter

from ..clean import DATETIME, PAGINATION, TERMINAL, chrome_reason, han_count
from ..script import to_simplified
from ..segment import (
    GENRE,
    HEADING,
    SALUTATION,
    _marker,
    _unit_alone,
    is_name,
    parse_author_note,
    parse_byline,
    title_like,
)

_LABEL = re.compile(r"^([^\s:：]{1,6})\s*[:：]")
_DASH = re.compile(r"^[—\-－―─]{1,3}")
_COUNT = re.compile(r"(?:\d{1,3}|[一二两三四五六七八九十]{1,3})\s*篇")
_ENUM = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}[、.．]|\d{1,2}[、.．]|[(（][一二三四五六七八九十\d]{1,3}[)）])"
)
_BRACKET = re.compile(r"^[【\[〔]")
_URL = re.compile(r"https?://|www\.|\.com|\.cn")
_LATIN = re.compile(r"[A-Za-z]")
_DIGITS = re.compile(r"\d")

RULES = True  # the hand rules as features; off for the model-alone comparison


def _bucket(n: int, edges: tuple[int, ...]) -> str:
    for edge in edges:
        if n <= edge:
            return str(edge)
    return f">{edges[-1]}"


LENGTHS = (2, 4, 8, 12, 16, 20, 25, 30, 40, 60, 100, 200)


def _own(s: str, orig: str, rules: bool) -> dict[str, float | str]:
    """Features of one line on its own (`s` Simplified and stripped, `orig` as written)."""
    f: dict[str, float | str] = {
        "len": _bucket(len(s), LENGTHS),
        "han": _bucket(round(10 * han_count(s) / max(1, len(s))), (2, 5, 7, 8, 9, 10)),
        "first": s[:1],
        "first2": s[:2],
        "last": s[-1:],
        "last2": s[-2:],
        "terminal": s[-1:] in TERMINAL,
        "colon_end": s.endswith((":", "：")),
        "comma": _bucket(s.count("，") + s.count(","), (0, 1, 3)),
        "stops": _bucket(s.count("。"), (0, 1, 3)),
        "genre": bool(GENRE.search(s)),
        "count": bool(_COUNT.search(s)),
        "enum": bool(_ENUM.match(s)),
        "dash": bool(_DASH.match(s)),
        "bracket": bool(_BRACKET.match(s)),
        "date": bool(DATETIME.search(s)),
        "url": bool(_URL.search(s)),
        "latin": bool(_LATIN.search(s)),
        "digits": _bucket(len(_DIGITS.findall(s)), (0, 2, 6)),
        "salutation": bool(SALUTATION.match(s)),
        "spaces": _bucket(orig.strip().count(" ") + orig.strip().count("\u3000"), (0, 2, 5)),
        "pipes": "|" in s or "｜" in s,
    }
    m = _LABEL.match(s)
    if m:
        f["label"] = m.group(1)
    for gram in dict.fromkeys(s[i : i + 2] for i in range(min(len(s), 12) - 1)):
        f["bi=" + gram] = 1.0
    for gram in dict.fromkeys(s[i : i + 2] for i in range(max(0, len(s) - 12), len(s) - 1)):
        f["end_bi=" + gram] = 1.0
    if rules:
        reason = chrome_reason(s)
        if reason:
            f["rule.chrome"] = reason
        f["rule.title"] = title_like(s)
        f["rule.title_head"] = title_like(s, head=True)
        f["rule.marker"] = _marker(s) is not None
        f["rule.heading"] = bool(HEADING.match(s))
        f["rule.page"] = bool(PAGINATION.search(s)) if len(s) <= 100 else False
        if len(s) <= 40:
            text = orig.strip()
            labelled = parse_byline(text, s)
            bare = labelled or parse_byline(text, s, bare=True)  # bare accepts all labelled does
            f["rule.byline"] = labelled is not None
            f["rule.byline_bare"] = bare is not None
            f["rule.note"] = parse_author_note(text, s) is not None
            f["rule.name"] = is_name(s.replace(" ", ""))
            f["rule.unit"] = _unit_alone(s)
            # segment's _signature: a bare byline giving both a unit and a person
            f["rule.signature"] = (
                len(s) <= 30 and bare is not None and bool(bare.author and bare.organization)
            )
    return f


NEIGHBOUR_KEYS = (
    "len",
    "terminal",
    "genre",
    "rule.chrome",
    "rule.title",
    "rule.byline",
    "rule.marker",
    "dash",
    "enum",
    "label",
    "date",
    "salutation",
    "rule.name",
    "rule.unit",
    "rule.title_head",
)


def document_features(lines: list[str], rules: bool | None = None) -> list[dict]:
    """Features for each non-blank line of a document (`lines` as prepared, blank ones kept
    so that a blank line around a line can count)."""
    rules = RULES if rules is None else rules
    index = [i for i, line in enumerate(lines) if line.strip()]
    simp = to_simplified("\n".join(lines[i] for i in index)).split("\n") if index else []
    simp = [s.strip() for s in simp]
    own = [_own(s, lines[i], rules) for s, i in zip(simp, index, strict=True)]
    seen = Counter(simp)
    n = len(index)
    firsts = {}
    for k, s in enumerate(simp):
        firsts.setdefault(s, k)
    # what kind of page this is: a short text has no site around it; a page of many
    # chrome-looking lines has much
    size = _bucket(n, (3, 6, 10, 20, 40))
    chrome_share = (
        _bucket(round(10 * sum(1 for f in own if "rule.chrome" in f) / max(1, n)), (0, 1, 3, 6))
        if rules
        else "-"
    )
    first_title = next((k for k, f in enumerate(own) if f.get("rule.title_head")), None)
    first_prose = next((k for k, f in enumerate(own) if f["terminal"] and len(simp[k]) > 20), None)
    out = []
    for k, i in enumerate(index):
        f = dict(own[k])
        f["pos"] = _bucket(k, (0, 1, 2, 3, 4, 6, 9, 15))
        f["size"] = size
        f["pos|size"] = f"{f['pos']}|{size}"
        f["chrome_share"] = chrome_share
        f["first_title"] = k == first_title
        f["before_prose"] = (
            _bucket(first_prose - k, (-1, 0, 1, 2, 3, 5)) if first_prose is not None else "none"
        )
        f["from_end"] = _bucket(n - 1 - k, (0, 1, 2, 4))
        f["rel"] = _bucket(round(10 * k / max(1, n)), (1, 3, 6, 9))
        f["blank_before"] = i > 0 and not lines[i - 1].strip()
        f["blank_after"] = i + 1 < len(lines) and not lines[i + 1].strip()
        f["repeated"] = seen[simp[k]] > 1
        f["repeat_of_earlier"] = firsts[simp[k]] < k
        for d in (-2, -1, 1, 2):
            j = k + d
            prefix = f"{d:+d}:"
            if 0 <= j < n:
                for key in NEIGHBOUR_KEYS:
                    if key in own[j]:
                        f[prefix + key] = own[j][key]
            else:
                f[prefix + "edge"] = True
        out.append(f)
    return out


def crf_items(features: list[dict]) -> list[dict[str, float]]:
    """python-crfsuite takes {name: weight}: a string value becomes part of the name."""
    items = []
    for f in features:
        item = {}
        for key, value in f.items():
            if isinstance(value, bool):
                if value:
                    item[key] = 1.0
            elif isinstance(value, str):
                item[f"{key}={value}"] = 1.0
            else:
                item[key] = float(value)
        items.append(item)
    return items
