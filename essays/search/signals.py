"""Re-index an essay whenever save() or delete() writes it, in the same transaction."""

from django.db.models.signals import post_delete, post_save

from ..models import Essay
from .index import INDEXED_FIELDS, index_essays, remove_essays


def _essay_saved(sender, instance, created, update_fields=None, raw=False, using="default", **kwargs):
    if update_fields is not None and not INDEXED_FIELDS.intersection(update_fields):
        return
    index_essays([instance], using=using)


def _essay_deleted(sender, instance, using="default", **kwargs):
    remove_essays([instance.pk], using=using)


def connect() -> None:
    post_save.connect(_essay_saved, sender=Essay, dispatch_uid="essays.search.saved")
    post_delete.connect(_essay_deleted, sender=Essay, dispatch_uid="essays.search.deleted")
