"""Editors correct how a collection is cut into essays: merge, split, move, reorder."""

import pytest
from django.contrib.admin.models import LogEntry

from essays.models import Essay, Status
from essays.services.structure import StructureError, merge_essays, move_essays, reorder_essays, split_essay
from tests.essays.admin_factories import make_author, make_collection, make_essay
from tests.essays.test_admin import messages_of, run_action

pytestmark = pytest.mark.django_db


def three_essays():
    collection = make_collection()
    author = make_author()
    essays = [
        make_essay(
            "第一篇", collection=collection, author=author, body="甲一段。\n甲二段。", themes=("党建",)
        ),
        make_essay("第二篇", collection=collection, author=author, body="乙一段。", themes=("初心使命",)),
        make_essay("第三篇", collection=collection, author=author, body="丙一段。"),
    ]
    return collection, essays


def titles(collection):
    return list(collection.essays.order_by("position").values_list("title", "position"))


def test_merging_adjacent_essays_joins_bodies_and_themes_into_the_first(admin_user):
    collection, (first, second, third) = three_essays()

    merged = merge_essays([second, first], user=admin_user)

    assert merged.pk == first.pk
    merged.refresh_from_db()
    assert merged.body == "甲一段。\n甲二段。\n乙一段。"
    assert merged.char_count == len("甲一段。甲二段。乙一段。")
    assert sorted(t.name for t in merged.themes.all()) == ["党建", "初心使命"]
    assert titles(collection) == [("第一篇", 1), ("第三篇", 2)]
    assert LogEntry.objects.filter(object_id=str(first.pk), user=admin_user).exists()


def test_essays_with_another_between_them_are_not_merged():
    collection, (first, _, third) = three_essays()

    with pytest.raises(StructureError, match="相邻"):
        merge_essays([first, third])

    assert collection.essays.count() == 3


def test_essays_of_different_collections_are_not_merged():
    _, (first, *_) = three_essays()
    _, (other, *_) = three_essays()

    with pytest.raises(StructureError, match="同一文集"):
        merge_essays([first, other])


def test_splitting_makes_the_rest_a_new_essay_right_after_with_the_same_author_and_themes():
    collection, (first, second, third) = three_essays()
    Essay.objects.filter(pk=first.pk).update(status=Status.PUBLISHED)

    new = split_essay(first, 1, title="后半篇")

    first.refresh_from_db()
    assert first.body == "甲一段。"
    assert (new.body, new.title, new.title_generated) == ("甲二段。", "后半篇", False)
    assert new.author_id == first.author_id and new.status == Status.PUBLISHED
    assert [t.name for t in new.themes.all()] == ["党建"]
    assert titles(collection) == [("第一篇", 1), ("后半篇", 2), ("第二篇", 3), ("第三篇", 4)]


def test_a_split_without_a_title_gets_a_generated_one():
    _, (first, *_) = three_essays()

    new = split_essay(first, 1)

    assert new.title_generated and new.title.startswith("甲二段")


@pytest.mark.parametrize("paragraph", [0, 2, -1])
def test_a_split_must_leave_text_on_both_sides(paragraph):
    _, (first, *_) = three_essays()

    with pytest.raises(StructureError):
        split_essay(first, paragraph)

    first.refresh_from_db()
    assert first.body == "甲一段。\n甲二段。"


def test_moving_essays_puts_them_at_the_end_of_the_other_collection_and_closes_the_gap():
    collection, (first, second, third) = three_essays()
    target = make_collection("另一个文集")
    make_essay("原有", collection=target)

    moved = move_essays([second], target)

    assert moved == 1
    assert titles(target) == [("原有", 1), ("第二篇", 2)]
    assert titles(collection) == [("第一篇", 1), ("第三篇", 2)]
    second.refresh_from_db()
    assert second.source_document_id is None or second.source_document.collection_id == collection.pk


def test_reordering_sets_positions_and_refuses_a_partial_list():
    collection, (first, second, third) = three_essays()

    reorder_essays(collection, [third.pk, first.pk, second.pk])

    assert titles(collection) == [("第三篇", 1), ("第一篇", 2), ("第二篇", 3)]
    with pytest.raises(StructureError):
        reorder_essays(collection, [first.pk, second.pk])


def test_the_admin_merges_selected_adjacent_essays(admin_client):
    collection, (first, second, _) = three_essays()

    response = run_action(admin_client, "essay", "merge_adjacent", [first, second])

    assert "已合并为「第一篇」。" in messages_of(response)
    assert collection.essays.count() == 2


def test_the_admin_split_asks_for_the_paragraph_then_splits(admin_client):
    collection, (first, *_) = three_essays()

    asked = run_action(admin_client, "essay", "split_at_paragraph", [first])
    assert "第 2 段：甲二段。" in asked.content.decode()
    assert collection.essays.count() == 3

    done = run_action(
        admin_client, "essay", "split_at_paragraph", [first], apply="yes", paragraph=1, title=""
    )

    assert collection.essays.count() == 4
    assert any("已拆分" in m for m in messages_of(done))


def test_the_admin_moves_essays_to_a_chosen_collection(admin_client):
    collection, (first, *_) = three_essays()
    target = make_collection("目标文集")

    run_action(admin_client, "essay", "move_to_collection", [first], apply="yes", collection=target.pk)

    first.refresh_from_db()
    assert first.collection == target


def test_every_essay_a_split_touches_gets_a_version_by_the_editor(admin_user):
    collection, (first, second, third) = three_essays()

    new = split_essay(first, 1, user=admin_user)

    for essay in (first, new, second, third):
        latest = essay.history.order_by("-history_date", "-history_id").first()
        assert latest is not None and latest.history_user == admin_user, essay.title
    assert second.history.order_by("-history_id").first().position == 3


def imported_collection():
    from essays.services import import_document
    from tests.conftest import seed_bytes

    outcome = import_document(seed_bytes("003"), "003.txt")
    return outcome.collection


def test_an_essay_merged_away_does_not_come_back_when_its_source_is_parsed_again():
    from essays.services import reparse_documents

    collection = imported_collection()
    count = collection.essays.count()
    first, second = collection.essays.order_by("position")[:2]

    merge_essays([first, second])
    reparse_documents()

    assert collection.essays.count() == count - 1
    assert not collection.essays.filter(source_index=second.source_index).exists()


def test_an_essay_deleted_in_the_admin_does_not_come_back_on_a_reparse(admin_client):
    from django.urls import reverse

    from essays.services import reparse_documents

    collection = imported_collection()
    count = collection.essays.count()
    victim = collection.essays.order_by("position").last()

    admin_client.post(reverse("admin:essays_essay_delete", args=[victim.pk]), {"post": "yes"})
    reparse_documents()

    assert collection.essays.count() == count - 1
    assert victim.source_document.__class__.objects.get().withdrawn_indexes == [victim.source_index]


def test_essays_dropped_or_merged_in_the_import_preview_stay_withdrawn():
    from essays.ingest import parse_document
    from essays.ingest.edits import apply_edits
    from essays.services import import_document, reparse_documents
    from tests.conftest import seed_bytes

    data = seed_bytes("003")
    parsed = parse_document(data, "003.txt")
    edited = apply_edits(parsed, [{"op": "drop", "index": 0}, {"op": "merge", "index": 0}])
    assert edited.withdrawn == [0, 2]

    collection = import_document(data, "003.txt", parsed=edited).collection
    reparse_documents()

    assert collection.essays.count() == len(parsed.essays) - 2
    assert sorted(collection.essays.values_list("source_index", flat=True)) == list(
        range(1, len(parsed.essays))
    )[:1] + list(range(3, len(parsed.essays)))
