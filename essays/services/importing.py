"""Importing source documents: parse with essays.ingest, then write.

Each document is parsed completely before anything is written, and then written in one
transaction, so a bad file leaves the database exactly as it was. A bulk import (import_paths)
writes the documents that only add pages in one transaction per batch, and should that fail,
writes the batch again one document per transaction, so the same holds. Importing the same
bytes twice changes nothing; re-parsing a stored source never overwrites an essay an editor
changed.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from ..history import acting
from ..ingest import IngestError, ParsedDocument
from ..ingest.files import MAX_SOURCE_BYTES, display, iter_source_files, read_source, source_name
from ..ingest.parallel import batches, default_jobs, parse_many, parse_one, worker_pool
from ..models import Collection, Essay, SourceDocument, SourceVersion, Status
from ..prepare import parse_for_import
from .duplicates import PendingCheck, check_imported_documents, start_document_check
from .import_rows import (
    WRITE_BATCH,
    collection_for,
    collection_key,
    collection_values,
    create_essays,
    create_essays_of,
    fill_collection,
    fill_source,
    let_go,
    reason,
    renumber,
    store_source,
    sync_essays,
)
from .page_cache import page_cache

__all__ = [
    "DocumentOutcome",
    "find_conflict",
    "import_document",
    "import_paths",
    "reparse_documents",
]

STORE_BATCH = 200  # documents stored, then checked for duplicates, together
READ_BATCH = 50  # files read, then looked up by digest, together
SOURCE_BYTES = 1_000_000  # bytes of sources inserted in one statement, but for a larger one alone
# Share of lines a stored page and a new file of the same name must have in common for the
# file to be taken as a corrected copy of the page (updated in place) rather than another
# document claiming its place (a conflict): a correction changes a few lines, a different
# page of the same collection shares little beyond the site's chrome.
CORRECTED_COPY_OVERLAP = 0.5
ON_CONFLICT = ("refuse", "replace", "separate")
STORED = frozenset({"created", "updated", "replaced"})  # outcomes that wrote the document


@dataclass
class DocumentOutcome:
    """What happened to one input document: the receipt an importer prints."""

    source: str
    sha256: str = ""  # of the source's bytes
    status: str = "pending"  # created, updated, replaced, unchanged, parsed (dry run), conflict, failed
    error: str | None = None
    parsed: ParsedDocument | None = None
    collection: Collection | None = None
    collection_created: bool = False
    essays_created: int = 0
    essays_updated: int = 0
    essays_unchanged: int = 0
    essays_kept: int = 0  # edited by an editor, so left as they are
    essays_kept_published: int = 0  # gone from the source but published, so left for an editor
    essays_removed: int = 0
    created_ids: list[int] = field(default_factory=list)  # essays this import added
    near_duplicates: int = 0  # pairs with a stored essay at Jaccard >= 0.8 (services.duplicates)
    shared_passages: int = 0  # other pairs with a stored essay sharing 50+ characters
    warnings: list[str] = field(default_factory=list)
    conflict_with: SourceDocument | None = None  # the stored page a conflicting file claims
    failed_steps: list[str] = field(default_factory=list)  # after storing (the duplicate check)

    @property
    def ok(self) -> bool:
        return self.status not in {"failed", "conflict"}


class _Conflict(Exception):
    """A different file claims a stored page: raised inside the transaction to undo it."""

    def __init__(self, document: SourceDocument):
        self.document = document


def import_document(
    data: bytes,
    name: str,
    *,
    status: str = Status.DRAFT,
    user=None,
    dry_run: bool = False,
    source_url: str = "",
    parsed: ParsedDocument | IngestError | None = None,
    check_duplicates: bool = True,
    on_conflict: str = "refuse",
    _key: str | None = None,
) -> DocumentOutcome:
    """Parse one document and store it as a collection page with its essays. `name` is the
    file's name relative to what was imported (source_name), never a server path. `parsed`
    is a parse already made from these bytes (import_paths parses in worker processes).
    Without `check_duplicates` the caller checks the stored essays itself (import_paths
    does, for many documents at once).

    A file that claims a stored page but is not a corrected copy of it (same name, most lines
    in common) is a conflict: with `on_conflict` "refuse" nothing is stored, "replace" puts
    it in the page's place (the page's bytes are kept as a SourceVersion), "separate" stores
    it as a collection of its own."""
    if on_conflict not in ON_CONFLICT:
        raise ValueError(f"on_conflict must be one of {ON_CONFLICT}")
    name = source_name(name)
    digest = hashlib.sha256(data).hexdigest()
    if not dry_run and (unchanged := _stored_already(name, digest)) is not None:
        return unchanged
    if parsed is None:
        parsed = parse_one(data, name)
    if isinstance(parsed, IngestError):
        return DocumentOutcome(source=name, sha256=digest, status="failed", error=str(parsed))
    outcome = DocumentOutcome(
        source=name, sha256=digest, parsed=parsed, warnings=list(parsed.report.warnings)
    )
    if dry_run:
        outcome.status = "parsed"
        return outcome
    incoming = _Incoming(data, name, digest, parsed)
    try:
        outcome.collection, outcome.collection_created, outcome.status = _write(
            incoming,
            outcome,
            key=_key or collection_key(parsed, digest),
            status=status,
            user=user,
            source_url=source_url,
            on_conflict=on_conflict,
        )
    except _Conflict as conflict:
        if on_conflict == "separate":
            # Both kept: this file stands alone, as an untitled page would (collection_key).
            return import_document(
                data,
                name,
                status=status,
                user=user,
                source_url=source_url,
                parsed=parsed,
                check_duplicates=check_duplicates,
                _key=f"sha256:{digest}",
            )
        return _conflict_outcome(incoming, outcome.warnings, conflict.document)
    except DatabaseError as exc:
        return _failed_write(incoming, outcome.warnings, exc)
    if check_duplicates:
        check_imported_documents([outcome])  # near-duplicates and shared passages, once committed
    return outcome


class _Incoming(NamedTuple):
    """A parsed document on its way in (import_document)."""

    data: bytes
    name: str  # relative to what was imported (source_name)
    digest: str  # SHA-256 of data
    parsed: ParsedDocument


def _stored_already(name: str, digest: str) -> DocumentOutcome | None:
    """The outcome of bytes imported before (nothing to parse, nothing to write), or None."""
    existing = SourceDocument.objects.select_related("collection").filter(sha256=digest).first()
    if existing is None:
        return None
    return DocumentOutcome(
        source=name,
        sha256=digest,
        status="unchanged",
        collection=existing.collection,
        essays_unchanged=existing.essays.count(),
    )


def _write(
    incoming: _Incoming,
    outcome: DocumentOutcome,
    *,
    key: str,
    status,
    user,
    source_url: str,
    on_conflict: str,
) -> tuple[Collection, bool, str]:
    """import_document's transaction: the document as a new page of its collection, or in
    the place of the page it claims (_update_page). Returns the collection, whether it is
    new, and the outcome's status; the counts go on `outcome`."""
    name, parsed = incoming.name, incoming.parsed
    # Every version this import writes is attributed to `user` (essays.history).
    with transaction.atomic(), acting(user, reason(name)):
        collection, created = collection_for(parsed, key=key, source=source_url or Path(name).name)
        # Lock the collection so two pages imported at once cannot interleave positions.
        collection = Collection.objects.select_for_update().get(pk=collection.pk)
        previous = None if created else _previous_version(collection, parsed, name)
        if previous is None:
            document = SourceDocument(collection=collection, name=name, source_url=source_url)
            store_source(document, data=incoming.data, digest=incoming.digest, parsed=parsed, user=user)
            create_essays(document, parsed, status=status, outcome=outcome, after=0 if created else None)
            result = "created"
        else:
            result = _update_page(
                previous, incoming, outcome, status=status, user=user, on_conflict=on_conflict
            )
        if not created:
            renumber(collection, outcome.created_ids)
    return collection, created, result


def _update_page(
    previous: SourceDocument, incoming: _Incoming, outcome: DocumentOutcome, *, status, user, on_conflict: str
) -> str:
    """Put the document in the place of the stored page it claims: a corrected copy of it,
    or a file an editor chose to put in its place (on_conflict "replace"; any other file
    raises _Conflict). The page's bytes are kept (SourceVersion). Returns the status."""
    replaced = not _is_corrected_copy(previous, incoming.parsed, incoming.name)
    if replaced and on_conflict != "replace":
        raise _Conflict(previous)
    _keep_version(previous, user=user, replaced=replaced)
    previous.name = incoming.name
    store_source(previous, data=incoming.data, digest=incoming.digest, parsed=incoming.parsed, user=user)
    sync_essays(previous, incoming.parsed, status=status, outcome=outcome)
    return "replaced" if replaced else "updated"


def _conflict_outcome(incoming: _Incoming, warnings: list[str], stored: SourceDocument) -> DocumentOutcome:
    """Nothing stored: the file claims `stored` without being a corrected copy of it."""
    return DocumentOutcome(
        source=incoming.name,
        sha256=incoming.digest,
        parsed=incoming.parsed,
        warnings=warnings,
        status="conflict",
        conflict_with=stored,
        error=conflict_message(incoming.name, stored),
    )


def _failed_write(incoming: _Incoming, warnings: list[str], exc: DatabaseError) -> DocumentOutcome:
    """The transaction has rolled back: the database is as it was before this file, so
    the counts gathered inside it no longer hold."""
    outcome = DocumentOutcome(
        source=incoming.name, sha256=incoming.digest, parsed=incoming.parsed, warnings=warnings
    )
    if isinstance(exc, IntegrityError) and SourceDocument.objects.filter(sha256=incoming.digest).exists():
        # The same bytes were stored by a concurrent import in the meantime.
        outcome.status = "unchanged"
    else:
        outcome.status, outcome.error = "failed", f"{display(incoming.name)}：无法写入数据库（{exc}）"
    return outcome


COMMAND_REMEDY = "确认以它替换请加 --replace，两者都保留请加 --keep-both"


def conflict_message(name: str, stored: SourceDocument, remedy: str = COMMAND_REMEDY) -> str:
    """One line: which stored page the file claims, and what can be done about it."""
    page = f"第 {stored.page_number} 页" if stored.page_number else "同名文件"
    return (
        f"{display(name)}：与已存的《{stored.collection}》{page}（{display(stored.name)}）内容不同，"
        f"未导入；{remedy}"
    )


def find_conflict(data: bytes, name: str, parsed: ParsedDocument) -> SourceDocument | None:
    """The stored page these bytes would claim without being a corrected copy of it, for a
    preview to show before anything is stored; None when they add a page or correct one."""
    digest = hashlib.sha256(data).hexdigest()
    if SourceDocument.objects.filter(sha256=digest).exists():
        return None
    collection = Collection.objects.filter(key=collection_key(parsed, digest)).first()
    name = source_name(name)
    previous = collection and _previous_version(collection, parsed, name, lock=False)
    if previous and not _is_corrected_copy(previous, parsed, name):
        return previous
    return None


def _previous_version(
    collection: Collection, parsed: ParsedDocument, name: str, *, lock: bool = True
) -> SourceDocument | None:
    """The stored source this document would take the place of: the same page of the
    collection, or for a single-page source the file of the same name."""
    # The raw bytes are read only should they be kept (_keep_version): up to 50 MB a page.
    documents = (collection.documents.select_for_update() if lock else collection.documents).defer("raw")
    if parsed.collection.page:
        return documents.filter(page_number=parsed.collection.page[0]).first()
    return documents.filter(page_number__isnull=True, name=name).first()


def _is_corrected_copy(stored: SourceDocument, parsed: ParsedDocument, name: str) -> bool:
    """The same file corrected: the same name and most of its lines (_line_overlap)."""
    return stored.name == name and _line_overlap(stored.text, parsed.text) >= CORRECTED_COPY_OVERLAP


def _line_overlap(a: str, b: str) -> float:
    """Jaccard similarity of two texts' sets of non-blank lines."""
    lines_a = {line.strip() for line in a.splitlines() if line.strip()}
    lines_b = {line.strip() for line in b.splitlines() if line.strip()}
    if not lines_a or not lines_b:
        return 1.0 if lines_a == lines_b else 0.0
    return len(lines_a & lines_b) / len(lines_a | lines_b)


def _keep_version(document: SourceDocument, *, user, replaced: bool) -> None:
    """Keep the bytes a source holds before new ones take their place."""
    SourceVersion.objects.create(
        document=document,
        name=document.name,
        raw=bytes(document.raw),
        text=document.text,
        sha256=document.sha256,
        encoding=document.encoding,
        format=document.format,
        # when these bytes came: the last replacement's time, or the first import's
        imported_at=document.versions.aggregate(last=Max("superseded_at"))["last"] or document.imported_at,
        reason=SourceVersion.Reason.REPLACED if replaced else SourceVersion.Reason.CORRECTED,
        superseded_by=user if getattr(user, "pk", None) else None,
    )


def reparse_documents(documents: Iterable[SourceDocument] | None = None) -> list[DocumentOutcome]:
    """Run the current pipeline again over stored sources, sparing essays editors changed."""
    if documents is None:
        documents = SourceDocument.objects.select_related("collection").order_by("id")
    outcomes = []
    for document in documents:
        outcome = DocumentOutcome(source=document.name, collection=document.collection)
        parsed = parse_one(bytes(document.raw), document.name)  # bounded, like any parse of a file
        if isinstance(parsed, IngestError):
            outcome.status, outcome.error = "failed", str(parsed)
            outcomes.append(outcome)
            continue
        outcome.parsed = parsed
        outcome.warnings = list(parsed.report.warnings)
        try:
            with transaction.atomic(), acting(None, f"重新解析：{document.name}"):
                document.reparsed_at = timezone.now()
                store_source(
                    document, data=bytes(document.raw), digest=document.sha256, parsed=parsed, user=None
                )
                sync_essays(document, parsed, status=None, outcome=outcome)
                fill_collection(document.collection, parsed)
                renumber(document.collection, outcome.created_ids)
        except DatabaseError as exc:
            outcome.status, outcome.error = "failed", f"{display(document.name)}：无法写入数据库（{exc}）"
            outcomes.append(outcome)
            continue
        outcome.status = "updated" if (outcome.essays_created or outcome.essays_updated) else "unchanged"
        outcomes.append(outcome)
    return outcomes


def import_paths(
    paths: Iterable[str],
    *,
    status: str = Status.DRAFT,
    user=None,
    dry_run: bool = False,
    jobs: int | None = None,
    max_bytes: int = MAX_SOURCE_BYTES,
    on_conflict: str = "refuse",
) -> Iterator[DocumentOutcome]:
    """Import every file under these paths, one transaction each; a bad file stops nothing.

    Files are parsed by `jobs` worker processes (default: one per core for a bulk import)
    while this process stores them, in the order given. Each file is named relative to
    the folder given (source_name); one past `max_bytes` is refused unread. The outcomes'
    parses come without their texts (_let_go_of_texts)."""
    files = list(iter_source_files(paths))  # names only: the count decides the workers

    def read():
        for name, path, problem in files:
            data = None
            if problem is None:
                data, problem = read_source(path, max_bytes)
            yield name, data, problem

    def work():
        # Whether the bytes are stored already is asked for READ_BATCH files at a time: one
        # query per file cost this process, which also stores, a query's round trip each.
        for group in batches(read(), READ_BATCH):
            digests = [None if problem else hashlib.sha256(data).hexdigest() for _, data, problem in group]
            stored = set() if dry_run or not any(digests) else _stored_digests(set(digests) - {None})
            for (given, data, problem), digest in zip(group, digests, strict=True):
                if problem:
                    yield (given, None, f"{display(given)}：{problem}"), None, given
                elif digest in stored:
                    yield (given, data, None), None, given  # stored already: no parse needed
                else:
                    yield (given, data, None), data, given

    # Parsed documents are stored STORE_BATCH at a time (_store_many), then their
    # duplicates are checked together, and then their receipts go out: one check or one
    # store of many documents costs little more than one of a single document. In a bulk
    # import the check's exact comparisons run in a worker process while the next batch
    # is stored, which is when this process would otherwise leave a core idle.
    jobs = default_jobs(len(files)) if jobs is None else jobs
    batch: list[tuple[str, bytes | None, ParsedDocument | IngestError | None, str | None]] = []
    made: dict[str, str] = {}  # index strings the parse workers made
    pending = None
    parse = parse_one if dry_run else parse_for_import
    with worker_pool(jobs if jobs > 1 and not dry_run else 0) as comparing, page_cache() as cache:
        for key, result in parse_many(work(), jobs, parse, ahead=STORE_BATCH):
            batch.append(_batch_item(key, result, made, dry_run=dry_run))
            del key, result  # the batch holds the bytes and the parse, and lets go of them
            if len(batch) >= STORE_BATCH:
                cache.fit(_largest(batch))
                stored = _store_many(
                    batch, status=status, user=user, dry_run=dry_run, made=made, on_conflict=on_conflict
                )
                made = {}
                _let_go_of_texts(stored)
                cache.settle()
                if pending is not None:
                    yield from _finished(*pending)
                pending = stored, start_document_check(_stored_now(stored), comparing, jobs)
        cache.fit(_largest(batch))
        stored = _store_many(
            batch, status=status, user=user, dry_run=dry_run, made=made, on_conflict=on_conflict
        )
        made = {}
        _let_go_of_texts(stored)
        cache.settle()
        if pending is not None:
            yield from _finished(*pending)
        yield from _finished(stored, start_document_check(_stored_now(stored)))


def _let_go_of_texts(outcomes: list[DocumentOutcome]) -> None:
    """Empty the exact text of each parse and its essays' source texts (each as large as the
    file), once written: a receipt, and import_essays --json, read the collection and the
    essays' bodies, which the duplicate check reads too."""
    for outcome in outcomes:
        if outcome.parsed is not None:
            outcome.parsed.text = ""
            for draft in outcome.parsed.essays:
                draft.source_text = ""


def _largest(batch) -> int:
    """Bytes of the largest source in a batch of (name, bytes, parse, problem)."""
    return max((len(data) for _, data, _, _ in batch if data is not None), default=0)


def _batch_item(key, result, made: dict, *, dry_run: bool) -> tuple:
    """(name, bytes, parse, problem) of one document parse_many gave; the index strings
    its worker made go to `made`."""
    (given, data, problem), parsed = key, result
    if result is not None and not dry_run and not isinstance(result, IngestError):
        parsed, strings = result  # a refused parse (a breached limit) comes alone
        made.update(strings)
    return given, data, parsed, problem


def _store_many(items, *, status, user, dry_run, made=None, on_conflict="refuse") -> list[DocumentOutcome]:
    """import_document for each (name, bytes, parse, problem), in order, duplicates not
    checked yet; `made` holds index strings made beforehand (essays.search.index). The
    items are taken out of the list given (emptied), so that each document's bytes go as
    soon as it is stored.

    New documents of new collections, the bulk of a first import, are stored together
    (_store_together); the rest, and all of them should that fail, one by one."""
    outcomes: list[DocumentOutcome | None] = [None] * len(items)
    todo = {}
    for n, item in enumerate(items):
        if item[3]:
            outcomes[n] = DocumentOutcome(source=item[0], status="failed", error=item[3])
        else:
            todo[n] = item
    item = None
    items.clear()
    if not dry_run:
        _store_together(todo, outcomes, status=status, user=user, made=made)
    for n in list(todo):
        given, data, parsed, _ = todo.pop(n)
        outcomes[n] = import_document(
            data,
            given,
            status=status,
            user=user,
            dry_run=dry_run,
            parsed=parsed,
            check_duplicates=False,
            on_conflict=on_conflict,
        )
    return outcomes


def _stored_digests(digests: set[str]) -> set[str]:
    return set(SourceDocument.objects.filter(sha256__in=digests).values_list("sha256", flat=True))


def _stored_now(outcomes: list[DocumentOutcome]) -> list[DocumentOutcome]:
    return [o for o in outcomes if o.status in STORED]


def _finished(outcomes: list[DocumentOutcome], check: PendingCheck) -> list[DocumentOutcome]:
    check.finish()
    return outcomes


class _Pending(NamedTuple):
    n: int  # place in the batch
    name: str
    data: bytes
    parsed: ParsedDocument
    digest: str
    key: str  # the collection's (collection_key)


def _store_together(items: dict, outcomes: list, *, status, user, made=None) -> None:
    """Store in one transaction the documents among `items` ({n: (name, bytes, parse, _)})
    that add a page (_storable_together); their outcomes go to outcomes[n] and they leave
    `items`, the others are left for import_document. Should anything fail, nothing of it
    stays and every outcome is left: import_document then tells the bad document from the
    good."""
    chosen = _storable_together(items.items())
    if not chosen:
        return
    fresh: dict[int, DocumentOutcome] = {}
    try:
        # Every version written here names its own document (reason); acting gives the user.
        with transaction.atomic(), acting(user, reason(chosen[0].name)):
            collections, created = _collections_together(chosen, user)
            documents = []
            for item in chosen:
                document = SourceDocument(collection=collections[item.key], name=item.name)
                fill_source(document, data=item.data, digest=item.digest, parsed=item.parsed, user=user)
                documents.append(document)
            _create_sources(documents)
            last = dict(
                Essay.objects.filter(collection__in=[collections[k] for k in collections if k not in created])
                .values_list("collection__key")
                .annotate(last=Max("position"))
            )
            pages = []
            for item, document in zip(chosen, documents, strict=True):
                fresh[item.n] = DocumentOutcome(
                    source=item.name,
                    sha256=item.digest,
                    status="created",
                    parsed=item.parsed,
                    collection=collections[item.key],
                    collection_created=created.get(item.key) == item.n,
                    warnings=list(item.parsed.report.warnings),
                )
                pages.append((document, item.parsed, fresh[item.n], last.get(item.key) or 0))
                last[item.key] = (last.get(item.key) or 0) + len(item.parsed.essays)
            create_essays_of(pages, status=status, made=made, related=False)  # ranked by the check
            added: dict[str, list[_Pending]] = {}
            for item in chosen:
                added.setdefault(item.key, []).append(item)
            for key, group in added.items():
                if key not in created or len(group) > 1:
                    # Pages that arrived out of order, or after the stored ones: put them in place.
                    with acting(user, reason(group[-1].name)):
                        renumber(collections[key], [i for item in group for i in fresh[item.n].created_ids])
    except DatabaseError:
        return
    for n, outcome in fresh.items():
        outcomes[n] = outcome
        del items[n]


def _create_sources(documents: list[SourceDocument]) -> None:
    """Insert new sources, their bytes and texts forgotten once written (let_go): a run of
    small ones per statement, a large one alone."""
    run, size = [], 0
    for document in documents:
        if run and (size + len(document.raw) > SOURCE_BYTES or len(run) >= WRITE_BATCH):
            SourceDocument.objects.bulk_create(run)
            run, size = [], 0
        run.append(document)
        size += len(document.raw)
    if run:
        SourceDocument.objects.bulk_create(run)
    for document in documents:
        let_go(document)


def _storable_together(items) -> list[_Pending]:
    """The parsed documents that only add: bytes not stored before, and a page (or, without
    page numbers, a file name) its collection does not have yet. The rest may update a
    stored page and go one by one; so do repeats within the batch (the later one updates)."""
    pending = []
    for n, (name, data, parsed, _) in items:
        if isinstance(parsed, ParsedDocument):
            digest = hashlib.sha256(data).hexdigest()
            pending.append(_Pending(n, name, data, parsed, digest, collection_key(parsed, digest)))
    stored = _existing(SourceDocument, "sha256", [p.digest for p in pending])
    taken = {(key, _slot(page, name)) for key, page, name in _pages_of({p.key for p in pending})}
    place = {
        p.n: (p.key, _slot(p.parsed.collection.page and p.parsed.collection.page[0], p.name)) for p in pending
    }
    digests = Counter(p.digest for p in pending)
    places = Counter(place.values())
    return [
        p
        for p in pending
        if p.digest not in stored
        and digests[p.digest] == 1
        and place[p.n] not in taken
        and places[place[p.n]] == 1
    ]


def _existing(model, field: str, values) -> set:
    """Which of these values `model` holds in the unique column `field`."""
    values = sorted(set(values))
    found = set()
    for start in range(0, len(values), 500):
        chunk = values[start : start + 500]
        found.update(model.objects.filter(**{f"{field}__in": chunk}).values_list(field, flat=True))
    return found


def _slot(page: int | None, name: str) -> tuple:
    """Where a document sits in its collection, as _previous_version finds it."""
    return ("page", page) if page else ("file", name)


def _pages_of(keys) -> list[tuple[str, int | None, str]]:
    """(collection key, page number, file name) of every stored document of these collections."""
    keys = sorted(keys)
    rows = []
    for start in range(0, len(keys), 500):
        rows += SourceDocument.objects.filter(collection__key__in=keys[start : start + 500]).values_list(
            "collection__key", "page_number", "name"
        )
    return rows


def _collections_together(chosen: list[_Pending], user) -> tuple[dict[str, Collection], dict[str, int]]:
    """The collection of each key, locked; those new made in bulk. Returns the collections by
    key and, for each new one, the place in the batch of the document that starts it."""
    keys = sorted({p.key for p in chosen})
    collections = {}
    for start in range(0, len(keys), 500):
        for collection in Collection.objects.select_for_update().filter(key__in=keys[start : start + 500]):
            collections[collection.key] = collection
    for item in chosen:
        if item.key in collections:
            with acting(user, reason(item.name)):
                fill_collection(collections[item.key], item.parsed)
    created: dict[str, int] = {}
    new = []
    for item in chosen:
        if item.key in collections or item.key in created:
            continue
        collection = Collection(
            key=item.key,
            source=Path(item.name).name[:500],
            site=item.parsed.collection.site[:200],
            **collection_values(item.parsed),
        )
        collection._change_reason = reason(item.name)  # read by simple-history
        created[item.key] = item.n
        new.append(collection)
    Collection.objects.bulk_create(new)
    Collection.history.bulk_history_create(new)
    collections.update((c.key, c) for c in new)
    return collections, created
