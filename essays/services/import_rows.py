"""The rows an import writes for one parsed document: its source, its collection, its
essays with their authors and themes, and their places in the collection. Called by
essays.services.importing inside its transactions; nothing here opens one."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import BinaryField, Max, Prefetch, TextField, Value
from django.db.models.functions import Cast
from django.utils import timezone

from ..history import CREATED, record_essay_versions
from ..ingest import PIPELINE_VERSION, EssayDraft, ParsedDocument
from ..ingest.essay_parts import generated_title as ingest_generated_title
from ..ingest.script import script_key
from ..models import Author, Collection, Essay, SourceDocument, Status, Theme, ThemedEssay
from ..search.index import index_essays as update_search_index
from ..sortkeys import pinyin_key
from .counts import essays_added
from .related import store_related

if TYPE_CHECKING:
    from .importing import DocumentOutcome

# Essays per INSERT: SQLite's parameter limit allows some 12,000 at once, and one statement of
# the 5,117 essays of a 50 MB document held 775 MB (every body copied for the driver at once).
WRITE_BATCH = 200
# Characters of essay text written at once (create_essays_of): rows, versions and search
# index. Each run's texts are copied for the driver (the copy and its UTF-8 form), and its
# index strings hold about three characters a character, each with a UTF-8 copy once bound:
# all of a 50 MB document's at once came to five times the file. A run is let go before the
# next.
WRITE_CHARS = 250_000


def store_source(document: SourceDocument, *, data: bytes, digest: str, parsed: ParsedDocument, user) -> None:
    fill_source(document, data=data, digest=digest, parsed=parsed, user=user)
    document.save()
    let_go(document)


def fill_source(document: SourceDocument, *, data: bytes, digest: str, parsed: ParsedDocument, user) -> None:
    document.raw = data
    # PostgreSQL text cannot hold NUL; the raw bytes above keep the exact source anyway.
    document.text = bound_text(parsed.text.replace("\x00", ""))
    document.sha256 = digest
    document.encoding = parsed.encoding
    document.format = parsed.format
    document.page_number = parsed.collection.page[0] if parsed.collection.page else None
    document.page_total = parsed.collection.page[1] if parsed.collection.page else None
    document.report = parsed.report.as_dict()
    document.pipeline_version = PIPELINE_VERSION
    # Essays an editor dropped or merged away stay away, whatever a later parse proposes.
    document.withdrawn_indexes = sorted({*(document.withdrawn_indexes or ()), *parsed.withdrawn})
    if getattr(user, "pk", None):
        document.imported_by = user


def bound_text(text: str):
    """A large text as a row's value: on SQLite its UTF-8 bytes, cast back to text by the
    database. The driver would keep a UTF-8 copy of the str for as long as the str lives
    (the parse's), and a copy of the str to bind instead costs up to four bytes a character
    more; elsewhere the driver keeps nothing, and the text goes as it is."""
    if connection.vendor != "sqlite":
        return text
    return Cast(Value(text.encode("utf-8"), output_field=BinaryField()), output_field=TextField())


def let_go(document: SourceDocument) -> None:
    """Forget a stored source's bytes and text (up to 50 MB each, and the text's UTF-8 copy
    made for the driver): deferred, they are read again should anything ask for them."""
    for name in ("raw", "text"):
        document.__dict__.pop(name, None)


# Collections ----------------------------------------------------------------------------


def collection_key(parsed: ParsedDocument, digest: str) -> str:
    title = parsed.collection.title
    if not title:
        # Without a title nothing ties this page to another one; it stands alone.
        return f"sha256:{digest}"
    return f"title:{script_key(title)}|{parsed.collection.site}"[:400]


def collection_for(parsed: ParsedDocument, *, key: str, source: str) -> tuple[Collection, bool]:
    collection, created = Collection.objects.get_or_create(
        key=key,
        defaults={"source": source[:500], "site": parsed.collection.site[:200], **collection_values(parsed)},
    )
    if not created:
        fill_collection(collection, parsed)
    return collection, created


def collection_values(parsed: ParsedDocument) -> dict:
    draft = parsed.collection
    return {
        "title": (draft.title or "")[:300],
        "description": draft.description or "",
        "declared_essay_count": draft.declared_essay_count,
        "date_year": draft.date.year if draft.date else None,
        "date_month": draft.date.month if draft.date else None,
        "date_day": draft.date.day if draft.date else None,
        "script": draft.script or "unknown",
    }


def fill_collection(collection: Collection, parsed: ParsedDocument) -> None:
    """Fill what the collection does not know yet; never overwrite what an editor set."""
    changed = []
    for name, value in collection_values(parsed).items():
        if value and getattr(collection, name) in (None, "", "unknown"):
            setattr(collection, name, value)
            changed.append(name)
    if changed:
        collection.save(update_fields=[*changed, "updated_at"])


def renumber(collection: Collection, fresh_ids: Iterable[int]) -> None:
    """Place the essays an import added where the source puts them: each right after the essay
    that precedes it in source order (page by page, then as they stood in each page). The
    essays already there keep the order they have, which may be an editor's."""
    # (id, position, page, source index): the whole essays are read only where they move.
    rows = list(
        collection.essays.order_by("position", "id").values_list(
            "id", "position", "source_document__page_number", "source_index"
        )
    )

    def order(row):
        pk, position, page, index = row
        return (page or 0, position if index is None else index, pk)

    fresh_ids = set(fresh_ids)
    placed = [row for row in rows if row[0] not in fresh_ids]
    in_source_order = sorted(rows, key=order)
    for rank, row in enumerate(in_source_order):
        if row[0] in fresh_ids:
            placed.insert(placed.index(in_source_order[rank - 1]) + 1 if rank else 0, row)
    moved = {row[0]: position for position, row in enumerate(placed, start=1) if row[1] != position}
    if not moved:
        return
    changed = list(Essay.objects.filter(pk__in=moved))
    for essay in changed:
        essay.position = moved[essay.pk]
    Essay.objects.bulk_update(changed, ["position"])
    record_essay_versions(changed)  # bulk_update writes no history by itself


# Essays ---------------------------------------------------------------------------------


def fingerprint(*, title, subtitle, author, organization, body, is_fragment, themes) -> str:
    """What an import wrote, so a later import can tell whether an editor changed it."""
    payload = json.dumps(
        [
            title or "",
            subtitle or "",
            author or "",
            organization or "",
            body or "",
            bool(is_fragment),
            sorted({script_key(t) for t in themes if t.strip()}),
        ],
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def essay_fingerprint(essay: Essay) -> str:
    themes = getattr(essay, "theme_list", None)
    if themes is None:
        themes = list(essay.themes.all())
    return fingerprint(
        title=essay.title,
        subtitle=essay.subtitle,
        author=essay.author.name if essay.author else "",
        organization=essay.author.organization if essay.author else "",
        body=essay.body,
        is_fragment=essay.is_fragment,
        themes=[t.name for t in themes],
    )


def generated_title(body: str) -> str:
    """The pipeline's title for an untitled essay (its first clause), from its first line."""
    first = next((line.strip() for line in body.split("\n") if line.strip()), "")
    return ingest_generated_title(first) or "（无题）"  # cut where a word ends, never mid-word


def essay_values(draft: EssayDraft, authors: dict | None = None) -> dict:
    """The stored fields of a parsed essay; `authors` holds its author when looked up in
    bulk (Author.objects.for_bylines), else it is looked up here."""
    title = (draft.title or "").strip()
    title_generated = draft.title_generated
    if not title:
        title, title_generated = generated_title(draft.body), True
    title = title[:300]
    author = None
    if draft.author:
        byline = (draft.author, draft.organization or "")
        author = authors[byline] if authors is not None else Author.objects.for_byline(*byline)
    values = {
        "title": title,
        "title_generated": title_generated,
        "subtitle": (draft.subtitle or "")[:300],
        "author": author,
        "body": draft.body,
        "source_text": draft.source_text.replace("\x00", ""),
        "script": draft.script,
        "is_fragment": draft.is_fragment,
        "warnings": list(draft.warnings),
        # From the author as linked: an existing 张静 may stand for the parsed 張靜.
        "imported_fingerprint": fingerprint(
            title=title,
            subtitle=draft.subtitle,
            author=author.name if author else "",
            organization=author.organization if author else "",
            body=draft.body,
            is_fragment=draft.is_fragment,
            themes=draft.themes,
        ),
    }
    edited_from = getattr(draft, "edited_from", None)  # changed by an editor in the import preview
    if edited_from is not None:
        # Fingerprint what the parser proposed, not what is stored: the essay then reads as
        # the editor's version, which a re-import or --reparse never overwrites.
        values["imported_fingerprint"] = fingerprint(
            title=(edited_from.title or "").strip()[:300] or generated_title(edited_from.body),
            subtitle=edited_from.subtitle,
            author=edited_from.author or "",
            organization=edited_from.organization or "",
            body=edited_from.body,
            is_fragment=edited_from.is_fragment,
            themes=edited_from.themes,
        )
    return values


def source_index(draft: EssayDraft, index: int) -> int:
    """The essay's index in the parse; an essay edited in the preview keeps its parser index
    (essays.ingest.edits), so a later re-parse lines the untouched ones up again."""
    source_index = getattr(draft, "source_index", None)
    return index if source_index is None else source_index


def new_essay(document, index, position, values, *, status, now) -> Essay:
    essay = Essay(
        collection=document.collection,
        source_document=document,
        source_index=index,
        position=position,
        status=status or Status.DRAFT,
        published_at=now if status == Status.PUBLISHED else None,
        **values,
    )
    essay.refresh_char_count()
    # What save() would keep (Essay.save): bulk_create calls no save(), and setting them here
    # spares updating every new row afterwards (counts.refresh_kept_fields).
    essay.title_key = pinyin_key(essay.title)
    essay.year = document.collection.date_year
    return essay


def create_essays(document, parsed, *, status, outcome, after=None):
    """Store a new document's essays in bulk: a handful of queries whatever their number."""
    if after is None:
        after = document.collection.essays.aggregate(last=Max("position"))["last"] or 0
    create_essays_of([(document, parsed, outcome, after)], status=status)


def create_essays_of(pages, *, status, made=None, related=True):
    """create_essays for many new documents at once: `pages` holds (document, parse,
    outcome, the position their essays follow). Each essay's first version and each new
    author's give the document that brought them. Without `related`, the essays' related
    lists are left to the duplicate check that follows (duplicates.start_document_check),
    which ranks them once their overlaps are known.

    The essays are written a run of WRITE_CHARS characters at a time (rows, search index,
    themes, counts, first versions), each run's instances let go before the next: the driver
    keeps a UTF-8 copy of every text it binds for as long as the text lives, so the rows bind
    copies of the parse's texts (unshared), which die with their run."""
    now = timezone.now()
    bylines = {}
    for document, parsed, _, _ in pages:
        for draft in parsed.essays:
            if draft.author:
                bylines.setdefault((draft.author, draft.organization or ""), reason(document.name))
    authors = Author.objects.for_bylines(bylines)
    created = []
    for run in by_length(_drafts_of(pages), WRITE_CHARS, length=lambda item: len(item[2].body)):
        essays, themes, reasons = [], [], {}
        for document, index, draft, position, _ in run:
            values = essay_values(draft, authors)
            values["body"] = unshared(values["body"])
            values["source_text"] = unshared(values["source_text"])
            essays.append(
                new_essay(document, source_index(draft, index), position, values, status=status, now=now)
            )
            themes.append(draft.themes)
        Essay.objects.bulk_create(essays, batch_size=WRITE_BATCH)
        update_search_index(essays, made=made)  # bulk_create sends no post_save
        attach_themes(zip(essays, themes, strict=True))
        # The kept counts: bulk_create sends no signals (new_essay set the kept fields).
        essays_added(essay.pk for essay in essays)
        for (document, _, _, _, outcome), essay in zip(run, essays, strict=True):
            outcome.essays_created += 1
            outcome.created_ids.append(essay.pk)
            reasons[essay.pk] = reason(document.name)
        # After the themes, so versions show them.
        record_essay_versions(essays, history_type=CREATED, reasons=reasons)
        created.extend(essay.pk for essay in essays)
    if related:
        store_related(created)


def _drafts_of(pages):
    """(document, index in the parse, draft, position, outcome) of every essay of `pages`."""
    for document, parsed, outcome, after in pages:
        for index, draft in enumerate(parsed.essays):
            yield document, index, draft, after + index + 1, outcome


def unshared(text: str) -> str:
    """A copy of `text` (not the same object): bound for the database, the copy takes the
    driver's UTF-8 copy with it when it goes, where the parse's own text would keep it."""
    return "".join((text, ""))


def by_length(items: Iterable, chars: int, *, length=lambda essay: len(essay.body)):
    """The items (essays) in runs of about `chars` characters of body (one at least), and
    of WRITE_BATCH items at most."""
    run, size = [], 0
    for item in items:
        if run and (size + length(item) > chars or len(run) >= WRITE_BATCH):
            yield run
            run, size = [], 0
        run.append(item)
        size += length(item)
    if run:
        yield run


def reason(name: str) -> str:
    """The change reason of every version an import of this file writes."""
    return f"导入：{Path(name).name}"


def attach_themes(pairs):
    pairs = [(essay, [n for n in names if n.strip()]) for essay, names in pairs]
    pairs = [(essay, names) for essay, names in pairs if names]
    if not pairs:
        return
    themes = {t.key: t for t in Theme.objects.for_names(n for _, names in pairs for n in names)}
    ThemedEssay.objects.bulk_create(
        [
            ThemedEssay(content_object=essay, tag=theme)
            for essay, names in pairs
            for theme in {themes[script_key(n)].pk: themes[script_key(n)] for n in names}.values()
        ],
        ignore_conflicts=True,
    )


def sync_essays(document: SourceDocument, parsed: ParsedDocument, *, status, outcome: DocumentOutcome):
    """Make the document's essays match the parse, leaving edited ones alone."""
    existing = {
        e.source_index: e
        for e in document.essays.select_related("author").prefetch_related(
            Prefetch("themes", to_attr="theme_list")
        )
    }
    now = timezone.now()
    next_position = (document.collection.essays.aggregate(last=Max("position"))["last"] or 0) + 1
    withdrawn = set(document.withdrawn_indexes)
    for index, draft in enumerate(parsed.essays):
        index = source_index(draft, index)
        essay = existing.pop(index, None)
        if essay is None and index in withdrawn:
            continue  # an editor dropped it or merged it into another essay
        if essay is not None and essay_fingerprint(essay) != essay.imported_fingerprint:
            outcome.essays_kept += 1
            outcome.warnings.append(f"「{essay.title}」已被编辑，保留编辑后的版本。")
            continue
        values = essay_values(draft)
        if essay is None:
            essay = new_essay(document, index, next_position, values, status=status, now=now)
            next_position += 1
            essay.save()
            essay.themes.set(draft.themes)
            outcome.essays_created += 1
            outcome.created_ids.append(essay.pk)
        elif essay.imported_fingerprint == values["imported_fingerprint"] and not getattr(
            draft, "edited_from", None
        ):
            outcome.essays_unchanged += 1
        else:
            for name, value in values.items():
                setattr(essay, name, value)
            essay.save()
            essay.themes.set(draft.themes)
            outcome.essays_updated += 1
    for essay in existing.values():
        if essay_fingerprint(essay) != essay.imported_fingerprint:
            outcome.essays_kept += 1
        elif essay.status == Status.PUBLISHED:
            # Readers may have linked to it; an editor decides whether it goes.
            outcome.essays_kept_published += 1
            outcome.warnings.append(f"「{essay.title}」已不在来源中，因已发布而保留。")
        else:
            essay.delete()
            outcome.essays_removed += 1
