"""Collections of essays, their sources, authors and themes.

Reads that views and the admin share are named QuerySet methods (essays.querysets, re-exported
here); writes go through essays.services.
"""

import re
from functools import lru_cache

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.text import slugify
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager, _TaggableManager
from taggit.models import TagBase, TaggedItemBase

from .choices import Script, Status
from .history import ThemeSnapshot, history_user
from .ingest.script import script_key
from .querysets import (
    DENSE_THEME,
    AuthorQuerySet,
    CollectionQuerySet,
    DuplicatePairQuerySet,
    EssayQuerySet,
    PendingImportQuerySet,
    SimilarityKeyQuerySet,
    ThemeQuerySet,
    insert_plain_rows,
    kept_published_count,
    published_essay_count,
)
from .sortkeys import pinyin_key

__all__ = [  # the names other modules import from here, the moved ones included
    "DENSE_THEME",
    "Author",
    "AuthorQuerySet",
    "Collection",
    "CollectionQuerySet",
    "DuplicatePair",
    "DuplicatePairQuerySet",
    "Essay",
    "EssayQuerySet",
    "EssaySignature",
    "PendingImport",
    "PendingImportQuerySet",
    "Script",
    "SimilarityKey",
    "SimilarityKeyQuerySet",
    "SourceDocument",
    "SourceVersion",
    "Status",
    "Theme",
    "ThemeQuerySet",
    "ThemedEssay",
    "count_characters",
    "insert_plain_rows",
    "kept_published_count",
    "published_essay_count",
    "reading_url",
]


@lru_cache(maxsize=65536)
def _reading_url(name: str, key: str, value, prefix: str, urlconf) -> str:
    return reverse(name, kwargs={key: value}, urlconf=urlconf)


def reading_url(name: str, key: str, value) -> str:
    """reverse() of a reading page's URL, remembered: a list page asks for some 200 of them
    (each essay's, its author's, collection's and themes'), a tenth of a page's rendering."""
    return _reading_url(name, key, value, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


# Themes ---------------------------------------------------------------------------------


class Theme(TagBase):
    """A theme (tag). The same words in either script are one theme."""

    key = models.CharField(
        "匹配键",
        max_length=100,
        unique=True,
        editable=False,
        help_text="简体化、NFKC 规范化后的名称，用于把简繁写法视为同一主题。",
    )
    description = models.TextField("说明", blank=True)

    objects = ThemeQuerySet.as_manager()

    class Meta:
        verbose_name = "主题"
        verbose_name_plural = "主题"
        ordering = ["name"]

    def save(self, *args, **kwargs):
        self.key = script_key(self.name)
        super().save(*args, **kwargs)

    def slugify(self, tag, i=None):
        slug = slugify(tag, allow_unicode=True) or "theme"
        return f"{slug}_{i}" if i is not None else slug

    def get_absolute_url(self):
        return reading_url("essays:theme_detail", "slug", self.slug)


class ThemedEssay(TaggedItemBase):
    content_object = models.ForeignKey("Essay", on_delete=models.CASCADE, related_name="themed_items")
    tag = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="themed_essays")

    class Meta:
        verbose_name = "主题标注"
        verbose_name_plural = "主题标注"
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="unique_theme_per_essay"),
        ]
        # A theme's essays newest first, walked from the index alone: its page, its kept
        # count's recount and related essays' candidates.
        indexes = [models.Index(fields=["tag", "-content_object"], name="theme_essays_newest")]


class _ThemeManager(_TaggableManager):
    def _to_tag_model_instances(self, tags, tag_kwargs):
        # Resolve names through the script-blind key so 黨建 and 党建 never become two themes.
        names = [t for t in tags if isinstance(t, str)]
        by_key = {t.key: t for t in Theme.objects.for_names(names)}
        resolved = [by_key.get(script_key(t), t) if isinstance(t, str) else t for t in tags]
        return super()._to_tag_model_instances(resolved, tag_kwargs)


# Collections and sources ----------------------------------------------------------------


class Collection(models.Model):
    title = models.CharField("标题", max_length=300, blank=True)
    description = models.TextField("简介", blank=True, help_text="来源中的导语或编者按。")
    source = models.CharField("来源", max_length=500, blank=True, help_text="网址或文件名。")
    site = models.CharField("网站", max_length=200, blank=True)
    date_year = models.PositiveSmallIntegerField("年", null=True, blank=True)
    date_month = models.PositiveSmallIntegerField("月", null=True, blank=True)
    date_day = models.PositiveSmallIntegerField("日", null=True, blank=True)
    declared_essay_count = models.PositiveIntegerField(
        "声明篇数", null=True, blank=True, help_text="来源自称的篇数，如“汇编7篇”为 7。"
    )
    script = models.CharField("原文字体", max_length=12, choices=Script.choices, default=Script.UNKNOWN)
    key = models.CharField(
        "识别键",
        max_length=400,
        unique=True,
        help_text="同一文集的各页据此归并（规范化标题 + 网站）。",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = CollectionQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="文集历史", get_user=history_user)

    class Meta:
        verbose_name = "文集"
        verbose_name_plural = "文集"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title or f"未命名文集 #{self.pk}"

    def get_absolute_url(self):
        return reading_url("essays:collection_detail", "pk", self.pk)

    @property
    def date_display(self):
        parts = []
        if self.date_year:
            parts.append(f"{self.date_year}年")
        if self.date_month:
            parts.append(f"{self.date_month}月")
        if self.date_day:
            parts.append(f"{self.date_day}日")
        return "".join(parts)


class SourceDocument(models.Model):
    """One imported file, stored exactly, so any import can be audited and re-run."""

    collection = models.ForeignKey(
        Collection, on_delete=models.CASCADE, related_name="documents", verbose_name="文集"
    )
    name = models.CharField("文件名", max_length=500)
    source_url = models.CharField("来源网址", max_length=1000, blank=True)
    raw = models.BinaryField("原始字节")
    text = models.TextField("解码文本", help_text="解码后、清理前的原文。")
    sha256 = models.CharField("SHA-256", max_length=64, unique=True)
    encoding = models.CharField("编码", max_length=40)
    format = models.CharField("格式", max_length=10)
    page_number = models.PositiveSmallIntegerField("页码", null=True, blank=True)
    page_total = models.PositiveSmallIntegerField("总页数", null=True, blank=True)
    report = models.JSONField("导入报告", default=dict, blank=True)
    withdrawn_indexes = models.JSONField(
        "编辑撤下的篇目",
        default=list,
        blank=True,
        help_text="解析结果中被编辑删去或并入他篇的篇目序号；重新解析时不再生成。",
    )
    pipeline_version = models.CharField("解析器版本", max_length=20)
    imported_at = models.DateTimeField("导入时间", auto_now_add=True)
    reparsed_at = models.DateTimeField("重新解析时间", null=True, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="导入人",
    )

    class Meta:
        verbose_name = "来源文件"
        verbose_name_plural = "来源文件"
        ordering = ["collection", "page_number", "id"]

    def __str__(self):
        if self.page_number:
            return f"{self.name}（第{self.page_number}/{self.page_total or '?'}页）"
        return self.name

    @property
    def warnings(self):
        return (self.report or {}).get("warnings", [])


class SourceVersion(models.Model):
    """The bytes a source held before a corrected copy updated it or an editor replaced it:
    one source never overwrites another without the earlier one being kept."""

    class Reason(models.TextChoices):
        CORRECTED = "corrected", "更正版更新"
        REPLACED = "replaced", "另一文件替换"

    document = models.ForeignKey(
        SourceDocument, on_delete=models.CASCADE, related_name="versions", verbose_name="来源文件"
    )
    name = models.CharField("文件名", max_length=500)
    raw = models.BinaryField("原始字节")
    text = models.TextField("解码文本")
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    encoding = models.CharField("编码", max_length=40)
    format = models.CharField("格式", max_length=10)
    imported_at = models.DateTimeField("原导入时间")
    reason = models.CharField("原因", max_length=20, choices=Reason.choices)
    superseded_at = models.DateTimeField("被取代时间", auto_now_add=True)
    superseded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="操作人",
    )

    class Meta:
        verbose_name = "来源文件旧版"
        verbose_name_plural = "来源文件旧版"
        ordering = ["document", "-superseded_at", "-id"]

    def __str__(self):
        return f"{self.name}（{self.superseded_at:%Y-%m-%d %H:%M}前）"


# Authors --------------------------------------------------------------------------------


class Author(models.Model):
    name = models.CharField("姓名", max_length=100)
    organization = models.CharField("单位", max_length=200, blank=True)
    name_key = models.CharField("姓名键", max_length=100, editable=False)
    organization_key = models.CharField("单位键", max_length=200, editable=False, blank=True)

    objects = AuthorQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="作者历史", get_user=history_user)

    class Meta:
        verbose_name = "作者"
        verbose_name_plural = "作者"
        ordering = ["name", "organization"]
        constraints = [
            models.UniqueConstraint(fields=["name_key", "organization_key"], name="unique_author_identity"),
        ]

    def __str__(self):
        return f"{self.name}（{self.organization}）" if self.organization else self.name

    def save(self, *args, **kwargs):
        self.name_key = script_key(self.name)
        self.organization_key = script_key(self.organization)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reading_url("essays:author_detail", "pk", self.pk)


# Essays ---------------------------------------------------------------------------------


class Essay(models.Model):
    collection = models.ForeignKey(
        Collection, on_delete=models.CASCADE, related_name="essays", verbose_name="文集"
    )
    source_document = models.ForeignKey(
        SourceDocument,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="essays",
        verbose_name="来源文件",
    )
    source_index = models.PositiveIntegerField(
        "来源内序号", null=True, blank=True, help_text="在来源文件中的第几篇（从 0 起），重新导入时据此对应。"
    )
    position = models.PositiveIntegerField("顺序", default=0, help_text="在文集中的位置（从 1 起）。")
    title = models.CharField("标题", max_length=300)
    title_generated = models.BooleanField("标题为自动生成", default=False)
    subtitle = models.CharField("副标题", max_length=300, blank=True)
    author = models.ForeignKey(
        Author,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="essays",
        verbose_name="作者",
    )
    body = models.TextField("正文", help_text="清理后的正文，段落之间以换行分隔。")
    source_text = models.TextField("原文片段", blank=True, help_text="导入时该篇在来源中的原样文本，供核对。")
    script = models.CharField("原文字体", max_length=12, choices=Script.choices, default=Script.UNKNOWN)
    is_fragment = models.BooleanField("残篇", default=False, help_text="接续前页的片段，或在来源中被截断。")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    char_count = models.PositiveIntegerField("字数", default=0, editable=False)
    # Kept beside the essay for the reading pages' orders (essays.paging): the year of its
    # collection (year pages, counted in essays.counts) and its title's pinyin.
    year = models.PositiveSmallIntegerField("年份", null=True, blank=True, editable=False)
    title_key = models.CharField("标题拼音", max_length=190, blank=True, editable=False)
    warnings = models.JSONField("导入提示", default=list, blank=True)
    imported_fingerprint = models.CharField(
        "导入指纹",
        max_length=64,
        blank=True,
        editable=False,
        help_text="导入时内容的指纹；与当前内容不同即说明编辑改过，重新导入时不覆盖。",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    themes = TaggableManager(
        "主题",
        through=ThemedEssay,
        manager=_ThemeManager,
        blank=True,
        help_text="以逗号、顿号或分号分隔。",
    )

    objects = EssayQuerySet.as_manager()
    # Versions carry the theme names (essays.history); the source excerpt never changes.
    history = HistoricalRecords(
        verbose_name="文章历史",
        get_user=history_user,
        bases=[ThemeSnapshot],
        excluded_fields=["source_text", "year", "title_key"],
    )

    class Meta:
        verbose_name = "文章"
        verbose_name_plural = "文章"
        ordering = ["collection_id", "position", "id"]
        indexes = [
            models.Index(fields=["collection", "position"], name="essay_collection_order"),
            # Covers the published-essay counts per collection (Collection.visible()) without
            # reading essay rows, which in SQLite hold the body before the status.
            models.Index(fields=["collection", "status"], name="essay_collection_status"),
            # The reading pages' orders, complete essays before fragments (essays.paging):
            # home, the all-essays page's three orders, a big theme's page walking the
            # newest, the year pages. Each page is read off its index, never sorted.
            models.Index(fields=["status", "is_fragment", "-published_at", "-id"], name="essay_list_newest"),
            models.Index(fields=["status", "is_fragment", "title_key", "id"], name="essay_list_title"),
            models.Index(fields=["status", "is_fragment", "-char_count", "-id"], name="essay_list_length"),
            models.Index(
                fields=["year", "status", "is_fragment", "-published_at", "-id"], name="essay_year_newest"
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.refresh_char_count()
        fields = kwargs.get("update_fields") or ()
        extra = {"char_count"} if "body" in fields else set()
        self.title_key = pinyin_key(self.title)
        if "title" in fields:
            extra.add("title_key")
        if kwargs.get("update_fields") is None or {"collection", "collection_id"} & set(fields):
            self.year = self._collection_year()
            extra.add("year")
        if self.status == Status.PUBLISHED and self.published_at is None:
            # Lists of published essays are ordered by this date (essays.paging).
            self.published_at = timezone.now()
            extra.add("published_at")
        if kwargs.get("update_fields") is not None and extra:
            kwargs["update_fields"] = {*kwargs["update_fields"], *extra}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reading_url("essays:essay_detail", "pk", self.pk)

    def _collection_year(self):
        collection = self._state.fields_cache.get("collection")
        if collection is not None and collection.pk == self.collection_id:
            return collection.date_year
        return Collection.objects.filter(pk=self.collection_id).values_list("date_year", flat=True).first()

    @property
    def date_display(self):
        """The date its collection gives (年月日 as far as known), or ""."""
        return self.collection.date_display

    def refresh_char_count(self):
        self.char_count = count_characters(self.body)

    @property
    def paragraphs(self):
        return [p for p in self.body.split("\n") if p.strip()]

    @property
    def reading_minutes(self):
        return max(1, round(self.char_count / settings.ANTHOLOGY_READING_SPEED))


WHITESPACE = re.compile(r"\s")  # str.isspace() characters


def count_characters(text: str) -> int:
    """Characters a reader reads: everything but whitespace."""
    text = text or ""
    return len(text) - len(WHITESPACE.findall(text))


# Near-duplicates (essays.dedup; written by essays.services.duplicates) ---------------------


class EssaySignature(models.Model):
    """What near-duplicate detection keeps of an essay: a MinHash signature of its body.

    Its lookup keys (LSH band keys and passage fingerprints) are rows of SimilarityKey, so
    finding the essays that resemble a new one is one indexed query on either database.
    """

    essay = models.OneToOneField(
        Essay, on_delete=models.CASCADE, primary_key=True, related_name="duplicate_signature"
    )
    version = models.CharField("算法版本", max_length=100)
    digest = models.CharField("正文摘要", max_length=40, help_text="计算时正文的 SHA-1。")
    shingles = models.PositiveIntegerField("片段数", default=0)
    minhash = models.BinaryField("MinHash 签名")
    computed_at = models.DateTimeField("计算时间")

    class Meta:
        verbose_name = "查重签名"
        verbose_name_plural = "查重签名"

    def __str__(self):
        return f"{self.essay_id}: {self.version}"


class SimilarityKey(models.Model):
    """One lookup key of an essay: essays sharing a key are compared exactly."""

    essay = models.ForeignKey(Essay, on_delete=models.CASCADE, related_name="+")
    key = models.BigIntegerField()

    objects = SimilarityKeyQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["key"], name="similarity_key")]

    def __str__(self):
        return f"{self.essay_id}: {self.key}"


class DuplicatePair(models.Model):
    """Two essays whose texts mostly overlap, or that share a long passage.

    essay_a has the smaller id. `passages` holds offsets into both bodies as they were when
    the pair was found: [{"a_start", "a_end", "b_start", "b_end", "length"}, ...].
    """

    essay_a = models.ForeignKey(Essay, on_delete=models.CASCADE, related_name="+", verbose_name="文章甲")
    essay_b = models.ForeignKey(Essay, on_delete=models.CASCADE, related_name="+", verbose_name="文章乙")
    similarity = models.FloatField("相似度", help_text="5 字片段的 Jaccard 相似度（简繁、标点不计）。")
    near_duplicate = models.BooleanField("近似重复", help_text="相似度不低于 0.8。")
    passages = models.JSONField("共同段落", default=list, blank=True)
    passage_count = models.PositiveIntegerField("共同段落数", default=0)
    longest_passage = models.PositiveIntegerField("最长共同段落", default=0)
    detected_at = models.DateTimeField("发现时间")

    objects = DuplicatePairQuerySet.as_manager()

    class Meta:
        verbose_name = "近似文章"
        verbose_name_plural = "近似文章"
        ordering = ["-similarity", "-longest_passage", "essay_a_id", "essay_b_id"]
        constraints = [
            models.UniqueConstraint(fields=["essay_a", "essay_b"], name="unique_duplicate_pair"),
            models.CheckConstraint(
                condition=Q(essay_a__lt=models.F("essay_b")), name="duplicate_pair_ordered"
            ),
        ]
        indexes = [models.Index(fields=["essay_b"], name="duplicate_pair_b")]

    def __str__(self):
        return f"{self.essay_a_id} ~ {self.essay_b_id} ({self.similarity:.2f})"

    def other(self, essay):
        return self.essay_b if getattr(essay, "pk", essay) == self.essay_a_id else self.essay_a


# Import preview (essays.admin_import; written by essays.services.preview) -----------------


class PendingImport(models.Model):
    """An uploaded document waiting in the import preview: the exact bytes, the parse made
    once after the upload (JSON) and the editor's corrections so far, so any server process
    can show or confirm it (essays.services.preview)."""

    class Stage(models.TextChoices):
        PARSING = "parsing", "待解析"
        READY = "ready", "待确认"
        STORING = "storing", "待导入"
        DONE = "done", "已完成"

    batch = models.UUIDField("批次", db_index=True, help_text="同一次上传的文件共用一个批次。")
    position = models.PositiveSmallIntegerField("顺序", default=0)
    name = models.CharField("文件名", max_length=500)
    data = models.BinaryField("原始字节")
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    stage = models.CharField("进度", max_length=10, choices=Stage.choices, default=Stage.PARSING)
    parse = models.TextField(
        "解析结果", blank=True, help_text="ParsedDocument.as_stored_json() 的 JSON；解析一次，之后只读。"
    )
    error = models.TextField("无法导入的原因", blank=True)
    outcome = models.JSONField(
        "导入结果", default=dict, blank=True, help_text="最近一次确认导入的结果：status、message 等。"
    )
    claimed_at = models.DateTimeField(
        "后台开始处理的时间", null=True, blank=True, help_text="超过几分钟仍未完成的，视为中断，重新处理。"
    )
    edits = models.JSONField(
        "修改",
        default=dict,
        blank=True,
        help_text='{"ops": [...], "status": "draft", "conflict": "replace"}，见 essays.ingest.edits。',
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="上传人"
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True, db_index=True)

    objects = PendingImportQuerySet.as_manager()

    class Meta:
        verbose_name = "待确认的导入"
        verbose_name_plural = "待确认的导入"
        ordering = ["created_at", "position", "id"]

    def __str__(self):
        return self.name

    @property
    def ops(self) -> list:
        return list((self.edits or {}).get("ops", []))

    @property
    def status(self) -> str:
        return (self.edits or {}).get("status", Status.DRAFT)

    @property
    def conflict_choice(self) -> str:
        """What the editor chose for a file that conflicts with a stored page: "keep",
        "replace", "separate", or "" (not chosen)."""
        return (self.edits or {}).get("conflict", "")


# Kept counts: their tables name the models above, so they are defined after them.
from .counts import AuthorCount, CollectionCount, ThemeCount, YearCount  # noqa: E402, F401
from .pagecache import PageGeneration  # noqa: E402, F401
from .related import RelatedEssay  # noqa: E402, F401
from .source_roles import SourceLineRoles  # noqa: E402, F401
