"""Pages of essays newest first, numbered for the reader, fetched by seeking.

A deep page by OFFSET makes the database sort and skip every essay before it (a big theme's
page 50 read 1,000 rows to show 20: issue 18). The "next page" link carries the last
essay's place in the order (`after=<published_at>_<id>`), and the next page is the 20
essays after that place, found from the index. Numbered links still work by number; a
missing or malformed `after` falls back to the number. Totals come from the kept counts
when the caller has one (essays.counts), so a page never counts its list either.
"""

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Q


def newest_first(queryset):
    """Newest first, in the order of the index (status, -published_at, -id): a published
    essay always has its date (Essay.save), and without a NULLS LAST clause PostgreSQL can
    read the page off the index."""
    return queryset.filter(published_at__isnull=False).order_by("-published_at", "-id")


def seek_page(request, queryset, *, count: int | None = None):
    """The requested page of `queryset` (newest first) with `next_cursor` for its next link."""
    queryset = newest_first(queryset)
    paginator = Paginator(queryset, settings.ANTHOLOGY_PAGE_SIZE)
    if count is not None:
        paginator.__dict__["count"] = count  # Paginator.count is a cached property
    page = paginator.get_page(request.GET.get("page"))
    after = parse_cursor(request.GET.get("after"))
    if after is not None and page.number > 1:
        published_at, pk = after
        page.object_list = list(
            # One range on the index (<=), then the tie on the same date by id: no OR of two
            # ranges, which SQLite answers by sorting.
            queryset.filter(
                Q(published_at__lte=published_at), Q(published_at__lt=published_at) | Q(pk__lt=pk)
            )[: paginator.per_page]
        )
    else:
        page.object_list = list(page.object_list)
    page.next_cursor = cursor_of(page.object_list[-1]) if page.has_next() and page.object_list else ""
    return page


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


def cursor_of(essay) -> str:
    """Whole microseconds since 1970 and the id: exact, where a float timestamp is not."""
    return f"{(essay.published_at - EPOCH) // MICROSECOND}_{essay.pk}"


def parse_cursor(value: str | None):
    try:
        stamp, pk = (value or "").split("_")
        return EPOCH + int(stamp) * MICROSECOND, int(pk)
    except (ValueError, OverflowError):
        return None
