"""Collections of essays, their sources, authors and themes.

Reads that views and the admin share are named QuerySet methods here; writes go through
essays.services.
"""

import re
from functools import lru_cache

from django.conf import settings
from django.db import connection, models
from django.db.models import Count, F, Prefetch, Q
from django.db.models.functions import Coalesce
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.text import slugify
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager, _TaggableManager
from taggit.models import TagBase, TaggedItemBase

from .history import ThemeSnapshot, history_user
from .ingest.script import script_key
from .sortkeys import pinyin_key


class Script(models.TextChoices):
    SIMPLIFIED = "simplified", "简体"
    TRADITIONAL = "traditional", "繁体"
    MIXED = "mixed", "简繁混合"
    UNKNOWN = "unknown", "未知"


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"


@lru_cache(maxsize=65536)
def _reading_url(name: str, key: str, value, prefix: str, urlconf) -> str:
    return reverse(name, kwargs={key: value}, urlconf=urlconf)


def reading_url(name: str, key: str, value) -> str:
    """reverse() of a reading page's URL, remembered: a list page asks for some 200 of them
    (each essay's, its author's, collection's and themes'), a tenth of a page's rendering."""
    return _reading_url(name, key, value, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


def published_essay_count(essays: str, *, via: str | None = None) -> Count:
    """Count the published essays reachable through `essays` (the recount essays.counts checks against)."""
    return Count(via or essays, filter=Q(**{f"{essays}__status": Status.PUBLISHED}), distinct=True)


def kept_published_count():
    """The published-essay count kept beside a theme, collection or author (essays.counts)."""
    return Coalesce(F("kept_count__published"), 0)


# Themes ---------------------------------------------------------------------------------


class ThemeQuerySet(models.QuerySet):
    def with_published_counts(self):
        return self.annotate(essay_count=kept_published_count())

    def in_use(self):
        return self.filter(kept_count__published__gt=0).with_published_counts()

    def for_names(self, names):
        """The themes for these names, created where missing, matched script-blind.

        黨的建設 finds an existing 党的建设; a new theme keeps the name as first written.
        """
        wanted = {}
        for name in names:
            name = " ".join(name.split())
            if name:
                wanted.setdefault(script_key(name), name)
        found = {t.key: t for t in self.filter(key__in=wanted)}
        result = []
        for key, name in wanted.items():
            theme = found.get(key)
            if theme is None:
                theme, _ = self.get_or_create(key=key, defaults={"name": name})
            result.append(theme)
        return result


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


class CollectionQuerySet(models.QuerySet):
    def with_published_counts(self):
        return self.annotate(essay_count=kept_published_count())

    def visible(self):
        """Collections with at least one published essay."""
        return self.filter(kept_count__published__gt=0).with_published_counts()

    def published_total(self) -> int:
        """How many essays are published: every essay is in one collection."""

        return CollectionCount.objects.aggregate(n=Coalesce(models.Sum("published"), 0))["n"]


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


class AuthorQuerySet(models.QuerySet):
    def with_published_counts(self):
        return self.annotate(essay_count=kept_published_count())

    def visible(self):
        """Authors with at least one published essay."""
        return self.filter(kept_count__published__gt=0).with_published_counts()

    def for_byline(self, name, organization=""):
        """The author for this byline, created where missing; 張靜 and 张静 are one person."""
        name = " ".join((name or "").split())
        organization = " ".join((organization or "").split())
        author, _ = self.get_or_create(
            name_key=script_key(name),
            organization_key=script_key(organization),
            defaults={"name": name, "organization": organization},
        )
        return author

    def for_bylines(self, bylines):
        """for_byline for many (name, organization) pairs in a few queries: {pair: author}.

        `bylines` maps each pair to the reason recorded if its author is made here: new
        authors are bulk-created, their first version with them (the user is the acting
        one). Call inside a transaction: should a concurrent import create the same author
        meanwhile, this raises IntegrityError and the caller retries document by document.
        """
        wanted = {}
        for pair in bylines:
            name, organization = (" ".join((part or "").split()) for part in pair)
            wanted[pair] = (name, organization, script_key(name), script_key(organization))
        found = {}
        names = sorted({nk for _, _, nk, _ in wanted.values()})
        for start in range(0, len(names), 500):
            for author in self.filter(name_key__in=names[start : start + 500]):
                found[author.name_key, author.organization_key] = author
        missing = {}
        for pair, (name, organization, nk, ok) in wanted.items():
            if (nk, ok) not in found and (nk, ok) not in missing:
                missing[nk, ok] = author = self.model(
                    name=name, organization=organization, name_key=nk, organization_key=ok
                )
                author._change_reason = (bylines[pair] or "")[:100]  # read by simple-history
        if missing:
            created = self.bulk_create(missing.values())
            self.model.history.bulk_history_create(created)
            found.update(missing)
        return {pair: found[nk, ok] for pair, (_, _, nk, ok) in wanted.items()}


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


DENSE_THEME = 0.02


class EssayQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def complete(self):
        """Not fragments (is_fragment): what a page may put forward."""
        return self.filter(is_fragment=False)

    def newest_first(self):
        from .paging import newest_first

        return newest_first(self)

    def in_theme(self, theme):
        return self.filter(themed_items__tag=theme)

    def in_theme_newest_first(self, theme, *, share: float):
        """A theme's essays for a page newest first. A theme held by `share` (0–1) of the
        published essays: past DENSE_THEME its essays are found by walking the newest-first
        index and checking each against the theme (a page reads some 20 / share entries);
        a rarer theme's few essays are read by theme and sorted."""
        if share < DENSE_THEME:
            return self.in_theme(theme)
        tagged = ThemedEssay.objects.filter(tag=theme, content_object=models.OuterRef("pk"))
        return self.filter(models.Exists(tagged))

    def for_listing(self):
        """Everything a list of essays shows, in a fixed number of queries.

        Themes go to `theme_list`: taggit's `.tags.all` would build a fresh queryset per
        essay even when prefetched.
        """
        return self.select_related("collection", "author").prefetch_related(
            Prefetch("themes", to_attr="theme_list")
        )

    def for_list_page(self):
        """for_listing() without the texts a list of titles never shows (some 18 KB an essay)."""
        return self.for_listing().defer("body", "source_text", "warnings")

    def in_reading_order(self):
        return self.order_by("collection_id", "position", "id")

    def related_to(self, essay, limit: int = 5) -> list:
        """Up to `limit` published essays most like `essay`, ranked as essays.related ranks
        them (the essay page reads them as stored: essays.related.stored_related). Each
        carries `shared_themes` and `similarity`."""
        from .related import rank_related

        ranked = rank_related([essay.pk], limit=limit)[essay.pk]
        found = (
            self.select_related("collection", "author")
            .defer("body", "source_text", "warnings")
            .in_bulk([other for other, _, _ in ranked])
        )
        result = []
        for other, shared, similarity in ranked:
            found[other].shared_themes, found[other].similarity = shared, similarity
            result.append(found[other])
        return result


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


class SimilarityKeyQuerySet(models.QuerySet):
    def owners(self, keys: list[int], *, common_candidates: list[int], common: int) -> list[tuple[int, int]]:
        """(key, essay_id) of every stored essay holding one of `keys`, leaving out those of
        `common_candidates` held by more than `common` essays. Plain SQL: an import asks
        this for some 150 lists of 500 keys, and building the two statements through the
        ORM cost more (about 3 ms a list) than running them."""
        quote = connection.ops.quote_name
        table, key, essay = (
            quote(self.model._meta.db_table),
            quote(self.model._meta.get_field("key").column),
            quote(self.model._meta.get_field("essay").column),
        )
        with connection.cursor() as cursor:
            skipped = set()
            if common_candidates:
                marks = ", ".join(["%s"] * len(common_candidates))
                cursor.execute(
                    f"SELECT {key} FROM {table} WHERE {key} IN ({marks}) GROUP BY {key} HAVING COUNT(*) > %s",
                    [*common_candidates, common],
                )
                skipped = {row[0] for row in cursor.fetchall()}
            asked = [k for k in keys if k not in skipped]
            if not asked:
                return []
            cursor.execute(
                f"SELECT {key}, {essay} FROM {table} WHERE {key} IN ({', '.join(['%s'] * len(asked))})", asked
            )
            return cursor.fetchall()

    def insert_rows(self, rows, per_statement=500):
        """Insert (essay_id, key) rows: a hundred per essay."""
        insert_plain_rows(self.model, ["essay", "key"], rows, per_statement)


def insert_plain_rows(model, fields: list[str], rows, per_statement: int = 500) -> None:
    """Insert rows of plain values (numbers, ids: nothing to prepare) into `model`'s table,
    many per statement. For tables written by the thousand per import, where the ORM's
    per-object and per-value cost was most of the time (one statement per row is slow on
    PostgreSQL)."""
    meta = model._meta
    quote = connection.ops.quote_name
    head = "INSERT INTO {} ({}) VALUES ".format(
        quote(meta.db_table), ", ".join(quote(meta.get_field(name).column) for name in fields)
    )
    row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            part = rows[start : start + per_statement]
            cursor.execute(head + ", ".join([row_sql] * len(part)), [v for row in part for v in row])


class SimilarityKey(models.Model):
    """One lookup key of an essay: essays sharing a key are compared exactly."""

    essay = models.ForeignKey(Essay, on_delete=models.CASCADE, related_name="+")
    key = models.BigIntegerField()

    objects = SimilarityKeyQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["key"], name="similarity_key")]

    def __str__(self):
        return f"{self.essay_id}: {self.key}"


class DuplicatePairQuerySet(models.QuerySet):
    def involving(self, essay):
        return self.filter(Q(essay_a=essay) | Q(essay_b=essay))

    def between(self, first, second):
        a, b = sorted((getattr(first, "pk", first), getattr(second, "pk", second)))
        return self.filter(essay_a_id=a, essay_b_id=b)

    def upsert_rows(self, rows, per_statement=200):
        """Insert or replace pairs given as dicts of field names (essay_a_id, essay_b_id and
        every other column). A bulk import finds some ten pairs per essay, and the ORM's
        per-value preparation cost more than the database did; only the JSON and the time
        need preparing."""
        if not rows:
            return
        meta = self.model._meta
        names = list(rows[0])
        fields = [meta.get_field(name.removesuffix("_id")) for name in names]
        prepare = [
            (lambda v, f=f: f.get_db_prep_save(v, connection))
            if isinstance(f, models.JSONField | models.DateTimeField)
            else None
            for f in fields
        ]
        quote = connection.ops.quote_name
        columns = [quote(f.column) for f in fields]
        keys = [quote(meta.get_field(name).column) for name in ("essay_a", "essay_b")]
        head = "INSERT INTO {} ({}) VALUES ".format(quote(meta.db_table), ", ".join(columns))
        tail = " ON CONFLICT ({}) DO UPDATE SET {}".format(
            ", ".join(keys), ", ".join(f"{c} = excluded.{c}" for c in columns if c not in keys)
        )
        row_sql = "(" + ", ".join(["%s"] * len(columns)) + ")"
        with connection.cursor() as cursor:
            for start in range(0, len(rows), per_statement):
                part = rows[start : start + per_statement]
                values = [
                    value if prep is None else prep(value)
                    for row in part
                    for value, prep in zip(row.values(), prepare, strict=True)
                ]
                cursor.execute(head + ", ".join([row_sql] * len(part)) + tail, values)

    def for_listing(self):
        """Both essays with their collections, in one query; bodies stay in the database."""
        return self.select_related("essay_a__collection", "essay_b__collection").defer(
            "essay_a__body", "essay_a__source_text", "essay_b__body", "essay_b__source_text"
        )


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


class PendingImportQuerySet(models.QuerySet):
    def of_batch(self, batch, user):
        """One upload's documents, only for the editor who uploaded them."""
        return self.filter(batch=batch, user=user).order_by("position", "id")

    def older_than(self, moment):
        return self.filter(created_at__lt=moment)

    def to_work_on(self, stale_before):
        """Documents waiting to be parsed or stored that nobody is working on: never taken,
        or taken before `stale_before` by a process that has not finished (it died)."""
        return self.filter(stage__in=[PendingImport.Stage.PARSING, PendingImport.Stage.STORING]).filter(
            Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale_before)
        )


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
