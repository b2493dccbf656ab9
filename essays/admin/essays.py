"""Essays: the changelist editors work in, the change form, and the curation actions."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from taggit.managers import TaggableManager

from ..labels import say
from ..models import Essay
from ..search.admin import essay_search_results
from ..services import curation
from .actions import ThemeNamesForm, render_action_form, stamp_publication
from .duplicates import DuplicatesAdminMixin
from .history import HistoryAdminMixin
from .imports import ImportAdminMixin
from .lists import LightChangeList
from .structure import StructureActionsMixin
from .themes import ThemeListFilter, ThemeNamesInput


@admin.register(Essay)
class EssayAdmin(
    HistoryAdminMixin, StructureActionsMixin, ImportAdminMixin, DuplicatesAdminMixin, admin.ModelAdmin
):
    # What an editor scans a list for, readable at 1280 px beside the filters: the title gets
    # the room (admin/essays/changelist.css), collection and author are cut short with the
    # whole name on hover. Position, script and themes are filters or on the change page.
    list_display = (
        "title_column",
        "author_column",
        "collection_column",
        "status",
        "published_on",
        "char_count",
    )
    list_display_links = ("title_column",)
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
    readonly_fields = (
        "char_count",
        "imported_fingerprint",
        "source_text",
        "source_document",
        "source_index",
        "import_warnings",
    )
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
                    "import_warnings",
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
    # The import button and a link to the near-duplicates list above the list.
    change_list_template = "admin/essays/essay/change_list_links.html"

    def get_search_results(self, request, queryset, search_term):
        # Chinese full-text search over title and body (干部 finds 幹部), drafts included.
        return essay_search_results(queryset, search_term)

    def get_changelist(self, request, **kwargs):
        return LightChangeList

    class Media:
        css = {"all": ("essays/admin_changelist.css",)}

    @admin.display(description="标题", ordering="title")
    def title_column(self, obj):
        fragment = format_html('<span class="essay-row__mark">{}</span>', "残篇") if obj.is_fragment else ""
        return format_html('<span class="essay-row__title">{}{}</span>', obj.title, fragment)

    @admin.display(description="作者", ordering="author__name")
    def author_column(self, obj):
        if obj.author is None:
            return "—"
        full = (
            f"{obj.author.name}（{obj.author.organization}）" if obj.author.organization else obj.author.name
        )
        return format_html('<span class="essay-row__cut" title="{}">{}</span>', full, full)

    @admin.display(description="文集", ordering="collection__title")
    def collection_column(self, obj):
        name = str(obj.collection)
        return format_html('<span class="essay-row__cut" title="{}">{}</span>', name, name)

    @admin.display(description="导入提示")
    def import_warnings(self, obj):
        # What the import noticed, in the pipeline's words: shown as editors read them.
        if not obj.warnings:
            return "—"
        return format_html_join("\n", "<p>{}</p>", ((say(w),) for w in obj.warnings))

    @admin.display(description="发布日期", ordering="published_at")
    def published_on(self, obj):
        return timezone.localtime(obj.published_at).date().isoformat() if obj.published_at else "—"

    def save_model(self, request, obj, form, change):
        stamp_publication(obj)
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
