"""The preview's corrections beyond essays.ingest.edits: each essay's themes and fragment flag,
and the collection's title, description and source site.

Essay fields are more `set` operations in the row's list, replayed in order with the others:
{"op": "set", "index": i, "field": "themes", "value": ["党建", ...]} and
{"op": "set", "field": "is_fragment", "value": true}; an essay they change is the editor's
version, as with a renamed title (edited_from). The collection's fields are values, not
operations (there is one collection per document): `edits["collection"]`, laid over the
parse's collection when the page is shown and when the document is stored.
"""

from __future__ import annotations

from dataclasses import fields, replace

from ..ingest import ParsedDocument
from ..ingest.edits import EditedDraft, EditError, start_edits
from ..ingest.edits import apply_op as apply_essay_op
from ..ingest.model import EssayDraft

ESSAY_FIELDS = ("themes", "is_fragment")
MAX_THEMES = 20
MAX_THEME_LENGTH = 100  # taggit's name column
COLLECTION_FIELDS = {"title": 300, "description": 20000, "site": 200}  # and their longest
THEME_SEPARATORS = "、,，;；/\n"


def split_themes(value: str) -> list[str]:
    """Theme names as typed: separated by 、 or commas, blanks dropped, each once."""
    for sep in THEME_SEPARATORS:
        value = value.replace(sep, "\n")
    return list(dict.fromkeys(" ".join(name.split()) for name in value.split("\n") if name.strip()))


def apply_op(essays: list[EditedDraft], op: dict) -> list[EditedDraft]:
    """edits.apply_op, with the themes and fragment fields too."""
    if not (isinstance(op, dict) and op.get("op") == "set" and op.get("field") in ESSAY_FIELDS):
        return apply_essay_op(essays, op)
    index, value = op.get("index"), op.get("value")
    if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(essays):
        raise EditError(f"没有第 {index} 篇")
    if op["field"] == "themes":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise EditError("不是有效的主题")
        value = list(dict.fromkeys(" ".join(v.split()) for v in value if v.strip()))
        if len(value) > MAX_THEMES or any(len(v) > MAX_THEME_LENGTH for v in value):
            raise EditError(f"第 {index + 1} 篇的主题最多 {MAX_THEMES} 个、每个 {MAX_THEME_LENGTH} 字")
    elif not isinstance(value, bool):
        raise EditError("不是有效的残篇标记")
    draft = essays[index]
    if getattr(draft, op["field"]) == value:
        return essays
    original = draft.edited_from or EssayDraft(**{f.name: getattr(draft, f.name) for f in fields(EssayDraft)})
    essays = list(essays)
    essays[index] = replace(draft, **{op["field"]: value}, edited_from=original)
    return essays


def apply_edits(parsed: ParsedDocument, ops: list[dict], collection: dict | None = None) -> ParsedDocument:
    """edits.apply_edits with these operations too, and the collection's fields laid over."""
    essays = start_edits(parsed)
    for op in ops:
        essays = apply_op(essays, op)
    kept = {e.source_index for e in essays}
    withdrawn = [n for n in range(len(parsed.essays)) if n not in kept]
    draft = parsed.collection
    if collection:
        draft = replace(draft, **{k: v for k, v in collection.items() if k in COLLECTION_FIELDS})
    return replace(parsed, essays=essays, withdrawn=withdrawn, collection=draft)


def collection_changes(current, post_values: dict[str, str | None]) -> dict[str, str]:
    """The collection fields the editor changed (None: the field was not on the page);
    EditError for one too long."""
    changed = {}
    for name, value in post_values.items():
        if value is None:
            continue
        value = value.strip() if name == "description" else " ".join(value.split())
        if len(value) > COLLECTION_FIELDS[name]:
            label = {"title": "文集标题", "description": "文集简介", "site": "来源网站"}[name]
            raise EditError(f"{label}超过 {COLLECTION_FIELDS[name]} 字")
        if value != (getattr(current, name) or ""):
            changed[name] = value
    return changed
