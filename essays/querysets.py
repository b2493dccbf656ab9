"""The reads views, the admin and the services share, as named QuerySet methods of the
models in essays.models (which gives each model its manager from here), and the plain-SQL
writers of the tables an import fills by the thousand."""

from django.db import connection, models
from django.db.models import Count, F, Prefetch, Q
from django.db.models.functions import Coalesce

from .choices import Status
from .ingest.script import script_key


def published_essay_count(essays: str, *, via: str | None = None) -> Count:
    """Count the published essays reachable through `essays` (the recount essays.counts checks against)."""
    return Count(via or essays, filter=Q(**{f"{essays}__status": Status.PUBLISHED}), distinct=True)


def kept_published_count():
    """The published-essay count kept beside a theme, collection or author (essays.counts)."""
    return Coalesce(F("kept_count__published"), 0)


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


class CollectionQuerySet(models.QuerySet):
    def with_published_counts(self):
        return self.annotate(essay_count=kept_published_count())

    def visible(self):
        """Collections with at least one published essay."""
        return self.filter(kept_count__published__gt=0).with_published_counts()

    def published_total(self) -> int:
        """How many essays are published: every essay is in one collection."""

        from .counts import CollectionCount

        return CollectionCount.objects.aggregate(n=Coalesce(models.Sum("published"), 0))["n"]


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
        from .models import ThemedEssay

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


class PendingImportQuerySet(models.QuerySet):
    def of_batch(self, batch, user):
        """One upload's documents, only for the editor who uploaded them."""
        return self.filter(batch=batch, user=user).order_by("position", "id")

    def older_than(self, moment):
        return self.filter(created_at__lt=moment)

    def to_work_on(self, stale_before):
        """Documents waiting to be parsed or stored that nobody is working on: never taken,
        or taken before `stale_before` by a process that has not finished (it died)."""
        stage = self.model.Stage
        return self.filter(stage__in=[stage.PARSING, stage.STORING]).filter(
            Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale_before)
        )
