"""Essays from line roles: the small deterministic step after the model.

A TITLE line opens an essay, and so does a START line after body text (an untitled essay);
SUBTITLE and BYLINE lines fill the open essay's header (or, after its body, its closing
signature); COLLECTION names the document; HEAD, OTHER and CHROME lines belong to no essay.
"""

from __future__ import annotations

import re
import unicodedata

from ..clean import DECLARED, Cleaned, Line, cn_number
from ..model import CollectionDraft, Report
from ..script import to_simplified
from ..segment import (
    HEADING,
    Byline,
    Essay,
    Structure,
    _marker,
    generated_title,
    is_name,
    parse_author_note,
    parse_bio,
    parse_byline,
)
from .corpus import BODY, BYLINE, COLLECTION, START, SUBTITLE, TITLE

_TITLE_COUNTER = re.compile(r"\s*[(（](?:[^()（）]*篇|第?\d+\s*/\s*\d+\s*页?)[)）]\s*$")


def _byline(text: str, simp: str) -> Byline | None:
    b = parse_byline(text, simp, bare=True) or parse_bio(text, simp)
    if b is None:
        note = parse_author_note(text, simp)
        if note:
            b = Byline(None, note)
    if b is None and is_name(simp.replace(" ", "")):
        b = Byline(text.replace(" ", ""), None)
    return b


def assemble(lines: list[Line], cleaned: Cleaned, roles: list, report: Report) -> Structure:
    """`roles[i]` is (role, confidence) for source line i (as the model labelled the prepared
    text); a cleaned line takes the role of the first source line it came from."""
    simp_all = [
        line.simp or (line.text if cleaned.simplified else to_simplified(line.text)) for line in lines
    ]
    collection = CollectionDraft(declared_essay_count=cleaned.declared, page=cleaned.page, date=cleaned.date)
    if cleaned.front_title:
        collection.title = cleaned.front_title
    essays: list[Essay] = []
    current: Essay | None = None
    first_title: str | None = None

    def role_of(line: Line) -> str:
        got = roles[line.start] if line.start < len(roles) else None
        return got[0] if got else BODY

    for i, line in enumerate(lines):
        role = role_of(line)
        text, simp = line.text, simp_all[i]
        if role == COLLECTION:
            if collection.title is None:
                collection.title = _TITLE_COUNTER.sub("", text) or text
                if unicodedata.normalize("NFKC", line.raw or text) != unicodedata.normalize(
                    "NFKC", collection.title
                ):
                    collection.title_raw = line.raw or text
            continue
        if role == TITLE:
            marker = _marker(simp)
            title = text if (marker is None or marker[1]) else None
            current = Essay(lines=[i], title=title)
            essays.append(current)
            first_title = first_title or title
            continue
        if role in (SUBTITLE, BYLINE) and current is not None:
            current.lines.append(i)
            if role == SUBTITLE and not current.body and current.subtitle is None:
                current.subtitle = text
                continue
            b = _byline(text, simp)
            if b is not None and (b.author or b.organization):
                current.author = current.author or b.author
                current.organization = current.organization or b.organization
                report.count("byline (line roles)")
                continue
            if not current.body:
                continue  # a header line that names no one: not body text either
            role = BODY
        if role in (START, BODY, SUBTITLE, BYLINE):
            if current is None or (role == START and current.body):
                current = Essay(lines=[])
                essays.append(current)
            current.lines.append(i)
            current.body.append(i)
    essays = [e for e in essays if e.body or e.title]
    for e in essays:
        if e.title is not None:
            e.title = HEADING.sub("", e.title, count=1).strip() or e.title
        elif e.body:
            e.title = generated_title(lines[e.body[0]].text)
            e.title_generated = bool(e.title)
    if collection.title is None and first_title:
        collection.title = first_title
    if collection.declared_essay_count is None and collection.title:
        m = DECLARED.search(to_simplified(collection.title_raw or collection.title))
        if m:
            collection.declared_essay_count = (
                cn_number(m.group("n")) if not m.group("n").isdigit() else int(m.group("n"))
            )
    return Structure(collection=collection, essays=essays, lines=lines, simplified=simp_all)
