"""The admin's import preview: upload, look, correct, then store through import_document.

Nothing lives in a server process between requests. An upload becomes PendingImport rows
(the exact bytes, the editor's edit operations as JSON); every request parses the bytes
again with essays.ingest and replays the operations (essays.ingest.edits), and confirming
hands that edited parse to the same import_document the `import_essays` command uses.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from ..export.source_span import cleanup_label
from ..ingest import IngestError, ParsedDocument
from ..ingest.edits import EditedDraft, EditError, apply_edits, apply_op, paragraphs
from ..ingest.parallel import parse_one
from ..models import Essay, PendingImport, SourceDocument, Status, count_characters
from .duplicates import matches_for_texts
from .importing import DocumentOutcome, generated_title, import_document

__all__ = [
    "EssayPreview",
    "PendingDocument",
    "StaleEdits",
    "confirm_batch",
    "discard_batch",
    "open_batch",
    "preview_essays",
    "record_edits",
    "start_batch",
]

KEEP_PENDING = timedelta(days=1)  # an upload not confirmed by then is removed
MAX_FILES = 20  # every request parses the whole batch again
MAX_FILE_BYTES = 20 * 1024 * 1024
LINE_EXCERPT = 80  # characters of a first or last line shown
PARAGRAPH_EXCERPT = 24  # characters of each paragraph in the split chooser
PARAGRAPHS_LISTED = 200  # paragraphs offered in the split chooser at most


class StaleEdits(Exception):
    """The preview was changed in another window since this page was shown."""


# Upload -----------------------------------------------------------------------------------


def start_batch(files: list[tuple[str, bytes]], *, user) -> tuple[uuid.UUID | None, list[str]]:
    """Check every file parses, then keep them all as one batch; or keep none and say why.

    Returns (batch, []) or (None, errors), each error naming the file and the reason."""
    errors = []
    if len(files) > MAX_FILES:
        errors.append(f"一次最多上传 {MAX_FILES} 个文件（本次 {len(files)} 个）。")
    for name, data in files:
        if len(data) > MAX_FILE_BYTES:
            errors.append(f"{name}：文件超过 {MAX_FILE_BYTES // (1024 * 1024)} MB。")
            continue
        parsed = parse_one(data, name)
        if isinstance(parsed, IngestError):
            errors.append(f"{parsed.name}：无法导入（{parsed.reason}）。")
        elif not parsed.essays:
            errors.append(f"{name}：没有找到文章。")
    if errors or not files:
        return None, errors or ["请选择文件或粘贴文本。"]
    batch = uuid.uuid4()
    with transaction.atomic():
        PendingImport.objects.older_than(timezone.now() - KEEP_PENDING).delete()
        PendingImport.objects.bulk_create(
            [
                PendingImport(batch=batch, position=n, name=name, data=data, user=user, edits={"ops": []})
                for n, (name, data) in enumerate(files)
            ]
        )
    return batch, []


# The batch as it stands -------------------------------------------------------------------


@dataclass
class PendingDocument:
    pending: PendingImport
    parsed: ParsedDocument | None = None  # the parser's
    edited: ParsedDocument | None = None  # with the editor's operations replayed
    error: str = ""
    stored: SourceDocument | None = None  # the same bytes were imported before

    @property
    def version(self) -> int:
        return len(self.pending.ops)

    @property
    def essays(self) -> list[EditedDraft]:
        return self.edited.essays if self.edited else []

    @property
    def cleanup(self) -> list[tuple[str, int]]:
        """What the cleanup did, in the editors' words, most frequent first."""
        counts = self.parsed.report.counts if self.parsed else {}
        return [(cleanup_label(k), n) for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]

    @property
    def warnings(self) -> list[str]:
        return list(self.parsed.report.warnings) if self.parsed else []


def open_batch(batch, *, user) -> list[PendingDocument]:
    """The batch's documents parsed again and edited; empty when it is gone or not theirs."""
    rows = list(PendingImport.objects.of_batch(batch, user))
    digests = {row.pk: hashlib.sha256(bytes(row.data)).hexdigest() for row in rows}
    stored = {
        d.sha256: d
        for d in SourceDocument.objects.filter(sha256__in=digests.values())
        .select_related("collection")
        .defer("raw", "text")
    }
    documents = []
    for row in rows:
        document = PendingDocument(pending=row, stored=stored.get(digests[row.pk]))
        parsed = parse_one(bytes(row.data), row.name)
        if isinstance(parsed, IngestError):
            document.error = f"{parsed.name}：无法导入（{parsed.reason}）。"
        else:
            document.parsed = parsed
            try:
                document.edited = apply_edits(parsed, row.ops)
            except EditError as exc:
                # Only if the parser changed since the edits were made.
                document.error = f"{row.name}：之前的修改已无法套用（{exc}），请放弃后重新上传。"
        documents.append(document)
    return documents


def record_edits(document: PendingDocument, ops: list[dict], *, status: str | None = None) -> None:
    """Check the operations against the essays as they stand, then append them; raises
    EditError (nothing kept) or StaleEdits (another window changed the preview first)."""
    essays = document.essays
    for op in ops:
        essays = apply_op(essays, op)
    with transaction.atomic():
        row = PendingImport.objects.select_for_update().get(pk=document.pending.pk)
        if len(row.ops) != document.version:
            raise StaleEdits
        row.edits = {"ops": [*row.ops, *ops], "status": status or row.status}
        row.save(update_fields=["edits"])
    document.pending = row
    if document.edited is not None:
        document.edited.essays = essays


def undo_last(document: PendingDocument) -> None:
    with transaction.atomic():
        row = PendingImport.objects.select_for_update().get(pk=document.pending.pk)
        if len(row.ops) != document.version:
            raise StaleEdits
        row.edits = {**row.edits, "ops": row.ops[:-1]}
        row.save(update_fields=["edits"])


def discard_batch(batch, *, user) -> int:
    return PendingImport.objects.of_batch(batch, user).delete()[0]


def confirm_batch(documents: list[PendingDocument], *, user, status: str) -> list[DocumentOutcome]:
    """Store each document's edited parse through import_document, then forget the batch."""
    outcomes = []
    for document in documents:
        if document.error:
            outcomes.append(
                DocumentOutcome(source=document.pending.name, status="failed", error=document.error)
            )
            continue
        if not document.essays:
            outcomes.append(DocumentOutcome(source=document.pending.name, status="skipped"))
            continue
        row = document.pending
        outcomes.append(
            import_document(bytes(row.data), row.name, status=status, user=user, parsed=document.edited)
        )
    stored = [d.pending.pk for d, o in zip(documents, outcomes, strict=True) if o.status != "failed"]
    PendingImport.objects.filter(pk__in=stored).delete()
    return outcomes


# What the preview shows of each essay -------------------------------------------------------


@dataclass
class Match:
    essay: Essay
    similarity: float
    near_duplicate: bool
    passages: int
    longest: int


@dataclass
class EssayPreview:
    document: PendingDocument
    index: int  # in the edited list
    draft: EditedDraft
    shown_title: str = ""
    char_count: int = 0
    first_line: str = ""
    last_line: str = ""
    paragraph_count: int = 0
    paragraph_starts: list[tuple[int, str]] = field(default_factory=list)
    state: str = "new"  # new, unchanged, near-duplicate
    matches: list[Match] = field(default_factory=list)

    @property
    def number(self) -> int:
        return self.index + 1

    @property
    def is_last(self) -> bool:
        return self.index + 1 == len(self.document.essays)


def preview_essays(entries: list[tuple[PendingDocument, int]]) -> list[EssayPreview]:
    """Previews of these essays (one page of them), with stored essays they resemble."""
    previews = []
    for document, index in entries:
        draft = document.essays[index]
        parts = paragraphs(draft.body)
        body_lines = [p for p in parts if p.strip()] or [""]
        previews.append(
            EssayPreview(
                document=document,
                index=index,
                draft=draft,
                shown_title=(draft.title or "").strip() or generated_title(draft.body),
                char_count=count_characters(draft.body),
                first_line=_excerpt(body_lines[0], head=True),
                last_line=_excerpt(body_lines[-1], head=False) if len(body_lines) > 1 else "",
                paragraph_count=len(parts),
                paragraph_starts=[
                    (n, p.strip()[:PARAGRAPH_EXCERPT]) for n, p in enumerate(parts, start=1) if n > 1
                ][:PARAGRAPHS_LISTED],
            )
        )
    _mark_matches(previews)
    return previews


def _excerpt(line: str, *, head: bool) -> str:
    line = line.strip()
    if len(line) <= LINE_EXCERPT:
        return line
    return line[:LINE_EXCERPT] + "…" if head else "…" + line[-LINE_EXCERPT:]


def _mark_matches(previews: list[EssayPreview]) -> None:
    """new, unchanged (the document or an identical essay is stored) or near-duplicate."""
    found = matches_for_texts([p.draft.body for p in previews])
    ids = {essay_id for matches in found for essay_id, _ in matches}
    essays = (
        Essay.objects.select_related("collection")
        .only("pk", "title", "body", "status", "collection__title")
        .in_bulk(ids)
    )
    for preview, matches in zip(previews, found, strict=True):
        for essay_id, comparison in matches:
            essay = essays.get(essay_id)
            if essay is None:
                continue
            preview.matches.append(
                Match(
                    essay=essay,
                    similarity=comparison.similarity,
                    near_duplicate=comparison.near_duplicate,
                    passages=len(comparison.passages),
                    longest=max((p.length for p in comparison.passages), default=0),
                )
            )
        if preview.document.stored is not None or any(
            m.essay.body == preview.draft.body for m in preview.matches
        ):
            preview.state = "unchanged"
        elif any(m.near_duplicate for m in preview.matches):
            preview.state = "near-duplicate"
    for preview in previews:
        preview.matches = preview.matches[:5]


def status_choice(value: str | None) -> str:
    return value if value in (Status.DRAFT, Status.PUBLISHED) else Status.DRAFT
