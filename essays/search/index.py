"""Keeping the index in step with the essays, and asking it: the Django side of search.

Writers call index_essays()/remove_essays() inside their own transaction (the model
signals do it for save() and delete(); bulk writers call them by hand), so the index never
disagrees with what was committed.
"""

from collections.abc import Iterable, Mapping

from django.db import transaction

from ..models import Essay, Status
from .backends import IndexedEssay, Scope, SearchPage, get_backend
from .tokens import Query, index_string

# Fields whose change means the essay must be re-indexed (status: the index keeps the
# published flag readers' searches are limited by).
INDEXED_FIELDS = frozenset({"title", "subtitle", "body", "status"})
_INDEXED_COLUMNS = ("pk", "title", "subtitle", "body", "status")
_REBUILD_BATCH = 500


def indexed_essay(essay, made: Mapping[str, str] | None = None) -> IndexedEssay:
    """`made` maps texts to their index strings made beforehand (in an import's workers).
    Those are given as copies: SQLite's driver keeps a UTF-8 copy of a string it binds for
    as long as the string lives, and `made` lives while a whole batch is stored."""
    title = f"{essay.title}\n{essay.subtitle}" if essay.subtitle else essay.title
    body = (made or {}).get(essay.body)
    return IndexedEssay(
        essay.pk,
        index_string(title),
        index_string(essay.body) if body is None else "".join((body, "")),
        essay.status == Status.PUBLISHED,
    )


def index_essays(
    essays: Iterable[Essay], *, using: str = "default", made: Mapping[str, str] | None = None
) -> None:
    """(Re)index these saved essays; call in the transaction that wrote them."""
    get_backend(using).index(indexed_essay(e, made) for e in essays if e.pk is not None)


def index_essay_ids(ids: Iterable[int], *, using: str = "default") -> None:
    """(Re)index essays by id, reading their text; ids that no longer exist are removed."""
    ids = list(ids)
    found = list(Essay.objects.using(using).filter(pk__in=ids).only(*_INDEXED_COLUMNS))
    index_essays(found, using=using)
    missing = set(ids) - {e.pk for e in found}
    if missing:
        remove_essays(missing, using=using)


def remove_essays(ids: Iterable[int], *, using: str = "default") -> None:
    get_backend(using).remove(list(ids))


def rebuild_index(*, using: str = "default", batch: int = _REBUILD_BATCH, progress=None) -> int:
    """Index every essay afresh, in one transaction; returns how many were indexed."""
    backend = get_backend(using)
    count = 0
    with transaction.atomic(using=using):
        backend.begin_rebuild()
        ids = list(Essay.objects.using(using).order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), batch):
            chunk = ids[start : start + batch]
            essays = Essay.objects.using(using).filter(pk__in=chunk).only(*_INDEXED_COLUMNS)
            backend.index(indexed_essay(e) for e in essays)
            count += len(chunk)
            if progress:
                progress(count, len(ids))
        backend.finish_rebuild()
    return count


def search_essays(
    query: Query, scope: Scope, *, offset: int = 0, limit: int = 20, using: str = "default"
) -> SearchPage:
    """Ids (best first) and total (up to COUNT_LIMIT) of the essays in `scope` matching `query`."""
    if not query:
        return SearchPage([], 0)
    return get_backend(using).search(query, scope, offset=offset, limit=limit)


def matching_sql(query: Query, *, using: str = "default") -> tuple[str, list]:
    return get_backend(using).matching_sql(query)
