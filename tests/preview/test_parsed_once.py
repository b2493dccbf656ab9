"""A batch is parsed once, after the upload; the preview, corrections and confirm read the
stored parse and never parse again."""

import json
import uuid
from dataclasses import replace
from datetime import timedelta

import pytest
from django.utils import timezone

from essays.ingest import parse_document
from essays.ingest.model import ParsedDocument
from essays.models import Essay, PendingImport, SourceDocument
from essays.services import preview_work
from tests.conftest import seed_bytes
from tests.preview.helpers import post_edit, preview_url, upload, versions

pytestmark = pytest.mark.django_db

SEED_003 = "003_b11e6ee3c82aea19.txt"


@pytest.fixture(autouse=True)
def _work_in_the_request(settings):
    settings.ANTHOLOGY_IMPORT_IN_BACKGROUND = False  # test_admin_import_progress runs the thread


@pytest.fixture
def parses(monkeypatch):
    """The documents the import sends to parse_one (the real one still parses them)."""
    seen = []
    real = preview_work.parse_one

    def counting(data, name, **options):
        seen.append(name)
        return real(data, name, **options)

    monkeypatch.setattr(preview_work, "parse_one", counting)
    return seen


@pytest.fixture
def no_parsing(monkeypatch):
    """From here on, any parse anywhere fails the test."""

    def forbidden(*args, **kwargs):
        raise AssertionError("parsed again")

    def forbid():
        for target in (
            "essays.services.preview_work.parse_one",
            "essays.services.importing.parse_one",
            "essays.services.importing.parse_document",
            "essays.ingest.parallel.parse_one",
            "essays.ingest.parallel.parse_here",
            "essays.ingest.parse_document",
        ):
            monkeypatch.setattr(target, forbidden, raising=False)  # wherever it is imported

    return forbid


@pytest.mark.parametrize("seed", ["000", "001", "002", "003", "004"])
def test_a_stored_parse_reads_back_as_the_same_parse(seed):
    """Pages (000 is page 2/2), partial dates (001: --03-06), repairs and counts (003) and
    the decoded text all survive JSON, so the preview shows exactly the parser's result."""
    parsed = parse_document(seed_bytes(seed), f"{seed}.txt")
    stored = json.loads(json.dumps(parsed.as_stored_json(), ensure_ascii=False))
    assert ParsedDocument.from_json(stored) == parsed


def test_a_parse_stored_in_another_format_is_not_taken_for_one():
    with pytest.raises(ValueError):
        ParsedDocument.from_json({"source": "x.txt", "essays": []})  # as_json's report shape


def test_the_upload_parses_each_document_once_and_stores_the_parse(editor_client, parses):
    upload(editor_client, (SEED_003, seed_bytes("003")), ("004.txt", seed_bytes("004")))

    assert parses == [SEED_003, "004.txt"]
    first, second = PendingImport.objects.order_by("position")
    assert first.stage == second.stage == PendingImport.Stage.READY
    # with every line's role kept for the preview (issue 15); the roles compared without the
    # model's confidences, which the worker's copy of the model gives to the last digits only
    stored = ParsedDocument.from_json(json.loads(first.parse))
    here = parse_document(seed_bytes("003"), SEED_003, with_roles=True)
    assert [(r.start, r.end, r.role) for r in stored.line_roles] == [
        (r.start, r.end, r.role) for r in here.line_roles
    ]
    assert stored.line_roles and replace(stored, line_roles=[]) == replace(here, line_roles=[])
    assert not first.error and len(ParsedDocument.from_json(json.loads(second.parse)).essays) == 1


def test_the_preview_corrections_and_confirm_never_parse_again(editor_client, parses, no_parsing):
    response = upload(editor_client, (SEED_003, seed_bytes("003")), ("004.txt", seed_bytes("004")))
    url = preview_url(response)
    no_parsing()

    response = editor_client.get(url)
    assert response.text.count('class="import-essay"') == 11
    pk = next(iter(versions(response)))
    response = post_edit(editor_client, url, response, action=f"merge:{pk}:0", **{f"t-{pk}-2": "改过的标题"})
    assert response.text.count('class="import-essay"') == 10 and 'value="改过的标题"' in response.text
    response = post_edit(editor_client, url, response, action="confirm")

    assert "新建 9 篇" in response.text and "新建 1 篇" in response.text
    assert Essay.objects.count() == 10 and Essay.objects.filter(title="改过的标题").exists()
    assert parses == [SEED_003, "004.txt"]  # the upload's, and no others


def abandoned(editor, *, stage, minutes_ago, **values):
    """A batch of seed 004 that a runner took `minutes_ago` and never finished."""
    data = seed_bytes("004")
    return PendingImport.objects.create(
        batch=uuid.uuid4(),
        name="004.txt",
        data=data,
        user=editor,
        stage=stage,
        claimed_at=timezone.now() - timedelta(minutes=minutes_ago),
        edits={"ops": []},
        **values,
    )


def test_a_parse_abandoned_by_a_dead_worker_is_taken_up_again_when_the_page_is_viewed(
    editor, editor_client, parses
):
    row = abandoned(editor, stage=PendingImport.Stage.PARSING, minutes_ago=10)
    url = f"/admin/essays/essay/import/{row.batch}/"

    response = editor_client.get(url)

    assert parses == ["004.txt"]
    assert response.text.count('class="import-essay"') == 1
    row.refresh_from_db()
    assert row.stage == PendingImport.Stage.READY and row.claimed_at is None


def test_a_parse_under_way_elsewhere_is_left_to_it_and_its_progress_shown(editor, editor_client, parses):
    row = abandoned(editor, stage=PendingImport.Stage.PARSING, minutes_ago=1)

    response = editor_client.get(f"/admin/essays/essay/import/{row.batch}/")

    assert parses == []
    assert "正在解析 0/1" in response.text and 'http-equiv="refresh"' in response.text
    assert "此页每 2 秒自动刷新" in response.text


def test_a_confirm_cut_short_by_a_dead_worker_is_finished_on_the_next_view(editor, editor_client, parses):
    """The worker died (a timeout) while storing: the row is taken up again after the lease,
    stored once, and the batch reports it."""
    parsed = parse_document(seed_bytes("004"), "004.txt")
    row = abandoned(
        editor,
        stage=PendingImport.Stage.STORING,
        minutes_ago=preview_work.LEASE.total_seconds() / 60 + 1,
        parse=json.dumps(parsed.as_stored_json(), ensure_ascii=False),
    )

    response = editor_client.get(f"/admin/essays/essay/import/{row.batch}/", follow=True)

    assert parses == []
    assert "004.txt：已导入（新建）" in response.text
    assert SourceDocument.objects.count() == 1 and Essay.objects.count() == 1
    assert not PendingImport.objects.exists()
