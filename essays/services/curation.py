"""Editorial writes: publishing, themes on essays, merging duplicate themes and authors.

Each function runs in one transaction and, when given the acting `user`, leaves an entry in
the admin's history (LogEntry) for every object it changed.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.admin.models import CHANGE, DELETION, LogEntry
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from ..history import acting, record_essay_versions
from ..ingest.script import script_key
from ..models import Author, Essay, Status, Theme, ThemedEssay
from ..search.index import index_essay_ids
from ..themes import parse_theme_string
from .counts import counted
from .related import store_related

__all__ = [
    "add_themes",
    "merge_authors",
    "merge_themes",
    "publish_essays",
    "remove_themes",
    "unpublish_essays",
]

EssaySelection = QuerySet[Essay] | Iterable[Essay]
ThemeNames = str | Iterable[str | Theme]


def publish_essays(essays_qs: EssaySelection, *, user=None) -> int:
    """Publish the essays; returns how many were drafts.

    `published_at` is stamped only where it is empty, so re-publishing keeps the first date.
    """
    now = timezone.now()
    with transaction.atomic():
        rows = _essays(essays_qs)
        changed = list(rows.exclude(status=Status.PUBLISHED).values_list("pk", flat=True))
        rows.filter(published_at__isnull=True).update(published_at=now, updated_at=now)
        with counted(changed):
            Essay.objects.filter(pk__in=changed).update(status=Status.PUBLISHED, updated_at=now)
        index_essay_ids(changed)  # the index's published flag: readers' searches now find them
        _log(user, Essay.objects.filter(pk__in=changed), CHANGE, "发布")
        record_essay_versions(changed, user=user, reason="发布")
    return len(changed)


def unpublish_essays(essays_qs: EssaySelection, *, user=None) -> int:
    """Return published essays to draft; returns how many changed. `published_at` is kept."""
    now = timezone.now()
    with transaction.atomic():
        changed = list(_essays(essays_qs).filter(status=Status.PUBLISHED).values_list("pk", flat=True))
        with counted(changed):
            Essay.objects.filter(pk__in=changed).update(status=Status.DRAFT, updated_at=now)
        index_essay_ids(changed)
        _log(user, Essay.objects.filter(pk__in=changed), CHANGE, "撤回为草稿")
        record_essay_versions(changed, user=user, reason="撤回为草稿")
    return len(changed)


def add_themes(essays_qs: EssaySelection, names: ThemeNames, *, user=None) -> int:
    """Give every essay these themes (created where missing); returns how many essays gained one.

    `names` may be a string as editors type it (党建，理想信念、初心使命) or a list of names or
    themes; names match existing themes script-blind.
    """
    with transaction.atomic():
        themes = _themes_for(names, create=True)
        essay_ids = list(_essays(essays_qs).values_list("pk", flat=True))
        if not themes or not essay_ids:
            return 0
        existing = set(
            ThemedEssay.objects.filter(content_object_id__in=essay_ids, tag__in=themes).values_list(
                "content_object_id", "tag_id"
            )
        )
        missing = [
            ThemedEssay(content_object_id=essay_id, tag=theme)
            for essay_id in essay_ids
            for theme in themes
            if (essay_id, theme.pk) not in existing
        ]
        changed = {t.content_object_id for t in missing}
        with counted(changed):
            ThemedEssay.objects.bulk_create(missing)
        store_related(changed)
        _touch(changed)
        label = "、".join(t.name for t in themes)
        _log(user, Essay.objects.filter(pk__in=changed), CHANGE, f"添加主题：{label}")
        record_essay_versions(changed, user=user, reason=f"添加主题：{label}")
    return len(changed)


def remove_themes(essays_qs: EssaySelection, names: ThemeNames, *, user=None) -> int:
    """Take these themes off the essays; returns how many essays lost one. Themes themselves stay."""
    with transaction.atomic():
        themes = _themes_for(names, create=False)
        if not themes:
            return 0
        taggings = ThemedEssay.objects.filter(
            content_object_id__in=_essay_ids_subquery(essays_qs), tag__in=themes
        )
        changed = set(taggings.values_list("content_object_id", flat=True))
        with counted(changed):
            ThemedEssay.objects.filter(content_object_id__in=changed, tag__in=themes).delete()
        store_related(changed)
        _touch(changed)
        label = "、".join(t.name for t in themes)
        _log(user, Essay.objects.filter(pk__in=changed), CHANGE, f"移除主题：{label}")
        record_essay_versions(changed, user=user, reason=f"移除主题：{label}")
    return len(changed)


def merge_themes(target: Theme, others: Iterable[Theme], *, user=None) -> Theme:
    """Fold the other themes into `target` and delete them.

    Every essay tagged with any of them ends up tagged with `target` exactly once. The
    target keeps its name and slug; it takes a description from the others if it has none.
    """
    others = [o for o in others if o.pk != target.pk]
    if not others:
        return target
    other_ids = [o.pk for o in others]
    with transaction.atomic():
        # History: the essays whose theme names change (essays.history).
        renamed = set(
            ThemedEssay.objects.filter(tag_id__in=other_ids).values_list("content_object_id", flat=True)
        )
        tagged = set(ThemedEssay.objects.filter(tag=target).values_list("content_object_id", flat=True))
        duplicates, moving = [], []
        for pk, essay_id in (
            ThemedEssay.objects.filter(tag_id__in=other_ids)
            .order_by("pk")
            .values_list("pk", "content_object_id")
        ):
            if essay_id in tagged:
                duplicates.append(pk)
            else:
                tagged.add(essay_id)
                moving.append(pk)
        with counted(renamed):
            ThemedEssay.objects.filter(pk__in=duplicates).delete()
            ThemedEssay.objects.filter(pk__in=moving).update(tag=target)
        store_related(renamed)

        if not target.description:
            description = next((o.description for o in others if o.description), "")
            if description:
                target.description = description
                target.save(update_fields=["description"])

        names = "、".join(o.name for o in others)
        _log(user, Theme.objects.filter(pk__in=other_ids), DELETION, f"并入主题“{target.name}”")
        Theme.objects.filter(pk__in=other_ids).delete()
        _log(user, [target], CHANGE, f"合并主题：{names}")
        record_essay_versions(renamed, user=user, reason=f"主题合并到“{target.name}”")
    target.refresh_from_db()
    return target


def merge_authors(target: Author, others: Iterable[Author], *, user=None) -> Author:
    """Move every essay of the other authors to `target` and delete them."""
    others = [o for o in others if o.pk != target.pk]
    if not others:
        return target
    other_ids = [o.pk for o in others]
    # The authors' own versions (deletions) and the essays' are attributed to `user`.
    with transaction.atomic(), acting(user, f"合并作者到“{target}”"):
        moved = list(Essay.objects.filter(author_id__in=other_ids).values_list("pk", flat=True))
        with counted(moved):
            Essay.objects.filter(author_id__in=other_ids).update(author=target, updated_at=timezone.now())
        record_essay_versions(moved)
        names = "、".join(str(o) for o in others)
        _log(user, Author.objects.filter(pk__in=other_ids), DELETION, f"并入作者“{target}”")
        Author.objects.filter(pk__in=other_ids).delete()
        _log(user, [target], CHANGE, f"合并作者：{names}")
    target.refresh_from_db()
    return target


# Helpers ------------------------------------------------------------------------------


def _essay_ids_subquery(essays: EssaySelection):
    """The selected essays' ids, usable as `pk__in` whatever was done to the queryset.

    Admin querysets carry prefetches, annotations and ordering that `.update()` refuses.
    """
    if isinstance(essays, QuerySet):
        return essays.prefetch_related(None).order_by().values("pk")
    return [e.pk for e in essays]


def _essays(essays: EssaySelection) -> QuerySet[Essay]:
    return Essay.objects.filter(pk__in=_essay_ids_subquery(essays))


def _themes_for(names: ThemeNames, *, create: bool) -> list[Theme]:
    if isinstance(names, str):
        names = parse_theme_string(names)
    names = list(names)
    given = [n for n in names if isinstance(n, Theme)]
    strings = [n for n in names if isinstance(n, str) and n.strip()]
    if create:
        found = Theme.objects.for_names(strings)
    else:
        found = list(Theme.objects.filter(key__in={script_key(n) for n in strings}))
    unique = {t.pk: t for t in [*given, *found]}
    return list(unique.values())


def _touch(essay_ids) -> None:
    if essay_ids:
        Essay.objects.filter(pk__in=essay_ids).update(updated_at=timezone.now())


def _log(user, objects, action_flag: int, message: str) -> None:
    if user is None or not getattr(user, "pk", None):
        return
    objects = list(objects)
    if objects:
        LogEntry.objects.log_actions(user.pk, objects, action_flag, message)
