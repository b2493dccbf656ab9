"""Admin actions that change how a collection is cut into essays: merge adjacent essays,
split one at a paragraph, move essays to another collection (services.structure)."""

from django import forms
from django.contrib import admin, messages
from django.db import transaction

from ..models import Collection
from ..services.structure import (
    StructureError,
    merge_essays,
    move_essays,
    split_essay,
    withdraw_from_sources,
)
from .actions import render_action_form


class SplitForm(forms.Form):
    paragraph = forms.TypedChoiceField(
        label="从哪一段起成为新的一篇", coerce=int, widget=forms.RadioSelect, choices=()
    )
    title = forms.CharField(
        label="新一篇的标题", required=False, max_length=300, help_text="留空则取新一篇的第一句。"
    )

    def __init__(self, *args, paragraphs, **kwargs):
        super().__init__(*args, **kwargs)
        # Every paragraph but the first can start the new essay; the label shows its opening.
        self.fields["paragraph"].choices = [
            (i, f"第 {i + 1} 段：{text[:60]}{'……' if len(text) > 60 else ''}")
            for i, text in enumerate(paragraphs)
            if i
        ]


class MoveForm(forms.Form):
    collection = forms.ModelChoiceField(label="移到哪个文集", queryset=Collection.objects.order_by("title"))


class StructureActionsMixin:
    """Mixed into EssayAdmin. Each action is allowed to editors who may change essays."""

    # An essay deleted here is withdrawn from its source: a re-parse does not recreate it.
    def delete_model(self, request, obj):
        with transaction.atomic():
            withdraw_from_sources([obj])
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            withdraw_from_sources(queryset)
            super().delete_queryset(request, queryset)

    @admin.action(description="合并所选的相邻文章", permissions=["change"])
    def merge_adjacent(self, request, queryset):
        try:
            merged = merge_essays(queryset, user=request.user)
        except StructureError as exc:
            self.message_user(request, str(exc), messages.WARNING)
            return None
        self.message_user(request, f"已合并为「{merged.title}」。", messages.SUCCESS)
        return None

    @admin.action(description="在某一段前拆分所选文章", permissions=["change"])
    def split_at_paragraph(self, request, queryset):

        if queryset.count() != 1:
            self.message_user(request, "拆分时请只选择一篇文章。", messages.WARNING)
            return None
        essay = queryset.get()
        paragraphs = essay.body.split("\n")
        if len(paragraphs) < 2:
            self.message_user(request, f"「{essay.title}」只有一段，无法拆分。", messages.WARNING)
            return None
        form = SplitForm(request.POST if "apply" in request.POST else None, paragraphs=paragraphs)
        if form.is_valid():
            try:
                second = split_essay(
                    essay, form.cleaned_data["paragraph"], title=form.cleaned_data["title"], user=request.user
                )
            except StructureError as exc:
                self.message_user(request, str(exc), messages.WARNING)
                return None
            self.message_user(request, f"已拆分：后半为新的一篇「{second.title}」。", messages.SUCCESS)
            return None
        return render_action_form(
            self,
            request,
            queryset,
            action="split_at_paragraph",
            title=f"拆分「{essay.title}」",
            form=form,
            submit="确认拆分",
            note="所选段落及其后的各段成为紧随其后的新的一篇，作者、来源、主题和状态相同。",
        )

    @admin.action(description="将所选文章移到另一文集", permissions=["change"])
    def move_to_collection(self, request, queryset):

        form = MoveForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            target = form.cleaned_data["collection"]
            moved = move_essays(queryset, target, user=request.user)
            self.message_user(request, f"已将 {moved} 篇文章移到「{target.title}」末尾。", messages.SUCCESS)
            return None
        return render_action_form(
            self,
            request,
            queryset,
            action="move_to_collection",
            title="移到另一文集",
            form=form,
            submit="确认移动",
            note=f"所选的 {queryset.count()} 篇文章将按原有顺序排在目标文集末尾；来源记录不变。",
            preview_size=20,
        )
