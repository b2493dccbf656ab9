"""The editors' admin: collections, sources, authors, themes and essays.

Declarative on purpose: every write beyond a plain form save goes through
essays.services. Changelists run a fixed number of queries whatever the page size:
related rows are joined (list_select_related), counts are annotated, and themes are
prefetched into `theme_list`.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import Count, Prefetch, Q
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from taggit.managers import TaggableManager

from .admin_duplicates import DuplicatesAdminMixin
from .admin_history import HistoryAdminMixin
from .admin_import import ImportAdminMixin, ImportLinkMixin
from .admin_lists import LightChangeList
from .admin_sources import SourceDocumentInline
from .admin_structure import StructureActionsMixin
from .ingest.script import script_key
from .models import Author, Collection, Essay, Status, Theme
from .roles import ReaderLoginForm
from .search.admin import essay_search_results
from .services import curation
from .themes import parse_theme_string

ACTION_TEMPLATE = "admin/essays/action_form.html"

# The reading site signs in through the admin's login page (LOGIN_URL): let readers in there
# too. The admin's pages still admit staff only.
admin.site.login_form = ReaderLoginForm


# Intermediate action pages ---------------------------------------------------------------


class ThemeNamesForm(forms.Form):
    theme_names = forms.CharField(
        label="主题",
        max_length=1000,
        help_text="以逗号、顿号或分号分隔，如：党建，理想信念、初心使命",
        widget=forms.TextInput(attrs={"size": 60, "autofocus": True}),
    )

    def clean_theme_names(self):
        names = parse_theme_string(self.cleaned_data["theme_names"])
        if not names:
            raise forms.ValidationError("请至少填写一个主题。")
        return names


class MergeTargetForm(forms.Form):
    target = forms.ModelChoiceField(
        label="保留哪一个",
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        help_text="其余各项的文章都归入所选的这一项，然后其余各项被删除。",
    )

    def __init__(self, *args, queryset, label_from_instance, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["target"]
        field.queryset = queryset
        field.label_from_instance = label_from_instance
        field.initial = queryset.order_by("pk").first()


def render_action_form(
    modeladmin, request, queryset, *, action, title, form, submit, note="", preview_size=0
):
    """An intermediate page for an action, like Django's delete confirmation."""
    selected = list(queryset.prefetch_related(None).values_list("pk", flat=True))
    preview = list(queryset.prefetch_related(None)[:preview_size]) if preview_size else []
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "subtitle": None,
        "opts": modeladmin.model._meta,
        "queryset": queryset,
        "action": action,
        "action_checkbox_name": ACTION_CHECKBOX_NAME,
        "selected": selected,
        "preview": preview,
        "more": max(0, len(selected) - len(preview)) if preview else 0,
        "form": form,
        "submit": submit,
        "note": note,
        "media": modeladmin.media + form.media,
    }
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(request, ACTION_TEMPLATE, context)


def merge_action(modeladmin, request, queryset, *, action, noun, service, describe):
    """Pick a target among the selected rows, then fold the others into it."""
    if queryset.count() < 2:
        modeladmin.message_user(request, f"请至少选择两个{noun}进行合并。", messages.WARNING)
        return None
    form = MergeTargetForm(
        request.POST if "apply" in request.POST else None,
        queryset=queryset,
        label_from_instance=describe,
    )
    if form.is_valid():
        target = form.cleaned_data["target"]
        others = list(queryset.exclude(pk=target.pk))
        service(target, others, user=request.user)
        modeladmin.message_user(request, f"已将 {len(others)} 个{noun}合并到“{target}”。", messages.SUCCESS)
        return None
    return render_action_form(
        modeladmin,
        request,
        queryset,
        action=action,
        title=f"合并{noun}",
        form=form,
        submit="确认合并",
        note=f"所选的 {queryset.count()} 个{noun}将合并为一个；这一操作无法撤销。",
    )


def _stamp_publication(essay):
    if essay.status == Status.PUBLISHED and essay.published_at is None:
        essay.published_at = timezone.now()


def _changelist_link(model, params, text):
    url = reverse(f"admin:essays_{model._meta.model_name}_changelist")
    return format_html('<a href="{}?{}">{}</a>', url, urlencode(params), text)


# Collections and sources -----------------------------------------------------------------


class EssayInline(admin.TabularInline):
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
        return _changelist_link(Essay, {"collection__id__exact": obj.pk}, obj.present_count)

    def save_formset(self, request, form, formset, change):
        if formset.model is Essay:
            for essay in formset.save(commit=False):
                _stamp_publication(essay)
                essay.save()
            formset.save_m2m()
        else:
            super().save_formset(request, form, formset, change)


# Authors ----------------------------------------------------------------------------------


class AuthorForm(forms.ModelForm):
    class Meta:
        model = Author
        fields = ("name", "organization")

    def clean(self):
        cleaned = super().clean()
        name, organization = cleaned.get("name"), cleaned.get("organization") or ""
        if name is None:
            return cleaned
        clash = Author.objects.filter(
            name_key=script_key(name), organization_key=script_key(organization)
        ).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(
                "已有同名同单位的作者（简繁视为相同）。如是同一人，请在作者列表中使用“合并作者”。"
            )
        return cleaned


@admin.register(Author)
class AuthorAdmin(HistoryAdminMixin, admin.ModelAdmin):
    form = AuthorForm
    list_display = ("name", "organization", "essay_count")
    search_fields = ("name", "organization")
    actions = ("merge_selected",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(essay_count=Count("essays", distinct=True))

    @admin.display(description="文章数", ordering="essay_count")
    def essay_count(self, obj):
        return _changelist_link(Essay, {"author__id__exact": obj.pk}, obj.essay_count)

    def has_merge_permission(self, request):
        # Merging re-points essays, so it needs the right to change them too.
        return (
            self.has_change_permission(request)
            and self.has_delete_permission(request)
            and request.user.has_perm("essays.change_essay")
        )

    @admin.action(description="合并所选作者", permissions=["merge"])
    def merge_selected(self, request, queryset):
        return merge_action(
            self,
            request,
            queryset,
            action="merge_selected",
            noun="作者",
            service=curation.merge_authors,
            describe=lambda a: f"{a}（{a.essay_count} 篇）",
        )


# Themes -----------------------------------------------------------------------------------


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
class ThemeAdmin(admin.ModelAdmin):
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
        return _changelist_link(Essay, {ThemeListFilter.parameter_name: obj.pk}, obj.essay_count)

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


# Essays -----------------------------------------------------------------------------------


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


@admin.register(Essay)
class EssayAdmin(
    HistoryAdminMixin, StructureActionsMixin, ImportAdminMixin, DuplicatesAdminMixin, admin.ModelAdmin
):
    list_display = (
        "title",
        "collection",
        "position",
        "author",
        "theme_names",
        "status",
        "script",
        "is_fragment",
        "char_count",
        "published_at",
    )
    list_select_related = ("collection", "author")
    list_filter = (
        "collection",
        ThemeListFilter,
        "author",
        "status",
        "script",
        "is_fragment",
        "title_generated",
    )
    search_fields = ("title", "body", "author__name", "author__organization", "collection__title")
    autocomplete_fields = ("author", "collection")
    readonly_fields = ("char_count", "imported_fingerprint", "source_text", "source_document", "source_index")
    fieldsets = (
        (
            "基本信息",
            {"fields": ("collection", "position", "title", "title_generated", "subtitle", "author")},
        ),
        ("正文", {"fields": ("body", "char_count", "is_fragment")}),
        ("主题与发布", {"fields": ("themes", "status", "published_at")}),
        (
            "导入信息",
            {
                "fields": (
                    "script",
                    "source_document",
                    "source_index",
                    "warnings",
                    "imported_fingerprint",
                    "source_text",
                ),
                "classes": ("collapse",),
            },
        ),
    )
    actions = (
        "publish",
        "unpublish",
        "add_themes",
        "remove_themes",
        "merge_adjacent",
        "split_at_paragraph",
        "move_to_collection",
    )
    formfield_overrides = {TaggableManager: {"widget": ThemeNamesInput(attrs={"size": 60})}}
    changelist_defer = ("body", "source_text", "warnings")

    def get_search_results(self, request, queryset, search_term):
        # Chinese full-text search over title and body (干部 finds 幹部), drafts included.
        return essay_search_results(queryset, search_term)

    def get_changelist(self, request, **kwargs):
        return LightChangeList

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(Prefetch("themes", to_attr="theme_list"))

    @admin.display(description="主题")
    def theme_names(self, obj):
        return "、".join(t.name for t in obj.theme_list) or "—"

    def save_model(self, request, obj, form, change):
        _stamp_publication(obj)
        super().save_model(request, obj, form, change)

    @admin.action(description="发布所选文章", permissions=["change"])
    def publish(self, request, queryset):
        count = curation.publish_essays(queryset, user=request.user)
        self.message_user(request, f"已发布 {count} 篇文章。", messages.SUCCESS)

    @admin.action(description="撤回所选文章为草稿", permissions=["change"])
    def unpublish(self, request, queryset):
        count = curation.unpublish_essays(queryset, user=request.user)
        self.message_user(request, f"已将 {count} 篇文章撤回为草稿。", messages.SUCCESS)

    def has_add_themes_permission(self, request):
        # Typing a new name creates a theme.
        return self.has_change_permission(request) and request.user.has_perm("essays.add_theme")

    @admin.action(description="为所选文章添加主题", permissions=["add_themes"])
    def add_themes(self, request, queryset):
        return self._theme_action(
            request,
            queryset,
            "add_themes",
            curation.add_themes,
            "添加主题",
            "已为 {count} 篇文章添加主题：{names}。",
        )

    @admin.action(description="从所选文章移除主题", permissions=["change"])
    def remove_themes(self, request, queryset):
        return self._theme_action(
            request,
            queryset,
            "remove_themes",
            curation.remove_themes,
            "移除主题",
            "已从 {count} 篇文章移除主题：{names}。",
        )

    def _theme_action(self, request, queryset, action, service, title, done):
        """Ask for theme names, then apply `service`; `done` is the message, with {count} and {names}."""
        form = ThemeNamesForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            names = form.cleaned_data["theme_names"]
            count = service(queryset, names, user=request.user)
            self.message_user(request, done.format(count=count, names="、".join(names)), messages.SUCCESS)
            return None
        return render_action_form(
            self,
            request,
            queryset,
            action=action,
            title=title,
            form=form,
            submit=title,
            note=f"共选择了 {queryset.count()} 篇文章：",
            preview_size=20,
        )
