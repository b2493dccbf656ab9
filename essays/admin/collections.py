"""Collections: their essays in order and their source files."""

from django.contrib import admin
from django.db.models import Count

from ..models import Collection, Essay
from .actions import changelist_link, stamp_publication
from .forms import StoredInputMixin
from .history import HistoryAdminMixin
from .imports import ImportLinkMixin
from .sources import SourceDocumentInline


class EssayInline(StoredInputMixin, admin.TabularInline):
    model = Essay
    fields = ("position", "title", "author", "status", "is_fragment")
    # Read-only so the page does not render a select of every author once per essay.
    readonly_fields = ("author",)
    ordering = ("position", "id")
    show_change_link = True
    extra = 0
    can_delete = False
    verbose_name_plural = "文章（按顺序）"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Collection)
class CollectionAdmin(HistoryAdminMixin, ImportLinkMixin, admin.ModelAdmin):
    list_display = (
        "__str__",
        "date_display",
        "declared_essay_count",
        "present_count",
        "script",
        "created_at",
    )
    list_filter = ("script",)
    search_fields = ("title", "description", "source")
    readonly_fields = ("created_at", "updated_at")
    fieldsets = (
        ("基本信息", {"fields": ("title", "description")}),
        ("日期", {"fields": (("date_year", "date_month", "date_day"),)}),
        ("来源", {"fields": ("source", "site", "key", "script")}),
        ("篇数", {"fields": ("declared_essay_count",)}),
        ("记录", {"fields": ("created_at", "updated_at"), "classes": ("collapse",)}),
    )
    inlines = (EssayInline, SourceDocumentInline)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(present_count=Count("essays", distinct=True))

    @admin.display(description="日期", ordering="date_year")
    def date_display(self, obj):
        return obj.date_display or "—"

    @admin.display(description="实有篇数", ordering="present_count")
    def present_count(self, obj):
        return changelist_link(Essay, {"collection__id__exact": obj.pk}, obj.present_count)

    def save_formset(self, request, form, formset, change):
        if formset.model is Essay:
            for essay in formset.save(commit=False):
                stamp_publication(essay)
                essay._change_reason = form.cleaned_data.get("change_reason", "")
                essay.save()
            formset.save_m2m()
        else:
            super().save_formset(request, form, formset, change)
