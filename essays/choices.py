"""The choices of the models' fields (essays.models), importable without them."""

from django.db import models


class Script(models.TextChoices):
    SIMPLIFIED = "simplified", "简体"
    TRADITIONAL = "traditional", "繁体"
    MIXED = "mixed", "简繁混合"
    UNKNOWN = "unknown", "未知"


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"
