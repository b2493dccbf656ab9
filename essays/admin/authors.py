"""Authors (person + unit), one per name and unit whatever the script; merging."""

from django import forms
from django.contrib import admin
from django.db.models import Count

from ..ingest.script import script_key
from ..models import Author, Essay
from ..services import curation
from .actions import changelist_link, merge_action
from .forms import VersionedForm
from .history import HistoryAdminMixin


class AuthorForm(VersionedForm):
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
        return changelist_link(Essay, {"author__id__exact": obj.pk}, obj.essay_count)

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
