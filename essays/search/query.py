"""A reader's or editor's search: request parameters → scope, ranked page, snippets.

Views stay thin: they hand the request's GET to `SearchRequest.from_params()` and render
what `run()` returns. Query count is fixed whatever the page lists.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Sum
from django.db.models.functions import Substr

from ..counts import AuthorCount, CollectionCount, ThemeCount, YearCount
from ..ingest.script import script_key
from ..models import Author, Collection, Essay, Status, Theme
from ..paging import in_order
from ..sortkeys import pinyin_key
from .backends import COUNT_LIMIT, Scope
from .index import search_essays
from .render import marked_html, snippet_html
from .tokens import Query, parse_query

MAX_QUERY_LENGTH = 200


def _int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 10**9 else None


@dataclass(frozen=True)
class Filters:
    theme: str = ""  # theme slug
    collection: int | None = None
    author: int | None = None
    unit: str = ""  # part of a work unit's name, either script
    year_from: int | None = None
    year_to: int | None = None

    @classmethod
    def from_params(cls, params) -> "Filters":
        return cls(
            theme=(params.get("theme") or "").strip()[:100],
            collection=_int(params.get("collection")),
            author=_int(params.get("author")),
            unit=" ".join((params.get("unit") or "").split())[:100],
            year_from=_int(params.get("from")),
            year_to=_int(params.get("to")),
        )

    def __bool__(self) -> bool:
        return any(vars(self).values())

    def apply(self, essays):
        if self.theme:
            essays = essays.filter(themed_items__tag__slug=self.theme)
        if self.collection:
            essays = essays.filter(collection_id=self.collection)
        if self.author:
            essays = essays.filter(author_id=self.author)
        if self.unit:
            essays = essays.filter(author__organization_key__contains=script_key(self.unit))
        # The essay's kept copy of its collection's year (essays.counts checks it).
        if self.year_from:
            essays = essays.filter(year__gte=self.year_from)
        if self.year_to:
            essays = essays.filter(year__lte=self.year_to)
        return essays

    def kept_total(self) -> int | None:
        """The published essays these filters select, from the kept counts when one filter
        alone is set (a theme, a collection, an author or years); None otherwise."""
        set_ = {name for name, value in vars(self).items() if value}
        if set_ == {"theme"}:
            rows = ThemeCount.objects.filter(theme__slug=self.theme)
        elif set_ == {"collection"}:
            rows = CollectionCount.objects.filter(collection_id=self.collection)
        elif set_ == {"author"}:
            rows = AuthorCount.objects.filter(author_id=self.author)
        elif set_ and set_ <= {"year_from", "year_to"}:
            rows = YearCount.objects.filter(year__gte=self.year_from or 0, year__lte=self.year_to or 9999)
        else:
            return None
        return rows.aggregate(n=Sum("published"))["n"] or 0


@dataclass
class Hit:
    essay: Essay
    title_html: str
    snippet_html: str


class _Counted:
    """What Paginator needs from a list it never reads: its length."""

    def __init__(self, total: int):
        self.total = total

    def count(self) -> int:
        return self.total


@dataclass
class SearchRequest:
    text: str
    filters: Filters = field(default_factory=Filters)
    page: int = 1
    query: Query = field(init=False)

    def __post_init__(self):
        self.text = self.text.strip()[:MAX_QUERY_LENGTH]
        self.query = parse_query(self.text)

    @classmethod
    def from_params(cls, params) -> "SearchRequest":
        return cls(params.get("q") or "", Filters.from_params(params), _int(params.get("page")) or 1)

    @property
    def browsing(self) -> bool:
        """Filters without a word: every published essay they select, newest first."""
        return not self.text and bool(self.filters)

    def browse(self, *, per_page: int | None = None) -> Page:
        """This page of the published essays the filters select, complete essays first and
        newest first, each with the opening of its text. Counted from the kept counts when
        one filter is set, else up to COUNT_LIMIT."""
        per_page = per_page or settings.ANTHOLOGY_PAGE_SIZE
        essays = self.filters.apply(Essay.objects.published())
        total = self.filters.kept_total()
        exact = total is not None
        if total is None:
            total = essays.order_by().values("pk")[:COUNT_LIMIT].count()
            exact = total < COUNT_LIMIT
        listed = in_order(
            essays.for_listing()
            .defer("body", "source_text", "warnings")
            .annotate(opening=Substr("body", 1, 400))
        )
        paginator = Paginator(listed, per_page, allow_empty_first_page=True)
        paginator.__dict__["count"] = total  # Paginator.count is a cached property
        page = paginator.get_page(self.page)
        page.object_list = [
            Hit(essay, marked_html(essay.title, ()), snippet_html(essay.opening, ()))
            for essay in page.object_list
        ]
        page.ranked, page.total_is_exact = False, exact
        return page

    def run(self, *, published_only: bool = True, per_page: int | None = None) -> Page:
        """This page of hits: among published essays for readers, all essays for editors."""
        per_page = per_page or settings.ANTHOLOGY_PAGE_SIZE
        scope = Scope(published_only, self.filters.apply(Essay.objects.all()) if self.filters else None)
        number = self.page
        result = search_essays(self.query, scope, offset=(number - 1) * per_page, limit=per_page)
        if not result.ids and result.total and number > 1:  # past the end: show the last page
            number = (result.total + per_page - 1) // per_page
            result = search_essays(self.query, scope, offset=(number - 1) * per_page, limit=per_page)
        # By primary key alone, unordered: with `status = …` in the statement and no
        # planner statistics (no ANALYZE yet), SQLite walked a status index over every
        # published essay to find these 20 (38 ms at 100,000 essays, against 3 ms). Their
        # bodies make the snippets; the source excerpts stay in the database.
        shown = (
            Essay.objects.filter(pk__in=result.ids).for_listing().defer("source_text", "warnings").order_by()
        )
        by_id = {
            e.pk: e
            for e in (shown if result.ids else ())
            # The index's published flag decides what is found; an essay whose flag went
            # stale (a raw UPDATE) may be counted but is never shown.
            if not published_only or e.status == Status.PUBLISHED
        }
        needles = self.query.needles
        hits = [
            Hit(essay, marked_html(essay.title, needles), snippet_html(essay.body, needles))
            for essay in (by_id.get(pk) for pk in result.ids)
            if essay is not None
        ]
        paginator = Paginator(_Counted(result.total), per_page, allow_empty_first_page=True)
        page = Page(hits, number, paginator)
        page.ranked = result.ranked
        page.total_is_exact = result.total_is_exact
        return page


COLLECTION_CHOICES = 50
THEME_CHOICES = 60


def filter_choices(filters: Filters) -> dict:
    """What the filter form offers, as (value, label, selected): two cheap queries.

    No counting here: the most used themes (their kept counts' index) in pinyin order, and
    the newest collections, with the chosen one added when it is not among them. Offering
    all 500 themes of a 100,000-essay archive doubled the page (60 KB) and halved a cached
    search page's speed; a theme or collection page is browsed from its own page.
    """
    themes = list(
        Theme.objects.filter(kept_count__published__gt=0)
        .order_by("-kept_count__published", "name")
        .values_list("slug", "name")[:THEME_CHOICES]
    )
    if filters.theme and filters.theme not in {slug for slug, _ in themes}:
        themes += Theme.objects.filter(slug=filters.theme).values_list("slug", "name")
    themes.sort(key=lambda theme: (pinyin_key(theme[1]), theme[1]))
    collections = list(
        Collection.objects.order_by("-created_at", "-id").values_list("pk", "title")[:COLLECTION_CHOICES]
    )
    if filters.collection and filters.collection not in {pk for pk, _ in collections}:
        collections += Collection.objects.filter(pk=filters.collection).values_list("pk", "title")
    return {
        "themes": [(slug, name, slug == filters.theme) for slug, name in themes],
        "collections": [(pk, title or "未命名文集", pk == filters.collection) for pk, title in collections],
    }


def author_named(filters: Filters):
    return Author.objects.filter(pk=filters.author).first() if filters.author else None
