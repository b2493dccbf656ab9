"""Where an essay sits in its source document, and what the cleanup did there.

An essay stores `source_text`: its whole lines exactly as they stood in the decoded source
(line ends unified to "\\n"). Finding it again is a search for those lines at line
boundaries. A source can hold the same lines twice (a reposted essay, a repeated page), so
when the text occurs more than once the document's earlier essays are walked in order to
tell which copy is this one; when that fails too, nothing is marked — a missing mark is
honest, a wrong one is not.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# The pipeline's report counts cleanup actions under English keys; editors read Chinese
# (the catalogue is essays.labels; re-exported here for the callers that import it from here).
from ..labels import CHROME_PREFIX, cleanup_label  # noqa: F401
from ..labels import CLEANUP as CLEANUP_LABELS  # noqa: F401


@dataclass(frozen=True)
class Span:
    start: int  # character offsets in the newline-unified text
    end: int
    first_line: int  # 1-based, inclusive
    last_line: int


def unify_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def locate_span(text: str, fragment: str, earlier: Iterable[str] | None = ()) -> Span | None:
    """Where `fragment` (an essay's source_text) stands in `text`, or None.

    `text` must already have unified newlines. `earlier` holds the source_text of the essays
    before this one in the same document, in order; it is read only when `fragment` occurs
    more than once. None means the order is unknown, so a repeated fragment stays unmarked.
    """
    fragment = unify_newlines(fragment or "")
    if not fragment.strip():
        return None
    first = _find_whole_lines(text, fragment, 0)
    if first is None:
        return None
    if _find_whole_lines(text, fragment, first + 1) is None:
        return _span(text, first, fragment)
    if earlier is None:
        return None
    position = 0
    for previous in earlier:
        previous = unify_newlines(previous or "")
        if not previous.strip():
            continue
        found = _find_whole_lines(text, previous, position)
        if found is None:
            return None
        # Neighbouring essays may share a source line, so the next search starts just past
        # this essay's start rather than past its end.
        position = found + 1
    found = _find_whole_lines(text, fragment, position)
    return _span(text, found, fragment) if found is not None else None


def repair_lines_in(span: Span | None, repairs: list[dict]) -> list[bool]:
    """For each repair of the report, whether its line falls inside the span."""
    if span is None:
        return [False] * len(repairs)
    return [
        isinstance(r.get("line"), int) and span.first_line <= r["line"] <= span.last_line for r in repairs
    ]


def repair_rows(span: Span | None, repairs: list[dict], limit: int) -> tuple[list[tuple[dict, bool]], int]:
    """(repair, inside the essay) pairs to show, and how many were left out.

    All of them up to `limit`; beyond that only the essay's own (a page listing tens of
    thousands of repairs helps nobody, and the essay's are the ones asked about).
    """
    rows = list(zip(repairs, repair_lines_in(span, repairs), strict=True))
    if len(rows) > limit:
        rows = [row for row in rows if row[1]][:limit]
    return rows, len(repairs) - len(rows)


def _find_whole_lines(text: str, fragment: str, start: int) -> int | None:
    while True:
        index = text.find(fragment, start)
        if index < 0:
            return None
        end = index + len(fragment)
        if (index == 0 or text[index - 1] == "\n") and (end == len(text) or text[end] == "\n"):
            return index
        start = index + 1


def _span(text: str, start: int, fragment: str) -> Span:
    first_line = text.count("\n", 0, start) + 1
    return Span(start, start + len(fragment), first_line, first_line + fragment.count("\n"))
