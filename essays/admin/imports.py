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
from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFilesSent
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from ..ingest.edits import EditError
from ..ingest.files import SOURCE_SUFFIXES
from ..labels import say
from ..models import Status
from ..services import preview, preview_fields, preview_roles, preview_work
from .forms import unify_line_ends

ESSAYS_PER_PAGE = 20
REFRESH_SECONDS = 2  # the progress page reloads itself this often
CHANGE_LIST_TEMPLATE = "admin/essays/import_change_list.html"
FIELDS = (("t", "title"), ("a", "author"), ("o", "organization"))  # form-field prefix, draft field
ACTION = re.compile(r"^(drop|merge|split|undo):(\d+)(?::(\d+))?$")
ROLE_ACTION = re.compile(r"^role:(\d+):(\d+):([a-z]+)$")  # document, source line, role (or reset)
COLLECTION_INPUTS = (("ct", "title"), ("cd", "description"), ("cs", "site"))  # prefix, field


def can_import(user) -> bool:
    return (
        user.is_active
        and user.is_staff
        and (user.has_perm("essays.add_essay") or user.has_perm("essays.add_sourcedocument"))
    )


# Forms -------------------------------------------------------------------------------------


class FileSizeLimit(FileUploadHandler):
    """Stops reading an uploaded file once it passes preview.MAX_FILE_BYTES: the rest of it
    is skipped, not kept, and the file is named in `refused`. First among the handlers."""

    def __init__(self, request=None):
        super().__init__(request)
        self.refused: list[str] = []

    def new_file(
        self, field_name, file_name, content_type, content_length, charset=None, content_type_extra=None
    ):
        super().new_file(field_name, file_name, content_type, content_length, charset, content_type_extra)
        if content_length and content_length > preview.MAX_FILE_BYTES:
            self._refuse()

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > preview.MAX_FILE_BYTES:
            self._refuse()
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler keeps the file

    def _refuse(self):
        self.refused.append(preview.file_too_big(Path(self.file_name or "").name))
        raise SkipFile


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

    def clean_pasted(self):
        # Stored as the source's bytes: "\n" as a file saved on the editor's machine would
        # have, not the "\r\n" every browser submits a textarea with.
        pasted = unify_line_ends(self.cleaned_data.get("pasted") or "")
        size = len(pasted.encode("utf-8"))
        if size > preview.MAX_PASTE_BYTES:
            raise forms.ValidationError(preview.paste_too_big(size))  # the text stays in the field
        return pasted

    def clean(self):
        data = super().clean()
        if "pasted" not in data:
            return data  # too long: said on the field
        if not data.get("files") and not (data.get("pasted") or "").strip():
            raise forms.ValidationError("请选择文件或粘贴文本。")
        if (data.get("pasted") or "").strip() and not (data.get("pasted_name") or "").strip():
            self.add_error("pasted_name", "请为粘贴的文本起个名字。")
        return data

    def documents(self) -> tuple[list[tuple[str, bytes | UploadedFile]], list[str]]:
        """(name, file or bytes) for every file and the pasted text, and the files too big."""
        documents, errors = [], []
        for upload in self.cleaned_data["files"]:
            name = Path(upload.name).name
            if upload.size > preview.MAX_FILE_BYTES:
                errors.append(preview.file_too_big(name))
            else:
                documents.append((name, upload))  # read as it is stored (preview.start_batch)
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
            # CSRF is checked inside, once the size of the body has been checked unread.
            path("import/", view(csrf_exempt(self.import_upload_view)), name="essays_essay_import"),
            path("import/<uuid:batch>/", view(self.import_preview_view), name="essays_essay_import_preview"),
            *super().get_urls(),
        ]

    def _import_context(self, request, title):
        request.current_app = self.admin_site.name
        return {**self.admin_site.each_context(request), "opts": self.opts, "title": title}

    def _upload_page(self, request, form, errors, status=200):
        context = {
            **self._import_context(request, "导入文档"),
            "form": form,
            "errors": errors,
            "max_files": preview.MAX_FILES,
            "max_file_mb": preview.megabytes(preview.MAX_FILE_BYTES),
            "max_paste_mb": preview.megabytes(preview.MAX_PASTE_BYTES),
        }
        return TemplateResponse(request, "admin/essays/import_upload.html", context, status=status)

    def import_upload_view(self, request):
        """Refuse an over-size body before reading it, then read it with the per-file limit
        in place, then (CSRF checked) keep the batch and start parsing it."""
        if not can_import(request.user):
            raise PermissionDenied
        if request.method == "POST":
            too_big = preview.request_too_big(request.META.get("CONTENT_LENGTH"))
            if too_big:
                return self._upload_page(request, UploadForm(), [too_big], status=413)
            limit = FileSizeLimit(request)
            request.upload_handlers.insert(0, limit)
            try:
                request.POST  # noqa: B018 - read here, where a too-long paste can be answered
            except RequestDataTooBig:
                return self._upload_page(request, UploadForm(), [preview.paste_not_received()], status=413)
            except TooManyFilesSent:
                message = f"一次最多上传 {preview.MAX_FILES} 个文件，没有接收。"
                return self._upload_page(request, UploadForm(), [message], status=413)
            request.import_refused = limit.refused
        return csrf_protect(self._upload)(request)

    def _upload(self, request):
        form = UploadForm(request.POST or None, request.FILES or None)
        errors = list(getattr(request, "import_refused", []))
        if request.method == "POST" and not errors and form.is_valid():
            documents, errors = form.documents()
            if not errors:
                batch, errors = preview.start_batch(documents, user=request.user)
            if not errors:
                preview_work.start(batch)
                return HttpResponseRedirect(reverse("admin:essays_essay_import_preview", args=[batch]))
        return self._upload_page(request, form, errors)

    def import_preview_view(self, request, batch):
        if not can_import(request.user):
            raise PermissionDenied
        state = preview.progress(batch, user=request.user)
        if not state.total:
            messages.warning(request, "这次上传已确认、已放弃或已超过一天，请重新上传。")
            return HttpResponseRedirect(reverse("admin:essays_essay_import"))
        if preview_work.needs_runner(batch):  # never started, or its process died
            preview_work.start(batch, wait=0)
            state = preview.progress(batch, user=request.user)
        if request.method == "POST" and request.POST.get("action") == "discard":
            return self._discard(request, batch, state)
        if state.working:
            return self._progress_page(request, batch, state)
        if state.finished:
            return self._report_receipts(request, preview.finish_batch(batch, user=request.user))
        documents = preview.open_batch(batch, user=request.user)
        if request.method == "POST":
            return self._import_post(request, batch, documents)
        return self._preview_page(request, batch, documents)

    def _progress_page(self, request, batch, state):
        if request.method == "POST":
            return HttpResponseRedirect(request.path)
        context = {
            **self._import_context(request, "正在解析" if state.parsing else "正在导入"),
            "batch": batch,
            "state": state,
            "refresh": REFRESH_SECONDS,
        }
        return TemplateResponse(request, "admin/essays/import_progress.html", context)

    def _preview_page(self, request, batch, documents):
        entries = [(d, i) for d in documents if not d.done for i in range(len(d.essays))]
        page = Paginator(entries, ESSAYS_PER_PAGE).get_page(request.GET.get("page"))
        groups = []
        for item in preview.preview_essays(list(page.object_list)):
            if not groups or groups[-1][0] is not item.document:
                groups.append((item.document, []))
            groups[-1][1].append(item)
        waiting = [d for d in documents if not d.done]
        for document in waiting:
            document.lines = preview_roles.lines_view(document.parsed, request.GET.get("lines"))
        context = {
            **self._import_context(request, "导入预览"),
            "batch": batch,
            "documents": documents,
            "groups": groups,
            "page": page,
            "essay_total": len(entries),
            "status": preview.status_choice(waiting[0].pending.status if waiting else None),
            "statuses": Status.choices,
            "conflict_choices": [(k, label) for k, (label, _) in preview.CONFLICT_CHOICES.items()],
            "can_publish": request.user.has_perm("essays.change_essay"),
            "confirmable": any(d.importable for d in documents),
            "some_done": any(d.done for d in documents),
            "role_keys": preview_roles.keys_legend(),
            "lines_page": request.GET.get("lines", ""),
            "lines_per_page": preview_roles.LINES_PER_PAGE,
        }
        return TemplateResponse(request, "admin/essays/import_preview.html", context)

    def _discard(self, request, batch, state):
        if state.storing:
            messages.error(request, "正在导入，不能放弃；请等导入完成。")
            return HttpResponseRedirect(request.path)
        stored = state.done
        preview.discard_batch(batch, user=request.user)
        if stored:
            messages.info(request, f"已放弃这次导入中尚未导入的文件；已导入的 {stored} 个文件不受影响。")
        else:
            messages.info(request, "已放弃这次导入，没有保存任何内容。")
        return HttpResponseRedirect(reverse("admin:essays_essay_import"))

    def _import_post(self, request, batch, documents):
        here = reverse("admin:essays_essay_import_preview", args=[batch])
        action = request.POST.get("action", "save")
        page = request.POST.get("page", "1")
        back = f"{here}?{urlencode({'page': page, 'lines': request.POST.get('lines', '')})}"
        status = preview.status_choice(request.POST.get("status"))
        try:
            anchor = self._record_post(request.POST, documents, action, status)
            role = ROLE_ACTION.match(action)
            if role:
                anchor = self._record_role(documents, role)
                preview_work.start(batch)  # parsed again, here for a moment, then in the background
        except (EditError, preview_roles.RoleError) as exc:
            messages.error(request, f"未能修改：{exc}")
            return HttpResponseRedirect(back)
        except preview.StaleEdits:
            messages.error(request, "这份预览已在别的窗口中修改过，请在最新的预览上再改一次。")
            return HttpResponseRedirect(back)
        if action != "confirm":
            return HttpResponseRedirect(back + anchor)
        if status == Status.PUBLISHED and not request.user.has_perm("essays.change_essay"):
            messages.error(request, "您没有发布文章的权限，请选择“草稿”。")
            return HttpResponseRedirect(back)
        preview.request_confirm(batch, user=request.user, status=status)
        preview_work.start(batch)
        return HttpResponseRedirect(here)

    def _record_post(self, post, documents, action, status) -> str:
        """Keep the page's fields and choices and the one button's correction; the anchor to
        go back to."""
        anchor = ""
        target = ACTION.match(action)
        for document in documents:
            if document.done or document.edited is None:
                continue
            preview.record_choice(document, post.get(f"conflict-{document.pending.pk}", ""))
            if target and target.group(1) == "undo":
                if int(target.group(2)) == document.pending.pk:
                    _check_version(post, document)
                    preview.undo_last(document)
                continue
            ops = _field_edits(post, document)
            if target and int(target.group(2)) == document.pending.pk:
                kind, index = target.group(1), int(target.group(3) or 0)
                ops.append(_structural_op(post, document, kind, index))
                anchor = f"#d{document.pending.pk}-e{index + 1}"
            collection = _collection_edits(post, document)
            preview.record_edits(document, ops, status=status, collection=collection)
        return anchor

    def _record_role(self, documents, match) -> str:
        """The one line's new role (the page's fields are recorded first); its anchor."""
        pk, line, role = int(match.group(1)), int(match.group(2)), match.group(3)
        document = next((d for d in documents if d.pending.pk == pk and not d.done and d.edited), None)
        if document is None:
            raise preview_roles.RoleError("这份文件已不在预览中")
        preview_roles.record_role(document, line, role)
        return f"#line-{pk}-{line + 1}"

    def _report_receipts(self, request, receipts):
        """Every document of the batch is done: say what became of each."""
        collections = []
        for receipt in receipts:
            text = say(receipt.message)
            if receipt.collection is not None:
                collections.append(receipt.collection)
                text = format_html(
                    '{} <a href="{}">在阅读网站上查看</a>',
                    text,
                    receipt.collection.get_absolute_url(),
                )
            messages.add_message(request, getattr(messages, receipt.level.upper()), text)
            for warning in receipt.warnings:
                messages.warning(request, f"{receipt.name}：{say(warning)}")
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
            value = unify_line_ends(value) if value is not None else None
            if value is not None and " ".join(value.split()) != " ".join(
                (getattr(draft, field) or "").split()
            ):
                ops.append({"op": "set", "index": index, "field": field, "value": value})
        themes = post.get(f"th-{pk}-{index}")
        if themes is not None and preview_fields.split_themes(themes) != draft.themes:
            ops.append(
                {"op": "set", "index": index, "field": "themes", "value": preview_fields.split_themes(themes)}
            )
        if post.get(f"fp-{pk}-{index}") is not None:  # the essay was on the page: an unticked box says no
            fragment = post.get(f"f-{pk}-{index}") is not None
            if fragment != draft.is_fragment:
                ops.append({"op": "set", "index": index, "field": "is_fragment", "value": fragment})
    return ops


def _collection_edits(post, document) -> dict:
    """The collection's title, description and site as the editor changed them on the page."""
    pk = document.pending.pk
    if post.get(f"v-{pk}") is None:
        return {}
    _check_version(post, document)
    values = {field: post.get(f"{prefix}-{pk}") for prefix, field in COLLECTION_INPUTS}
    values = {k: unify_line_ends(v) if v is not None else None for k, v in values.items()}
    return preview_fields.collection_changes(document.edited.collection, values)


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
