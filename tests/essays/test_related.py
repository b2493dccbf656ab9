"""Related essays under an essay: text overlap first, then shared themes; published only."""

import pytest
from django.utils import timezone

from essays.models import DuplicatePair, Essay, Status
from tests.essays.factories import make_collection, make_essay

pytestmark = pytest.mark.django_db


def titles(essays):
    return [e.title for e in essays]


def pair(a, b, similarity, passages=0):
    a, b = sorted((a, b), key=lambda e: e.pk)
    return DuplicatePair.objects.create(
        essay_a=a,
        essay_b=b,
        similarity=similarity,
        near_duplicate=similarity >= 0.8,
        passage_count=passages,
        detected_at=timezone.now(),
    )


def test_essays_sharing_more_themes_come_first_and_the_essay_itself_never():
    essay = make_essay(title="本文", themes=("党建", "初心使命", "廉政"))
    make_essay(title="一个共同主题", themes=("党建",))
    make_essay(title="三个共同主题", themes=("党建", "初心使命", "廉政"))
    make_essay(title="两个共同主题", themes=("初心使命", "廉政", "其他"))
    make_essay(title="毫不相干", themes=("其他",))

    related = Essay.objects.related_to(essay)

    assert titles(related) == ["三个共同主题", "两个共同主题", "一个共同主题"]
    assert [e.shared_themes for e in related] == [3, 2, 1]


def test_an_essay_whose_text_overlaps_ranks_above_theme_matches_even_without_a_theme():
    essay = make_essay(title="本文", themes=("党建", "初心使命"))
    make_essay(title="同主题", themes=("党建", "初心使命"))
    copy = make_essay(title="转载", themes=())
    pair(essay, copy, 0.93)

    related = Essay.objects.related_to(essay)

    assert titles(related) == ["转载", "同主题"]
    assert related[0].similarity == pytest.approx(0.93)


def test_drafts_are_never_related_and_at_most_five_are_shown():
    essay = make_essay(title="本文", themes=("党建",))
    draft = make_essay(title="草稿", themes=("党建",), status=Status.DRAFT)
    pair(essay, draft, 0.99)
    for i in range(7):
        make_essay(title=f"第{i}篇", collection=make_collection(f"文集{i}"), themes=("党建",))

    related = Essay.objects.related_to(essay)

    assert len(related) == 5
    assert "草稿" not in titles(related)


def test_the_essay_page_lists_related_essays_escaped(client):
    essay = make_essay(title="本文", themes=("党建",))
    make_essay(title="<b>相关</b>", themes=("党建",))

    page = client.get(essay.get_absolute_url()).content.decode()

    assert "相关文章" in page
    assert "&lt;b&gt;相关&lt;/b&gt;" in page and "<b>相关</b>" not in page


def _stored_lists():
    from essays.related import RelatedEssay

    return sorted(
        RelatedEssay.objects.values_list("essay_id", "other_id", "rank", "shared_themes", "similarity")
    )


def _import_seeds_and_a_copy(tmp_path):
    from essays.services import import_paths
    from tests.conftest import SEEDS

    for seed in SEEDS.glob("*.txt"):
        (tmp_path / seed.name).write_bytes(seed.read_bytes())
    # A repost of one seed under another name: its essays overlap the seed's.
    (tmp_path / "repost.txt").write_bytes(
        next(SEEDS.glob("004_*")).read_bytes().replace(b"\n", b"\r\n") + b"\r\n"
    )
    return list(import_paths([str(tmp_path)], status=Status.PUBLISHED))


def test_a_bulk_import_ranks_related_essays_once_the_overlaps_are_known(tmp_path):
    """The related lists a bulk import stores are the ones a full re-ranking gives, with
    the reposted essay's original first."""
    from essays.services.related import refresh_all_related

    outcomes = _import_seeds_and_a_copy(tmp_path)
    assert all(o.ok for o in outcomes)
    stored = _stored_lists()

    refresh_all_related()

    assert stored == _stored_lists()
    copy = Essay.objects.get(source_document__name__endswith="repost.txt")
    first = copy.related_rows.get(rank=1)
    assert first.similarity > 1  # the original: near-duplicate text and shared passages


def test_an_import_killed_before_its_check_gets_its_related_essays_from_the_next_run(tmp_path):
    from essays.models import EssaySignature, SimilarityKey
    from essays.related import RelatedEssay
    from essays.services.duplicates import check_unchecked
    from essays.services.related import refresh_all_related

    _import_seeds_and_a_copy(tmp_path)
    # What a kill between storing and checking leaves: essays without signature, pairs or lists.
    RelatedEssay.objects.all().delete()
    DuplicatePair.objects.all().delete()
    SimilarityKey.objects.all().delete()
    EssaySignature.objects.all().delete()

    check_unchecked()

    assert RelatedEssay.objects.exists()
    stored = _stored_lists()
    refresh_all_related()
    assert stored == _stored_lists()
