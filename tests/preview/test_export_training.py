"""`manage.py export_training`: the documents an editor corrected line by line, in the corpus
format, and the corrections learnt by the next training (issue 15, Deliver 4)."""

import csv
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from essays.ingest import parse_document
from essays.ingest.roles import train
from essays.ingest.roles.check import check_corpus
from essays.ingest.roles.corpus import Document, line_roles
from essays.ingest.roles.export import truth_from_roles
from essays.models import SourceLineRoles
from tests.preview.helpers import post_edit, preview_url, upload
from tests.preview.test_line_roles import NAME, PAGE, set_role

pytestmark = pytest.mark.django_db
CORRECTIONS = {7: "title", 10: "chrome"}  # the model reads both lines as body text


@pytest.fixture(autouse=True)
def _work_in_the_request(settings):
    settings.ANTHOLOGY_IMPORT_IN_BACKGROUND = False


def import_corrected(client, name=NAME, data=PAGE, corrections=CORRECTIONS):
    response = upload(client, (name, data))
    url = preview_url(response)
    for line, role in corrections.items():
        response = set_role(client, url, response, line + 1, role)
    post_edit(client, url, response, action="confirm")


def roles_by_line(parsed) -> dict[int, str]:
    return {r.start: r.role for r in parsed.line_roles}


def test_truth_from_roles_gives_back_the_roles_it_was_made_from(tmp_path):
    corrected = parse_document(PAGE, NAME, corrections=CORRECTIONS)
    truth = truth_from_roles(
        corrected.text, corrected.line_roles, authors=[(e.author, e.organization) for e in corrected.essays]
    )
    assert [e["title"] for e in truth["essays"]] == ["学习党章的体会", "关于基层工作的几点思考"]
    assert truth["essays"][0]["byline_raw"] == "县财政局 王明"
    assert (truth["essays"][0]["author"], truth["essays"][0]["organization"]) == ("王明", "县财政局")
    assert truth["chrome_lines"] == ["扫一扫在手机上阅读本页", "本站文章均来自会员投稿"]
    path = tmp_path / "ed-1.txt"
    path.write_text(corrected.text, encoding="utf-8")
    got = line_roles(Document("ed-1", path, truth))
    wanted = {r.start: r.role for r in corrected.line_roles}
    # the corpus names a titled essay's first body line too ("start"); the preview calls it body
    assert {i: "body" if role == "start" else role for i, role in enumerate(got) if role} == wanted


def test_an_author_the_text_does_not_hold_is_left_out():
    corrected = parse_document(PAGE, NAME, with_roles=True)
    truth = truth_from_roles(corrected.text, corrected.line_roles, authors=[("赵六", "县财政局")])
    assert (truth["essays"][0]["author"], truth["essays"][0]["organization"]) == (None, "县财政局")


def test_export_writes_the_corrected_documents_in_the_corpus_format(editor_client, tmp_path):
    import_corrected(editor_client)
    # a document confirmed without a role correction is no training data
    response = upload(
        editor_client, ("另一篇.txt", "另一篇心得\n我们要认真学习，做好本职工作，不断提高。".encode())
    )
    post_edit(editor_client, preview_url(response), response, action="confirm")
    assert SourceLineRoles.objects.count() == 2

    call_command("export_training", "--out", str(tmp_path))
    (record,) = [r for r in SourceLineRoles.objects.all() if r.corrections]
    name = f"ed-{record.document_id:06d}"
    assert sorted(p.name for p in (tmp_path / "docs").iterdir()) == [f"{name}.txt"]
    assert (tmp_path / "docs" / f"{name}.txt").read_text("utf-8") == PAGE.decode()
    truth = json.loads((tmp_path / "truth" / f"{name}.json").read_text("utf-8"))
    assert [e["title"] for e in truth["essays"]] == ["学习党章的体会", "关于基层工作的几点思考"]
    assert (
        "本站文章均来自会员投稿" in truth["chrome_lines"] and truth["collection_title"] == "党员教育心得汇编"
    )
    with (tmp_path / "manifests" / "editor.tsv").open(encoding="utf-8") as f:
        (row,) = list(csv.DictReader(f, delimiter="\t"))
    assert row["file"] == f"docs/{name}.txt" and row["kind"] == "full-doc"
    assert check_corpus(tmp_path) == []


def test_since_leaves_out_older_corrections(editor_client, tmp_path):
    import_corrected(editor_client)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    call_command("export_training", "--out", str(tmp_path), "--since", tomorrow)
    assert list((tmp_path / "docs").iterdir()) == []
    call_command("export_training", "--out", str(tmp_path), "--since", timezone.localdate().isoformat())
    assert len(list((tmp_path / "docs").iterdir())) == 1


def test_export_then_train_then_the_document_parses_as_corrected(editor_client, tmp_path):
    """The round trip: what the editor set by hand, the retrained model gives unasked."""
    shipped = roles_by_line(parse_document(PAGE, NAME, with_roles=True))
    assert {line: shipped[line] for line in CORRECTIONS} == {7: "body", 10: "body"}

    import_corrected(editor_client)
    out = tmp_path / "export"
    call_command("export_training", "--out", str(out))
    model = tmp_path / "model.crfsuite"
    assert train.main(["--extra", str(out), "--out", str(model)]) == 0

    again = parse_document(PAGE, NAME, with_roles=True, model=model)  # no corrections passed
    assert {line: roles_by_line(again)[line] for line in CORRECTIONS} == CORRECTIONS
    corrected = parse_document(PAGE, NAME, corrections=CORRECTIONS)
    assert [(e.title, e.body) for e in again.essays] == [(e.title, e.body) for e in corrected.essays]
