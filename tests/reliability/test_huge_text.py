"""A 50 MB text of one line, the largest file the command takes by default: refused by name in
seconds, within the parse worker's limits, with nothing stored."""

import time

import pytest

from essays.models import Collection, Essay, SourceDocument
from tests.reliability.documents import run_import

pytestmark = pytest.mark.django_db

SENTENCE = "我们要坚持学习，不断提高自身素质，努力为人民服务。"


def test_a_50_mb_text_of_one_line_is_refused_as_unsplit_and_stores_nothing(tmp_path):
    line = SENTENCE.encode() * (50 * 2**20 // len(SENTENCE.encode()))
    path = tmp_path / "one-line.txt"
    path.write_bytes(line)
    assert 49 * 2**20 < path.stat().st_size <= 50 * 2**20

    started = time.monotonic()
    code, _, err = run_import(str(path))

    assert code == 1
    assert err.count("\n") == 1
    assert (
        "one-line.txt: 有一篇正文长达 17,476,2" in err
        and "（上限 2,000,000 字），不像一篇文章，未导入" in err
    )
    assert time.monotonic() - started < 60  # the parse worker's CPU limit; about 3 s here
    assert not (Collection.objects.exists() or SourceDocument.objects.exists() or Essay.objects.exists())


def test_an_essay_past_a_sane_length_is_stored_and_flagged_for_an_editor():
    from essays.services import import_document

    body = SENTENCE * 10_000  # 250,000 characters with no paragraph to split at

    outcome = import_document(("超长的心得\n" + body).encode(), "long.txt")

    assert outcome.status == "created"
    (essay,) = Essay.objects.all()
    assert any("超过 200,000 字：可能未正确分篇，请编辑核查" in w for w in essay.warnings)
