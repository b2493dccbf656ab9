"""The real background path: the upload returns at once to a page that shows the parse's
progress and reloads; a thread parses the batch; then the preview. Confirming goes the same
way. The test waits for the thread (preview_work.wait_for_runners) before it goes on, and
the thread touches the database only while the test does not (SQLite's in-memory database
is shared between the two)."""

import threading

import pytest
from django.utils import timezone

from essays.models import Essay, PendingImport, SourceDocument
from essays.services import preview_work
from tests.conftest import seed_bytes
from tests.preview.helpers import post_edit, upload

pytestmark = pytest.mark.django_db(transaction=True)

SEED_003 = "003_b11e6ee3c82aea19.txt"
TIMEOUT = 120  # seconds: a parse on a busy machine


@pytest.fixture(autouse=True)
def background(settings, monkeypatch):
    settings.ANTHOLOGY_IMPORT_IN_BACKGROUND = True
    monkeypatch.setattr(preview_work, "WAIT", 0)  # straight to the progress page
    yield
    assert preview_work.wait_for_runners(TIMEOUT), "a runner was left running"


@pytest.fixture
def gate(monkeypatch):
    """parse_one holds each document until the test opens the gate; `entered` tells that
    the runner has taken a row and is waiting there."""
    real = preview_work.parse_one
    entered, opened = threading.Event(), threading.Event()

    def held(data, name, **options):
        entered.set()
        assert opened.wait(TIMEOUT)
        return real(data, name, **options)

    monkeypatch.setattr(preview_work, "parse_one", held)
    return entered, opened


def test_a_batch_shows_its_parse_progress_then_its_preview_then_is_stored(editor_client, gate):
    entered, opened = gate
    response = upload(
        editor_client, (SEED_003, seed_bytes("003")), ("004.txt", seed_bytes("004")), follow=False
    )
    url = response["Location"]
    assert response.status_code == 302 and url.startswith("/admin/essays/essay/import/")
    assert entered.wait(TIMEOUT)  # the runner holds the first document: the database is quiet

    response = editor_client.get(url)
    assert response.status_code == 200
    assert "正在解析 0/2" in response.text
    assert '<meta http-equiv="refresh" content="2">' in response.text
    assert 'value="discard"' in response.text
    assert not PendingImport.objects.exclude(parse="").exists()

    opened.set()
    assert preview_work.wait_for_runners(TIMEOUT)
    response = editor_client.get(url)
    assert "导入预览" in response.text and response.text.count('class="import-essay"') == 11
    assert set(PendingImport.objects.values_list("stage", flat=True)) == {"ready"}

    response = post_edit(editor_client, url, response, action="confirm", follow=False)
    assert preview_work.wait_for_runners(TIMEOUT)
    response = editor_client.get(url, follow=True)
    assert "新建 10 篇" in response.text and "新建 1 篇" in response.text
    assert SourceDocument.objects.count() == 2 and Essay.objects.count() == 11
    assert not PendingImport.objects.exists()


def test_a_storing_batch_shows_its_progress(editor, editor_client):
    """While a confirm is being stored the page says so and offers no discard."""
    response = upload(editor_client, ("004.txt", seed_bytes("004")), follow=False)
    assert preview_work.wait_for_runners(TIMEOUT)
    url = response["Location"]
    PendingImport.objects.update(stage=PendingImport.Stage.STORING, claimed_at=timezone.now())

    response = editor_client.get(url)

    assert "正在导入 0/1" in response.text and 'value="discard"' not in response.text
    response = editor_client.post(url, {"action": "discard"}, follow=True)
    assert "正在导入，不能放弃" in response.text and PendingImport.objects.exists()
