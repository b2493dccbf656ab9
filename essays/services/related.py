"""Storing each essay's related essays (essays.related) when it is stored or changed.

Called by the bulk writers (imports, theme curation, duplicate checks) with the essays they
changed; themes set through an essay's own theme manager (the admin's form, taggit's add,
remove, set) refresh through its m2m_changed signal. Lists of other essays are not
recomputed when an essay is published: the page shows only published ones, and
`manage.py refresh_related` ranks every essay again.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import m2m_changed

from ..models import Essay, ThemedEssay, insert_plain_rows
from ..pagecache import bump_generation
from ..related import CHUNK, RelatedEssay, rank_related

__all__ = ["refresh_all_related", "store_related"]

RECIPROCAL_LIMIT = 50  # lists that named a changed essay, ranked again per essay changed


def store_related(essay_ids, *, newest: dict | None = None, reciprocal: bool = True) -> None:
    """Rank and store the related essays of these essays; call in the writer's transaction.

    With `reciprocal`, the essays they are now related to are ranked again too: a new essay
    finds its place in the lists of the essays most like it.
    """
    ids = sorted(set(essay_ids))
    newest = {} if newest is None else newest
    _store(ids, newest)
    bump_generation()  # the essay pages show these lists
    if reciprocal and ids:
        # The essays they now rank, and (a bounded number of) those that listed them before.
        others = set()
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            others.update(RelatedEssay.objects.filter(essay_id__in=chunk).values_list("other_id", flat=True))
            others.update(
                RelatedEssay.objects.filter(other_id__in=chunk)
                .order_by("-essay_id")
                .values_list("essay_id", flat=True)[: RECIPROCAL_LIMIT * len(chunk)]
            )
        _store(sorted(others - set(ids)), newest)


def _store(ids: list[int], newest: dict) -> None:
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        ranked = rank_related(chunk, newest)
        RelatedEssay.objects.filter(essay_id__in=chunk).delete()
        insert_plain_rows(
            RelatedEssay,
            ["essay", "other", "rank", "shared_themes", "similarity"],
            [
                (essay_id, other, rank, shared, float(similarity))
                for essay_id, rows in ranked.items()
                for rank, (other, shared, similarity) in enumerate(rows, start=1)
            ],
        )


def refresh_all_related(progress=None, *, bump: bool = True) -> int:
    """Every essay's related essays ranked again, a chunk per transaction; returns how many.
    Migration 0012 passes bump=False: the page generation's table comes after it."""
    ids = list(Essay.objects.order_by("pk").values_list("pk", flat=True))
    newest: dict = {}  # each theme's newest essays, read once for the whole run
    for start in range(0, len(ids), CHUNK):
        with transaction.atomic():
            _store(ids[start : start + CHUNK], newest)
        if progress:
            progress(min(start + CHUNK, len(ids)), len(ids))
    if bump:
        bump_generation()
    return len(ids)


def _themes_changed(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, Essay):
        store_related([instance.pk])


def connect() -> None:
    m2m_changed.connect(_themes_changed, sender=ThemedEssay, dispatch_uid="essays.related.themes_changed")
