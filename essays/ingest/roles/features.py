"""A line and its neighbours -> features for the line-role model.

The hand rules of clean.py and segment.py enter here as features, not verdicts: a chrome
pattern, a title shape or a byline parse says what it saw, and the model learns from the corpus
how much that is worth next to the line's length, punctuation, position and characters.
"""

from __future__ import annotations

import re
from collections import Counter

from ..bylines import is_name, parse_author_note, parse_byline, read_byline, unit_alone
from ..chrome import DATETIME, chrome_reason
from ..clean import PAGINATION
from ..line_kinds import GENRE, HEADING, SALUTATION, _marker, title_like
from ..prose import TERMINAL, han_count
from ..script import to_simplified

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
            # read as freely as a line known to be a byline: does it name someone?
            loose = bare or read_byline(text, s)
            f["rule.names"] = (
                "both"
                if loose and loose.author and loose.organization
                else (
                    "author" if loose and loose.author else "unit" if loose and loose.organization else "no"
                )
            )
            f["rule.name_end"] = any(is_name(s[-k:]) for k in (2, 3)) and len(s) > 3
            f["rule.unit"] = unit_alone(s)
            # bylines.signature: a bare byline giving both a unit and a person
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
    "rule.names",
)


# A page of more non-blank lines than WINDOW (a whole book pasted as one file; real pages
# have at most a few hundred, the corpus 130) is tagged a window at a time, with MARGIN lines of context either side
# that are tagged and dropped: the feature dicts of every line at once held some 7 KB a line
# (2.6 GB for a 50 MB text, past the parse worker's memory limit). A linear-chain CRF's
# choice for a line hangs on lines 100 away only in pathological cases (on 4,226 lines of
# the dev set, windows of 300 with 10 lines of margin gave the same roles).
WINDOW = 500
MARGIN = 100
SIMPLIFIED_LINES = 2000


class _Page:
    """What every line's features need of the whole page (`lines` as prepared)."""

    def __init__(self, lines: list[str], rules: bool):
        self.lines = lines
        self.rules = rules
        self.index = [i for i, line in enumerate(lines) if line.strip()]
        # made Simplified SIMPLIFIED_LINES at a time: the whole page joined, converted and split
        # at once held three copies of it (a 10 MB text's parse peaked there, issue 16); no
        # OpenCC phrase holds a line break, so each line converts the same
        self.simp = []
        for at in range(0, len(self.index), SIMPLIFIED_LINES):
            chunk = "\n".join(lines[i] for i in self.index[at : at + SIMPLIFIED_LINES])
            self.simp += [s.strip() for s in to_simplified(chunk).split("\n")]
        self.seen = Counter(self.simp)
        self.n = len(self.index)
        self.firsts: dict[str, int] = {}
        for k, s in enumerate(self.simp):
            self.firsts.setdefault(s, k)
        # what kind of page this is: a short text has no site around it; a page of many
        # chrome-looking lines has much
        self.size = _bucket(self.n, (3, 6, 10, 20, 40))

    def own(self, start: int, stop: int) -> list[dict]:
        return [_own(self.simp[k], self.lines[self.index[k]], self.rules) for k in range(start, stop)]

    def summarise(self, own: list[dict]) -> None:
        """The page-wide features from every line's own (document_features)."""
        self._summary(
            sum(1 for f in own if "rule.chrome" in f),
            next((k for k, f in enumerate(own) if f.get("rule.title_head")), None),
        )

    def summarise_apart(self) -> None:
        """The same without every line's own at once (item_windows): what _own would
        say of chrome and title heads, asked line by line."""
        self._summary(
            sum(1 for s in self.simp if chrome_reason(s)) if self.rules else 0,
            next((k for k, s in enumerate(self.simp) if title_like(s, head=True)), None)
            if self.rules
            else None,
        )

    def _summary(self, chrome: int, first_title: int | None) -> None:
        self.chrome_share = _bucket(round(10 * chrome / max(1, self.n)), (0, 1, 3, 6)) if self.rules else "-"
        self.first_title = first_title
        self.first_prose = next(
            (k for k, s in enumerate(self.simp) if s[-1:] in TERMINAL and len(s) > 20), None
        )

    def features(self, own: list[dict], first: int, start: int, stop: int) -> list[dict]:
        """The features of lines start..stop-1, `own` holding lines first.. (with the two
        on either side where the page has them)."""
        out = []
        n, size, lines = self.n, self.size, self.lines
        for k in range(start, stop):
            i = self.index[k]
            f = dict(own[k - first])
            f["pos"] = _bucket(k, (0, 1, 2, 3, 4, 6, 9, 15))
            f["size"] = size
            f["pos|size"] = f"{f['pos']}|{size}"
            f["chrome_share"] = self.chrome_share
            f["first_title"] = k == self.first_title
            f["before_prose"] = (
                _bucket(self.first_prose - k, (-1, 0, 1, 2, 3, 5)) if self.first_prose is not None else "none"
            )
            f["from_end"] = _bucket(n - 1 - k, (0, 1, 2, 4))
            f["rel"] = _bucket(round(10 * k / max(1, n)), (1, 3, 6, 9))
            f["blank_before"] = i > 0 and not lines[i - 1].strip()
            f["blank_after"] = i + 1 < len(lines) and not lines[i + 1].strip()
            f["repeated"] = self.seen[self.simp[k]] > 1
            f["repeat_of_earlier"] = self.firsts[self.simp[k]] < k
            for d in (-2, -1, 1, 2):
                j = k + d
                prefix = f"{d:+d}:"
                if 0 <= j < n:
                    for key in NEIGHBOUR_KEYS:
                        if key in own[j - first]:
                            f[prefix + key] = own[j - first][key]
                else:
                    f[prefix + "edge"] = True
            out.append(f)
        return out


def document_features(lines: list[str], rules: bool | None = None) -> list[dict]:
    """Features for each non-blank line of a document (`lines` as prepared, blank ones kept
    so that a blank line around a line can count)."""
    page = _Page(lines, RULES if rules is None else rules)
    own = page.own(0, page.n)
    page.summarise(own)
    return page.features(own, 0, 0, page.n)


def item_windows(lines: list[str], rules: bool | None = None, window: int = WINDOW, margin: int = MARGIN):
    """The model's items a stretch at a time: (keep_from, keep_to, before, items), where the
    item before + j (an iterator, made a line at a time as python-crfsuite copies them in) is
    that of non-blank line keep_from + j for the lines to keep, keep_from..keep_to-1; the
    others are context. A page of at most `window` lines is one stretch: crf_items of
    document_features. A window's feature dicts and items at once held some 14 MB beside a
    1 MB text (issue 16)."""
    page = _Page(lines, RULES if rules is None else rules)
    if page.n <= window:
        own = page.own(0, page.n)
        page.summarise(own)
        yield 0, page.n, 0, (crf_items(page.features(own, 0, k, k + 1))[0] for k in range(page.n))
        return
    page.summarise_apart()
    for keep in range(0, page.n, window):
        start, stop = max(0, keep - margin), min(page.n, keep + window + margin)
        yield keep, min(page.n, keep + window), keep - start, _items(page, start, stop)


def _items(page: _Page, start: int, stop: int):
    """The items of non-blank lines start..stop-1: a line's own features are made once and
    kept while a line within two of it still needs them."""
    first = max(0, start - 2)  # own[j - first] is line j's
    own: list[dict] = []
    for k in range(start, stop):
        upto = min(page.n, k + 3)
        if first + len(own) < upto:
            own += page.own(first + len(own), upto)
        if k - 2 > first:
            del own[: k - 2 - first]
            first = k - 2
        yield crf_items(page.features(own, first, k, k + 1))[0]


def crf_items(features: list[dict]) -> list[dict]:
    """The items in python-crfsuite's own form, which it turns into names in C ("key:value"
    for a string, 1.0 for True): only the False flags are left out, since training would
    register even an attribute of weight 0."""
    return [{key: value for key, value in f.items() if value is not False} for f in features]
