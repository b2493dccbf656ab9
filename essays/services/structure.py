"""Editorial changes to how a collection is cut into essays: merge adjacent essays, split one
at a paragraph, move essays to another collection, set the order.

The parser's boundaries are proposals; these are an editor's corrections. Each function runs
in one transaction, saves essays one by one (so their history and search index follow through
the usual save and delete signals), leaves a LogEntry for the acting `user`, and keeps the
collection's positions 1..n without gaps. Merged and split essays no longer match what the
parser made, so a later re-import or re-parse leaves them as the editor left them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.contrib.admin.models import ADDITION, CHANGE, DELETION
from django.db import DatabaseError, transaction
from django.db.models import F, Max

from ..history import acting, record_essay_versions
from ..models import Collection, Essay, SourceDocument
from .curation import _log
from .import_rows import generated_title

__all__ = [
    "StructureError",
    "merge_essays",
    "move_essays",
    "reorder_essays",
    "split_essay",
    "withdraw_from_sources",
]


class StructureError(ValueError):
    """An edit that cannot be made as asked; the message says why, for the editor."""


def merge_essays(essays: Iterable[Essay], *, user=None) -> Essay:
    """Join essays that stand next to each other in one collection into the first of them:
    bodies (and source spans) in order, themes together; the others are deleted."""
    with transaction.atomic(), acting(user, "合并文章"):
        ids = [essay.pk for essay in essays]
        selected = list(Essay.objects.select_for_update().filter(pk__in=ids).order_by("position", "id"))
        if len(selected) < 2:
            raise StructureError("请至少选择两篇相邻的文章进行合并。")
        collection_ids = {essay.collection_id for essay in selected}
        if len(collection_ids) > 1:
            raise StructureError("只能合并同一文集中的文章。")
        neighbours = list(
            Essay.objects.filter(
                collection_id=selected[0].collection_id,
                position__gte=selected[0].position,
                position__lte=selected[-1].position,
            ).values_list("pk", flat=True)
        )
        if len(neighbours) != len(selected):
            raise StructureError("所选文章之间还有其他文章：只能合并相邻的文章。")
        first, rest = selected[0], selected[1:]
        first.body = "\n".join(essay.body for essay in selected if essay.body)
        first.source_text = "\n".join(essay.source_text for essay in selected if essay.source_text)
        first.warnings = [w for essay in selected for w in essay.warnings]
        first.save()
        themes = {theme.pk: theme for essay in rest for theme in essay.themes.all()}
        if themes:
            first.themes.add(*themes.values())
        _log(user, [first], CHANGE, f"合并了后续 {len(rest)} 篇：" + "、".join(e.title for e in rest))
        withdraw_from_sources(rest)
        for essay in rest:
            _log(user, [essay], DELETION, f"并入「{first.title}」")
            essay.delete()
        _close_gaps(first.collection_id)
    _recheck_duplicates([first.pk])
    return first


def split_essay(essay: Essay, paragraph: int, *, title: str = "", user=None) -> Essay:
    """Cut an essay before its paragraph number `paragraph` (0-based, counting the body's
    lines); the second part becomes a new essay right after it, with the same author,
    source, themes and status. Returns the new essay."""
    with transaction.atomic(), acting(user, "拆分文章"):
        essay = Essay.objects.select_for_update().get(pk=essay.pk)
        paragraphs = essay.body.split("\n")
        if not 0 < paragraph < len(paragraphs):
            raise StructureError(f"「{essay.title}」只能在第 2 至第 {len(paragraphs)} 段之前拆分。")
        head, tail = paragraphs[:paragraph], paragraphs[paragraph:]
        later = Essay.objects.filter(collection_id=essay.collection_id, position__gt=essay.position)
        shifted = list(later.values_list("pk", flat=True))
        later.update(position=F("position") + 1)
        record_essay_versions(shifted)
        title = title.strip()
        second = Essay(
            collection_id=essay.collection_id,
            source_document_id=essay.source_document_id,
            position=essay.position + 1,
            title=title or generated_title("\n".join(tail)),
            title_generated=not title,
            author_id=essay.author_id,
            body="\n".join(tail),
            script=essay.script,
            status=essay.status,
            published_at=essay.published_at,
            is_fragment=False,
        )
        second.save()
        themes = list(essay.themes.all())
        if themes:
            second.themes.add(*themes)
        essay.body = "\n".join(head)
        essay.save()
        _log(user, [essay], CHANGE, f"在第 {paragraph + 1} 段前拆分，后半为「{second.title}」")
        _log(user, [second], ADDITION, f"由「{essay.title}」拆分而来")
        _close_gaps(essay.collection_id)
    _recheck_duplicates([essay.pk, second.pk])
    return second


def move_essays(essays: Iterable[Essay], collection: Collection, *, user=None) -> int:
    """Move essays to the end of another collection, in their present order; returns how many
    moved. Their source documents stay as they are: provenance does not change."""
    with transaction.atomic(), acting(user, f"移至文集「{collection.title}」"):
        Collection.objects.select_for_update().filter(pk=collection.pk).first()
        ids = [essay.pk for essay in essays]
        moving = list(
            Essay.objects.filter(pk__in=ids)
            .exclude(collection=collection)
            .order_by("collection_id", "position", "id")
        )
        after = collection.essays.aggregate(last=Max("position"))["last"] or 0
        left = {essay.collection_id for essay in moving}
        for offset, essay in enumerate(moving, start=1):
            essay.collection = collection
            essay.position = after + offset
            essay.save(update_fields=["collection", "position", "updated_at"])
        _log(user, moving, CHANGE, f"移至文集「{collection.title}」")
        for collection_id in left:
            _close_gaps(collection_id)
    return len(moving)


def reorder_essays(collection: Collection, ordered: Sequence[int], *, user=None) -> None:
    """Set the collection's order: `ordered` lists all of its essays' ids, first to last."""
    with transaction.atomic(), acting(user, "调整顺序"):
        essays = {e.pk: e for e in Essay.objects.select_for_update().filter(collection=collection)}
        if sorted(ordered) != sorted(essays):
            raise StructureError("新的顺序必须恰好列出文集中的每一篇文章。")
        changed = []
        for position, pk in enumerate(ordered, start=1):
            essay = essays[pk]
            if essay.position != position:
                essay.position = position
                essay.save(update_fields=["position", "updated_at"])
                changed.append(essay)
        _log(user, changed, CHANGE, "调整了文集中的顺序")


def withdraw_from_sources(essays: Iterable[Essay]) -> None:
    """Remember on their source documents that these imported essays were removed by an
    editor (deleted, or merged into another), so a re-parse does not bring them back."""
    by_document: dict[int, set[int]] = {}
    for essay in essays:
        if essay.source_document_id and essay.source_index is not None:
            by_document.setdefault(essay.source_document_id, set()).add(essay.source_index)
    for document in SourceDocument.objects.select_for_update().filter(pk__in=by_document):
        document.withdrawn_indexes = sorted({*document.withdrawn_indexes, *by_document[document.pk]})
        document.save(update_fields=["withdrawn_indexes"])


def _recheck_duplicates(ids: list[int]) -> None:
    """New text, new overlaps: after the edit is committed, like an import's check."""
    from .duplicates import check_essays

    try:
        check_essays(ids)
    except DatabaseError:
        pass  # find_duplicates picks up essays whose signature is out of date


def _close_gaps(collection_id: int) -> None:
    """Positions 1..n in the present order."""
    for position, essay in enumerate(
        Essay.objects.filter(collection_id=collection_id).order_by("position", "id"), start=1
    ):
        if essay.position != position:
            essay.position = position
            essay.save(update_fields=["position", "updated_at"])
