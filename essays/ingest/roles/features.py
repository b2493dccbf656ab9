"""A line and its neighbours -> features for the line-role model.

The hand rules of clean.py and segment.py enter here as features, not verdicts: a chrome
pattern, a title shape or a byline parse says what it saw, and the model learns from the corpus
how much that is worth next to the line's length, punctuation, position and characters.
"""

from __future__ import annotations

import re
from collections import Counter

from ..bylines import parse_author_note, parse_byline, read_byline, unit_alone
from ..chrome import DATETIME, chrome_reason
from ..clean import PAGINATION
from ..line_kinds import GENRE, HEADING, SALUTATION, _marker, title_like
from ..names import is_name
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
# words pointing at what follows, which close an editor's or a news story's lead-in: "以下是小编整理的……",
# "下面，我们一起来看一看他的体会", "参赛作品如下："
_FORWARD = re.compile(
    r"以下[是为]|下面[是为，,]|下面我们|如下|一起来[看读听]|来看看|来听听|与大家分享|分享给大家|供大家|仅供参考|欢迎阅读"
)

RULES = True  # the hand rules as features; off for the model-alone comparison


def _bucket(n: int, edges: tuple[int, ...]) -> str:
    for edge in edges:
        if n <= edge:
            return str(edge)
    return f">{edges[-1]}"


LENGTHS = (2, 4, 8, 12, 16, 20, 25, 30, 40, 60, 100, 200)
HAN_SHARES = (2, 5, 7, 8, 9, 10)
FEW = (0, 1, 3)
DIGITS = (0, 2, 6)
SPACES = (0, 2, 5)


def _own(s: str, orig: str, rules: bool) -> dict[str, float | str]:
    """Features of one line on its own (`s` Simplified and stripped, `orig` as written), in
    python-crfsuite's form: a flag is present (True) or absent, never False (training would
    register even an attribute of weight 0)."""
    n = len(s)
    last = s[-1:]
    f: dict[str, float | str] = {
        "len": _bucket(n, LENGTHS),
        "han": _bucket(round(10 * han_count(s) / max(1, n)), HAN_SHARES),
        "first": s[:1],
        "first2": s[:2],
        "last": last,
        "last2": s[-2:],
        "comma": _bucket(s.count("，") + s.count(","), FEW),
        "stops": _bucket(s.count("。"), FEW),
        "digits": _bucket(len(_DIGITS.findall(s)), DIGITS),
        "spaces": _bucket(orig.strip().count(" ") + orig.strip().count("\u3000"), SPACES),
    }
    flags = (
        ("terminal", last in TERMINAL),
        ("colon_end", last == ":" or last == "："),
        ("genre", GENRE.search(s)),
        ("count", _COUNT.search(s)),
        ("enum", _ENUM.match(s)),
        ("dash", _DASH.match(s)),
        ("bracket", _BRACKET.match(s)),
        ("date", DATETIME.search(s)),
        ("url", _URL.search(s)),
        ("latin", _LATIN.search(s)),
        ("salutation", SALUTATION.match(s)),
        ("pipes", "|" in s or "｜" in s),
        ("forward", _FORWARD.search(s[-40:])),
    )
    for key, value in flags:
        if value:
            f[key] = True
    m = _LABEL.match(s)
    if m:
        f["label"] = m.group(1)
    for gram in dict.fromkeys(s[i : i + 2] for i in range(min(n, 12) - 1)):
        f["bi=" + gram] = 1.0
    for gram in dict.fromkeys(s[i : i + 2] for i in range(max(0, n - 12), n - 1)):
        f["end_bi=" + gram] = 1.0
    if rules:
        _rule_features(f, s, orig)
    return f


def _rule_features(f: dict, s: str, orig: str) -> None:
    """The hand rules' verdicts on the line, as features."""
    reason = chrome_reason(s)
    if reason:
        f["rule.chrome"] = reason
    flags = [
        ("rule.title", title_like(s)),
        ("rule.title_head", title_like(s, head=True)),
        ("rule.marker", _marker(s) is not None),
        ("rule.heading", HEADING.match(s)),
        ("rule.page", len(s) <= 100 and PAGINATION.search(s)),
    ]
    if len(s) <= 40:
        text = orig.strip()
        # bare accepts all labelled does, so most lines (no byline) are read once
        bare = parse_byline(text, s, bare=True)
        labelled = parse_byline(text, s) if bare is not None else None
        bare = labelled or bare
        # read as freely as a line known to be a byline: does it name someone?
        loose = bare or read_byline(text, s)
        f["rule.names"] = (
            "both"
            if loose and loose.author and loose.organization
            else ("author" if loose and loose.author else "unit" if loose and loose.organization else "no")
        )
        flags += [
            ("rule.byline", labelled is not None),
            ("rule.byline_bare", bare is not None),
            ("rule.note", parse_author_note(text, s) is not None),
            ("rule.name", is_name(s.replace(" ", ""))),
            ("rule.name_end", len(s) > 3 and (is_name(s[-2:]) or is_name(s[-3:]))),
            ("rule.unit", unit_alone(s)),
            # bylines.signature: a bare byline giving both a unit and a person
            ("rule.signature", len(s) <= 30 and bare is not None and bool(bare.author and bare.organization)),
        ]
    for key, value in flags:
        if value:
            f[key] = True


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
    "forward",
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
        """The items of lines start..stop-1, `own` holding lines first.. (with the two on
        either side where the page has them)."""
        out = []
        n, size, lines, index = self.n, self.size, self.lines, self.index
        seen, firsts, simp = self.seen, self.firsts, self.simp
        # what neighbours see, of the lines asked and the two either side only: of all of
        # `own`, a page of n lines asked a line at a time made n² such lists
        at = max(first, start - 2)  # shown[j - at] is line j's
        shown = [_shown(f) for f in own[at - first : stop + 2 - first]]
        for k in range(start, stop):
            i = index[k]
            f = dict(own[k - first])
            pos = _bucket(k, POSITIONS)
            f["pos"] = pos
            f["size"] = size
            f["pos|size"] = f"{pos}|{size}"
            f["chrome_share"] = self.chrome_share
            f["before_prose"] = (
                _bucket(self.first_prose - k, BEFORE_PROSE) if self.first_prose is not None else "none"
            )
            f["from_end"] = _bucket(n - 1 - k, FROM_END)
            f["rel"] = _bucket(round(10 * k / max(1, n)), RELATIVE)
            if k == self.first_title:
                f["first_title"] = True
            if i > 0 and not lines[i - 1].strip():
                f["blank_before"] = True
            if i + 1 < len(lines) and not lines[i + 1].strip():
                f["blank_after"] = True
            line = simp[k]
            if seen[line] > 1:
                f["repeated"] = True
            if firsts[line] < k:
                f["repeat_of_earlier"] = True
            for d, names in NEIGHBOUR_NAMES:
                j = k + d
                if 0 <= j < n:
                    for key, value in shown[j - at]:
                        f[names[key]] = value
                else:
                    f[names["edge"]] = True
            out.append(f)
        return out


def _shown(own: dict) -> list[tuple[str, float | str]]:
    """What a line's neighbours see of it."""
    return [(key, own[key]) for key in NEIGHBOUR_KEYS if key in own]


POSITIONS = (0, 1, 2, 3, 4, 6, 9, 15)
BEFORE_PROSE = (-1, 0, 1, 2, 3, 5)
FROM_END = (0, 1, 2, 4)
RELATIVE = (1, 3, 6, 9)
NEIGHBOUR_NAMES = tuple(
    (d, {key: f"{d:+d}:{key}" for key in (*NEIGHBOUR_KEYS, "edge")}) for d in (-2, -1, 1, 2)
)


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
    others are context. A page of at most `window` lines is one stretch: document_features. A window's feature dicts and items at once held some 14 MB beside a
    1 MB text (issue 16)."""
    page = _Page(lines, RULES if rules is None else rules)
    if page.n <= window:
        own = page.own(0, page.n)
        page.summarise(own)
        yield 0, page.n, 0, (page.features(own, 0, k, k + 1)[0] for k in range(page.n))
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
        yield page.features(own, first, k, k + 1)[0]
