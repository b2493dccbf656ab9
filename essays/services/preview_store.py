"""What confirming a previewed document keeps beyond import_document's rows: the collection
fields the editor set, and the document's line roles with the editor's corrections
(SourceLineRoles, for `manage.py export_training`). Called by preview_work inside the
transaction that stores the document, so a failed confirm leaves none of it."""

from __future__ import annotations

from django.utils import timezone

from ..history import acting
from ..models import SourceDocument, SourceLineRoles
from .import_rows import reason
from .preview_fields import COLLECTION_FIELDS


def keep_editors_work(row, document, outcome) -> None:
    """`document` is the row's preview (preview.document_of), `outcome` what storing it did."""
    _collection_fields(row, outcome.collection)
    parsed = document.parsed
    if parsed is None or not parsed.line_roles:
        return
    source = SourceDocument.objects.only("pk").get(sha256=outcome.sha256)
    edited = {e.source_index: e for e in document.essays if e.source_index is not None}
    authors = [
        [(edited.get(n) or e).author, (edited.get(n) or e).organization] for n, e in enumerate(parsed.essays)
    ]
    SourceLineRoles.objects.update_or_create(
        document=source,
        defaults={
            "roles": [[r.start, r.end, r.role] for r in parsed.line_roles],
            "corrections": {str(r.start): r.role for r in parsed.line_roles if r.corrected},
            "authors": authors,
            "corrected_by": row.user,
            "corrected_at": timezone.now(),
        },
    )


def _collection_fields(row, collection) -> None:
    """The editor's title, description and site win over what the collection held (a page
    of a collection already stored fills only its empty fields otherwise)."""
    values = {k: v for k, v in ((row.edits or {}).get("collection") or {}).items() if k in COLLECTION_FIELDS}
    changed = [k for k, v in values.items() if collection is not None and getattr(collection, k) != v]
    if not changed:
        return
    for name in changed:
        setattr(collection, name, values[name])
    with acting(row.user, reason(row.name)):
        collection.save(update_fields=[*changed, "updated_at"])
