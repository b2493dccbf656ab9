"""Line roles in the import preview: what the editor sees of each line and how a correction
is kept, re-parsed and carried into what is stored.

An editor's role corrections are kept on the pending row (`edits["roles"]`: {source line:
role}) and never applied in the request: recording one puts the row back to "parsing", and
the batch's runner (preview_work) parses the bytes again through the sandboxed
`parse_one(..., corrections=...)`, as it parsed them after the upload.

How role corrections and the essay operations (essays.ingest.edits: set a field, drop, merge,
split) combine: **roles first, then the operations, carried over to the rebuilt essays.**
The roles say what the document is; the operations say what to store of it, so they run
on the essays the roles make. Operations address essays by position, which a role change
moves, so after each re-parse they are re-targeted (`rebase`): an essay keeps its field
changes and its drop when the rebuilt parse still holds it (the same first or last
paragraph); merges and splits are given up, since they change the very boundaries the
editor is now setting line by line (a split is a "新文章开始" line, a merge a title made
body), and the editor is told how many were. Resetting every operation at each role change
would throw away titles and names typed a minute before for an unrelated line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from ..ingest import ParsedDocument
from ..ingest.edits import EditError, apply_op, paragraphs, start_edits
from ..ingest.roles.editing import EDITABLE, UNCERTAIN
from ..models import PendingImport

Stage = PendingImport.Stage

# The roles an editor gives, in the order the preview offers them, with their Chinese names
# and the key that gives each to the line in focus.
LABELS = {
    "chrome": "网页杂项",
    "preface": "文集前言",
    "collection": "文集标题",
    "title": "标题",
    "subtitle": "副标题",
    "byline": "署名",
    "start": "新文章开始",
    "body": "正文",
    "other": "其他",
}
KEYS = {"chrome": "c", "preface": "p", "collection": "h", "title": "t", "subtitle": "u", "byline": "a",
        "start": "s", "body": "b", "other": "o"}  # fmt: skip
assert tuple(LABELS) == EDITABLE
RESET = "reset"  # the editor takes a correction back: the line gets the model's role again
LINES_PER_PAGE = 200  # lines of the document shown at once: a 20 MB file never makes one page
LINE_HEAD, LINE_TAIL = 60, 20  # characters of a long line shown
UNCERTAIN_LISTED = 12  # the model's least certain lines listed for the editor at the top


class RoleError(ValueError):
    """A role correction that names no line of the document or no role."""


# Storing a correction ------------------------------------------------------------------------


def corrections(row: PendingImport) -> dict[int, str]:
    return {int(k): v for k, v in ((row.edits or {}).get("roles") or {}).items()}


def record_role(document, line: int, role: str) -> None:
    """Keep the editor's role for the line starting at source `line` (or take it back with
    RESET) and have the document parsed again with it (preview_work.start does that)."""
    parsed = document.parsed
    starts = {r.start: r for r in (parsed.line_roles if parsed else [])}
    if line not in starts:
        raise RoleError(f"没有第 {line + 1} 行")
    if role != RESET and role not in LABELS:
        raise RoleError(f"第 {line + 1} 行不能设为“{role}”")
    from .preview import StaleEdits, edits_version

    with transaction.atomic():
        row = PendingImport.objects.select_for_update().get(pk=document.pending.pk)
        if edits_version(row.edits) != document.version or row.stage != Stage.READY:
            raise StaleEdits
        roles = {str(k): v for k, v in corrections(row).items()}
        if role == RESET:
            roles.pop(str(line), None)
        else:
            roles[str(line)] = role
        edits = {**row.edits, "roles": roles, "revision": row.edits.get("revision", 0) + 1}
        edits.pop("notice", None)
        row.edits, row.stage, row.claimed_at = edits, Stage.PARSING, None
        row.save(update_fields=["edits", "stage", "claimed_at"])
    document.pending.edits = row.edits


# Carrying the essay operations over a re-parse ------------------------------------------------


def _key(draft) -> tuple[str, str]:
    parts = [p for p in paragraphs(draft.body) if p.strip()] or [""]
    return parts[0], parts[-1]


def _match(old: list, new: list) -> dict[int, int]:
    """old essay index -> new essay index, for the essays the rebuilt parse still holds: the
    same first and last paragraph, or else the same first or last one (speeches all opening
    with 各位领导： are told apart by their ends), one to one and in order."""
    by_both: dict[tuple[str, str], list[int]] = {}
    by_first: dict[str, list[int]] = {}
    by_last: dict[str, list[int]] = {}
    for j, essay in enumerate(new):
        first, last = _key(essay)
        by_both.setdefault((first, last), []).append(j)
        by_first.setdefault(first, []).append(j)
        by_last.setdefault(last, []).append(j)
    keys = [_key(essay) for essay in old]
    found: dict[int, int] = {}
    lowest = 0
    for i, key in enumerate(keys):  # both ends alike first: the surest
        j = next((j for j in by_both.get(key, []) if j >= lowest), None)
        if j is not None:
            found[i], lowest = j, j + 1
    for i, (first, last) in enumerate(keys):  # then one end, between the essays placed
        if i in found:
            continue
        lo = max((j + 1 for k, j in found.items() if k < i), default=0)
        hi = min((j for k, j in found.items() if k > i), default=len(new))
        taken = set(found.values())
        candidates = sorted(by_first.get(first, []) + by_last.get(last, []))
        j = next((j for j in candidates if lo <= j < hi and j not in taken), None)
        if j is not None:
            found[i] = j
    return found


def rebase(old: ParsedDocument, ops: list[dict], new: ParsedDocument) -> tuple[list[dict], int]:
    """The operations made on `old`'s essays, re-targeted to `new`'s (see the module's
    docstring), and how many were given up."""
    match = _match(old.essays, new.essays)
    old_ids: list[int | None] = list(range(len(old.essays)))  # each current essay's parse index
    parse_index = {j: i for i, j in match.items()}
    new_ids: list[int | None] = [parse_index.get(k) for k in range(len(new.essays))]
    old_list, new_list = start_edits(old), start_edits(new)
    kept, lost = [], 0
    for op in ops:
        index = op.get("index")
        identity = old_ids[index] if isinstance(index, int) and 0 <= index < len(old_ids) else None
        try:
            old_list = apply_op(old_list, op)
        except EditError:
            lost += 1
            continue
        if op.get("op") == "merge":
            old_ids[index : index + 2] = [None]
        elif op.get("op") == "split":
            old_ids[index : index + 1] = [None, None]
        target = new_ids.index(identity) if identity is not None and identity in new_ids else None
        if op.get("op") in ("merge", "split") or target is None:
            lost += 1
            if op.get("op") == "drop":
                del old_ids[index]
            continue
        moved = {**op, "index": target}
        try:
            new_list = apply_op(new_list, moved)
        except EditError:
            lost += 1
            continue
        kept.append(moved)
        if op.get("op") == "drop":
            del old_ids[index]
            del new_ids[target]
    return kept, lost


# What the preview shows ---------------------------------------------------------------------


@dataclass
class LineView:
    start: int  # 0-based source line
    end: int
    text: str
    role: str
    confidence: float | None
    model_role: str | None
    corrected: bool
    opens_essay: bool = False

    @property
    def number(self) -> int:
        return self.start + 1

    @property
    def label(self) -> str:
        return LABELS.get(self.role, self.role)

    @property
    def model_label(self) -> str:
        return LABELS.get(self.model_role or "", self.model_role or "")

    @property
    def uncertain(self) -> bool:
        return self.confidence is not None and self.confidence < UNCERTAIN

    @property
    def confidence_percent(self) -> int | None:
        return None if self.confidence is None else round(self.confidence * 100)


@dataclass
class LinesView:
    lines: list[LineView]
    page: int
    pages: int
    total: int
    corrected: int
    least_certain: list[tuple[int, int, int]] = field(default_factory=list)  # (line, page, percent)

    @property
    def has_other_pages(self) -> bool:
        return self.pages > 1

    @property
    def previous_page(self) -> int | None:
        return self.page - 1 if self.page > 1 else None

    @property
    def next_page(self) -> int | None:
        return self.page + 1 if self.page < self.pages else None


def lines_view(parsed: ParsedDocument | None, page: int | str | None = 1) -> LinesView | None:
    """One page of the document's lines with their roles; None when the parse kept none."""
    if parsed is None or not parsed.line_roles:
        return None
    rows = parsed.line_roles
    pages = max(1, -(-len(rows) // LINES_PER_PAGE))
    try:
        page = min(max(1, int(page or 1)), pages)
    except (TypeError, ValueError):
        page = 1
    source = parsed.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    opening = _essay_openings(rows)
    shown = []
    for k in range((page - 1) * LINES_PER_PAGE, min(len(rows), page * LINES_PER_PAGE)):
        r = rows[k]
        text = _shown(" ".join(line.strip() for line in source[r.start : r.end + 1]))
        shown.append(
            LineView(r.start, r.end, text, r.role, r.confidence, r.model_role, r.corrected, k in opening)
        )
    scored = sorted(
        (
            (r.confidence, k, r)
            for k, r in enumerate(rows)
            if r.confidence is not None and r.confidence < UNCERTAIN
        ),
        key=lambda x: (x[0], x[1]),
    )[:UNCERTAIN_LISTED]
    least = sorted((r.start + 1, k // LINES_PER_PAGE + 1, round(c * 100)) for c, k, r in scored)
    return LinesView(shown, page, pages, len(rows), sum(1 for r in rows if r.corrected), least_certain=least)


def _shown(text: str) -> str:
    """A long line's beginning and end: enough to judge its role, never a whole page."""
    if len(text) <= LINE_HEAD + LINE_TAIL + 10:
        return text
    return f"{text[:LINE_HEAD]} …… {text[-LINE_TAIL:]}"


def _essay_openings(rows) -> set[int]:
    """Positions of the lines that open an essay, read as roles.assemble reads them."""
    out: set[int] = set()
    has_body = False
    header = False  # an essay is open with a title but no body yet
    for k, r in enumerate(rows):
        if r.role == "title" and not header:
            out.add(k)
            header, has_body = True, False
        elif r.role in ("subtitle", "byline") and not has_body and not header:
            out.add(k)
            header = True
        elif r.role == "start" and (has_body or not header):
            out.add(k)
            header, has_body = False, True
        elif r.role in ("start", "body"):
            if not has_body and not header:
                out.add(k)
            header, has_body = False, True
    return out


def keys_legend() -> list[tuple[str, str, str]]:
    """(role, label, key) in the order offered."""
    return [(role, label, KEYS[role]) for role, label in LABELS.items()]


__all__ = [
    "LABELS",
    "LINES_PER_PAGE",
    "RESET",
    "LineView",
    "LinesView",
    "RoleError",
    "corrections",
    "keys_legend",
    "lines_view",
    "rebase",
    "record_role",
]
