"""What several admin pages share: intermediate pages for actions (theme names, merge
targets), links to a filtered changelist, and the publication stamp."""

from django import forms
from django.contrib import messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode

from ..models import Status
from ..themes import parse_theme_string

ACTION_TEMPLATE = "admin/essays/action_form.html"


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


def stamp_publication(essay):
    if essay.status == Status.PUBLISHED and essay.published_at is None:
        essay.published_at = timezone.now()


def changelist_link(model, params, text):
    url = reverse(f"admin:essays_{model._meta.model_name}_changelist")
    return format_html('<a href="{}?{}">{}</a>', url, urlencode(params), text)
