"""The admin's import preview: upload, look, correct, then store through import_document.

Nothing lives in a server process between requests: every step is a row of PendingImport
(one per uploaded document), so any process can show, correct, confirm or discard a batch.

- Upload (start_batch) keeps the exact bytes and returns at once; nothing is parsed in the
  upload request. Each row then goes through stages: parsing → ready → storing → done.
- Parsing happens once per document, in the background (preview_work: a thread that takes
  the batch's rows one at a time, parses each through essays.ingest.parallel.parse_one, the
  bounded worker process, and stores the ParsedDocument as JSON, or the refusal as a line in
  Chinese). While a batch has rows to parse, its page shows 「正在解析 3/20」 and reloads.
- The preview (open_batch) reads the stored parses and replays the editor's operations
  (essays.ingest.edits) over them; it never parses. Corrections are appended to the row's
  operations; a file that claims a stored page (find_conflict) is shown beside that page,
  and the editor's choice (keep the stored one, replace it, keep both) is kept on the row.
- A line-role correction (preview_roles) is the one correction that parses again: it is kept
  on the row, the row goes back to "parsing", and the runner parses the bytes with every
  correction so far in the same bounded worker, carrying the essay operations over.
- Confirming (request_confirm) marks the ready rows "storing"; the same background runner
  stores them one at a time, each through import_document in one transaction together with
  the row's move to "done" — so a document is stored entirely or not at all, and a stored
  one is never stored again. A document that fails (conflict without a choice, a database
  refusal) goes back to "ready" with its result, and the batch stays viewable, confirmable
  and discardable. Once every row is done, the page reports each document and forgets the
  batch (finish_batch).
- A runner that died (a worker restarted) leaves its row taken but unfinished; after
  preview_work.LEASE the row is taken again when the batch's page is next viewed.

This module is the request side (reading and changing rows); preview_work does the work.
"""

from __future__ import annotations

import hashlib
import json
import math
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.files import File
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from ..export.source_span import cleanup_label
from ..ingest import ParsedDocument
from ..ingest.edits import EditedDraft, EditError, paragraphs
from ..labels import IMPORT_STATUS
from ..models import Collection, Essay, PendingImport, SourceDocument, Status, count_characters
from . import importing, preview_fields
from .duplicates import matches_for_texts
from .import_rows import generated_title
from .importing import find_conflict

__all__ = [
    "CONFLICT_CHOICES",
    "Comparison",
    "EssayPreview",
    "PendingDocument",
    "Progress",
    "Receipt",
    "StaleEdits",
    "discard_batch",
    "edits_version",
    "finish_batch",
    "open_batch",
    "preview_essays",
    "progress",
    "record_choice",
    "record_edits",
    "request_confirm",
    "start_batch",
]

Stage = PendingImport.Stage
KEEP_PENDING = timedelta(days=1)  # an upload not confirmed by then is removed
MAX_FILES = 20
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_PASTE_BYTES = 10 * 1024 * 1024  # UTF-8; settings.DATA_UPLOAD_MAX_MEMORY_SIZE is above it
REQUEST_MARGIN = 1024 * 1024  # multipart headers, the other fields
# A request body past this is refused before a byte of it is read (the reverse proxy's limit,
# nginx's client_max_body_size, should agree): every file at its limit and the paste at its.
MAX_REQUEST_BYTES = MAX_FILES * MAX_FILE_BYTES + MAX_PASTE_BYTES + REQUEST_MARGIN
LINE_EXCERPT = 80  # characters of a first or last line shown
PARAGRAPH_EXCERPT = 24  # characters of each paragraph in the split chooser
PARAGRAPHS_LISTED = 200  # paragraphs offered in the split chooser at most
COMPARED_LINES = 6  # first lines of each side of a conflict
COMPARED_TITLES = 30  # essay titles listed on each side of a conflict
# What the editor may choose for a file that claims a stored page, and import_document's name.
CONFLICT_CHOICES = {
    "keep": ("保留已存版本（不导入此文件）", None),
    "replace": ("以此文件替换", "replace"),
    "separate": ("两者都保留（另存为新文集）", "separate"),
}


class StaleEdits(Exception):
    """The preview was changed in another window since this page was shown."""


def megabytes(size: int) -> str:
    """A limit in MB: 20, 2.5."""
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0")


def size_over(size: int) -> str:
    """A size past a limit in MB, rounded up so it never reads as the limit: 10.1."""
    return f"{math.ceil(size * 10 / (1024 * 1024)) / 10:.1f}"


# Upload -----------------------------------------------------------------------------------


def request_too_big(content_length: str | None) -> str:
    """Why a request body of this declared length is refused unread, or ""."""
    try:
        length = int(content_length or 0)
    except ValueError:
        return ""
    if length <= MAX_REQUEST_BYTES:
        return ""
    return (
        f"上传的内容共 {size_over(length)} MB，超过一次上传的上限 {megabytes(MAX_REQUEST_BYTES)} MB"
        f"（最多 {MAX_FILES} 个文件、每个 {megabytes(MAX_FILE_BYTES)} MB，粘贴文本 "
        f"{megabytes(MAX_PASTE_BYTES)} MB），没有接收，粘贴的文本也未保留。请分几次上传。"
    )


def file_too_big(name: str) -> str:
    return f"{name}：文件超过 {megabytes(MAX_FILE_BYTES)} MB，没有接收。"


def paste_too_big(size: int) -> str:
    return (
        f"粘贴的文本有 {size_over(size)} MB，超过 {megabytes(MAX_PASTE_BYTES)} MB 的上限；"
        "请分几次粘贴，或存为文件后上传。"
    )


def paste_not_received() -> str:
    """For a paste too long even to be read back into the form."""
    return (
        f"粘贴的文本远超 {megabytes(MAX_PASTE_BYTES)} MB 的上限，没有接收，文本未保留；"
        "请分几次粘贴，或存为文件后上传。"
    )


def start_batch(files: list[tuple[str, bytes | File]], *, user) -> tuple[uuid.UUID | None, list[str]]:
    """Keep the files as one batch waiting to be parsed (preview_work.start does that), or
    keep none and say why. Returns (batch, []) or (None, errors). An uploaded file is read
    when its row is written, so one file at a time is held in memory."""
    errors = []
    if len(files) > MAX_FILES:
        errors.append(f"一次最多上传 {MAX_FILES} 个文件（本次 {len(files)} 个）。")
    errors += [file_too_big(name) for name, data in files if _size(data) > MAX_FILE_BYTES]
    if errors or not files:
        return None, errors or ["请选择文件或粘贴文本。"]
    batch = uuid.uuid4()
    with transaction.atomic():
        PendingImport.objects.older_than(timezone.now() - KEEP_PENDING).delete()
        for n, (name, source) in enumerate(files):
            data = source if isinstance(source, bytes) else source.read()
            PendingImport.objects.create(
                batch=batch,
                position=n,
                name=name,
                data=data,
                sha256=hashlib.sha256(data).hexdigest(),
                user=user,
                edits={"ops": []},
            )
    return batch, []


def _size(data: bytes | File) -> int:
    return len(data) if isinstance(data, bytes) else data.size


# Where a batch stands ----------------------------------------------------------------------


@dataclass
class Progress:
    """How many of a batch's documents are at each stage."""

    parsing: int = 0
    ready: int = 0
    storing: int = 0
    done: int = 0

    @property
    def total(self) -> int:
        return self.parsing + self.ready + self.storing + self.done

    @property
    def parsed(self) -> int:
        return self.total - self.parsing

    @property
    def working(self) -> bool:
        return bool(self.parsing or self.storing)

    @property
    def finished(self) -> bool:
        return self.total > 0 and self.done == self.total


def progress(batch, *, user) -> Progress:
    """How many of the batch's documents are at each stage (nothing big is read)."""
    rows = PendingImport.objects.of_batch(batch, user).order_by().values("stage").annotate(n=Count("id"))
    return Progress(**{row["stage"]: row["n"] for row in rows})


# The batch as it stands -------------------------------------------------------------------


@dataclass
class PendingDocument:
    pending: PendingImport
    parsed: ParsedDocument | None = None  # the parser's, as stored after the upload
    edited: ParsedDocument | None = None  # with the editor's operations replayed
    error: str = ""
    stored: SourceDocument | None = None  # the same bytes were imported before
    conflict: Comparison | None = None  # it claims a stored page without being a copy of it
    lines: object | None = None  # preview_roles.LinesView: one page of its lines and their roles

    @property
    def version(self) -> int:
        return edits_version(self.pending.edits)

    @property
    def changes(self) -> int:
        """How many corrections the editor made: operations, line roles, collection fields."""
        edits = self.pending.edits or {}
        return len(self.pending.ops) + len(edits.get("roles") or {}) + len(edits.get("collection") or {})

    @property
    def notice(self) -> str:
        return (self.pending.edits or {}).get("notice", "")

    @property
    def essays(self) -> list[EditedDraft]:
        return self.edited.essays if self.edited else []

    @property
    def done(self) -> bool:
        return self.pending.stage == Stage.DONE

    @property
    def importable(self) -> bool:
        return not self.done and not self.error and bool(self.essays) and self.stored is None

    @property
    def receipt(self) -> Receipt | None:
        return Receipt.of(self.pending.outcome) if self.pending.outcome else None

    @property
    def cleanup(self) -> list[tuple[str, int]]:
        """What the cleanup did, in the editors' words, most frequent first."""
        counts = self.parsed.report.counts if self.parsed else {}
        return [(cleanup_label(k), n) for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]

    @property
    def warnings(self) -> list[str]:
        return list(self.parsed.report.warnings) if self.parsed else []


def edits_version(edits: dict | None) -> int:
    """What a page was made from: it changes with every operation and every role correction
    (a role correction re-parses, and re-targets the operations: preview_roles.rebase)."""
    edits = edits or {}
    return len(edits.get("ops") or []) + int(edits.get("revision") or 0)


def document_of(row: PendingImport) -> PendingDocument:
    """The row's stored parse with the editor's operations replayed: no parsing."""
    document = PendingDocument(pending=row, error=row.error)
    if row.error or row.stage == Stage.DONE:
        return document
    if not row.parse:
        document.error = f"{row.name}：尚未解析。"
        return document
    try:
        document.parsed = ParsedDocument.from_json(json.loads(row.parse))
    except (ValueError, KeyError, TypeError) as exc:
        document.error = f"{row.name}：保存的解析结果无法读取（{exc}），请放弃后重新上传。"
        return document
    try:
        document.edited = preview_fields.apply_edits(document.parsed, row.ops, row.edits.get("collection"))
    except EditError as exc:
        document.error = f"{row.name}：之前的修改已无法套用（{exc}），请放弃后重新上传。"
    return document


def open_batch(batch, *, user) -> list[PendingDocument]:
    """The batch's documents as the preview shows them; empty when it is gone or not theirs."""
    rows = list(PendingImport.objects.of_batch(batch, user).defer("data"))
    stored = {
        d.sha256: d
        for d in SourceDocument.objects.filter(sha256__in=[row.sha256 for row in rows if row.sha256])
        .select_related("collection")
        .defer("raw", "text")
    }
    documents = []
    for row in rows:
        document = document_of(row)
        document.stored = stored.get(row.sha256)
        if document.edited is not None and document.stored is None:
            claimed = find_conflict(bytes(row.data), row.name, document.edited)
            document.conflict = claimed and Comparison.of(claimed, document)
        documents.append(document)
    return documents


# Conflicts: a file that claims a stored page --------------------------------------------------


@dataclass
class Side:
    name: str
    collection: str
    page: str
    essay_count: int
    titles: list[str]
    first_lines: list[str]


@dataclass
class Comparison:
    stored: SourceDocument
    stored_side: Side
    file_side: Side

    @classmethod
    def of(cls, stored: SourceDocument, document: PendingDocument) -> Comparison:
        titles = list(stored.essays.order_by("position", "id").values_list("title", flat=True))
        collection = document.edited.collection
        return cls(
            stored=stored,
            stored_side=Side(
                name=stored.name,
                collection=str(stored.collection),
                page=_page(stored.page_number, stored.page_total),
                essay_count=len(titles),
                titles=titles[:COMPARED_TITLES],
                first_lines=_first_lines(stored.text),
            ),
            file_side=Side(
                name=document.pending.name,
                collection=collection.title or "（无总标题）",
                page=_page(*(collection.page or (None, None))),
                essay_count=len(document.essays),
                titles=[_shown_title(e) for e in document.essays[:COMPARED_TITLES]],
                first_lines=_first_lines(document.edited.text),
            ),
        )

    @property
    def sides(self) -> list[tuple[str, Side]]:
        return [("库中已存的版本", self.stored_side), ("此文件", self.file_side)]


def _page(number, total) -> str:
    return f"第 {number}/{total or '?'} 页" if number else "—"


def _first_lines(text: str) -> list[str]:
    lines = []
    for line in text.splitlines():
        if line.strip():
            lines.append(_excerpt(line, head=True))
            if len(lines) == COMPARED_LINES:
                break
    return lines


def conflict_message(name: str, stored: SourceDocument) -> str:
    return importing.conflict_message(name, stored, "请在预览中选择保留哪一份，再确认导入")


# Corrections ------------------------------------------------------------------------------


def record_edits(
    document: PendingDocument, ops: list[dict], *, status: str | None = None, collection: dict | None = None
) -> None:
    """Check the operations against the essays as they stand, then append them, and keep the
    collection fields changed; raises EditError (nothing kept) or StaleEdits (another window
    changed the preview first)."""
    essays = document.essays
    for op in ops:
        essays = preview_fields.apply_op(essays, op)
    with transaction.atomic():
        row = PendingImport.objects.select_for_update().get(pk=document.pending.pk)
        if edits_version(row.edits) != document.version or row.stage != Stage.READY:
            raise StaleEdits
        row.edits = {**row.edits, "ops": [*row.ops, *ops], "status": status or row.status}
        if ops or collection:
            row.edits.pop("notice", None)  # said once: the editor has gone on editing
        if collection:
            row.edits["collection"] = {**(row.edits.get("collection") or {}), **collection}
        row.save(update_fields=["edits"])
    document.pending.edits = row.edits
    if document.edited is not None:
        document.edited.essays = essays


def undo_last(document: PendingDocument) -> None:
    with transaction.atomic():
        row = PendingImport.objects.select_for_update().get(pk=document.pending.pk)
        if edits_version(row.edits) != document.version or row.stage != Stage.READY:
            raise StaleEdits
        # the version must not come back to one an older page was made from
        row.edits = {**row.edits, "ops": row.ops[:-1], "revision": int(row.edits.get("revision") or 0) + 2}
        row.save(update_fields=["edits"])


def record_choice(document: PendingDocument, choice: str) -> None:
    """Keep what the editor chose for a file that conflicts with a stored page."""
    if choice not in CONFLICT_CHOICES or choice == document.pending.conflict_choice:
        return
    with transaction.atomic():
        row = PendingImport.objects.select_for_update().get(pk=document.pending.pk)
        row.edits = {**row.edits, "conflict": choice}
        row.save(update_fields=["edits"])
    document.pending.edits = row.edits


# Confirming, discarding, finishing ------------------------------------------------------------


def request_confirm(batch, *, user, status: str) -> int:
    """Mark the batch's documents still to import as waiting to be stored, with the status
    their essays get (preview_work.start stores them). Returns how many."""
    with transaction.atomic():
        rows = list(PendingImport.objects.of_batch(batch, user).filter(stage=Stage.READY).select_for_update())
        for row in rows:
            row.edits = {**row.edits, "status": status}
            row.stage, row.claimed_at = Stage.STORING, None
        PendingImport.objects.bulk_update(rows, ["edits", "stage", "claimed_at"])
    return len(rows)


def discard_batch(batch, *, user) -> int:
    """Forget the batch (documents it already stored stay stored). Returns the documents
    forgotten that had not been stored."""
    rows = PendingImport.objects.of_batch(batch, user)
    not_stored = rows.exclude(stage=Stage.DONE).count()
    rows.delete()
    return not_stored


@dataclass
class Receipt:
    """What confirming did with one document, in the editors' words."""

    status: str  # created, updated, replaced, unchanged, kept, skipped, unreadable, conflict, failed
    message: str
    name: str = ""
    collection_id: int | None = None
    warnings: list[str] = field(default_factory=list)
    collection: Collection | None = None  # filled in by finish_batch

    SAVED = ("status", "message", "name", "collection_id", "warnings")

    @property
    def label(self) -> str:
        return IMPORT_STATUS.get(self.status, self.status)

    @property
    def level(self) -> str:
        """The admin message level: success, info, warning or error."""
        if self.status in {"created", "updated", "replaced"}:
            return "success"
        if self.status in {"unchanged", "kept"}:
            return "info"
        return "warning" if self.status == "skipped" else "error"

    def as_json(self) -> dict:
        return {key: getattr(self, key) for key in self.SAVED}

    @classmethod
    def of(cls, data: dict) -> Receipt:
        values = {key: data[key] for key in cls.SAVED if data.get(key) is not None}
        return cls(**{"status": "failed", "message": "", **values})


def finish_batch(batch, *, user) -> list[Receipt]:
    """Every document is done: their receipts, in upload order, and the batch forgotten."""
    rows = PendingImport.objects.of_batch(batch, user)
    receipts = [Receipt.of(outcome) for outcome in rows.values_list("outcome", flat=True)]
    collections = Collection.objects.in_bulk({r.collection_id for r in receipts if r.collection_id})
    for receipt in receipts:
        receipt.collection = collections.get(receipt.collection_id)
    rows.delete()
    return receipts


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
                shown_title=_shown_title(draft),
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


def _shown_title(draft) -> str:
    return (draft.title or "").strip() or generated_title(draft.body)


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
