"""The line roles an import ended with, kept with its source for training the line-role model.

Written when an editor confirms a document in the admin import preview
(essays.services.preview_store): every line's final role and the editor's own corrections
among them. `manage.py export_training` writes the corrected ones in the corpus format
(essays/ingest/corpus/README.md), so the next training learns from every correction.

Imported by essays.models at its end, so the models it names already exist.
"""

from django.conf import settings
from django.db import models

from .models import SourceDocument


class SourceLineRoles(models.Model):
    document = models.OneToOneField(
        SourceDocument, on_delete=models.CASCADE, related_name="line_roles", verbose_name="来源文件"
    )
    roles = models.JSONField(
        "各行角色", default=list, help_text="[[起始行, 结束行, 角色], …]，行号从 0 起，按原文顺序。"
    )
    corrections = models.JSONField("编辑改定的角色", default=dict, blank=True, help_text="{行号: 角色}")
    authors = models.JSONField(
        "各篇作者与单位", default=list, blank=True, help_text="[[作者, 单位], …]，按各行角色分出的文章顺序。"
    )
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="改定人",
    )
    corrected_at = models.DateTimeField("改定时间", db_index=True)

    class Meta:
        verbose_name = "来源文件的行角色"
        verbose_name_plural = "来源文件的行角色"

    def __str__(self):
        return f"{self.document_id}: {len(self.corrections)} 处改定"
