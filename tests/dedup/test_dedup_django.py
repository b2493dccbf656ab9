"""Near-duplicates in the database: flagged on import, listed by find_duplicates, shown in the admin."""

import json
from io import StringIO

import numpy as np
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from essays.dedup.minhash import BAND_TAG
from essays.ingest.script import to_traditional
from essays.models import DuplicatePair, Essay, EssaySignature, SimilarityKey
from essays.services import duplicates, import_document
from tests.conftest import seed_bytes
from tests.dedup.texts import random_han, with_punctuation
from tests.essays.admin_factories import make_essay

pytestmark = pytest.mark.django_db


def document(title: str, author: str, body: str) -> bytes:
    return f"{title}\n{author}\n\n{body}\n".encode()


@pytest.fixture
def rng():
    return np.random.default_rng(11)


def pair_of(first: Essay, second: Essay) -> DuplicatePair:
    return DuplicatePair.objects.between(first, second).get()


# On import -----------------------------------------------------------------------------------


def test_importing_a_copy_in_the_other_script_flags_a_near_duplicate():
    original = seed_bytes("004")
    import_document(original, "004.txt")
    copy = to_traditional(original.decode("utf-8")).encode("utf-8")

    outcome = import_document(copy, "004-traditional.txt")

    assert outcome.status == "created"
    assert outcome.near_duplicates == 1
    (pair,) = DuplicatePair.objects.all()
    assert pair.near_duplicate and pair.similarity > 0.95
    assert {pair.essay_a.script, pair.essay_b.script} == {"simplified", "traditional"}


def test_importing_two_documents_that_share_a_passage_flags_the_pair_with_offsets(rng):
    passage = with_punctuation(random_han(rng, 90), 15)
    first = (
        with_punctuation(random_han(rng, 600))
        + "\n"
        + passage
        + "\n"
        + with_punctuation(random_han(rng, 300))
    )
    second = (
        with_punctuation(random_han(rng, 200))
        + "\n"
        + to_traditional(passage)
        + "\n"
        + with_punctuation(random_han(rng, 500))
    )
    import_document(document("第一篇心得体会", "张静", first), "first.txt")

    outcome = import_document(document("第二篇心得体会", "李明", second), "second.txt")

    assert outcome.shared_passages == 1 and outcome.near_duplicates == 0
    pair = DuplicatePair.objects.get()
    assert not pair.near_duplicate and pair.similarity < 0.2
    assert pair.passage_count == 1 and pair.longest_passage == 90
    (offsets,) = pair.passages
    # The stored offsets point at the passage inside each stored body.
    assert pair.essay_a.body[offsets["a_start"] : offsets["a_end"]] in passage
    assert len(pair.essay_a.body[offsets["a_start"] : offsets["a_end"]]) >= 90
    assert pair.essay_b.body[offsets["b_start"] : offsets["b_end"]] in to_traditional(passage)


def test_unrelated_imports_flag_nothing_and_store_signatures():
    import_document(seed_bytes("002"), "002.txt")
    import_document(seed_bytes("004"), "004.txt")

    assert not DuplicatePair.objects.exists()
    assert EssaySignature.objects.count() == Essay.objects.count()
    assert SimilarityKey.objects.filter(essay__in=Essay.objects.all()).count() > 21 * Essay.objects.count()


def test_an_edited_essay_is_checked_again_and_loses_its_pair(rng):
    body = with_punctuation(random_han(rng, 800))
    first, second = make_essay("甲", body=body), make_essay("乙", body=body + "补记。")
    duplicates.refresh()
    assert pair_of(first, second).near_duplicate

    second.body = with_punctuation(random_han(rng, 800))
    second.save()
    result = duplicates.refresh()

    assert result.checked == 1
    assert not DuplicatePair.objects.exists()


def test_a_pair_found_again_replaces_the_stored_one(rng):
    """Two checks racing over the same pair (or a rescan) leave one row, the later one's."""
    first, second = make_essay("甲", body="正文一"), make_essay("乙", body="正文二")
    row = {
        "essay_a_id": first.pk,
        "essay_b_id": second.pk,
        "similarity": 0.5,
        "near_duplicate": False,
        "passages": [{"a_start": 0, "a_end": 60, "b_start": 3, "b_end": 63, "length": 60}],
        "passage_count": 1,
        "longest_passage": 60,
        "detected_at": timezone.now(),
    }
    DuplicatePair.objects.upsert_rows([row])
    later = {**row, "similarity": 0.9, "near_duplicate": True, "passages": [], "passage_count": 0}
    DuplicatePair.objects.upsert_rows([later])

    pair = pair_of(first, second)
    assert (pair.similarity, pair.near_duplicate, pair.passages, pair.passage_count) == (0.9, True, [], 0)
    assert DuplicatePair.objects.count() == 1


def test_matches_for_texts_compares_unsaved_text_with_stored_essays(rng):
    body = with_punctuation(random_han(rng, 700))
    stored = make_essay("已存", body=body)
    duplicates.refresh()

    (matches, nothing) = duplicates.matches_for_texts([to_traditional(body), random_han(rng, 700)])

    assert [(pk, c.near_duplicate) for pk, c in matches] == [(stored.pk, True)]
    assert nothing == []
    assert DuplicatePair.objects.count() == 0  # a preview writes nothing


# The command -----------------------------------------------------------------------------------


def run_find_duplicates(*args):
    out, err = StringIO(), StringIO()
    call_command("find_duplicates", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_find_duplicates_json_lists_each_pair_and_nothing_else(rng):
    body = with_punctuation(random_han(rng, 900))
    first = make_essay("原文", body=body)
    copy = make_essay("轉載", body=to_traditional(body))
    make_essay("无关", body=with_punctuation(random_han(rng, 900)))

    out, err = run_find_duplicates("--json")

    (pair,) = json.loads(out)  # stdout is the JSON alone
    assert pair["essay_a"] == {"id": first.pk, "title": "原文"}
    assert pair["essay_b"] == {"id": copy.pk, "title": "轉載"}
    assert pair["near_duplicate"] is True and pair["similarity"] == 1.0
    assert pair["passage_count"] == 1 and pair["longest_passage"] == 900
    assert pair["passages"][0]["a_start"] == 0
    assert "已查重 3 篇文章" in err


def test_find_duplicates_rescan_rebuilds_every_pair(rng):
    body = with_punctuation(random_han(rng, 900))
    make_essay("原文", body=body)
    make_essay("转载", body=body)
    run_find_duplicates()
    DuplicatePair.objects.all().delete()

    out, _ = run_find_duplicates("--rescan", "--jobs", "2")

    assert out.startswith("1 对：近似重复 1 对")
    assert "「原文」 ~ " in out and "相似度 1.000" in out
    assert DuplicatePair.objects.count() == 1


def test_seeds_overlap_only_between_two_essays_of_seed_003():
    for prefix in ("000", "001", "002", "003", "004"):
        import_document(seed_bytes(prefix), f"{prefix}.txt")

    out, _ = run_find_duplicates("--json")

    (pair,) = json.loads(out)
    assert pair["near_duplicate"] is False
    assert pair["passage_count"] == 1 and pair["longest_passage"] == 52
    first = Essay.objects.get(pk=pair["essay_a"]["id"])
    assert first.source_document.name == "003.txt"
    span = first.body[pair["passages"][0]["a_start"] : pair["passages"][0]["a_end"]]
    assert span.startswith("工作時") and "取其所長" in span


# The admin ---------------------------------------------------------------------------------------


@pytest.fixture
def overlapping(rng):
    shared = "<script>alert('共同')</script>" + with_punctuation(random_han(rng, 80), 20)
    first = make_essay(
        "第一篇 <b>粗</b>", body=with_punctuation(random_han(rng, 300)) + "\n" + shared + "。结尾"
    )
    second = make_essay("第二篇", body="开头。" + shared + "\n" + with_punctuation(random_han(rng, 400)))
    duplicates.refresh()
    return first, second


def compare_url(first, second):
    return reverse("admin:essays_essay_compare", args=[first.pk, second.pk])


def test_side_by_side_view_highlights_the_shared_passage_escaped(admin_client, overlapping):
    first, second = overlapping

    response = admin_client.get(compare_url(first, second))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('<mark class="shared-passage"') == 2
    assert "<script>alert" not in html
    assert "第一篇 &lt;b&gt;粗&lt;/b&gt;" in html
    # The mark holds the passage from its first letter to its last: the "<" before "script"
    # is punctuation to the comparison, so it stays outside, escaped.
    mark = html.split('<mark class="shared-passage"', 1)[1].split("</mark>", 1)[0]
    assert html.split('<mark class="shared-passage"', 1)[0].endswith("&lt;")
    assert mark.split(">", 1)[1].startswith("script&gt;alert(&#x27;共同&#x27;)&lt;/script&gt;")
    assert "结尾" not in mark


def test_essay_change_page_lists_its_near_duplicates(admin_client, overlapping):
    first, second = overlapping

    html = admin_client.get(reverse("admin:essays_essay_change", args=[first.pk])).content.decode()

    assert 'id="near-duplicates"' in html
    assert "第二篇" in html
    assert compare_url(first, second) in html


def test_duplicates_list_shows_every_pair(admin_client, overlapping):
    first, second = overlapping

    response = admin_client.get(reverse("admin:essays_essay_duplicates"))

    assert response.status_code == 200
    assert compare_url(first, second) in response.content.decode()


def test_duplicate_views_are_staff_only(client, overlapping):
    first, second = overlapping
    urls = [compare_url(first, second), reverse("admin:essays_essay_duplicates")]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    client.force_login(get_user_model().objects.create_user("reader", password="读者密码-123"))
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))


def test_staff_without_essay_rights_are_refused(client, overlapping):
    first, second = overlapping
    staff = get_user_model().objects.create_user("staff", password="编辑密码-123", is_staff=True)
    client.force_login(staff)
    assert client.get(compare_url(first, second)).status_code == 403

    staff.user_permissions.add(Permission.objects.get(codename="view_essay"))
    assert client.get(compare_url(first, second)).status_code == 200


def test_a_widely_copied_text_costs_an_import_a_bounded_number_of_comparisons(rng):
    """Fifteen stored copies, one more checked: only the MAX_CANDIDATES likeliest are compared,
    the closest copy among them."""
    body = with_punctuation(random_han(rng, 600))
    copies = [make_essay(f"副本{i}", body=body + "补记" * i) for i in range(15)]
    duplicates.check_essays([c.pk for c in copies])
    newest = make_essay("新的一份", body=body)

    result = duplicates.check_essays([newest.pk])

    assert result.checked == 1
    assert result.pairs == duplicates.MAX_CANDIDATES < len(copies)
    assert DuplicatePair.objects.filter(essay_b=newest, essay_a=copies[0]).exists()


def test_a_fingerprint_more_than_common_essays_hold_proposes_no_candidates(monkeypatch):
    """A stock phrase (a slogan every essay quotes) is not copying: a passage fingerprint held
    by more than COMMON stored essays proposes none of them, one held by fewer proposes
    each; a band key (near-duplicate evidence) proposes its holders however many."""
    monkeypatch.setattr(duplicates, "COMMON", 3)
    quoting = [make_essay(f"引用{i}") for i in range(4)]
    copying = [make_essay(f"抄录{i}") for i in range(2)]
    band = BAND_TAG | 5
    SimilarityKey.objects.insert_rows(
        [(e.pk, 7) for e in quoting] + [(e.pk, 9) for e in copying] + [(e.pk, band) for e in quoting]
    )
    newest = make_essay("新的一份")

    assert duplicates._stored_candidates({newest.pk: [7, 9]}) == {(e.pk, newest.pk) for e in copying}
    assert duplicates._stored_candidates({newest.pk: [band]}) == {(e.pk, newest.pk) for e in quoting}
