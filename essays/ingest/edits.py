"""An editor's corrections to a parse, made in the import preview. Pure Python, no Django.

The preview stores only the uploaded bytes and a list of edit operations (JSON); every time
the page is shown the bytes are parsed again and the operations replayed here, in order, so
no server process needs to remember anything between requests.

Operations (each a dict, indices into the essay list as it stands when the operation runs):

    {"op": "set", "index": i, "field": "title" | "author" | "organization", "value": "..."}
    {"op": "drop", "index": i}
    {"op": "merge", "index": i}            essay i and essay i + 1 become one
    {"op": "split", "index": i, "at": p}   paragraph p (1-based, >= 2) starts a new essay

Every essay an operation touches remembers the parser's draft it came from (`edited_from`)
and its index in the parse (`source_index`), so the import can store it as the editor's
version and a later re-parse lines the untouched essays up with the parser's again.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from .model import EssayDraft, ParsedDocument
from .script import detect_script

__all__ = [
    "EDITABLE_FIELDS",
    "EditError",
    "EditedDraft",
    "apply_edits",
    "apply_op",
    "check_op",
    "paragraphs",
    "start_edits",
]

EDITABLE_FIELDS = ("title", "author", "organization")
MAX_FIELD_LENGTH = {"title": 300, "author": 100, "organization": 200}  # the model's columns
SOURCE_PROBE = 6  # characters of a paragraph looked for in the source text to split it too


class EditError(ValueError):
    """An operation that does not fit the essays it is applied to."""


@dataclass
class EditedDraft(EssayDraft):
    source_index: int | None = None  # the essay's index in the parser's list
    edited_from: EssayDraft | None = None  # the parser's draft, once an editor changed this one

    @property
    def edited(self) -> bool:
        return self.edited_from is not None


def paragraphs(body: str) -> list[str]:
    """The body's paragraphs as the split operation counts them (1-based in the UI)."""
    return body.split("\n")


def start_edits(parsed: ParsedDocument) -> list[EditedDraft]:
    """The parser's essays, each wrapped so edits can be traced back to it."""
    return [
        EditedDraft(**{f.name: getattr(d, f.name) for f in fields(EssayDraft)}, source_index=n)
        for n, d in enumerate(parsed.essays)
    ]


def apply_edits(parsed: ParsedDocument, ops: list[dict]) -> ParsedDocument:
    """A copy of `parsed` with the operations applied in order. Raises EditError."""
    essays = start_edits(parsed)
    for op in ops:
        essays = apply_op(essays, op)
    kept = {e.source_index for e in essays}
    withdrawn = [n for n in range(len(parsed.essays)) if n not in kept]
    return replace(parsed, essays=essays, withdrawn=withdrawn)


def check_op(essays: list[EditedDraft], op: dict) -> dict:
    """The operation, normalised, if it fits these essays; EditError otherwise."""
    if not isinstance(op, dict):
        raise EditError("不是有效的修改")
    kind = op.get("op")
    index = op.get("index")
    if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(essays):
        raise EditError(f"没有第 {index} 篇")
    if kind == "set":
        field, value = op.get("field"), op.get("value")
        if field not in EDITABLE_FIELDS or not isinstance(value, str):
            raise EditError("不是可修改的字段")
        value = " ".join(value.split())  # a title or a name is one line
        if len(value) > MAX_FIELD_LENGTH[field]:
            raise EditError(f"第 {index + 1} 篇的{_FIELD_LABEL[field]}超过 {MAX_FIELD_LENGTH[field]} 字")
        return {"op": kind, "index": index, "field": field, "value": value}
    if kind == "drop":
        return {"op": kind, "index": index}
    if kind == "merge":
        if index + 1 >= len(essays):
            raise EditError(f"第 {index + 1} 篇是最后一篇，没有下一篇可合并")
        return {"op": kind, "index": index}
    if kind == "split":
        at = op.get("at")
        count = len(paragraphs(essays[index].body))
        if not isinstance(at, int) or isinstance(at, bool) or not 2 <= at <= count:
            raise EditError(
                f"第 {index + 1} 篇只能从第 2 至第 {count} 段拆分" if count > 1 else "只有一段，无法拆分"
            )
        return {"op": kind, "index": index, "at": at}
    raise EditError("不是有效的修改")


_FIELD_LABEL = {"title": "标题", "author": "作者", "organization": "单位"}


def apply_op(essays: list[EditedDraft], op: dict) -> list[EditedDraft]:
    """A new list with one operation applied; the drafts given are not changed."""
    op = check_op(essays, op)
    index = op["index"]
    essays = list(essays)
    if op["op"] == "set":
        essays[index] = _set_field(essays[index], op["field"], op["value"])
    elif op["op"] == "drop":
        del essays[index]
    elif op["op"] == "merge":
        essays[index : index + 2] = [_merge(essays[index], essays[index + 1])]
    elif op["op"] == "split":
        essays[index : index + 1] = list(_split(essays[index], op["at"]))
    return essays


def _original(draft: EditedDraft) -> EssayDraft:
    if draft.edited_from is not None:
        return draft.edited_from
    return EssayDraft(**{f.name: getattr(draft, f.name) for f in fields(EssayDraft)})


def _set_field(draft: EditedDraft, field: str, value: str) -> EditedDraft:
    if field == "title":
        # An emptied title is generated again from the body when the essay is stored.
        changes = {"title": value or None, "title_generated": not value}
    else:
        changes = {field: value or None}
    if all(getattr(draft, k) == v for k, v in changes.items()):
        return draft
    return replace(draft, **changes, edited_from=_original(draft))


def _merge(first: EditedDraft, second: EditedDraft) -> EditedDraft:
    body = "\n".join(part for part in (first.body, second.body) if part)
    script = first.script if first.script == second.script else detect_script(body[:4000])
    return replace(
        first,
        body=body,
        author=first.author or second.author,
        organization=first.organization or second.organization,
        # A truncated second half leaves the whole truncated; a leading fragment joined to
        # the essay before it is whole again only if the first was not one itself.
        is_fragment=first.is_fragment or second.is_fragment,
        themes=list(dict.fromkeys([*first.themes, *second.themes])),
        script=script,
        warnings=list(dict.fromkeys([*first.warnings, *second.warnings])),
        source_text="\n".join(part for part in (first.source_text, second.source_text) if part),
        edited_from=_original(first),
    )


def _split(draft: EditedDraft, at: int) -> tuple[EditedDraft, EditedDraft]:
    parts = paragraphs(draft.body)
    head, tail = "\n".join(parts[: at - 1]), "\n".join(parts[at - 1 :])
    source_head, source_tail = _split_source(draft.source_text, parts[at - 1])
    original = _original(draft)
    first = replace(draft, body=head, source_text=source_head, edited_from=original)
    second = replace(
        draft,
        title=None,  # generated from its first sentence unless the editor names it
        title_generated=True,
        subtitle=None,
        author=None,
        organization=None,
        body=tail,
        source_text=source_tail,
        edited_from=original,
    )
    return first, second


def _split_source(source: str, paragraph: str) -> tuple[str, str]:
    """The source lines before and from the line where `paragraph` starts, when it can be
    found there (cleanup may have changed the text); otherwise both halves keep it all."""
    probe = "".join(ch for ch in paragraph if not ch.isspace())[:SOURCE_PROBE]
    if probe:
        lines = source.split("\n")
        for n, line in enumerate(lines):
            if n and probe in "".join(line.split()):
                return "\n".join(lines[:n]), "\n".join(lines[n:])
    return source, source
