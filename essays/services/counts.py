"""Keeping the published-essay counts (essays.counts) in step with every write.

Two ways, both inside the writer's transaction:

- save() and delete() of an essay or a theme link adjust the counts through model signals
  (the admin's forms, taggit's add/remove/set, the structure edits, cascades);
- bulk writers, which send no signals (`.update()`, `bulk_create`), wrap the write in
  `counted(essay_ids)`: the counts those essays contribute before and after are compared
  and the difference applied; signals inside the block are ignored so nothing counts twice.

Adjustments are added to the stored numbers in one statement (an upsert of the difference),
so two transactions adjusting the same count never lose one another's change.
"""

from __future__ import annotations

import contextvars
from collections import Counter
from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models.signals import post_save, pre_delete, pre_save

from ..counts import CHUNK, TABLES, contributions, differences, recount, stale_years
from ..models import Collection, Essay, Status, ThemedEssay
from ..pagecache import bump_generation
from ..sortkeys import pinyin_key

__all__ = ["apply", "counted", "essays_added", "fix_counts", "refresh_kept_fields"]

# Fields of an essay whose change can move a count.
COUNTED_FIELDS = frozenset({"status", "collection", "collection_id", "author", "author_id"})

_suspended: contextvars.ContextVar[bool] = contextvars.ContextVar("anthology_counts_suspended", default=False)


def apply(delta: Counter | dict) -> None:
    """Add `delta` ({(kind, key): n}) to the kept counts."""
    by_kind: dict[str, list[tuple[int, int]]] = {}
    for (kind, key), n in delta.items():
        if n:
            by_kind.setdefault(kind, []).append((key, n))
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for kind, rows in by_kind.items():
            meta = TABLES[kind]._meta
            table, key = quote(meta.db_table), quote(meta.pk.column)
            rows.sort()  # the same order in every writer: no deadlock between two of them
            for start in range(0, len(rows), 500):
                part = rows[start : start + 500]
                cursor.execute(
                    f"INSERT INTO {table} ({key}, published) VALUES "
                    + ", ".join(["(%s, %s)"] * len(part))
                    + f" ON CONFLICT ({key}) DO UPDATE SET published = {table}.published + excluded.published",
                    [v for row in part for v in row],
                )


def difference(after: Counter, before: Counter) -> dict:
    return {k: after.get(k, 0) - before.get(k, 0) for k in after.keys() | before.keys()}


def refresh_kept_fields(essay_ids) -> None:
    """Set what an essay keeps of others (Essay.year, its collection's) and of itself
    (Essay.title_key) for essays written without save(): bulk_create and update(). Only
    rows that differ are written (in SQLite an UPDATE rewrites the whole row, body included)."""
    ids = list(essay_ids)
    for start in range(0, len(ids), CHUNK):
        rows = list(
            Essay.objects.filter(pk__in=ids[start : start + CHUNK]).values_list(
                "pk", "title", "title_key", "collection_id", "year"
            )
        )
        years = dict(
            Collection.objects.filter(pk__in={row[3] for row in rows}).values_list("pk", "date_year")
        )
        stale = [
            Essay(pk=pk, title_key=pinyin_key(title), year=years.get(collection_id))
            for pk, title, key, collection_id, year in rows
            if key != pinyin_key(title) or year != years.get(collection_id)
        ]
        if stale:
            Essay.objects.bulk_update(stale, ["title_key", "year"])


@contextmanager
def counted(essay_ids):
    """The counts follow whatever the block does to these essays (and their theme links)."""
    ids = list(essay_ids)
    before = contributions(ids)
    token = _suspended.set(True)
    try:
        yield
    finally:
        _suspended.reset(token)
    refresh_kept_fields(ids)  # a moved essay takes its new collection's year
    apply(difference(contributions(ids), before))
    bump_generation()  # bulk writes send no signals: the cached pages are told here


def essays_added(essay_ids) -> None:
    """Count essays (and their theme links) written by bulk_create, which were built with
    their kept fields (year, title_key) set (import_rows.new_essay)."""
    ids = list(essay_ids)
    apply(contributions(ids))
    bump_generation()


def fix_counts() -> dict:
    """Set every kept count to a recount; returns the differences found, {(kind, key): (kept, recounted)}."""
    with transaction.atomic():
        wrong = differences()
        refresh_kept_fields(stale_years().values_list("pk", flat=True))
        found = recount()
        for kind, model in TABLES.items():
            model.objects.all().delete()
            model.objects.bulk_create(
                model(pk=key, published=n) for (k, key), n in sorted(found.items()) if k == kind
            )
    return wrong


# Signals: save() and delete() -------------------------------------------------------------


def _link_contribution(link_pk) -> Counter:
    published = ThemedEssay.objects.filter(pk=link_pk, content_object__status=Status.PUBLISHED)
    return Counter(("theme", tag_id) for tag_id in published.values_list("tag_id", flat=True))


def _essay_pre_save(sender, instance, update_fields=None, **kwargs):
    if _suspended.get() or (update_fields is not None and not COUNTED_FIELDS.intersection(update_fields)):
        instance._counts_before = None
        return
    instance._counts_before = contributions([instance.pk]) if instance.pk else Counter()


def _essay_post_save(sender, instance, **kwargs):
    before = getattr(instance, "_counts_before", None)
    if before is not None:
        instance._counts_before = None
        apply(difference(contributions([instance.pk]), before))


def _essay_pre_delete(sender, instance, **kwargs):
    # Its theme links are deleted too, each through _link_pre_delete, while the essay still exists.
    if not _suspended.get():
        apply({k: -n for k, n in contributions([instance.pk], themes=False).items()})


def _link_pre_save(sender, instance, **kwargs):
    suspended = _suspended.get()
    instance._counts_before = (
        None if suspended else (_link_contribution(instance.pk) if instance.pk else Counter())
    )


def _link_post_save(sender, instance, **kwargs):
    before = getattr(instance, "_counts_before", None)
    if before is not None:
        instance._counts_before = None
        apply(difference(_link_contribution(instance.pk), before))


def _link_pre_delete(sender, instance, **kwargs):
    if not _suspended.get():
        apply({k: -n for k, n in _link_contribution(instance.pk).items()})


def _collection_pre_save(sender, instance, **kwargs):
    instance._year_before = (
        Collection.objects.filter(pk=instance.pk).values_list("date_year", flat=True).first()
        if instance.pk
        else None
    )


def _collection_post_save(sender, instance, created, **kwargs):
    # Its essays' kept year, and so the year counts, follow the collection's date.
    if not created and getattr(instance, "_year_before", None) != instance.date_year:
        ids = list(Essay.objects.filter(collection_id=instance.pk).values_list("pk", flat=True))
        if ids:
            with counted(ids):
                pass  # counted() refreshes the essays' years before it recounts them


def connect() -> None:
    for signal, handler, model in (
        (pre_save, _collection_pre_save, Collection),
        (post_save, _collection_post_save, Collection),
        (pre_save, _essay_pre_save, Essay),
        (post_save, _essay_post_save, Essay),
        (pre_delete, _essay_pre_delete, Essay),
        (pre_save, _link_pre_save, ThemedEssay),
        (post_save, _link_post_save, ThemedEssay),
        (pre_delete, _link_pre_delete, ThemedEssay),
    ):
        signal.connect(handler, sender=model, dispatch_uid=f"essays.counts.{handler.__name__}")
