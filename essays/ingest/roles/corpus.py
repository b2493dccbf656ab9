"""The annotated corpus, and its truth turned into one role per line.

Truth (`corpus/truth/NAME.json`, the devset's schema) says what the essays are; the model learns
what each line of the prepared text is. `line_roles` derives the second from the first by
finding each essay's title, byline and body span in the lines, so the corpus is annotated once,
in the schema the scorer reads, and the roles follow from it.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .. import Report, prepare
from ..clean import clean
from ..cleaned import Line
from ..script import to_simplified
from ..sublines import split_lines
from ..toc import TOC_HEAD

CORPUS = Path(__file__).resolve().parent.parent / "corpus"

# The roles. A new essay starts at TITLE, or at START when it has no title line.
CHROME = "chrome"  # site furniture, meta lines, 小编 prefaces: never in an essay
COLLECTION = "collection"  # the document's own title line
PREFACE = "preface"  # the collection's own prose before its essays: 编者按, 导语, 小编 intros
TOC = "toc"  # a table of contents line: segment finds the essays' titles by it
HEAD = "head"  # other lines before the first essay (counters, labels)
MARKER = "marker"  # an essay's number without a title: 篇一, 【范文2】, 第3篇
TITLE = "title"
SUBTITLE = "subtitle"
BYLINE = "byline"
START = "start"  # an essay's first body line
BODY = "body"
OTHER = "other"  # between or after essays, not an essay's and not listed as chrome
BYLINE_MAX = 50
PREFACE_MIN = 30
_SENTENCE = re.compile(r"[。；;！!]")
HEADER_LINES = 5  # an essay's title, subtitle and byline lie within this many lines above its body
ROLES = (CHROME, COLLECTION, PREFACE, TOC, HEAD, MARKER, TITLE, SUBTITLE, BYLINE, START, BODY, OTHER)

_COUNTER = re.compile(
    r"^(?:[(（]?篇[一二三四五六七八九十0-9]+[)）:：、.]?|[0-9一二三四五六七八九十]+[、.:：])"
)
_N = "[0-9一二三四五六七八九十两]{1,3}"
_MARKER_LINE = re.compile(rf"^[【\[(（]?(?:篇{_N}|第{_N}篇|范文{_N}|{_N})[】\])）]?[:：、.]?$")
_QUOTES = str.maketrans({c: '"' for c in "“”„‟「」『』＂'‘’"})


PINYIN_NOTE = re.compile(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿɡ]+[)）]")


def squash(s: str | None) -> str:
    """The comparable form of a span: NFKC, Simplified, one kind of quote, no spaces, no
    pinyin annotations (the prepared text has lost them)."""
    if not s:
        return ""
    s = to_simplified(unicodedata.normalize("NFKC", s)).translate(_QUOTES)
    return PINYIN_NOTE.sub("", re.sub(r"\s+", "", s))


def _part(span: str | None, last: bool = False) -> str | None:
    """A span that crosses a line break is looked up by its part on one line."""
    if not span or "\n" not in span:
        return span
    parts = [p for p in span.split("\n") if p.strip()]
    return (parts[-1] if last else parts[0]) if parts else None


@dataclass
class Document:
    name: str
    path: Path
    truth: dict
    lines: list[str] = field(default_factory=list)  # the prepared text's lines (not stripped)
    roles: list[str | None] = field(default_factory=list)  # None for a blank line
    cleaned: list[Line] | None = None  # what the rules' cleaning leaves: the lines the model sees
    unplaced: list[str] = field(default_factory=list)  # truth spans not found in the lines


def load(corpus: Path = CORPUS, frozen: bool = False) -> list[Document]:
    base = corpus / "frozen" if frozen else corpus
    docs = []
    for path in sorted((base / "docs").iterdir()):
        truth_path = base / "truth" / (path.stem + ".json")
        if truth_path.exists():
            docs.append(Document(path.stem, path, json.loads(truth_path.read_text("utf-8"))))
    return docs


def prepared_lines(doc: Document) -> list[str]:
    if not doc.lines:
        extraction, text, widths = prepare(doc.path.read_bytes(), doc.path.name, Report())
        doc.lines = text.split("\n")
        cleaned = clean(text, Report(), extraction.hints, widths)
        doc.cleaned = split_lines(cleaned.lines, cleaned.simplified, Report())
    return doc.lines


def model_view(lines: list[Line]) -> tuple[list[str], list[int]]:
    """The cleaned lines as the model reads them: a blank line wherever source lines were
    skipped (blank or removed), and the position of each cleaned line in that list."""
    view: list[str] = []
    at: list[int] = []
    for k, line in enumerate(lines):
        if k and line.start > lines[k - 1].end + 1:
            view.append("")
        at.append(len(view))
        view.append(line.text)
    return view, at


def cleaned_roles(doc: Document) -> tuple[list[str], list[str | None]]:
    """The model's training example: the cleaned lines (with gaps) and the role of each, the
    role of the first source line it was made from."""
    roles = line_roles(doc)
    view, at = model_view(doc.cleaned or [])
    out: list[str | None] = [None] * len(view)
    titles = {squash(e.get("title")): TITLE for e in doc.truth.get("essays") or [] if e.get("title")}
    for key in (doc.truth.get("collection_title"), doc.truth.get("collection_title_raw")):
        if key:
            titles.setdefault(squash(key), COLLECTION)
    cleaned = doc.cleaned or []
    for j, (line, k) in enumerate(zip(cleaned, at, strict=True)):
        role = roles[line.start] or BODY
        first = j + 1 < len(cleaned) and cleaned[j + 1].start == line.start
        second = j > 0 and cleaned[j - 1].start == line.start
        if first or second:
            role = _piece_role(doc, squash(line.text), role, titles, first)
        elif role == CHROME and squash(line.text) != squash(doc.lines[line.start]):
            # the rules cut the furniture off this line ("标题 发表时间:…" -> "标题"): what is
            # left is judged by itself
            role = titles.get(squash(line.text), role)
        out[k] = role
    return view, out


def _piece_role(doc: Document, key: str, role: str, titles: dict, first: bool) -> str:
    """The role of one piece of a line sublines.split_lines cut in two, from the truth: a title
    or a byline the truth names, the start of an essay, or else the line's own role."""
    essays = doc.truth.get("essays") or []
    if key in titles:
        return titles[key]
    names = [squash(e.get(f)) for e in essays for f in ("author", "byline_raw") if e.get(f)]
    if len(key) <= BYLINE_MAX and any(n and (n in key or key in n) for n in names):
        return BYLINE
    starts = [
        squash(_part(e.get(f))) for e in essays for f in ("starts_with", "starts_with_clean") if e.get(f)
    ]
    if any(s and key.startswith(s[:10]) for s in starts):
        return START
    if first:
        return role if role not in (START, BODY) else BODY
    if role in (TITLE, COLLECTION):
        return HEAD  # what follows a title on its line is none of the text unless it starts it
    return BODY if role == START else role


def _back(keys: list[str], i: int, count: int) -> int:
    """The index `count` non-blank lines before line i (blank lines do not count)."""
    while i > 0 and count > 0:
        i -= 1
        count -= bool(keys[i])
    return i


class _Finder:
    """Where a truth span lies in the prepared lines (compared squashed)."""

    def __init__(self, lines: list[str]):
        self.keys = [squash(line) for line in lines]
        self.n = len(lines)

    def find(
        self, span: str | None, lo: int, hi: int, take: int = 10, opening: bool = False, last: bool = False
    ) -> int | None:
        """The first line in [lo, hi) holding the span (with `opening`, a line beginning with
        it first: an essay's first words may also stand inside its title; with `last`, the
        last line holding the whole span: an essay's closing words may also stand earlier in
        it, where a page repeats a paragraph)."""
        keys = self.keys
        key = squash(span)
        if not key:
            return None
        span_lines = range(lo, min(hi, self.n))
        exact = [i for i in span_lines if keys[i] == key]
        if exact:  # a line that is the span itself, before one that merely holds it
            return exact[-1] if not opening else exact[0]
        if last:
            holding = [i for i in span_lines if key in keys[i]]
            if holding:
                return holding[-1]
        for cut in (key, key[:take], key[-take:]):
            if opening:
                for i in span_lines:
                    if cut and keys[i].startswith(cut):
                        return i
            for i in span_lines:
                if cut and cut in keys[i]:
                    return i
        return None


def line_roles(doc: Document) -> list[str | None]:
    """One role per prepared line (None for blank lines), derived from the truth."""
    f = _Finder(prepared_lines(doc))
    roles: list[str | None] = [None] * len(f.keys)
    spans = _essay_spans(doc, f)
    # an essay's body runs to its end line, or to the line before the next essay's head
    for k, span in enumerate(spans):
        next_head = f.n
        if k + 1 < len(spans):
            nxt = spans[k + 1]
            next_head = min(x for x in (nxt[0], nxt[1], *nxt[2], nxt[3]) if x is not None)
        span[4] = _essay_roles(_last_end(span, next_head, f), next_head, f, roles)
    first = min((x for s in spans for x in (s[0], s[1], *s[2], s[3]) if x is not None), default=f.n)
    _outside_roles(doc.truth, first, f, roles)
    doc.roles = roles
    return roles


def _last_end(span: list, next_head: int, f: _Finder) -> list:
    """The span with its body ending on the last line before the next essay that holds its
    closing words, where they stand twice."""
    essay, end = span[5], span[4]
    if end is None:
        return span
    for value in (essay.get("ends_with_clean"), essay.get("ends_with")):
        later = f.find(_part(value, True), end + 1, next_head, last=True)
        if later is not None:
            return [*span[:4], later, essay]
    return span


def _essay_spans(doc: Document, f: _Finder) -> list[list]:
    """(title, subtitle, bylines, start, end, essay) of each essay the truth lists and the lines hold,
    in order; an essay whose start is not found is noted in doc.unplaced."""
    keys, n, find = f.keys, f.n, f.find
    cursor = 0
    spans = []
    for essay in doc.truth.get("essays") or []:
        start = None
        for key in ("starts_with", "starts_with_clean", *essay.get("alt_starts_with", [])):
            value = essay.get(key) if key.startswith("starts") else key
            start = find(_part(value), cursor, n, opening=True)
            if start is not None:
                break
        if start is None:
            doc.unplaced.append(f"start {essay.get('starts_with')!r}")
            continue
        head_lo = max(cursor, _back(keys, start, HEADER_LINES))
        title = find(_COUNTER.sub("", squash(essay.get("title"))), head_lo, start + 1, take=8)
        subtitle = find(essay.get("subtitle"), head_lo, start + 1)
        bylines = []
        for value in (essay.get("byline_raw"), essay.get("author"), essay.get("organization")):
            at = find(value, head_lo, start)
            if at is not None and len(keys[at]) <= BYLINE_MAX:  # a name in a sentence is no byline
                bylines.append(at)
        bylines = sorted(set(bylines))
        end = find(_part(essay.get("ends_with_clean") or essay.get("ends_with"), True), start, n, take=8)
        if end is None:
            end = find(_part(essay.get("ends_with"), True), start, n, take=8)
        spans.append([title, subtitle, bylines, start, end, essay])  # the essay: some are unplaced
        cursor = start + 1
    return spans


def _essay_roles(span: list, next_head: int, f: _Finder, roles: list[str | None]) -> int:
    """Set the roles of one essay's lines; return the line its body ends on."""
    keys, find = f.keys, f.find
    title, subtitle, bylines, start, end, essay = span
    if end is None or end >= next_head:
        end = next_head - 1
    for i in range(start, end + 1):
        if keys[i]:
            roles[i] = BODY
    roles[start] = START
    # a closing signature after the body ("作者单位：…", "——某某")
    if not bylines:
        for value in (essay.get("byline_raw"), essay.get("author")):
            at = find(value, end + 1, min(next_head, end + 4))
            if at is None and value:
                at = find(value, max(start + 1, end - 1), end + 1)
            if at is not None and at != start and len(keys[at]) <= BYLINE_MAX:
                roles[at] = BYLINE
                break
    for i in bylines:
        if i != start:
            roles[i] = BYLINE
    if subtitle is not None and subtitle != start:
        roles[subtitle] = SUBTITLE
    if title is not None and title != start:
        roles[title] = TITLE
    else:  # an untitled essay numbered by a line of its own
        for i in range(_back(keys, start, 2), start):
            if roles[i] is None and _MARKER_LINE.match(keys[i]):
                roles[i] = MARKER
    return end


def _outside_roles(truth: dict, first: int, f: _Finder, roles: list[str | None]) -> None:
    """The lines outside the essays: chrome, the collection's title, a table of contents, a
    preface, and the rest before (HEAD) or between and after the essays (OTHER)."""
    keys, n = f.keys, f.n
    collection = truth.get("collection_title_raw") or truth.get("collection_title")
    col_at = f.find(collection, 0, first, take=8) if collection else None
    chrome = {squash(c) for c in truth.get("chrome_lines") or [] if squash(c)}
    for i in range(n):
        if not keys[i]:
            roles[i] = None
        elif keys[i] in chrome:
            roles[i] = CHROME
        elif roles[i] is None:
            if i < first:
                roles[i] = COLLECTION if (col_at is not None and keys[i] == keys[col_at]) else HEAD
            else:
                roles[i] = OTHER  # between or after the essays
    if col_at is not None and roles[col_at] in (HEAD, None):
        roles[col_at] = COLLECTION
    toc = [squash(t) for t in truth.get("toc_titles") or [] if squash(t)]
    for i in range(min(first, n)):
        if keys[i] and (TOC_HEAD.fullmatch(keys[i]) or any(t in keys[i] for t in toc)):
            roles[i] = TOC
    # prose before the first essay introduces the collection (the truth lists it as chrome:
    # it is no essay's text); a preface line may become the collection's description
    for i in range(min(first, n)):
        if roles[i] in (CHROME, HEAD) and len(keys[i]) >= PREFACE_MIN and _SENTENCE.search(keys[i]):
            roles[i] = PREFACE
