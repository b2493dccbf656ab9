"""What the admin's forms take from a browser, made to read as what is stored.

A browser submits every textarea with "\\r\\n" line ends (the HTML standard says so), and
the admin's time input shows hours and minutes only. Taken as they come, a save that changed
nothing would rewrite every text and drop the seconds of every date: a version that lists
fields as changed with identical sides, and exports with "\\r\\r\\n". These fields and widgets
keep an unedited value exactly as it was stored.
"""

from __future__ import annotations

from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.db import models

# simple-history's history_change_reason is a CharField of this length.
REASON_MAX_LENGTH = 100


def unify_line_ends(text: str) -> str:
    """Text with every line end as "\\n", the form the pipeline and the stored texts use."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


class PlainTextField(forms.CharField):
    """A CharField whose value has "\\n" line ends, also when comparing with the stored value
    (Field.has_changed goes through to_python), so an untouched textarea is no change."""

    def to_python(self, value):
        value = super().to_python(value)
        return unify_line_ends(value) if isinstance(value, str) else value


class SecondsSplitDateTime(AdminSplitDateTime):
    """The admin's date and time inputs with the time to the second: "%H:%M" (zh-hans's first
    time format) would store 10:15:42 back as 10:15:00."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.widgets[1].format = "%H:%M:%S"


class StoredInputMixin:
    """For ModelAdmins and inlines: text fields with "\\n" line ends, times to the second."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # Exactly these classes: subclasses (URLField, SlugField) bring form fields of their own.
        if type(db_field) in (models.CharField, models.TextField) and not db_field.choices:
            kwargs.setdefault("form_class", PlainTextField)
        elif isinstance(db_field, models.DateTimeField) and db_field.editable:
            kwargs.setdefault("widget", SecondsSplitDateTime)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class VersionedForm(forms.ModelForm):
    """A change form of an object with versions: a reason for the change, and what was not
    edited kept exactly (a date's microseconds are not in any input)."""

    change_reason = forms.CharField(
        label="修改说明",
        required=False,
        max_length=REASON_MAX_LENGTH,
        help_text="可选：为什么这样修改。显示在“历史”的版本列表中。",
        widget=forms.TextInput(attrs={"size": 60}),
    )

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None:
            for name, field in self.fields.items():
                temporal = isinstance(field, forms.SplitDateTimeField | forms.DateTimeField)
                if temporal and name in cleaned and name not in self.changed_data:
                    cleaned[name] = getattr(self.instance, name)
        cleaned["change_reason"] = " ".join((cleaned.get("change_reason") or "").split())
        return cleaned
