"""Importing documents: the service every importer (command, admin) shares."""

import json
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from essays.models import Author, Collection, DuplicatePair, Essay, SourceDocument, Status, Theme
from essays.search.backends import Scope
from essays.search.index import search_essays
from essays.search.tokens import parse_query
from essays.services import import_document, import_paths, importing, reparse_documents
from tests.conftest import ROOT, SEEDS, seed_bytes

pytestmark = pytest.mark.django_db


def table_counts():
    return {
        model.__name__: model.objects.count() for model in (Collection, SourceDocument, Essay, Author, Theme)
    }


def test_importing_a_seed_stores_its_source_and_essays():
    """A seed becomes a collection with essays, and its exact bytes are kept for audit."""
    data = seed_bytes("004")
    outcome = import_document(data, "seeds/004.txt", status=Status.PUBLISHED)

    assert outcome.status == "created"
    document = SourceDocument.objects.get()
    assert bytes(document.raw) == data
    assert document.text == data.decode("utf-8")
    assert document.encoding
    essays = list(outcome.collection.essays.all())
    assert essays, "the seed yields at least one essay"
    assert all(e.status == Status.PUBLISHED and e.published_at for e in essays)
    assert any("中小学基层党组织书记培训班学习心得" in e.title for e in essays)


def test_importing_the_same_bytes_twice_changes_nothing():
    """A second import of identical bytes writes nothing and says so."""
    data = seed_bytes("001")
    import_document(data, "a.txt", status=Status.PUBLISHED)
    before = table_counts()
    updated_at = list(Essay.objects.values_list("updated_at", flat=True))

    again = import_document(data, "copy-of-a.txt", status=Status.PUBLISHED)

    assert again.status == "unchanged"
    assert table_counts() == before
    assert list(Essay.objects.values_list("updated_at", flat=True)) == updated_at


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty"),
        (bytes(range(256)) * 8, "binary"),
        ("我们要认真学习党的理论知识，加强党性修养。".encode("gbk")[:-1], "cut off"),
    ],
    ids=["empty", "binary", "truncated GBK"],
)
def test_a_bad_file_is_refused_with_its_name_and_leaves_the_database_as_it_was(data, reason):
    """Empty or binary input gives an error naming the file, and nothing is written."""
    import_document(seed_bytes("004"), "good.txt")
    before = table_counts()

    outcome = import_document(data, "broken/file.txt")

    assert outcome.status == "failed"
    assert outcome.error.startswith("broken/file.txt: ")
    assert reason in outcome.error
    assert table_counts() == before


def test_good_files_still_import_when_one_in_the_batch_is_bad(tmp_path):
    """One unreadable file is reported; the others in the same run are imported."""
    (tmp_path / "a_bad.txt").write_bytes(b"")
    (tmp_path / "b_good.txt").write_bytes(seed_bytes("004"))

    outcomes = list(import_paths([str(tmp_path)]))

    assert [o.ok for o in outcomes] == [False, True]
    assert Collection.objects.count() == 1


def test_folders_are_searched_recursively_in_name_order(tmp_path):
    """Every source file under a folder is found, including in sub-folders, and named
    relative to the folder given."""
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_bytes(seed_bytes("004"))
    (tmp_path / "a.txt").write_bytes(seed_bytes("001"))
    (tmp_path / "notes.json").write_text("{}")

    sources = [o.source for o in import_paths([str(tmp_path)], dry_run=True)]

    assert sources == ["a.txt", "sub/b.txt"]


def test_a_dry_run_writes_nothing():
    """--dry-run parses and reports but leaves every table empty."""
    outcome = import_document(seed_bytes("000"), "000.txt", dry_run=True)

    assert outcome.status == "parsed"
    assert outcome.parsed.essays
    assert sum(table_counts().values()) == 0


def test_reimporting_never_overwrites_an_essay_an_editor_changed():
    """Re-parsing a stored source keeps an edited essay and reports it as kept."""
    outcome = import_document(seed_bytes("001"), "001.txt")
    essay = outcome.collection.essays.order_by("position").last()
    essay.body = essay.body + "\n编辑补充的一段。"
    essay.save()

    (result,) = reparse_documents()

    essay.refresh_from_db()
    assert essay.body.endswith("编辑补充的一段。")
    assert result.essays_kept == 1


def test_reparsing_updates_essays_an_older_pipeline_produced():
    """An unedited essay stored by an older pipeline is brought up to date by --reparse."""
    outcome = import_document(seed_bytes("004"), "004.txt")
    essay = outcome.collection.essays.order_by("position").first()
    current_body = essay.body
    # What an older pipeline would have stored: different text, fingerprinted as imported.
    from essays.services.import_rows import essay_fingerprint

    essay.body = "旧的解析结果"
    essay.imported_fingerprint = essay_fingerprint(essay)
    essay.save()

    (result,) = reparse_documents()

    essay.refresh_from_db()
    assert essay.body == current_body
    assert result.essays_updated == 1


def test_the_same_author_written_in_both_scripts_is_one_author():
    """張靜 of 杏花嶺法院政治部 and 张静 of 杏花岭法院政治部 are one person."""
    first = Author.objects.for_byline("張靜", "杏花嶺法院政治部")
    second = Author.objects.for_byline("张静", "杏花岭法院政治部")

    assert first == second
    assert first.name == "張靜"


def test_the_command_exits_non_zero_when_any_file_failed(tmp_path, capsys):
    """import_essays imports the good files, names the bad one, and exits 1."""
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")

    with pytest.raises(SystemExit) as exit_info:
        call_command("import_essays", str(bad), str(SEEDS / next(SEEDS.glob("004_*")).name))

    assert exit_info.value.code == 1
    captured = capsys.readouterr()
    assert "empty.txt：文件是空的" in captured.err
    assert Collection.objects.count() == 1


def test_the_command_prints_a_summary(capsys):
    """A successful run ends with documents, collections, essays and warnings counted."""
    call_command("import_essays", str(SEEDS), "--status", "published")

    out = capsys.readouterr().out
    assert "文档：5 个（失败 0 个，冲突 0 个）" in out
    assert "文集：" in out and "文章：" in out and "警告：" in out
    # Two essays of seed 003 share a 52-character passage (tests/dedup has the details).
    assert "与已存文章重合：近似重复 0 篇，共有 50 字以上段落 1 篇" in out


def test_dry_run_json_prints_only_the_json_contract():
    """`--dry-run --json` prints a JSON list on stdout and nothing else, in a real process."""
    seeds = sorted(str(p) for p in SEEDS.glob("*.txt"))
    run = subprocess.run(
        [sys.executable, "manage.py", "import_essays", "--dry-run", "--json", *seeds],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )

    documents = json.loads(run.stdout)
    # named as given on the command line, without the server's folders
    assert [d["source"] for d in documents] == [Path(p).name for p in seeds]
    for document in documents:
        assert set(document["collection"]) >= {"title", "declared_essay_count", "page", "script", "date"}
        for essay in document["essays"]:
            assert set(essay) >= {
                "title",
                "title_generated",
                "author",
                "organization",
                "body",
                "is_fragment",
                "themes",
                "script",
                "warnings",
            }


PAGE_ONE = """2024年在焦裕禄干部学院的学习体会汇编7篇(第1/2页)
学习焦裕禄精神心得
今年九月,我参加了在焦裕禄干部学院举办的培训班,短短五天的学习让我收获很大。我们走进焦裕禄纪念园,聆听了一堂堂生动的现场教学课,深受教育和启发。
回到工作岗位后,我将把学到的精神落实到日常工作中,踏踏实实为群众办实事、解难题。
""".encode()


@pytest.mark.parametrize("order", ["page one first", "page two first"])
def test_pages_of_one_collection_end_in_one_collection_in_page_order(order):
    """Page 1 and page 2 of a collection become one collection, page 1's essays first."""
    pages = [(PAGE_ONE, "page-1.txt"), (seed_bytes("000"), "page-2.txt")]
    if order == "page two first":
        pages.reverse()

    for data, name in pages:
        assert import_document(data, name).ok

    collection = Collection.objects.get()
    titles = list(collection.essays.order_by("position").values_list("title", flat=True))
    assert titles[0] == "学习焦裕禄精神心得"
    assert "焦桐下的思雨" in titles
    assert list(collection.essays.order_by("position").values_list("position", flat=True)) == list(
        range(1, len(titles) + 1)
    )
    assert collection.declared_essay_count == 7


def test_an_editors_order_survives_the_import_of_an_earlier_page():
    """Page 2 is stored and reordered by hand; page 1 arrives: its essays go first, page 2's
    keep the editor's order."""
    import_document(seed_bytes("000"), "page-2.txt")
    collection = Collection.objects.get()
    page_two = list(collection.essays.order_by("position"))
    assert len(page_two) >= 2
    page_two.reverse()
    for position, essay in enumerate(page_two, start=1):
        Essay.objects.filter(pk=essay.pk).update(position=position)

    import_document(PAGE_ONE, "page-1.txt")

    ordered = list(collection.essays.order_by("position").values_list("title", "position"))
    assert ordered[0][0] == "学习焦裕禄精神心得"
    assert [title for title, _ in ordered[1:]] == [essay.title for essay in page_two]
    assert [position for _, position in ordered] == list(range(1, len(ordered) + 1))


def test_a_corrected_copy_of_a_stored_page_updates_it_instead_of_duplicating_its_essays():
    """New bytes for the same page of a collection replace that page's essays in place."""
    original = seed_bytes("004")
    import_document(original, "004.txt")
    essay_ids = set(Essay.objects.values_list("id", flat=True))

    corrected = original.replace("受益匪浅".encode(), "获益良多".encode())
    outcome = import_document(corrected, "004.txt")

    assert outcome.status == "updated"
    assert SourceDocument.objects.count() == 1
    assert set(Essay.objects.values_list("id", flat=True)) == essay_ids
    assert any("获益良多" in body for body in Essay.objects.values_list("body", flat=True))


def test_an_editor_changing_only_the_themes_is_respected_by_a_reparse():
    """Themes are part of what an editor may change; a reparse does not reset them."""
    outcome = import_document(seed_bytes("004"), "004.txt")
    essay = outcome.collection.essays.get()
    essay.themes.set(["编辑选定的主题"])

    (result,) = reparse_documents()

    assert list(essay.themes.names()) == ["编辑选定的主题"]
    assert result.essays_kept == 1


def test_an_author_already_stored_in_the_other_script_does_not_look_like_an_edit():
    """Linking 張靜 to an existing 张静 is not mistaken for an editor's change on reparse."""
    Author.objects.for_byline("张静", "杏花岭法院政治部")
    import_document(seed_bytes("001"), "001.txt")

    (result,) = reparse_documents()

    assert result.essays_kept == 0
    assert Author.objects.count() == 1


def test_a_published_essay_the_parser_no_longer_finds_is_kept():
    """A reparse that yields fewer essays keeps a published one and says so."""
    outcome = import_document(seed_bytes("000"), "000.txt", status=Status.PUBLISHED)
    last = outcome.collection.essays.order_by("position").last()
    # The stored source loses its last essay, as if a better parser no longer split it off.
    document = last.source_document
    last.source_index = 99
    last.save(update_fields=["source_index"])

    (result,) = reparse_documents([document])

    assert Essay.objects.filter(pk=last.pk).exists()
    assert any("因已发布而保留" in w for w in result.warnings)


def test_sources_are_shown_by_file_name_not_by_the_importers_path(tmp_path):
    """A collection's source is the file's name, not where it lay on the importer's disk."""
    path = tmp_path / "secret-folder" / "004.txt"
    path.parent.mkdir()
    path.write_bytes(seed_bytes("004"))

    (outcome,) = import_paths([str(path)])

    assert outcome.collection.source == "004.txt"


def test_parsing_in_worker_processes_stores_what_one_process_stores(tmp_path):
    """A bulk import parses on every core; the result must not depend on it."""
    call_command("import_essays", str(SEEDS), "--jobs", "1", stdout=StringIO())
    one = sorted(Essay.objects.values_list("title", "author__name", "body", "position"))
    Collection.objects.all().delete()
    Author.objects.all().delete()

    call_command("import_essays", str(SEEDS), "--jobs", "2", stdout=StringIO())

    assert sorted(Essay.objects.values_list("title", "author__name", "body", "position")) == one
    assert SourceDocument.objects.count() == len(list(SEEDS.glob("*.txt")))


# Many documents at once ---------------------------------------------------------------------


def stored_state():
    """Everything an import writes that a reader or an editor sees, ids aside."""
    essays = sorted(
        (
            e.collection.title,
            e.source_document.name,
            e.position,
            e.source_index,
            e.title,
            e.title_generated,
            e.author.name if e.author else "",
            e.author.organization if e.author else "",
            e.body,
            e.source_text,
            e.status,
            e.imported_fingerprint,
            tuple(sorted(t.name for t in e.themes.all())),
            tuple(
                (v.history_type, v.history_change_reason, tuple(v.themes_snapshot), v.body)
                for v in e.history.order_by("history_id")
            ),
        )
        for e in Essay.objects.select_related("collection", "source_document", "author")
    )
    collections = sorted(
        (c.key, c.title, c.source, c.declared_essay_count, c.script, c.history.count())
        for c in Collection.objects.all()
    )
    documents = sorted(
        (
            d.name,
            d.sha256,
            d.encoding,
            d.page_number,
            bytes(d.raw),
            d.text,
            json.dumps(d.report, sort_keys=True),
        )
        for d in SourceDocument.objects.all()
    )
    authors = sorted(
        (a.name, a.organization, tuple(a.history.values_list("history_change_reason", flat=True)))
        for a in Author.objects.all()
    )
    return essays, collections, documents, authors


def sample_folder(tmp_path):
    """The seeds and the dev-set pages: documents that start collections, and two pages of
    one collection (which go one by one)."""
    folder = tmp_path / "docs"
    folder.mkdir()
    for path in [*SEEDS.glob("*.txt"), *(ROOT / "tests/fixtures/devset/docs").iterdir()]:
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / "zz-page-1.txt").write_bytes(PAGE_ONE)
    return folder


def test_a_folder_stored_in_bulk_is_stored_as_one_document_at_a_time_would_be(tmp_path):
    """import_paths stores new collections many at a time; what it stores (essays, order,
    authors, themes, versions and their reasons, sources) is what importing each file on
    its own stores."""
    folder = sample_folder(tmp_path)
    files = sorted(folder.iterdir())

    for path in files:
        assert import_document(path.read_bytes(), str(path), status=Status.PUBLISHED).ok
    one_by_one = stored_state()
    Collection.objects.all().delete()
    Author.objects.all().delete()

    with CaptureQueriesContext(connection) as queries:
        outcomes = list(import_paths([str(folder)], status=Status.PUBLISHED, jobs=1))
    # Stored together, not ~20 queries per document (as import_document needs alone).
    assert len(queries) < 8 * len(files)

    assert [o.source for o in outcomes] == [p.name for p in files]
    assert all(o.status == "created" for o in outcomes)
    assert stored_state() == one_by_one
    assert sum(o.essays_created for o in outcomes) == Essay.objects.count()
    # New collections' essays are searchable like any others.
    first = Essay.objects.order_by("pk").first()
    assert first.pk in search_ids(first.title)


def duplicate_state():
    """Flagged pairs, named by (source document, position) rather than by id."""
    name = {
        e.pk: (e.source_document.name, e.position) for e in Essay.objects.select_related("source_document")
    }
    return sorted(
        (*sorted([name[p.essay_a_id], name[p.essay_b_id]]), p.similarity, p.near_duplicate, p.passage_count)
        for p in DuplicatePair.objects.all()
    )


def test_a_bulk_import_compares_in_worker_processes_and_finds_what_one_process_finds(tmp_path, monkeypatch):
    """With several processes the exact comparisons of one batch run in workers while the
    next batch is stored; the pairs flagged, and the counts on each receipt, are those an
    import in one process gives."""
    folder = sample_folder(tmp_path)
    # Seed 004's essay, copied to another site under another title: a near-duplicate.
    body = (SEEDS / "004_f25ae964a5df2673.txt").read_text().split("\n", 5)[5]
    (folder / "zz-copy.txt").write_text("转载：一位书记的培训体会\n\n" + body + "\n转载时补充的一句话。\n")
    monkeypatch.setattr(importing, "STORE_BATCH", 4)  # several batches, so they overlap

    def receipts(outcomes):
        return [(Path(o.source).name, o.status, o.near_duplicates, o.shared_passages) for o in outcomes]

    alone = receipts(import_paths([str(folder)], jobs=1))
    pairs = duplicate_state()
    Collection.objects.all().delete()
    Author.objects.all().delete()

    assert receipts(import_paths([str(folder)], jobs=2)) == alone
    assert duplicate_state() == pairs
    assert any(near for *_, near, _ in pairs)  # the copy was found
    assert sum(r[2] + r[3] for r in alone) == len(pairs)
    # Every checked essay is stamped, so find_duplicates has nothing left to do.
    assert not Essay.objects.filter(duplicate_signature__isnull=True).exists()
    # The index strings the workers made are the essays' own: each is found by a phrase of its body.
    for essay in Essay.objects.all():
        phrase = next(run for run in re.findall(r"[\u4e00-\u9fff]{6,}", essay.body[len(essay.body) // 2 :]))
        assert essay.pk in search_ids(phrase[:6]), (essay.title, phrase)


def search_ids(text):
    return search_essays(parse_query(text), Scope(published_only=False), limit=50).ids


def refuse_essays_titled(word):
    """Make the database itself refuse an essay whose title holds `word`, as a full disk or
    a constraint would: a real error from the real database, in the middle of a batch."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "CREATE TRIGGER refuse BEFORE INSERT ON essays_essay "
                f"WHEN NEW.title LIKE '%{word}%' BEGIN SELECT RAISE(ABORT, 'refused'); END"
            )
        else:
            cursor.execute(
                "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                f"IF NEW.title LIKE '%{word}%' THEN RAISE EXCEPTION 'refused'; END IF; "
                "RETURN NEW; END $$"
            )
            cursor.execute(
                "CREATE TRIGGER refuse BEFORE INSERT ON essays_essay FOR EACH ROW EXECUTE FUNCTION refuse()"
            )


def test_a_document_the_database_refuses_fails_alone_and_leaves_nothing_behind(tmp_path):
    """When one document of a batch cannot be stored, the batch is stored again one document
    at a time: that one is reported by name, the others are stored, nothing of it remains."""
    folder = tmp_path / "docs"
    folder.mkdir()
    for path in SEEDS.glob("*.txt"):
        (folder / path.name).write_bytes(path.read_bytes())
    bad = folder / "zz-bad.txt"
    bad.write_text("拒收专用标题\n\n作者：王拒收\n\n" + "这是一段不会被保存的正文，用来检验导入的回滚。" * 5)
    refuse_essays_titled("拒收")

    outcomes = {Path(o.source).name: o for o in import_paths([str(folder)], jobs=1)}

    assert outcomes["zz-bad.txt"].status == "failed"
    assert outcomes["zz-bad.txt"].error.startswith("zz-bad.txt：无法写入数据库")
    assert all(o.status == "created" for name, o in outcomes.items() if name != "zz-bad.txt")
    assert SourceDocument.objects.count() == len(outcomes) - 1
    assert not SourceDocument.objects.filter(name=bad.name).exists()
    assert not Collection.objects.filter(title__contains="拒收").exists()
    assert not Author.objects.filter(name__contains="拒收").exists()
    assert not Essay.objects.filter(body__contains="不会被保存").exists()


def test_an_untitled_fragment_is_named_by_its_opening_words_as_the_pipeline_names_it():
    """Page 2 of seed 000 opens with the end of an essay from page 1: "总之，…" alone would
    be a poor name for it."""
    import_document(seed_bytes("000"), "seeds/000.txt", status=Status.PUBLISHED)
    fragment = Essay.objects.get(is_fragment=True)
    assert fragment.title_generated
    assert fragment.title.startswith("总之，通过异地党性锻炼")
    assert len(fragment.title) <= 31  # a clause of 30 characters, or cut at a word end and marked "…"
