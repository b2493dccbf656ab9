"""Related essays: ranked when an essay is stored or its themes or overlaps change
(essays.services.related), read by the essay page in one query.

The ranking: essays whose text overlaps it (duplicate detection's pairs: similarity, plus
one for shared passages) first, then those sharing the most of its themes, newest first.
Candidates for theme matches are the PER_THEME newest published essays of each of its
themes, walked from an index, so ranking one essay costs the same at any archive size
(ranking against every published essay cost 0.2–0.6 s at 10,000, per view: issue 18).

Imported by essays.models at its end, so the models it names already exist.
"""

from collections import Counter, defaultdict

from django.db import models
from django.db.models import Q

from .models import DuplicatePair, Essay, Status, ThemedEssay

PER_THEME = 100  # candidates taken from each of an essay's themes
KEEP = 10  # ranked and stored per essay; the page shows the first 5 still published
SHOWN = 5
CHUNK = 500


class RelatedEssay(models.Model):
    essay = models.ForeignKey(Essay, on_delete=models.CASCADE, related_name="related_rows")
    other = models.ForeignKey(Essay, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField("名次")
    shared_themes = models.PositiveSmallIntegerField("共同主题数", default=0)
    similarity = models.FloatField("文字相近度", default=0.0)

    class Meta:
        verbose_name = "相关文章"
        verbose_name_plural = "相关文章"
        constraints = [models.UniqueConstraint(fields=["essay", "other"], name="unique_related_essay")]
        indexes = [models.Index(fields=["essay", "rank"], name="related_essay_rank")]

    def __str__(self):
        return f"{self.essay_id} → {self.other_id} ({self.rank})"


def stored_related(essay, limit: int = SHOWN) -> list:
    """The essay page's related essays, as stored, published ones only: one query. Each
    carries `shared_themes` and `similarity`."""
    # Only the columns the page shows: the three tables' every other column cost more to
    # put in the statement and the rows than the statement cost to run.
    rows = (
        RelatedEssay.objects.filter(essay=essay, other__status=Status.PUBLISHED)
        .select_related("other__collection", "other__author")
        .only(
            "shared_themes",
            "similarity",
            "other__title",
            "other__script",
            "other__collection__title",
            "other__author__name",
        )
        .order_by("rank")[:limit]
    )
    found = []
    for row in rows:
        row.other.shared_themes, row.other.similarity = row.shared_themes, row.similarity
        found.append(row.other)
    return found


def rank_related(essay_ids, newest: dict | None = None, limit: int = KEEP) -> dict[int, list]:
    """{essay id: [(other id, shared themes, similarity), ...]} best first, published others
    only. `newest` caches each theme's newest published essays across calls."""
    ids = list(essay_ids)
    newest = {} if newest is None else newest
    themes_of = defaultdict(list)
    for essay_id, tag_id in ThemedEssay.objects.filter(content_object_id__in=ids).values_list(
        "content_object_id", "tag_id"
    ):
        themes_of[essay_id].append(tag_id)
    for tag_id in {t for tags in themes_of.values() for t in tags} - newest.keys():
        newest[tag_id] = list(
            ThemedEssay.objects.filter(tag_id=tag_id, content_object__status=Status.PUBLISHED)
            .order_by("-content_object_id")
            .values_list("content_object_id", flat=True)[:PER_THEME]
        )
    overlaps = _overlaps(ids)
    ranked = {}
    for essay_id in ids:
        shared = Counter()
        for tag_id in themes_of.get(essay_id, ()):
            shared.update(newest[tag_id])
        close = overlaps.get(essay_id, {})
        for other in close:
            shared.setdefault(other, 0)
        shared.pop(essay_id, None)
        best = sorted(shared.items(), key=lambda kv: (close.get(kv[0], 0.0), kv[1], kv[0]), reverse=True)
        ranked[essay_id] = [(other, n, close.get(other, 0.0)) for other, n in best[:limit]]
    return ranked


def _overlaps(ids: list[int]) -> dict[int, dict[int, float]]:
    """{essay id: {published other id: similarity, plus 1 when they share a passage}}."""
    found = defaultdict(dict)
    wanted = set(ids)
    pairs = DuplicatePair.objects.filter(Q(essay_a_id__in=ids) | Q(essay_b_id__in=ids)).values_list(
        "essay_a_id", "essay_b_id", "similarity", "passage_count"
    )
    for a, b, similarity, passages in pairs:
        score = similarity + (1.0 if passages else 0.0)
        if a in wanted:
            found[a][b] = score
        if b in wanted:
            found[b][a] = score
    others = {o for close in found.values() for o in close}
    published = set(Essay.objects.filter(pk__in=others, status=Status.PUBLISHED).values_list("pk", flat=True))
    return {e: {o: s for o, s in close.items() if o in published} for e, close in found.items()}
