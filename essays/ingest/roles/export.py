"""Truth in the corpus schema from a document's line roles: an editor's corrected import
becomes a training document (`manage.py export_training` writes it next to its text).

The roles say what each line is; truth says what the essays are (corpus README). The essays
are read off the roles the way the assembly step reads them (roles/assemble.py): a TITLE line
opens an essay, so does a START line after body text; SUBTITLE and BYLINE lines before an
essay's body are its header, a BYLINE after it its closing signature. Every span written is
cut from the text itself, so it is a substring of the document (check.py); an author or unit
an editor typed that the text does not hold is left out (the byline line still is there).

Pure Python, no Django: roles are (start, end, role) rows in source order, as
editing.LineRole or as their stored dicts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .corpus import BODY, BYLINE, CHROME, COLLECTION, PREFACE, START, SUBTITLE, TITLE

SPAN = 12  # characters of an essay's first and last body line (corpus README: starts_with)


@dataclass
class _Essay:
    title: str | None = None
    subtitle: str | None = None
    bylines: list[str] = field(default_factory=list)
    body: list[tuple[int, int]] = field(default_factory=list)  # source line spans
    closing: str | None = None


def source_lines(text: str) -> list[str]:
    """The text's lines as line roles number them (any line end)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _rows(line_roles: Iterable) -> list[tuple[int, int, str]]:
    rows = []
    for r in line_roles:
        if isinstance(r, Mapping):
            rows.append((int(r["start"]), int(r["end"]), str(r["role"])))
        else:
            rows.append((r.start, r.end, r.role))
    return sorted(rows)


def essays_of(rows: list[tuple[int, int, str]], lines: list[str]) -> list[_Essay]:
    """The essays the roles describe, in order (as roles.assemble builds them)."""

    def text(start: int, end: int) -> str:
        return " ".join(line.strip() for line in lines[start : end + 1] if line.strip())

    essays: list[_Essay] = []
    current: _Essay | None = None
    for start, end, role in rows:
        if role == TITLE:
            if current is None or current.body or current.title is not None:
                current = _Essay()
                essays.append(current)
            current.title = text(start, end)
        elif role in (SUBTITLE, BYLINE):
            if current is not None and current.body:
                if role == BYLINE and current.closing is None:
                    current.closing = text(start, end)
                continue
            if current is None:
                current = _Essay()
                essays.append(current)
            if role == SUBTITLE:
                current.subtitle = text(start, end)
            else:
                current.bylines.append(text(start, end))
        elif role in (START, BODY):
            if current is None or (role == START and current.body):
                current = _Essay()
                essays.append(current)
            current.body.append((start, end))
    return [e for e in essays if e.body]


def _head(lines: list[str], span: tuple[int, int]) -> str:
    first = next((line.strip() for line in lines[span[0] : span[1] + 1] if line.strip()), "")
    return first[:SPAN]


def _tail(lines: list[str], span: tuple[int, int]) -> str:
    last = next((line.strip() for line in reversed(lines[span[0] : span[1] + 1]) if line.strip()), "")
    return last[-SPAN:]


def _in_text(value: str | None, text: str) -> str | None:
    value = (value or "").strip()
    return value if value and value in text else None


def truth_from_roles(
    text: str,
    line_roles: Iterable,
    *,
    authors: list[tuple[str | None, str | None]] | None = None,
    declared_essay_count: int | None = None,
    page: list[int] | tuple[int, int] | None = None,
    source_site: str = "",
    notes: str = "",
) -> dict:
    """The corpus truth (corpus README) of `text` whose lines have these roles. `authors`:
    (author, organization) per essay as stored, in the roles' essay order, where known."""
    lines = source_lines(text)
    rows = _rows(line_roles)
    collection = next((" ".join(lines[s : e + 1]).strip() for s, e, role in rows if role == COLLECTION), None)
    chrome: list[str] = []
    for start, end, role in rows:
        if role in (CHROME, PREFACE):  # the truth lists a preface as chrome (corpus README)
            chrome += [line.strip() for line in lines[start : end + 1] if line.strip()]
    essays = []
    for n, essay in enumerate(essays_of(rows, lines)):
        author, organization = (authors[n] if authors and n < len(authors) else (None, None)) or (None, None)
        byline = essay.bylines[0] if essay.bylines else essay.closing
        essays.append(
            {
                "title": essay.title,
                **({"subtitle": essay.subtitle} if essay.subtitle else {}),
                "author": _in_text(author, text),
                "organization": _in_text(organization, text),
                **({"byline_raw": byline} if byline else {}),
                "starts_with": _head(lines, essay.body[0]),
                "ends_with": _tail(lines, essay.body[-1]),
                "complete": True,
            }
        )
    return {
        "collection_title": collection,
        "declared_essay_count": declared_essay_count,
        "page": list(page) if page else None,
        "toc_titles": [],
        "essays": essays,
        "chrome_lines": list(dict.fromkeys(chrome)),
        **({"source_site": source_site} if source_site else {}),
        "notes": notes,
    }
