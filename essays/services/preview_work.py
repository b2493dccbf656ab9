"""The admin import's slow half: parse uploaded documents, store confirmed ones, one at a time.

A batch's PendingImport rows wait at stage "parsing" after the upload and at "storing" after
a confirm (essays.services.preview). `start(batch)` runs `run_pending(batch)` in a thread of
the web process and waits a moment (WAIT) for it, so a small batch is ready by the time the
page is shown and a large one shows its progress instead of holding one request past the
server's timeout. The runner takes the batch's rows one at a time, in upload order:

- a row to parse goes through essays.ingest.parallel.parse_one (a bounded worker process;
  a breach of its limits comes back as an IngestError) and gets the ParsedDocument as JSON,
  or the refusal in Chinese; it is then "ready". A row parsed before and sent back by a
  line-role correction is parsed again with the corrections (preview_roles);
- a row to store is read back (its stored parse, the editor's operations replayed) and goes
  through import_document in one transaction with the row's move to "done", so a document
  is stored entirely or not at all and never twice. A conflict left without the editor's
  choice, or a refusal by the database, puts it back to "ready" with the reason.

Taking a row is a compare-and-set on `claimed_at`, so two runners (two processes showing the
same batch) never take the same row. A runner that died with its process leaves its row
taken: after LEASE the row counts as abandoned, and the next view of the batch's page starts
a runner that takes it again. Nothing but the thread object lives in the process.

Why a thread and not a task queue: nothing more to deploy or run, the state is in the
database anyway, and the thread mostly waits (the parse runs in the sandbox's process). The
setting ANTHOLOGY_IMPORT_IN_BACKGROUND chooses: True, a thread; False, the work runs to its
end in the request that asked (tests); unset, a thread — except with an in-memory SQLite
database (the tests'), which threads cannot share safely. `wait_for_runners()` joins them.
"""

from __future__ import annotations

import json
import logging
import threading
from datetime import timedelta

from django.conf import settings
from django.db import connection, connections, transaction
from django.utils import timezone

from ..ingest import IngestError
from ..ingest.parallel import parse_one
from ..models import PendingImport
from .duplicates import check_imported_documents
from .importing import STORED, DocumentOutcome, import_document
from .preview import CONFLICT_CHOICES, Receipt, conflict_message, document_of
from .preview_roles import corrections, rebase
from .preview_store import keep_editors_work

__all__ = ["LEASE", "WAIT", "in_background", "needs_runner", "run_pending", "start", "wait_for_runners"]

logger = logging.getLogger(__name__)
Stage = PendingImport.Stage
# A row taken longer ago than this is abandoned: well past the longest parse (the sandbox
# stops one at 60 s of CPU, 125 s of wall clock) and a 20 MB document's store (about 20 s).
LEASE = timedelta(minutes=5)
WAIT = 2.0  # seconds a request waits for the work it started before showing the progress

_runners: dict = {}  # batch -> Thread, in this process
_runners_lock = threading.Lock()


class _Lost(Exception):
    """The row is no longer this runner's (taken over, or discarded): undo the import."""


def in_background() -> bool:
    chosen = getattr(settings, "ANTHOLOGY_IMPORT_IN_BACKGROUND", None)
    if chosen is not None:
        return bool(chosen)
    return not (connection.vendor == "sqlite" and connection.is_in_memory_db())


def needs_runner(batch) -> bool:
    """The batch has work nobody is doing: rows waiting, none taken within LEASE."""
    waiting = PendingImport.objects.filter(batch=batch, stage__in=[Stage.PARSING, Stage.STORING])
    fresh = waiting.filter(claimed_at__gte=timezone.now() - LEASE)
    return waiting.exists() and not fresh.exists()


def start(batch, *, wait: float | None = None) -> None:
    """Do the batch's waiting work: in a thread, waiting up to `wait` seconds (WAIT) for it,
    or here to the end (see in_background). A thread already running for the batch is left
    to it."""
    if not in_background():
        run_pending(batch)
        return
    wait = WAIT if wait is None else wait
    with _runners_lock:
        thread = _runners.get(batch)
        if thread is None or not thread.is_alive():
            thread = threading.Thread(target=_run, args=(batch,), name=f"import-{batch}", daemon=True)
            _runners[batch] = thread
            thread.start()
    if wait > 0:
        thread.join(wait)


def wait_for_runners(timeout: float | None = None) -> bool:
    """Join this process's runners; True when none is left running."""
    with _runners_lock:
        threads = list(_runners.values())
    for thread in threads:
        thread.join(timeout)
    with _runners_lock:
        for batch, thread in list(_runners.items()):
            if not thread.is_alive():
                del _runners[batch]
        return not _runners


def _run(batch) -> None:
    try:
        run_pending(batch)
    except Exception:
        logger.exception("import batch %s: the runner stopped", batch)
    finally:
        connections.close_all()  # this thread's own connections


def run_pending(batch) -> int:
    """Parse or store the batch's waiting rows one at a time; returns how many."""
    count = 0
    while (row := _take_next(batch)) is not None:
        if row.stage == Stage.PARSING:
            _parse(row)
        else:
            _store(row)
        count += 1
    return count


def _take_next(batch) -> PendingImport | None:
    now = timezone.now()
    waiting = (
        PendingImport.objects.filter(batch=batch)
        .to_work_on(now - LEASE)
        .order_by("position", "id")
        .values_list("pk", "claimed_at")
    )
    for pk, claimed in waiting:
        row = PendingImport.objects.filter(pk=pk, stage__in=[Stage.PARSING, Stage.STORING])
        row = row.filter(claimed_at=claimed) if claimed else row.filter(claimed_at__isnull=True)
        if row.update(claimed_at=now):
            return PendingImport.objects.filter(pk=pk).first()
    return None


def _finish(row: PendingImport, **values) -> bool:
    """Record the row's result, if it is still this runner's."""
    return bool(
        PendingImport.objects.filter(pk=row.pk, claimed_at=row.claimed_at).update(claimed_at=None, **values)
    )


# Parsing ----------------------------------------------------------------------------------


def _parse(row: PendingImport) -> None:
    """Parse the row's bytes, keeping every line's role for the preview; a row parsed before
    is parsed again with the editor's role corrections (preview_roles)."""
    if row.parse:
        _reparse(row)
        return
    parse, error = "", ""
    try:
        parsed = parse_one(bytes(row.data), row.name, with_roles=True)
    except Exception as exc:  # the sandbox itself failed; a refusal is returned, not raised
        logger.exception("import: parsing %s", row.name)
        parsed, error = None, f"{row.name}：无法解析（{exc}）。"
    if isinstance(parsed, IngestError):
        error = f"{row.name}：无法导入（{parsed.reason}）。"
    elif parsed is not None and not parsed.essays:
        error = f"{row.name}：没有找到文章。"
    elif parsed is not None:
        parse = json.dumps(parsed.as_stored_json(), ensure_ascii=False)
    _finish(row, stage=Stage.READY, parse=parse, error=error)


def _reparse(row: PendingImport) -> None:
    """The bytes parsed again with the editor's role corrections, in the same bounded worker,
    and the essay operations carried over to the rebuilt essays (preview_roles.rebase). A
    parse that fails leaves the one before, with its corrections, and says why."""
    before = document_of(row)
    edits = dict(row.edits)
    try:
        parsed = parse_one(bytes(row.data), row.name, with_roles=True, corrections=corrections(row))
    except Exception as exc:
        logger.exception("import: parsing %s again", row.name)
        parsed = IngestError(row.name, str(exc))
    if isinstance(parsed, IngestError) or not parsed.essays or before.parsed is None:
        kept = before.parsed.line_roles if before.parsed else []
        edits["roles"] = {str(r.start): r.role for r in kept if r.corrected}
        reason = parsed.reason if isinstance(parsed, IngestError) else "改后没有文章"
        edits["notice"] = f"这处行角色修改未能套用（{reason}），已恢复修改前的样子。"
        _finish(row, stage=Stage.READY, edits=edits)
        return
    ops, lost = rebase(before.parsed, row.ops, parsed)
    edits["ops"] = ops
    edits["revision"] = int(edits.get("revision") or 0) + len(row.ops) - len(ops)
    if lost:
        edits["notice"] = (
            f"行角色改变后，有 {lost} 处对文章的修改（合并、拆分或所改文章已不存在）不再适用，已撤销。"
        )
    parse = json.dumps(parsed.as_stored_json(), ensure_ascii=False)
    _finish(row, stage=Stage.READY, parse=parse, edits=edits)


# Storing ----------------------------------------------------------------------------------


def _store(row: PendingImport) -> None:
    document = document_of(row)
    choice = row.conflict_choice
    receipt = None
    if document.error:
        receipt = Receipt("unreadable", document.error, row.name)
    elif not document.essays:
        receipt = Receipt("skipped", f"{row.name}：未导入（所有文章都已删去）。", row.name)
    elif choice == "keep":
        receipt = Receipt("kept", f"{row.name}：未导入（保留已存版本）。", row.name)
    if receipt is not None:
        _finish(row, stage=Stage.DONE, outcome=receipt.as_json())
        return
    on_conflict = CONFLICT_CHOICES[choice][1] if choice in CONFLICT_CHOICES else "refuse"
    try:
        with transaction.atomic():
            outcome = import_document(
                bytes(row.data),
                row.name,
                status=row.status,
                user=row.user,
                parsed=document.edited,
                check_duplicates=False,  # below, once committed
                on_conflict=on_conflict,
            )
            if outcome.status in STORED:
                keep_editors_work(row, document, outcome)
            stage = Stage.DONE if outcome.ok else Stage.READY
            if not _finish(row, stage=stage, outcome=receipt_of(row.name, outcome).as_json()):
                raise _Lost
    except _Lost:
        return
    except Exception as exc:  # not the database's refusal, which import_document reports
        logger.exception("import: storing %s", row.name)
        failed = Receipt("failed", f"{row.name}：失败，未导入（{exc}）；可再次确认导入。", row.name)
        _finish(row, stage=Stage.READY, outcome=failed.as_json())
        return
    if outcome.status in STORED:
        check_imported_documents([outcome])  # reports a failure, never raises
        PendingImport.objects.filter(pk=row.pk).update(outcome=receipt_of(row.name, outcome).as_json())


def receipt_of(name: str, outcome: DocumentOutcome) -> Receipt:
    """import_document's outcome in the editors' words."""
    if outcome.status in STORED:
        how = {"created": "新建", "updated": "更新已存的同一页面", "replaced": "替换已存页面，原文件留作旧版"}
        return Receipt(
            outcome.status,
            f"{name}：已导入（{how[outcome.status]}）：文集《{outcome.collection}》新建 "
            f"{outcome.essays_created} 篇、更新 {outcome.essays_updated} 篇；"
            f"近似重复 {outcome.near_duplicates} 对、共同段落 {outcome.shared_passages} 对。",
            name,
            collection_id=outcome.collection.pk,
            warnings=list(outcome.warnings[:10]),
        )
    if outcome.status == "unchanged":
        collection_id = outcome.collection.pk if outcome.collection else None
        return Receipt("unchanged", f"{name}：未改动（同样的文件已经导入过）。", name, collection_id)
    if outcome.status == "conflict":
        return Receipt("conflict", conflict_message(name, outcome.conflict_with), name)
    return Receipt("failed", f"{outcome.error or name + '：无法导入'}；此文件未导入，可再次确认导入。", name)
