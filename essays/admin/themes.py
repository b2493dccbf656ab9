"""Themes: names unique whatever the script, counts, merging; the essay list's theme filter
and the input that shows an essay's themes the way editors type them."""

from django import forms
from django.contrib import admin
from django.db.models import Count, Q

from ..ingest.script import script_key
from ..models import Essay, Status, Theme
from ..services import curation
from ..themes import parse_theme_string
from .actions import changelist_link, merge_action
from .forms import StoredInputMixin


class ThemeForm(forms.ModelForm):
    class Meta:
        model = Theme
        fields = ("name", "slug", "description")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = "用于网址；留空则按名称生成，创建后不再改变。"

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if parse_theme_string(name) != [name]:
            raise forms.ValidationError(
                "主题名称不能含有逗号、顿号、分号、引号或空格，它们用于分隔多个主题。"
            )
        clash = Theme.objects.filter(key=script_key(name)).exclude(pk=self.instance.pk).first()
        if clash is not None:
            raise forms.ValidationError(
                f"已有主题“{clash.name}”（简繁视为相同）。如需合并，请在主题列表中使用“合并主题”。"
            )
        return name


@admin.register(Theme)
class ThemeAdmin(StoredInputMixin, admin.ModelAdmin):
    form = ThemeForm
    list_display = ("name", "slug", "essay_count", "published_count")
    search_fields = ("name", "slug", "description")
    actions = ("merge_selected",)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                essay_count=Count("themed_essays", distinct=True),
                published_count=Count(
                    "themed_essays",
                    filter=Q(themed_essays__content_object__status=Status.PUBLISHED),
                    distinct=True,
                ),
            )
        )

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj else {"slug": ("name",)}

    def get_readonly_fields(self, request, obj=None):
        return ("slug", "key") if obj else ()

    @admin.display(description="文章数", ordering="essay_count")
    def essay_count(self, obj):
        return changelist_link(Essay, {ThemeListFilter.parameter_name: obj.pk}, obj.essay_count)

    @admin.display(description="已发布", ordering="published_count")
    def published_count(self, obj):
        return obj.published_count

    @admin.action(description="合并所选主题", permissions=["change", "delete"])
    def merge_selected(self, request, queryset):
        return merge_action(
            self,
            request,
            queryset,
            action="merge_selected",
            noun="主题",
            service=curation.merge_themes,
            describe=lambda t: f"{t.name}（{t.essay_count} 篇）",
        )


class ThemeNamesInput(forms.TextInput):
    """Shows an essay's themes as 党的建设、理想信念, the way editors type them back."""

    def format_value(self, value):
        if value is not None and not isinstance(value, str):
            value = "、".join(sorted(t.name for t in value))
        return super().format_value(value)


class ThemeListFilter(admin.SimpleListFilter):
    title = "主题"
    parameter_name = "theme"
    NONE = "none"

    def lookups(self, request, model_admin):
        return [
            *((str(pk), name) for pk, name in Theme.objects.order_by("name").values_list("pk", "name")),
            (self.NONE, "（无主题）"),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == self.NONE:
            return queryset.filter(themed_items__isnull=True)
        if value and value.isdigit():
            return queryset.filter(themed_items__tag_id=int(value))
        return queryset
