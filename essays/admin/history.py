"""Versions in the admin: the list of an object's versions, a diff of any two, and revert.

Mixed into the Collection, Author and Essay admins; it replaces the admin's "历史" page.
Viewing needs the view or change permission on the object, reverting the change permission
(checked again on the POST). Everything shown is escaped: values go through format_html.
"""

from __future__ import annotations

import json
from datetime import date, datetime

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from .. import history_diff
from ..history import RevertError, ThemeSnapshot, compared_fields, live_version, revert_to
from ..labels import say
from .forms import StoredInputMixin, VersionedForm, unify_line_ends

VERSIONS_PER_PAGE = 50
HISTORY_TYPES = {"+": "创建", "~": "修改", "-": "删除"}
THEMES_LABEL = "主题"
_OP_TAG = {history_diff.DELETED: "del", history_diff.INSERTED: "ins"}


class HistoryAdminMixin(StoredInputMixin):
    object_history_template = "admin/essays/history/versions.html"
    # Its change_reason field: why, in the editor's words, kept with the version the save writes.
    form = VersionedForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self.fieldsets and self.has_change_permission(request, obj):
            fieldsets = [*fieldsets, ("修改说明", {"fields": ("change_reason",)})]
        return fieldsets

    def save_model(self, request, obj, form, change):
        # simple-history reads _change_reason when it writes the version of this save.
        obj._change_reason = form.cleaned_data.get("change_reason", "")
        super().save_model(request, obj, form, change)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.history_compare_view),
                name="{}_{}_history_compare".format(*info),
            ),
            path(
                "<path:object_id>/history/<int:version_id>/revert/",
                self.admin_site.admin_view(self.history_revert_view),
                name="{}_{}_history_revert".format(*info),
            ),
            *super().get_urls(),
        ]

    # Views --------------------------------------------------------------------------------

    def history_view(self, request, object_id, extra_context=None):
        obj = self._history_object(request, object_id)
        versions = obj.history.select_related("history_user").order_by("-history_date", "-history_id")
        paginator = Paginator(versions, VERSIONS_PER_PAGE)
        page = paginator.get_page(request.GET.get("p"))
        # One version past the page, so the oldest on it can say what it changed.
        start = (page.number - 1) * VERSIONS_PER_PAGE
        rows = list(versions[start : start + VERSIONS_PER_PAGE + 1])
        fields = self._compared(obj)
        entries = []
        for i, version in enumerate(rows[:VERSIONS_PER_PAGE]):
            older = rows[i + 1] if i + 1 < len(rows) else None
            entries.append(
                {
                    "version": version,
                    "older": older,
                    "action": HISTORY_TYPES.get(version.history_type, version.history_type),
                    "changed": "、".join(str(label) for label in changed_labels(older, version, fields))
                    if older
                    else "",
                }
            )
        context = {
            **self._history_context(request, obj, "历史版本"),
            "entries": entries,
            "page": page,
            "can_revert": self.has_change_permission(request, obj),
            "compare_url": self._history_url("history_compare", obj),
        }
        return TemplateResponse(request, self.object_history_template, context)

    def history_compare_view(self, request, object_id):
        obj = self._history_object(request, object_id)
        new = self._version(obj, request.GET.get("new"))
        old = self._version(obj, request.GET.get("old")) if request.GET.get("old") else None
        if old is None:
            old = (
                obj.history.filter(history_date__lte=new.history_date)
                .exclude(history_id=new.history_id)
                .order_by("-history_date", "-history_id")
                .first()
            )
            if old is None:
                raise Http404("这是最早的版本，没有可比较的上一版本。")
        if (old.history_date, old.history_id) > (new.history_date, new.history_id):
            old, new = new, old
        context = {
            **self._history_context(request, obj, "比较版本"),
            "old": old,
            "new": new,
            "rows": diff_rows(old, new, self._compared(obj)),
            "old_label": f"版本 #{old.history_id}",
            "new_label": f"版本 #{new.history_id}",
            "can_revert": self.has_change_permission(request, obj),
        }
        return TemplateResponse(request, "admin/essays/history/compare.html", context)

    def history_revert_view(self, request, object_id, version_id):
        if request.method not in ("GET", "POST"):
            return HttpResponseNotAllowed(["GET", "POST"])
        obj = self._history_object(request, object_id)
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        version = self._version(obj, version_id)
        if request.method == "POST":
            try:
                obj, notes = revert_to(version, user=request.user)
            except RevertError as exc:
                self.message_user(request, f"未能恢复：{exc}", messages.ERROR)
            else:
                self.message_user(request, f"已将“{obj}”恢复到版本 #{version.history_id}。", messages.SUCCESS)
                for note in notes:
                    self.message_user(request, note, messages.WARNING)
            return HttpResponseRedirect(self._history_url("history", obj))
        context = {
            **self._history_context(request, obj, f"恢复到版本 #{version.history_id}"),
            "version": version,
            "rows": diff_rows(live_version(obj), version, self._compared(obj)),
        }
        return TemplateResponse(request, "admin/essays/history/revert_confirm.html", context)

    # Helpers ------------------------------------------------------------------------------

    def _history_object(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("没有这个对象。")
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        return obj

    def _version(self, obj, version_id):
        try:
            return get_object_or_404(obj.history.select_related("history_user"), history_id=int(version_id))
        except (TypeError, ValueError) as exc:
            raise Http404("没有这个版本。") from exc

    def _compared(self, obj):
        fields = [(f.attname, f) for f in compared_fields(obj.history.model)]
        if issubclass(obj.history.model, ThemeSnapshot):
            fields.append(("themes_snapshot", None))
        return fields

    def _history_url(self, view, obj):
        return reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_{view}",
            args=[obj.pk],
            current_app=self.admin_site.name,
        )

    def _history_context(self, request, obj, title):
        request.current_app = self.admin_site.name
        return {
            **self.admin_site.each_context(request),
            "title": f"{title}：{obj}",
            "subtitle": None,
            "opts": self.opts,
            "object": obj,
            "history_url": self._history_url("history", obj),
            "change_url": self._history_url("change", obj),
        }


# What changed -------------------------------------------------------------------------------


def changed_labels(old, new, fields) -> list[str]:
    return [_label(f, name) for name, f in fields if not _same(getattr(old, name), getattr(new, name))]


def _same(before, after) -> bool:
    # Texts saved before the forms unified line ends differ from later ones in "\r" alone:
    # nobody changed anything a reader sees.
    if isinstance(before, str) and isinstance(after, str):
        return unify_line_ends(before) == unify_line_ends(after)
    return before == after


def diff_rows(old, new, fields) -> list[dict]:
    """One row per compared field: label, changed or not, and the two values as HTML."""
    related = _related_names(old, new, fields)
    rows = []
    for name, f in fields:
        before, after = getattr(old, name), getattr(new, name)
        changed = not _same(before, after)
        if f is None:  # the theme snapshot
            old_html, new_html = _render_list(before or [], after or [])
        elif changed and _is_text(f) and isinstance(before, str) and isinstance(after, str):
            old_html, new_html = _render_text(before, after, long=f.get_internal_type() == "TextField")
        else:
            old_html, new_html = _display(f, before, related), _display(f, after, related)
        rows.append({"label": _label(f, name), "changed": changed, "old": old_html, "new": new_html})
    return rows


def _label(f, name):
    return THEMES_LABEL if f is None else f.verbose_name


def _is_text(f) -> bool:
    return f.get_internal_type() in ("CharField", "TextField") and not f.choices


def _related_names(old, new, fields) -> dict:
    """str() of every related row either version points at: one query per relation."""
    names = {}
    for name, f in fields:
        if f is None or not f.is_relation:
            continue
        ids = {v for v in (getattr(old, name), getattr(new, name)) if v is not None}
        found = f.related_model._default_manager.in_bulk(ids)
        names.update({(f.related_model, pk): str(obj) for pk, obj in found.items()})
    return names


def _display(f, value, related) -> SafeString:
    if f.is_relation:
        if value is None:
            return _empty()
        text = related.get((f.related_model, value))
        return format_html("{}", text) if text is not None else format_html("（已删除 #{}）", value)
    if value is None or value == "":
        return _empty()
    if f.choices:
        return format_html("{}", dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return format_html("{}", "是" if value else "否")
    if isinstance(value, str) and f.get_internal_type() == "TextField":
        return format_html_join(
            "", "<p>{}</p>", ((line,) for line in unify_line_ends(value).split("\n") if line)
        )
    if isinstance(value, datetime):
        return format_html("{}", _chinese_datetime(value))
    if isinstance(value, date):
        return format_html("{}", f"{value.year}年{value.month}月{value.day}日")
    if isinstance(value, list | tuple):
        if not value:
            return _empty()
        # Imports store the pipeline's words (warnings): shown as editors read them.
        return format_html(
            '<ul class="history-list">{}</ul>',
            format_html_join("", "<li>{}</li>", ((say(v),) for v in value)),
        )
    if isinstance(value, dict):
        if not value:
            return _empty()
        return format_html(
            '<ul class="history-list">{}</ul>',
            format_html_join(
                "",
                "<li>{}：{}</li>",
                (
                    (k, json.dumps(v, ensure_ascii=False) if not isinstance(v, str) else v)
                    for k, v in value.items()
                ),
            ),
        )
    return format_html("{}", value)


def _chinese_datetime(value: datetime) -> str:
    value = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M:%S}"


def _empty() -> SafeString:
    return format_html('<span class="quiet">{}</span>', "（空）")


def _pieces(parts) -> SafeString:
    return format_html_join(
        "",
        "{}",
        (
            (format_html("<{}>{}</{}>", _OP_TAG[op], text, _OP_TAG[op]) if op in _OP_TAG else text,)
            for op, text in parts
        ),
    )


def _render_text(before: str, after: str, *, long: bool) -> tuple[SafeString, SafeString]:
    if not long:
        old_parts, new_parts = history_diff.char_diff(before, after)
        return _pieces(old_parts), _pieces(new_parts)
    old_rows, new_rows = [], []
    for block in history_diff.paragraph_diff(before, after):
        if block.kind == "skip":
            gap = format_html('<p class="history-skip">……（{} 段未改动）</p>', block.skipped)
            old_rows.append(gap)
            new_rows.append(gap)
            continue
        old_rows.append(format_html('<p class="history-{}">{}</p>', block.kind, _pieces(block.old)))
        new_rows.append(format_html('<p class="history-{}">{}</p>', block.kind, _pieces(block.new)))
    # Each item is a format_html result: escaped.
    return mark_safe("".join(old_rows)), mark_safe("".join(new_rows))


def _render_list(before: list[str], after: list[str]) -> tuple[SafeString, SafeString]:
    items = history_diff.list_diff(list(before), list(after))
    old = [(op, name) for op, name in items if op != history_diff.INSERTED]
    new = [(op, name) for op, name in items if op != history_diff.DELETED]

    def join(parts):
        if not parts:
            return _empty()
        return format_html_join("、", "{}", ((_pieces([part]),) for part in parts))

    return join(old), join(new)
