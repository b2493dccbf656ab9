"""Importing documents from the admin: upload → preview with corrections → confirm.

Mixed into EssayAdmin (the pages live under /admin/essays/essay/import/) and linked from
the admin index and the essay and collection changelists. The work is done by
essays.services.preview; these views turn form fields into its calls.
"""

from __future__ import annotations

import re
from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import urlencode

from .ingest.edits import EditError
from .models import Status
from .services import preview
from .services.importing import SOURCE_SUFFIXES

ESSAYS_PER_PAGE = 20
CHANGE_LIST_TEMPLATE = "admin/essays/import_change_list.html"
FIELDS = (("t", "title"), ("a", "author"), ("o", "organization"))  # form-field prefix, draft field
ACTION = re.compile(r"^(drop|merge|split|undo):(\d+)(?::(\d+))?$")


def can_import(user) -> bool:
    return (
        user.is_active
        and user.is_staff
        and (user.has_perm("essays.add_essay") or user.has_perm("essays.add_sourcedocument"))
    )


# Forms -------------------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


class UploadForm(forms.Form):
    files = MultipleFileField(
        label="文件",
        required=False,
        allow_empty_file=True,  # refused by the pipeline, with the file's name
        help_text="可多选。.txt（UTF-8、GB18030/GBK、Big5、UTF-16 均可）、.docx、.html。",
        widget=MultipleFileInput(attrs={"accept": ",".join(sorted(SOURCE_SUFFIXES))}),
    )
    pasted = forms.CharField(
        label="或粘贴文本", required=False, widget=forms.Textarea(attrs={"rows": 10, "cols": 80})
    )
    pasted_name = forms.CharField(
        label="粘贴文本的名称", required=False, max_length=200, help_text="如：党员学习心得体会汇编"
    )

    def clean(self):
        data = super().clean()
        if not data.get("files") and not (data.get("pasted") or "").strip():
            raise forms.ValidationError("请选择文件或粘贴文本。")
        if (data.get("pasted") or "").strip() and not (data.get("pasted_name") or "").strip():
            self.add_error("pasted_name", "请为粘贴的文本起个名字。")
        return data

    def documents(self) -> tuple[list[tuple[str, bytes]], list[str]]:
        """(name, bytes) for every file and the pasted text, and the files too big to read."""
        documents, errors = [], []
        for upload in self.cleaned_data["files"]:
            name = Path(upload.name).name
            if upload.size > preview.MAX_FILE_BYTES:
                errors.append(f"{name}：文件超过 {preview.MAX_FILE_BYTES // (1024 * 1024)} MB。")
            else:
                documents.append((name, upload.read()))
        pasted = (self.cleaned_data.get("pasted") or "").strip()
        if pasted:
            name = Path(" ".join(self.cleaned_data["pasted_name"].split())).name
            if Path(name).suffix.lower() not in SOURCE_SUFFIXES:
                name += ".txt"
            documents.append((name, pasted.encode("utf-8")))
        return documents, errors


# Views -------------------------------------------------------------------------------------


class ImportLinkMixin:
    """Changelists with an “导入文档” button."""

    change_list_template = CHANGE_LIST_TEMPLATE

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_import": can_import(request.user)}
        return super().changelist_view(request, extra_context)


class ImportAdminMixin(ImportLinkMixin):
    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_upload_view), name="essays_essay_import"),
            path("import/<uuid:batch>/", view(self.import_preview_view), name="essays_essay_import_preview"),
            *super().get_urls(),
        ]

    def _import_context(self, request, title):
        request.current_app = self.admin_site.name
        return {**self.admin_site.each_context(request), "opts": self.opts, "title": title}

    def import_upload_view(self, request):
        if not can_import(request.user):
            raise PermissionDenied
        errors = []
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            documents, errors = form.documents()
            if not errors:
                batch, errors = preview.start_batch(documents, user=request.user)
            if not errors:
                return HttpResponseRedirect(reverse("admin:essays_essay_import_preview", args=[batch]))
        context = {**self._import_context(request, "导入文档"), "form": form, "errors": errors}
        return TemplateResponse(request, "admin/essays/import_upload.html", context)

    def import_preview_view(self, request, batch):
        if not can_import(request.user):
            raise PermissionDenied
        documents = preview.open_batch(batch, user=request.user)
        if not documents:
            messages.warning(request, "这次上传已确认、已放弃或已超过一天，请重新上传。")
            return HttpResponseRedirect(reverse("admin:essays_essay_import"))
        if request.method == "POST":
            return self._import_post(request, batch, documents)

        entries = [(d, i) for d in documents for i in range(len(d.essays))]
        page = Paginator(entries, ESSAYS_PER_PAGE).get_page(request.GET.get("page"))
        shown = preview.preview_essays(list(page.object_list))
        groups = []
        for item in shown:
            if not groups or groups[-1][0] is not item.document:
                groups.append((item.document, []))
            groups[-1][1].append(item)
        context = {
            **self._import_context(request, "导入预览"),
            "batch": batch,
            "documents": documents,
            "groups": groups,
            "page": page,
            "essay_total": len(entries),
            "status": preview.status_choice(documents[0].pending.status),
            "statuses": Status.choices,
            "can_publish": request.user.has_perm("essays.change_essay"),
            "confirmable": any(d.essays and not d.error and d.stored is None for d in documents),
        }
        return TemplateResponse(request, "admin/essays/import_preview.html", context)

    def _import_post(self, request, batch, documents):
        here = reverse("admin:essays_essay_import_preview", args=[batch])
        action = request.POST.get("action", "save")
        page = request.POST.get("page", "1")
        if action == "discard":
            preview.discard_batch(batch, user=request.user)
            messages.info(request, "已放弃这次导入，没有保存任何内容。")
            return HttpResponseRedirect(reverse("admin:essays_essay_import"))
        status = preview.status_choice(request.POST.get("status"))
        anchor = ""
        target = ACTION.match(action)
        try:
            for document in documents:
                if target and target.group(1) == "undo":
                    if int(target.group(2)) == document.pending.pk:
                        _check_version(request.POST, document)
                        preview.undo_last(document)
                    continue
                ops = _field_edits(request.POST, document)
                if target and int(target.group(2)) == document.pending.pk:
                    kind, index = target.group(1), int(target.group(3) or 0)
                    ops.append(_structural_op(request.POST, document, kind, index))
                    anchor = f"#d{document.pending.pk}-e{index + 1}"
                preview.record_edits(document, ops, status=status)
        except EditError as exc:
            messages.error(request, f"未能修改：{exc}")
            return HttpResponseRedirect(f"{here}?{urlencode({'page': page})}")
        except preview.StaleEdits:
            messages.error(request, "这份预览已在别的窗口中修改过，请在最新的预览上再改一次。")
            return HttpResponseRedirect(f"{here}?{urlencode({'page': page})}")

        if action != "confirm":
            return HttpResponseRedirect(f"{here}?{urlencode({'page': page})}{anchor}")
        if status == Status.PUBLISHED and not request.user.has_perm("essays.change_essay"):
            messages.error(request, "您没有发布文章的权限，请选择“草稿”。")
            return HttpResponseRedirect(f"{here}?{urlencode({'page': page})}")
        outcomes = preview.confirm_batch(documents, user=request.user, status=status)
        response = self._report_outcomes(request, outcomes)
        if any(o.status == "failed" for o in outcomes):
            # The failed documents stay pending: back to their preview to try again.
            return HttpResponseRedirect(here)
        return response

    def _report_outcomes(self, request, outcomes):
        collections = []
        for outcome in outcomes:
            if outcome.status == "failed":
                messages.error(request, outcome.error)
            elif outcome.status == "skipped":
                messages.warning(request, f"{outcome.source}：所有文章都已删去，未导入。")
            elif outcome.status == "unchanged":
                messages.info(request, f"{outcome.source}：同样的文件已经导入过，没有改动。")
            else:
                collection = outcome.collection
                collections.append(collection)
                messages.success(
                    request,
                    format_html(
                        "{}：文集《{}》新建 {} 篇、更新 {} 篇；近似重复 {} 对、共同段落 {} 对。"
                        ' <a href="{}">在阅读网站上查看</a>',
                        outcome.source,
                        collection,
                        outcome.essays_created,
                        outcome.essays_updated,
                        outcome.near_duplicates,
                        outcome.shared_passages,
                        collection.get_absolute_url(),
                    ),
                )
                for warning in outcome.warnings[:10]:
                    messages.warning(request, f"{outcome.source}：{warning}")
        target = reverse("admin:essays_essay_changelist")
        if len({c.pk for c in collections}) == 1:
            target += "?" + urlencode({"collection__id__exact": collections[0].pk})
        return HttpResponseRedirect(target)


def _field_edits(post, document) -> list[dict]:
    """`set` operations for the title, author and unit fields on the page that changed."""
    pk = document.pending.pk
    if post.get(f"v-{pk}") is None:
        return []  # this document's essays were not on the page
    _check_version(post, document)
    ops = []
    for index, draft in enumerate(document.essays):
        for prefix, field in FIELDS:
            value = post.get(f"{prefix}-{pk}-{index}")
            if value is not None and " ".join(value.split()) != " ".join(
                (getattr(draft, field) or "").split()
            ):
                ops.append({"op": "set", "index": index, "field": field, "value": value})
    return ops


def _check_version(post, document) -> None:
    """The page was made from the edits as they stand (not from an older window)."""
    if post.get(f"v-{document.pending.pk}") != str(document.version):
        raise preview.StaleEdits


def _structural_op(post, document, kind, index) -> dict:
    if kind == "split":
        at = post.get(f"at-{document.pending.pk}-{index}", "")
        if not at.strip().isdigit():
            raise EditError(f"请为第 {index + 1} 篇选择从第几段拆分")
        return {"op": "split", "index": index, "at": int(at)}
    return {"op": kind, "index": index}


# The admin index links here too (Django's index template, with one module added above).
if admin.site.index_template is None:
    admin.site.index_template = "admin/essays/import_index.html"
