"""Who changed what, and why: the glue between our writes and django-simple-history.

simple-history records a version on every save() and delete() of a Collection, Author or
Essay. What it does not see, this module supplies:

- the acting user and a reason for writes that do not come from an admin request (imports,
  commands, bulk curation): `acting(user, reason)` around the write;
- an essay's themes: taggit tags are not fields, so each essay version carries
  `themes_snapshot`, the sorted theme names as they stood after that change;
- bulk writes (`.update()`, `bulk_create`), which send no signals:
  `record_essay_versions()` writes one version per essay in a few queries.

Nothing here imports essays.models at module level: models.py imports this module.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.utils import timezone
from simple_history.signals import pre_create_historical_record

CREATED, CHANGED, DELETED = "+", "~", "-"
BATCH = 500


@dataclass(frozen=True)
class _Acting:
    user: object
    reason: str


_acting: contextvars.ContextVar[_Acting | None] = contextvars.ContextVar("anthology_acting", default=None)


@contextmanager
def acting(user=None, reason: str = ""):
    """Attribute every version written inside this block to `user`, with `reason`.

    An anonymous or unsaved user counts as nobody (the version then has no user).
    """
    token = _acting.set(_Acting(_real_user(user), reason))
    try:
        yield
    finally:
        _acting.reset(token)


def _real_user(user):
    return user if getattr(user, "pk", None) else None


def history_user(instance=None, request=None, **kwargs):
    """simple-history's `get_user`: the acting user, else the admin request's user."""
    current = _acting.get()
    if current is not None and current.user is not None:
        return current.user
    return _real_user(getattr(request, "user", None))


class ThemeSnapshot(models.Model):
    """Base of the historical essay: the theme names belonging to that version."""

    themes_snapshot = models.JSONField(
        "主题快照", default=list, blank=True, help_text="该版本的主题名称（按名称排序）。"
    )

    class Meta:
        abstract = True


def theme_names_by_essay(essay_ids: Iterable[int]) -> dict[int, list[str]]:
    """Sorted theme names of each essay, in one query."""
    ThemedEssay = apps.get_model("essays", "ThemedEssay")
    names: dict[int, list[str]] = {}
    rows = ThemedEssay.objects.filter(content_object_id__in=list(essay_ids)).values_list(
        "content_object_id", "tag__name"
    )
    for essay_id, name in rows:
        names.setdefault(essay_id, []).append(name)
    return {essay_id: sorted(found) for essay_id, found in names.items()}


# One version per save() -----------------------------------------------------------------


@receiver(pre_create_historical_record)
def _fill_version(sender, instance, history_instance, **kwargs):
    current = _acting.get()
    if current is not None and current.reason and not history_instance.history_change_reason:
        history_instance.history_change_reason = current.reason[:100]
    if not isinstance(history_instance, ThemeSnapshot):
        return
    if history_instance.history_type == DELETED:
        # The theme links are gone by now (deleted with the essay): keep the last known ones.
        last = sender.objects.filter(id=instance.pk).order_by("-history_date", "-history_id").first()
        history_instance.themes_snapshot = last.themes_snapshot if last else []
    else:
        history_instance.themes_snapshot = theme_names_by_essay([instance.pk]).get(instance.pk, [])
    # The themes are set after the essay is saved (admin forms, imports): the theme change
    # below then completes this version instead of adding another one.
    instance._history_version = history_instance


@receiver(m2m_changed, sender="essays.ThemedEssay")
def _themes_changed(sender, instance, action, reverse, **kwargs):
    if reverse or action not in ("post_add", "post_remove", "post_clear") or not _enabled():
        return
    names = theme_names_by_essay([instance.pk]).get(instance.pk, [])
    version = getattr(instance, "_history_version", None)
    if version is not None and version.pk is not None:
        if version.themes_snapshot != names:
            version.themes_snapshot = names
            version.save(update_fields=["themes_snapshot"])
        return
    # Themes changed on their own (e.g. essay.themes.add() in a shell): a version of its own.
    (version,) = record_essay_versions([instance], reason=_acting_reason() or "修改主题")
    instance._history_version = version


def _enabled() -> bool:
    # simple-history's switch (e.g. off for a one-off bulk load); it covers our writes too.
    return getattr(settings, "SIMPLE_HISTORY_ENABLED", True)


def _acting_reason() -> str:
    current = _acting.get()
    return current.reason if current else ""


# Versions for bulk writes -----------------------------------------------------------------


def record_essay_versions(
    essays,
    *,
    history_type: str = CHANGED,
    user=None,
    reason: str | None = None,
    reasons: dict[int, str] | None = None,
) -> list:
    """Write one version of each essay as it now stands in the database, themes included.

    `essays` is a queryset, essay instances (used as they are) or ids (read fresh). The user
    and reason default to those of the enclosing `acting()` block; `reasons` gives some
    essays (by id) their own. A few queries per 500 essays.
    """
    if not _enabled():
        return []
    Essay = apps.get_model("essays", "Essay")
    Historical = Essay.history.model
    current = _acting.get()
    if user is None and current is not None:
        user = current.user
    if reason is None:
        reason = current.reason if current else ""
    user = _real_user(user)
    tracked = Historical.tracked_fields
    fields = [f.attname for f in tracked]
    now = timezone.now()
    written = []
    for batch in _batches(essays, Essay, [f.name for f in tracked]):
        themes = theme_names_by_essay(e.pk for e in batch)
        rows = [
            Historical(
                history_date=now,
                history_type=history_type,
                history_user=user,
                history_change_reason=((reasons or {}).get(essay.pk) or reason or "")[:100],
                themes_snapshot=themes.get(essay.pk, []),
                **{name: getattr(essay, name) for name in fields},
            )
            for essay in batch
        ]
        written.extend(Historical.objects.bulk_create(rows))
    return written


def _batches(essays, Essay, field_names):
    if isinstance(essays, models.QuerySet):
        ids = list(essays.prefetch_related(None).order_by().values_list("pk", flat=True).distinct())
    else:
        essays = list(essays)
        if all(isinstance(e, Essay) for e in essays):
            for start in range(0, len(essays), BATCH):
                yield essays[start : start + BATCH]
            return
        ids = [getattr(e, "pk", e) for e in essays]
    for start in range(0, len(ids), BATCH):
        yield list(Essay.objects.filter(pk__in=ids[start : start + BATCH]).only(*field_names).order_by("pk"))


# Comparing and reverting --------------------------------------------------------------------


class RevertError(Exception):
    """The version cannot be restored; the message says why, for the editor."""


def compared_fields(history_model) -> list:
    """The fields an editor sets, in form order: what a diff shows and a revert restores."""
    return [f for f in history_model.tracked_fields if f.editable and not f.primary_key]


def live_version(obj):
    """An unsaved version holding the object as it is now, to compare a past version with."""
    Historical = type(obj).history.model
    version = Historical(
        history_type=CHANGED, **{f.attname: getattr(obj, f.attname) for f in Historical.tracked_fields}
    )
    if isinstance(version, ThemeSnapshot):
        version.themes_snapshot = theme_names_by_essay([obj.pk]).get(obj.pk, [])
    return version


def revert_to(version, *, user) -> tuple[object, list[str]]:
    """Make the object read as it did in `version`, themes included, as a new version.

    The new version's reason names the version restored. A related row that no longer
    exists (an author merged away) is left as it is now and named in the returned notes.
    """
    model = version.instance_type
    when = timezone.localtime(version.history_date).strftime("%Y-%m-%d %H:%M")
    notes = []
    try:
        with transaction.atomic(), acting(user, f"恢复到版本 #{version.history_id}（{when}）"):
            obj = model.objects.select_for_update().filter(pk=version.id).first()
            if obj is None:
                raise RevertError("该对象已被删除，无法恢复到旧版本。")
            for f in compared_fields(type(version)):
                value = getattr(version, f.attname)
                if f.is_relation and value is not None:
                    if not f.related_model._default_manager.filter(pk=value).exists():
                        notes.append(f"{f.verbose_name}（#{value}）已不存在，保留当前值。")
                        continue
                setattr(obj, f.attname, value)
            obj.save()
            if isinstance(version, ThemeSnapshot):
                # After save(): the theme change then completes the version save() wrote.
                obj.themes.set(list(version.themes_snapshot or []))
    except IntegrityError as exc:
        raise RevertError(f"恢复后会与现有记录冲突（{exc}）。") from exc
    return obj, notes
