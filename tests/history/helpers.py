"""Shared by the history tests: the admin form for an essay and its URLs."""

from django.urls import reverse


def essay_form(essay, **overrides):
    data = {
        "collection": essay.collection_id,
        "position": essay.position,
        "title": essay.title,
        "subtitle": essay.subtitle,
        "author": essay.author_id or "",
        "body": essay.body,
        "is_fragment": "on" if essay.is_fragment else "",
        "title_generated": "on" if essay.title_generated else "",
        "themes": "、".join(sorted(t.name for t in essay.themes.all())),
        "status": essay.status,
        "published_at_0": "",
        "published_at_1": "",
        "script": essay.script,
        "warnings": "[]",
        "_save": "保存",
    }
    data.update(overrides)
    return data


def history_url(obj):
    return reverse(f"admin:essays_{obj._meta.model_name}_history", args=[obj.pk])


def compare_url(obj, old, new):
    base = reverse(f"admin:essays_{obj._meta.model_name}_history_compare", args=[obj.pk])
    return f"{base}?old={old.history_id}&new={new.history_id}"


def revert_url(obj, version):
    return reverse(f"admin:essays_{obj._meta.model_name}_history_revert", args=[obj.pk, version.history_id])


def versions(obj):
    return list(obj.history.order_by("-history_date", "-history_id"))
