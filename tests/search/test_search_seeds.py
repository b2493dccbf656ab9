"""The issue's acceptance queries over the real seeds, on whichever database runs the suite."""

import pytest

from essays.models import Essay
from essays.search.query import SearchRequest
from essays.services.curation import publish_essays, unpublish_essays

from .conftest import containing

pytestmark = pytest.mark.usefixtures("seeded")


def hits(q, published_only=True, per_page=100):
    return SearchRequest(q).run(published_only=published_only, per_page=per_page)


def ids(q, **kwargs):
    return {h.essay.pk for h in hits(q, **kwargs).object_list}


def test_chuxin_finds_exactly_the_seed_essays_containing_it(db):
    expected = containing("初心")
    assert len(expected) >= 3
    assert ids("初心") == expected
    titles = {h.essay.title for h in hits("初心").object_list}
    assert "追寻初心不改，信仰砥砺前行" in titles


def test_traditional_ganbu_finds_simplified_and_traditional_essays(db):
    expected = containing("干部")
    assert ids("幹部") == ids("干部") == expected
    bodies = [Essay.objects.get(pk=pk).body for pk in expected]
    # Both scripts are among the hits: the index is script-blind.
    assert any("干部" in b for b in bodies) and any("幹部" in b for b in bodies)


def test_five_character_phrase_finds_the_jiao_yulu_essays(db):
    expected = containing("焦裕禄精神")
    assert expected and ids("焦裕禄精神") == expected
    assert "焦桐下的思雨" in {h.essay.title for h in hits("焦裕禄精神").object_list}


@pytest.mark.parametrize("q", ["党", "学习", "干部队", "乡镇经济", "初心 使命", '"不忘初心，牢记使命"'])
def test_queries_of_every_length_agree_with_the_text(db, q):
    words = [w.strip('"') for w in q.split()]
    if q.startswith('"'):
        # A quoted phrase across punctuation: the ground truth allows any punctuation there.
        expected = containing("不忘初心") & containing("牢记使命")
        assert ids(q) <= expected and ids(q)
    else:
        assert ids(q) == containing(*words)


def test_readers_never_find_drafts(db):
    essay = Essay.objects.get(pk=min(containing("初心")))
    unpublish_essays([essay])
    assert essay.pk not in ids("初心")
    assert essay.pk in ids("初心", published_only=False)
    publish_essays([essay])
    assert essay.pk in ids("初心")
