"""Sources in the admin: read-only records of what was imported, with the bytes each held
before a corrected copy or a replacement took its place (SourceVersion)."""

import io

from django.contrib import admin
from django.db.models.functions import Length
from django.http import FileResponse, Http404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from ..labels import cleanup_label, say
from ..models import SourceDocument, SourceVersion
from .lists import LightChangeList


class ReadOnlyInline(admin.TabularInline):
    """Rows shown, never added, changed or deleted here: sources are records of imports."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class NamedValuesFilter(admin.AllValuesFieldListFilter):
    """The values of a pipeline field (encoding, format) under their Chinese names."""

    def choices(self, changelist):
        for choice in super().choices(changelist):
            yield {**choice, "display": say(choice["display"])}


class SourceDocumentInline(ReadOnlyInline):
    model = SourceDocument
    fields = ("name", "encoding_shown", "sha256", "page_display", "warning_count")
    readonly_fields = fields
    show_change_link = True

    @admin.display(description="编码")
    def encoding_shown(self, obj):
        return say(obj.encoding)

    def get_queryset(self, request):
        return super().get_queryset(request).defer("raw", "text")

    @admin.display(description="页")
    def page_display(self, obj):
        return page_display(obj)

    @admin.display(description="提示数")
    def warning_count(self, obj):
        return len(obj.warnings)


def page_display(document):
    if not document.page_number:
        return "—"
    return f"{document.page_number}/{document.page_total or '?'}"


class SourceVersionInline(ReadOnlyInline):
    model = SourceVersion
    fk_name = "document"
    verbose_name = "旧版"
    verbose_name_plural = "旧版（被更正版或另一文件取代前的原始字节）"
    fields = ("name", "reason", "imported_at", "superseded_at", "superseded_by", "size", "sha256", "download")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).defer("raw", "text").annotate(raw_size=Length("raw"))

    @admin.display(description="大小")
    def size(self, obj):
        return f"{obj.raw_size:,} 字节"

    @admin.display(description="原始文件")
    def download(self, obj):
        url = reverse("admin:essays_sourcedocument_version_raw", args=[obj.document_id, obj.pk])
        return format_html('<a href="{}">下载</a>', url)


@admin.register(SourceDocument)
class SourceDocumentAdmin(admin.ModelAdmin):
    """Read-only: a source is the record of what was imported."""

    list_display = (
        "name",
        "collection",
        "page_display",
        "encoding_shown",
        "format_shown",
        "size",
        "warning_count",
    )
    list_select_related = ("collection",)
    list_filter = (("encoding", NamedValuesFilter), ("format", NamedValuesFilter))
    search_fields = ("name", "source_url", "sha256", "collection__title")
    fieldsets = (
        (
            "文件",
            {
                "fields": (
                    "name",
                    "collection",
                    "source_url",
                    "size",
                    "sha256",
                    "encoding_shown",
                    "format_shown",
                    "page_display",
                )
            },
        ),
        ("导入", {"fields": ("pipeline_version", "imported_at", "reparsed_at", "imported_by")}),
        ("导入报告", {"fields": ("warning_list", "report_display")}),
        ("解码文本", {"fields": ("text",), "classes": ("collapse",)}),
    )
    readonly_fields = (
        "name",
        "collection",
        "source_url",
        "size",
        "sha256",
        "encoding_shown",
        "format_shown",
        "page_display",
        "pipeline_version",
        "imported_at",
        "reparsed_at",
        "imported_by",
        "warning_list",
        "report_display",
        "text",
    )

    changelist_defer = ("text",)
    inlines = (SourceVersionInline,)

    def get_urls(self):
        view = self.admin_site.admin_view(self.version_raw)
        return [
            path("<int:pk>/versions/<int:version>/raw/", view, name="essays_sourcedocument_version_raw"),
            *super().get_urls(),
        ]

    def version_raw(self, request, pk, version):
        """An earlier version's bytes, exactly as they were imported."""
        if not self.has_view_permission(request):
            raise Http404
        kept = SourceVersion.objects.filter(document_id=pk, pk=version).first()
        if kept is None:
            raise Http404
        return FileResponse(
            io.BytesIO(bytes(kept.raw)),
            as_attachment=True,
            filename=kept.name.rsplit("/", 1)[-1] or f"source-{pk}-{version}",
            content_type="application/octet-stream",
        )

    def get_changelist(self, request, **kwargs):
        return LightChangeList

    def get_queryset(self, request):
        # The raw bytes are never loaded here; only their length.
        return super().get_queryset(request).defer("raw").annotate(raw_size=Length("raw"))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="页")
    def page_display(self, obj):
        return page_display(obj)

    @admin.display(description="编码", ordering="encoding")
    def encoding_shown(self, obj):
        return say(obj.encoding)

    @admin.display(description="格式", ordering="format")
    def format_shown(self, obj):
        return say(obj.format)

    @admin.display(description="原始大小", ordering="raw_size")
    def size(self, obj):
        return f"{obj.raw_size:,} 字节" if obj.raw_size is not None else "—"

    @admin.display(description="提示数")
    def warning_count(self, obj):
        return len(obj.warnings)

    @admin.display(description="提示")
    def warning_list(self, obj):
        if not obj.warnings:
            return "无"
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((say(w),) for w in obj.warnings))
        )

    @admin.display(description="清理与修复")
    def report_display(self, obj):
        # The report's English keys as editors read them; each repair is listed, beside
        # the source text, on the reading site's staff 来源 page.
        report = obj.report or {}
        counts = sorted((report.get("counts") or {}).items(), key=lambda kv: (-kv[1], kv[0]))
        rows = format_html_join("", "<li>{}：{}</li>", ((cleanup_label(k), n) for k, n in counts))
        repairs = len(report.get("repairs") or [])
        if not counts and not repairs:
            return "无"
        return format_html("<ul>{}</ul><p>修复 {} 处。</p>", rows, repairs)
