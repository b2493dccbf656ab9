"""Where the line-role model overrules segment: the shipped (hinted) mode's last step.

segment.py builds the essays with the model's chrome and titles as hints; it still reads as body
text the furniture between a page's title and its first sentence ("閱讀時間約 2 分鐘",
"新興國小 四年級", a repeated title, a lone name). The model sees those lines in context, so
where it is sure a line of an essay's text is no text (a title, byline, subtitle, collection
title, chrome or nothing), or sure that the essay's text starts a few short lines further down,
its reading is applied as an editor's correction would be (roles.editing.reassemble): the
essays it does not touch stay exactly as segment made them. Short lines that open an essay's
text before its first paragraph, none of them the way a text opens (a sentence, a salutation,
a heading, a date), are its header too, where the model reads them as text (读《草房子》有感,
心得分享, 文——丁韦 between a site's title and the first sentence): the model weighs such a line
by its neighbours and calls it a start as often as a title.

The bars were chosen by bench/ingest_cv.py (10-fold, hinted): 0.819 without this step, 0.829
with it; lower bars took sentences out of essays, higher ones changed almost nothing. The
header lines: 0.816 -> 0.822 over 883 documents (frozen slice 0.822 -> 0.841 with the rest of
session 22's work).
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..bylines import read_byline
from ..chrome import DATETIME
from ..cleaned import Cleaned
from ..headers import labelled_bylines
from ..line_kinds import HEADING, SALUTATION
from ..model import Report
from ..prose import ends_terminal, is_prose, is_sentence
from ..script import to_simplified
from ..structure import Essay, Structure
from .corpus import BODY, BYLINE, CHROME, COLLECTION, OTHER, START, SUBTITLE, TITLE
from .editing import Labels, derive, line_labels, pieces_of, reassemble

OVERRULE = 0.7  # the model's confidence that a line of an essay's text is not text
START_BAR = 0.5  # ... that the text starts below the essay's first lines
MAX_LEAD = 3  # at most this many short lines above that start are taken out of the text
NOT_TEXT = (TITLE, SUBTITLE, BYLINE, COLLECTION, CHROME, OTHER)
HEADER = (TITLE, SUBTITLE, BYLINE, CHROME)  # what a line above the start can be; else OTHER


def overrule(structure: Structure, cleaned: Cleaned, labels: Labels, report: Report) -> Structure:
    """`labels`: the model's (role, confidence, last source line) of each piece by the source
    line it starts on (roles.editing.line_labels)."""
    _title_from_collection(structure, line_labels(structure.lines, labels), report)
    line_roles = derive(structure, cleaned, labels)
    # fixes by (source line, piece): a line split in pieces (sub-lines) has a role a piece
    kept = [r for r in line_roles if r.reason is None]
    fixes = {
        (r.start, k): r.model_role
        for r, k in zip(kept, pieces_of(kept), strict=True)
        if r.role in (BODY, START) and r.model_role in NOT_TEXT and (r.confidence or 0) >= OVERRULE
    }
    lines = structure.lines
    label = line_labels(lines, labels)
    ordinal = pieces_of(lines)
    # the short lines above an essay's text are its header, where the model starts the text
    # below them or they read as no text at all; a heading the file's own markup marks
    # (a Word heading) is segment's to place
    shaped: set = set()  # the fixes the lines' shape made, not the model
    for e in structure.essays:
        for p, i in enumerate(e.body[1 : MAX_LEAD + 1], 1):
            got = label[i]
            if not got or got[0] != START or got[1] < START_BAR:
                continue
            lead = e.body[:p]
            if not any(is_sentence(lines[j].text) or lines[j].hint == "heading" for j in lead):
                _header(fixes, e, lead, lines, structure.simplified, label, ordinal)
            break
        else:
            p = _lead(e.body, lines, structure.simplified)
            if p:
                shaped |= _header(fixes, e, e.body[:p], lines, structure.simplified, label, ordinal)
    if CHROME in fixes.values() or OTHER in fixes.values():
        for i in labelled_bylines(lines):  # "作者：王明" says whose the text is: no chrome, a byline
            if fixes.get((lines[i].start, ordinal[i])) in (CHROME, OTHER):
                fixes[lines[i].start, ordinal[i]] = BYLINE
    if not fixes:
        return structure
    rebuilt = _rebuilt(structure, cleaned, line_roles, fixes)
    if rebuilt is None:  # a title over no text: the titles it reads do not hold together
        fixes = {k: role for k, role in fixes.items() if role != TITLE}
        rebuilt = _rebuilt(structure, cleaned, line_roles, fixes) if fixes else None
    if rebuilt is None:
        return structure
    by_shape = len(shaped & set(fixes))
    if by_shape:
        report.count("header lines above the text", by_shape)
    if len(fixes) > by_shape:
        report.count("line roles overruled by the model", len(fixes) - by_shape)
    return rebuilt


def _rebuilt(structure: Structure, cleaned: Cleaned, line_roles, fixes: dict) -> Structure | None:
    """The essays with the model's fixes, or None where they leave a title over no text."""
    rebuilt = reassemble(structure, cleaned, [replace(r) for r in line_roles], fixes, Report())
    return None if any(not e.body for e in rebuilt.essays) else rebuilt


def _header(fixes: dict, e: Essay, lead: list[int], lines, simplified, label, ordinal) -> set:
    """The lines above an essay's text: what the model reads them as, a byline where they
    name someone, else in no essay. A title among them is the essay's where the model is sure
    of it (the line segment took for its title, a site's or a column's name, is then in no
    essay), else a subtitle under the essay's title. The keys of the fixes it adds."""
    added = set()
    titled = False
    for j in lead:
        above = label[j]
        if above and above[0] in HEADER:
            role = above[0]
            if role == TITLE and above[1] < OVERRULE:
                role = SUBTITLE
        else:
            b = read_byline(lines[j].text, simplified[j])
            role = BYLINE if b is not None and b.author else OTHER
        titled = titled or role == TITLE
        added |= _fix(fixes, (lines[j].start, ordinal[j]), role)
    first = e.lines[0]
    if titled and first < lead[0] and e.title is not None and not e.title_generated:
        added |= _fix(fixes, (lines[first].start, ordinal[first]), OTHER)
    return added


def _fix(fixes: dict, key: tuple[int, int], role: str) -> set:
    """A role for a line no earlier fix gave one: {key} where it is new."""
    if key in fixes:
        return set()
    fixes[key] = role
    return {key}


LEAD_LEN = 30  # a line of an essay's header is at most this long
_DAY = re.compile(r"\d{1,2}\s*月\s*\d{1,2}\s*日")
_PART = re.compile(r"^第[一二三四五六七八九十\d]+[段条点部]")  # an outline's first part


def _lead(body: list[int], lines, simplified) -> int:
    """How many short lines open the essay's text before its first paragraph of prose, none
    of them a sentence or the text's own opening: a title, byline or label the page set above
    the text (0 when the text opens as text)."""
    for p, i in enumerate(body[: MAX_LEAD + 1]):
        text, simp = lines[i].text, simplified[i]
        if p and is_prose(text):
            return p
        if len(simp) > LEAD_LEN or _opening(simp) or lines[i].hint == "heading":
            return 0
    return 0


def _opening(simp: str) -> bool:
    """A line the text itself may open with: a sentence, a salutation, a label or a clause
    going on below, a section heading or an outline's part, a diary's or a letter's date."""
    return bool(
        ends_terminal(simp)  # a sentence among them
        or simp.endswith((":", "：", "，", ",", "、", "；", ";"))
        or SALUTATION.search(simp)
        or HEADING.match(simp)
        or _PART.match(simp)
        or DATETIME.search(simp)
        or _DAY.search(simp)
    )


# a title that names a compilation (汇编, 合集, 十篇) is no single essay's, whatever the page holds
COMPILATION = re.compile(
    r"汇编|合集|大全|汇总|集锦|选编|汇聚|摘编|选登|辑录|\d+\s*篇|[一二两三四五六七八九十]+篇"
)


def _title_from_collection(structure: Structure, label: list, report: Report) -> None:
    """The line segment read as the collection's title, right above the page's one essay, which
    it left untitled, is that essay's title where the model is sure it is (its title is the
    page's, which stays the collection's too)."""
    collection = structure.collection
    title = collection.title
    named = to_simplified(f"{title} {collection.title_raw or ''}")
    if not title or len(structure.essays) != 1 or (collection.declared_essay_count or 0) > 1:
        return
    if COMPILATION.search(named):
        return
    lines = structure.lines
    first = {e.lines[0]: e for e in structure.essays if e.lines}
    for i, line in enumerate(lines):
        e = first.get(i + 1)
        got = label[i]
        if (
            e is not None
            and (e.title is None or e.title_generated)
            and line.text in (title, structure.collection.title_raw)
            and got
            and got[0] == TITLE
            and got[1] >= OVERRULE
        ):
            e.title, e.title_generated = line.text, False
            e.lines.insert(0, i)
            report.count("essay titled by the model")
