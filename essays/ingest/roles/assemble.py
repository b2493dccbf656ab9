"""Essays from line roles: the small deterministic step after the model.

A TITLE line opens an essay, and so does a START line after body text (an untitled essay);
SUBTITLE and BYLINE lines fill the open essay's header (or, after its body, its closing
signature); COLLECTION names the document; HEAD, OTHER and CHROME lines belong to no essay.
"""

from __future__ import annotations

import re
import unicodedata

from ..bylines import read_byline
from ..cleaned import Cleaned, Line
from ..doc_head import DECLARED
from ..essay_parts import generated_title
from ..line_kinds import HEADING, _marker, undecorated
from ..model import CollectionDraft, Report
from ..names import is_name
from ..prose import cn_number
from ..script import to_simplified
from ..structure import Essay, Structure
from .corpus import BODY, BYLINE, COLLECTION, MARKER, PREFACE, START, SUBTITLE, TITLE

_TITLE_COUNTER = re.compile(r"\s*[(（](?:[^()（）]*篇|第?\d+\s*/\s*\d+\s*页?)[)）]\s*$")


def assemble(lines: list[Line], cleaned: Cleaned, roles: list, report: Report) -> Structure:
    """`roles[i]` is the model's (role, confidence) for cleaned line i."""
    simp_all = [
        line.simp or (line.text if cleaned.simplified else to_simplified(line.text)) for line in lines
    ]
    collection = CollectionDraft(declared_essay_count=cleaned.declared, page=cleaned.page, date=cleaned.date)
    if cleaned.front_title:
        collection.title = cleaned.front_title
    essays: list[Essay] = []
    current: Essay | None = None
    preface: list[str] = []

    for i, line in enumerate(lines):
        role = roles[i][0] if roles[i] else BODY
        text, simp = line.text, simp_all[i]
        if role == COLLECTION:
            if collection.title is None:
                _name_collection(collection, line)
            continue
        if role == PREFACE and not essays:
            preface.append(text)
            continue
        if role in (TITLE, MARKER):
            marker = _marker(simp) or ((0, "") if role == MARKER else None)
            title = text if (marker is None or marker[1]) else None
            current = Essay(lines=[i], title=title)
            essays.append(current)
            continue
        if role == BYLINE and current is None:
            current = Essay(lines=[])  # a byline above an untitled essay opens it
            essays.append(current)
        if role in (SUBTITLE, BYLINE) and current is not None:
            if _header_line(current, i, role, text, simp, report):
                continue
            role = BODY  # body text after all: appended as such below
        if role in (START, BODY, SUBTITLE, BYLINE):
            if current is None or (role == START and current.body):
                current = Essay(lines=[])
                essays.append(current)
            current.lines.append(i)
            current.body.append(i)
    essays = [e for e in essays if e.body or e.title]
    collection.description = "\n".join(cleaned.preface + preface)
    if len(essays) == 1:
        _single_essay(essays[0], collection, cleaned, report)
    _title_essays(essays, lines)
    if collection.declared_essay_count is None and collection.title:
        m = DECLARED.search(to_simplified(collection.title_raw or collection.title))
        if m:
            collection.declared_essay_count = cn_number(m.group("n"))
    return Structure(collection=collection, essays=essays, lines=lines, simplified=simp_all)


def _name_collection(collection: CollectionDraft, line: Line) -> None:
    text = line.text
    collection.title = _TITLE_COUNTER.sub("", undecorated(text)) or text
    if unicodedata.normalize("NFKC", line.raw or text) != unicodedata.normalize("NFKC", collection.title):
        collection.title_raw = line.raw or text


def _header_line(current: Essay, i: int, role: str, text: str, simp: str, report: Report) -> bool:
    """A SUBTITLE or BYLINE line taken into the open essay's header (or, after its body, its
    closing signature): False when it is body text after all."""
    current.lines.append(i)
    if role == SUBTITLE and not current.body and current.subtitle is None:
        current.subtitle = text
        return True
    b = read_byline(text, simp)
    if b is not None and (b.author or b.organization):
        current.author = current.author or b.author
        current.organization = current.organization or b.organization
        report.count("byline (line roles)")
        return True
    if not current.body:
        return True  # a header line that names no one: not body text either
    current.lines.pop()
    return False


def _single_essay(only: Essay, collection: CollectionDraft, cleaned: Cleaned, report: Report) -> None:
    """One essay: the page's title is its title, and its title the page's."""
    if only.title is None and collection.title:
        only.title = collection.title
    elif collection.title is None and only.title:
        collection.title = only.title
    if not only.author:
        names = [a for a in cleaned.meta_authors if is_name(to_simplified(a))]
        if names:
            only.author = names[0]
            report.count("byline from metadata")


def _title_essays(essays: list[Essay], lines: list[Line]) -> None:
    """Titles undecorated and unnumbered; an untitled essay's made from its first clause."""
    for e in essays:
        if e.title is not None:
            e.title = undecorated(e.title)
            e.title = HEADING.sub("", e.title, count=1).strip() or e.title
        elif e.body:
            e.title = generated_title(lines[e.body[0]].text)
            e.title_generated = bool(e.title)
