"""Line roles as an editor sees and corrects them in the import preview.

`derive` reads the role of every line off a finished parse: the lines cleaning or the model
removed (chrome, preface) and the lines segment gave to the collection and to each essay's
title, subtitle, byline and body. `reassemble` applies an editor's corrections to those roles
and builds the essays again with the deterministic assembly step; an essay whose lines and roles
no correction touched keeps exactly what segment made of it (its cleaned title, its parsed
byline), so a correction changes only what it is about.

Corrections are keyed by the 0-based source line a line starts on (the line numbers of the
uploaded file), so they stay valid however the text is re-parsed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from ..bylines import read_byline
from ..cleaned import Cleaned, Line
from ..model import Report
from ..script import to_simplified
from ..structure import Structure
from .assemble import assemble
from .corpus import BODY, BYLINE, CHROME, COLLECTION, OTHER, PREFACE, START, SUBTITLE, TITLE

# what an editor can make a line (a contents line or a bare number is OTHER: in no essay)
EDITABLE = (CHROME, PREFACE, COLLECTION, TITLE, SUBTITLE, BYLINE, START, BODY, OTHER)
UNCERTAIN = 0.7  # below this confidence the preview marks a line for the editor's attention


class CorrectionError(ValueError):
    """A correction naming no line of the document or no role an editor can give."""


@dataclass
class LineRole:
    start: int  # 0-based source lines [start, end] the line was made of
    end: int
    role: str
    confidence: float | None = None  # the model's, for the role it gave (None: rules alone)
    model_role: str | None = None  # what the model said, where it differs or was not asked
    reason: str | None = None  # why cleaning removed it (chrome)
    corrected: bool = False  # the editor set this role

    @property
    def uncertain(self) -> bool:
        return self.confidence is not None and self.confidence < UNCERTAIN


def _essay_roles(structure: Structure) -> dict[int, str]:
    """Role per index into structure.lines for the lines some essay holds."""
    texts = [line.text for line in structure.lines]
    roles: dict[int, str] = {}
    for e in structure.essays:
        body = set(e.body)
        first_body = e.body[0] if e.body else None
        for i in e.lines:
            if i in body:
                untitled = e.title is None or e.title_generated
                roles[i] = START if i == first_body and untitled else BODY
            elif first_body is not None and i > first_body:
                # a closing signature or bio; a closing date belongs to no one
                line = structure.lines[i]
                roles[i] = BYLINE if read_byline(line.text, structure.simplified[i]) else OTHER
            elif e.title is not None and not e.title_generated and i == e.lines[0] and e.title in texts[i]:
                roles[i] = TITLE
            elif e.subtitle is not None and texts[i] == e.subtitle:
                roles[i] = SUBTITLE
            elif (
                e.title is not None and not e.title_generated and TITLE not in {roles.get(j) for j in e.lines}
            ):
                roles[i] = TITLE  # a bare "篇一" numbers the essay, its title under it
            else:
                roles[i] = BYLINE
    return roles


Labels = Mapping[int, list[tuple[str, float, int]]]


def pieces_of(lines: list) -> list[int]:
    """Which piece of its source line each of `lines` (Lines or LineRoles, in order) is (0 for
    a line not split)."""
    seen: dict[int, int] = {}
    out = []
    for line in lines:
        out.append(seen.get(line.start, 0))
        seen[line.start] = out[-1] + 1
    return out


def line_labels(lines: list[Line], labels: Labels) -> list[tuple[str, float, int] | None]:
    """The model's label of each of `lines`: a line split in pieces (sub-lines) has one label a
    piece, in order, under the source line they all start on."""
    out = []
    for line, k in zip(lines, pieces_of(lines), strict=True):
        got = labels.get(line.start)
        out.append(got[min(k, len(got) - 1)] if got else None)
    return out


def _removed_label(labels: Labels, start: int, reason: str):
    """The label of a line cleaning or the model removed: the piece the model removed."""
    got = labels.get(start)
    if not got:
        return None
    wanted = {"line-role model": CHROME, "collection preface": PREFACE}.get(reason)
    return next((x for x in got if x[0] == wanted), got[0])


def derive(structure: Structure, cleaned: Cleaned, labels: Labels) -> list[LineRole]:
    """Every line's role after the parse, in source order. `labels`: the model's (role,
    confidence, last source line) of each piece by the source line it starts on."""
    out: list[LineRole] = []
    for start, _text, reason in cleaned.removed:
        role = PREFACE if reason == "collection preface" else CHROME
        got = _removed_label(labels, start, reason)
        end = got[2] if got else start  # a hard-wrapped paragraph the model removed
        out.append(
            LineRole(start, end, role, got[1] if got else None, got[0] if got else None, reason=reason)
        )
    in_essay = _essay_roles(structure)
    title = structure.collection.title
    description = structure.collection.description or ""
    for i, (line, got) in enumerate(zip(structure.lines, line_labels(structure.lines, labels), strict=True)):
        role = in_essay.get(i)
        if role is None:
            if title and line.text.strip() and line.text in (title, structure.collection.title_raw):
                role = COLLECTION
            elif line.text and line.text in description:
                role = PREFACE
            else:
                role = OTHER
        out.append(
            LineRole(
                line.start,
                line.end,
                role,
                got[1] if got else None,
                got[0] if got and got[0] != role else None,
            )
        )
    out.sort(key=lambda r: r.start)
    return out


def check(corrections: Mapping[int, str], n_lines: int) -> dict[int, str]:
    """The corrections with int keys; CorrectionError for a line or role that does not exist."""
    checked: dict[int, str] = {}
    for key, role in corrections.items():
        try:
            at = int(key)
        except (TypeError, ValueError):
            raise CorrectionError(f"行号无效：{key!r}") from None
        if not 0 <= at < n_lines:
            raise CorrectionError(f"没有第 {at + 1} 行")
        if role not in EDITABLE:
            raise CorrectionError(f"第 {at + 1} 行：不能设为“{role}”")
        checked[at] = role
    return checked


def reassemble(
    structure: Structure,
    cleaned: Cleaned,
    line_roles: list[LineRole],
    corrections: Mapping[int | tuple[int, int], str],
    report: Report,
) -> Structure:
    """The essays built again from the roles with the corrections applied (line_roles is updated
    in place): by source line (an editor's: the line's first piece) or by (source line, piece).
    A removed line the editor gives a role comes back as the text it was removed as."""
    by_start: dict[int, list[LineRole]] = {}
    for r in line_roles:
        by_start.setdefault(r.start, []).append(r)
    touched: set[str] = set()  # the roles some line was given or lost
    for key, role in corrections.items():
        at, k = key if isinstance(key, tuple) else (key, 0)
        if at not in by_start:
            raise CorrectionError(f"第 {at + 1} 行不是一行文字的开头（是空行，或上一行折行的续行）")
        # a split line: the editor's line is its first piece the text kept (a line whose
        # furniture cleaning cut off is the text left; the cut part stays removed), the
        # model's (overrides) the piece it names
        pieces = [r for r in by_start[at] if r.reason is None] or by_start[at]
        for r in pieces[k : k + 1]:
            if r.role != role:
                touched |= {r.role, role}
                r.role, r.corrected = role, True
    removed_text = {start: text for start, text, _reason in cleaned.removed}
    lines: list[Line] = []
    roles: list[tuple[str, float]] = []
    preface: list[str] = []
    line_at = {}
    for i, line in enumerate(structure.lines):
        line_at.setdefault(line.start, []).append(i)
    for r in line_roles:
        if r.role == CHROME:
            continue
        if r.role == PREFACE:
            text = removed_text.get(r.start)
            if text is None:
                text = structure.lines[line_at[r.start][0]].text
            preface.append(text)
            continue
        at = line_at.get(r.start)
        if at:
            line = structure.lines[at.pop(0)]
        else:  # removed by cleaning, given back by the editor
            text = removed_text[r.start]
            line = Line(
                text, r.start, r.end, raw=text, simp=text if cleaned.simplified else to_simplified(text)
            )
        lines.append(line)
        roles.append((r.role, 1.0))
    rebuilt = assemble(lines, replace(cleaned, preface=[]), roles, report)
    _keep_untouched(rebuilt, structure)
    # the collection as segment read it, but for what the editor changed of it
    collection = replace(structure.collection)
    if COLLECTION in touched:
        collection.title, collection.title_raw = rebuilt.collection.title, rebuilt.collection.title_raw
    if PREFACE in touched:
        collection.description = "\n".join(preface)
    rebuilt.collection = collection
    return rebuilt


def _keep_untouched(rebuilt: Structure, before: Structure) -> None:
    """Put back segment's essay where the rebuilt one holds the very same lines: segment's
    reading of a title or byline (counters, a name in brackets) is finer than the assembly's."""

    def key(s: Structure, e) -> tuple:
        """The essay's body and the header and closing lines that are its (a closing date
        belongs to no essay in the rebuilt one: see _essay_roles)."""
        first = e.body[0] if e.body else len(s.lines)
        own = [
            i
            for i in e.lines
            if i not in e.body and (i < first or read_byline(s.lines[i].text, s.simplified[i]))
        ]
        return tuple(id(s.lines[i]) for i in e.body), tuple(id(s.lines[i]) for i in own)

    old = {key(before, e): e for e in before.essays}
    at = {id(line): i for i, line in enumerate(rebuilt.lines)}
    new_index = {}
    for i, line in enumerate(before.lines):
        if id(line) in at:
            new_index[i] = at[id(line)]
    titled = {}  # segment's essays by the line it read their title from
    for e in before.essays:
        if e.title and not e.title_generated and e.lines and e.lines[0] not in e.body:
            titled[id(before.lines[e.lines[0]])] = e
    for k, e in enumerate(rebuilt.essays):
        same = old.get(key(rebuilt, e))
        if same is None or not all(i in new_index for i in same.lines):
            _keep_title(e, titled, rebuilt)
            continue
        rebuilt.essays[k] = replace(
            same, lines=[new_index[i] for i in same.lines], body=[new_index[i] for i in same.body]
        )


def _keep_title(e, titled: dict, rebuilt: Structure) -> None:
    """An essay whose text changed keeps segment's reading of its title line (a subtitle after
    a dash, a counter cut off), which is finer than the assembly's."""
    if not e.lines or e.lines[0] in e.body or e.title_generated:
        return
    same = titled.get(id(rebuilt.lines[e.lines[0]]))
    if same is not None:
        e.title, e.subtitle = same.title, same.subtitle
