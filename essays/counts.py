"""Published-essay counts per theme, collection, author and year, kept in tables of their own.

Reading pages show these numbers on every request; computing them there meant aggregating
every essay and theme link (issue 18). They are kept instead: every write that can change
one adjusts it in its own transaction (essays.services.counts), and `check_counts`
compares them with a recount. A row of a table here is a count that has been kept; a
missing row counts as zero.

Imported by essays.models at its end, so the models it names already exist.
"""

from collections import Counter

from django.db import models

from .models import Essay, Status, ThemedEssay, published_essay_count

THEME, COLLECTION, AUTHOR, YEAR = "theme", "collection", "author", "year"
ESSAY_YEAR = "essay year"  # in differences(): an essay whose kept year is not its collection's
CHUNK = 500


class KeptCount(models.Model):
    published = models.IntegerField("已发布篇数", default=0)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.pk}: {self.published}"


class ThemeCount(KeptCount):
    theme = models.OneToOneField(
        "essays.Theme", on_delete=models.CASCADE, primary_key=True, related_name="kept_count"
    )

    class Meta:
        verbose_name = "主题篇数"
        verbose_name_plural = "主题篇数"
        # The home page's most-used themes: read from this index, not by counting.
        indexes = [models.Index(fields=["-published", "theme"], name="theme_count_order")]


class CollectionCount(KeptCount):
    collection = models.OneToOneField(
        "essays.Collection", on_delete=models.CASCADE, primary_key=True, related_name="kept_count"
    )

    class Meta:
        verbose_name = "文集篇数"
        verbose_name_plural = "文集篇数"


class AuthorCount(KeptCount):
    author = models.OneToOneField(
        "essays.Author", on_delete=models.CASCADE, primary_key=True, related_name="kept_count"
    )

    class Meta:
        verbose_name = "作者篇数"
        verbose_name_plural = "作者篇数"


class YearCountQuerySet(models.QuerySet):
    def shown(self):
        """Years with a published essay, newest first: [(year, count)]."""
        return list(self.filter(published__gt=0).order_by("-year").values_list("year", "published"))


class YearCount(KeptCount):
    """Published essays per year of their collection (Essay.year; year pages)."""

    year = models.PositiveSmallIntegerField("年份", primary_key=True)

    objects = YearCountQuerySet.as_manager()

    class Meta:
        verbose_name = "年份篇数"
        verbose_name_plural = "年份篇数"


# Which table and key column each kind of count lives in.
TABLES = {THEME: ThemeCount, COLLECTION: CollectionCount, AUTHOR: AuthorCount, YEAR: YearCount}


def contributions(essay_ids, *, essays: bool = True, themes: bool = True) -> Counter:
    """What these essays add to the kept counts as they stand now: {(kind, key): n}.

    `essays` counts their collections, authors and years, `themes` their theme links; a
    draft or a missing essay adds nothing.
    """
    found: Counter = Counter()
    ids = list(essay_ids)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        if essays:
            for collection_id, author_id, year in Essay.objects.filter(
                pk__in=chunk, status=Status.PUBLISHED
            ).values_list("collection_id", "author_id", "year"):
                found[COLLECTION, collection_id] += 1
                if author_id is not None:
                    found[AUTHOR, author_id] += 1
                if year is not None:
                    found[YEAR, year] += 1
        if themes:
            for (tag_id,) in ThemedEssay.objects.filter(
                content_object_id__in=chunk, content_object__status=Status.PUBLISHED
            ).values_list("tag_id"):
                found[THEME, tag_id] += 1
    return found


def recount() -> Counter:
    """Every count from the essays themselves, the way the pages used to compute them."""
    from .models import Author, Collection, Theme

    found: Counter = Counter()
    sources = (
        (THEME, Theme, published_essay_count("themed_essays__content_object", via="themed_essays")),
        (COLLECTION, Collection, published_essay_count("essays")),
        (AUTHOR, Author, published_essay_count("essays")),
    )
    for kind, model, count in sources:
        for pk, n in model.objects.annotate(n=count).filter(n__gt=0).values_list("pk", "n"):
            found[kind, pk] = n
    # By the collection's year, not the essay's copy of it: a stale copy shows as a difference.
    years = (
        Essay.objects.filter(status=Status.PUBLISHED, collection__date_year__isnull=False)
        .values_list("collection__date_year")
        .annotate(n=models.Count("id"))
        .order_by()
    )
    for year, n in years:
        found[YEAR, year] = n
    return found


def stale_years():
    """Essays whose kept year is not their collection's."""
    from .models import Collection

    collection_year = Collection.objects.filter(pk=models.OuterRef("collection_id")).values("date_year")[:1]
    return (
        Essay.objects.annotate(true_year=models.Subquery(collection_year))
        .exclude(year__isnull=True, true_year__isnull=True)
        .filter(
            models.Q(year__isnull=True)
            | models.Q(true_year__isnull=True)
            | ~models.Q(year=models.F("true_year"))
        )
        .order_by("pk")
    )


def kept() -> Counter:
    """Every count as kept (zeros left out, as in recount())."""
    found: Counter = Counter()
    for kind, model in TABLES.items():
        for pk, n in model.objects.exclude(published=0).values_list("pk", "published"):
            found[kind, pk] = n
    return found


def differences() -> dict:
    """Counts whose kept number is not the recount: {(kind, key): (kept, recounted)}, and
    essays whose kept year is not their collection's: {(ESSAY_YEAR, id): (kept, true)}."""
    found, stored = recount(), kept()
    both = {k: (stored.get(k, 0), found.get(k, 0)) for k in found.keys() | stored.keys()}
    wrong = {k: v for k, v in sorted(both.items()) if v[0] != v[1]}
    for pk, year, true_year in stale_years().values_list("pk", "year", "true_year"):
        wrong[ESSAY_YEAR, pk] = (year, true_year)
    return wrong
