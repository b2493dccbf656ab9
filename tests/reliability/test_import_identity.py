"""A source's identity: what it holds and its name relative to the import, never the path as
typed. A different file never takes a stored page's place unasked, and the bytes a page held
are kept whenever new ones take their place."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from essays.models import Collection, Essay, SourceDocument, SourceVersion
from essays.services import import_document
from tests.conftest import ROOT, SEEDS, seed_bytes
from tests.reliability.documents import OTHER_PAGE_TWO, PAGE_TWO
from tests.reliability.documents import run_import as run

pytestmark = pytest.mark.django_db


def state():
    """Everything an import could change, to show that a refused one changed nothing."""
    return {
        "collections": sorted(Collection.objects.values_list("pk", "title", "updated_at")),
        "sources": sorted(SourceDocument.objects.values_list("pk", "name", "sha256", "raw")),
        "essays": sorted(Essay.objects.values_list("pk", "title", "body", "updated_at")),
        "essay versions": Essay.history.count(),
        "source versions": SourceVersion.objects.count(),
    }


# Conflicts ------------------------------------------------------------------------------


def test_a_different_file_claiming_a_stored_page_is_a_conflict_and_changes_nothing():
    assert import_document(PAGE_TWO, "site-a/page-2.txt").status == "created"
    before = state()

    outcome = import_document(OTHER_PAGE_TWO, "site-b/page-2.txt")

    assert outcome.status == "conflict" and not outcome.ok
    assert outcome.conflict_with.name == "site-a/page-2.txt"
    assert "\n" not in outcome.error
    assert outcome.error.startswith("site-b/page-2.txt：与已存的《")
    assert "第 2 页（site-a/page-2.txt）内容不同" in outcome.error
    assert state() == before


def test_the_same_name_with_other_content_is_a_conflict_too():
    """Scraped pages are often all called index.html: the name alone proves nothing."""
    import_document(PAGE_TWO, "index.html.txt")
    before = state()

    assert import_document(OTHER_PAGE_TWO, "index.html.txt").status == "conflict"
    assert state() == before


def test_a_folder_holding_two_claims_on_one_page_reports_the_second_every_time(tmp_path):
    """Re-importing such a folder neither rewrites the page nor adds versions."""
    (tmp_path / "a.txt").write_bytes(PAGE_TWO)
    (tmp_path / "b.txt").write_bytes(OTHER_PAGE_TWO)

    code, out, err = run(str(tmp_path))
    assert code == 1
    assert "a.txt：新建" in out
    assert err.count("\n") == 1 and "b.txt：与已存的《" in err and "--replace" in err
    assert "文档：2 个（失败 0 个，冲突 1 个）" in out
    after_first = state()

    for _ in range(2):
        code, _, err = run(str(tmp_path))
        assert code == 1 and "b.txt：与已存的《" in err
        assert state() == after_first


def test_replace_puts_the_new_file_in_the_pages_place_and_keeps_the_old_bytes(tmp_path):
    import_document(PAGE_TWO, "a.txt")
    page = SourceDocument.objects.get()
    (tmp_path / "b.txt").write_bytes(OTHER_PAGE_TWO)

    code, out, _ = run(str(tmp_path / "b.txt"), "--replace")

    assert code == 0 and "b.txt：替换" in out
    page.refresh_from_db()
    assert (page.name, bytes(page.raw)) == ("b.txt", OTHER_PAGE_TWO)
    (kept,) = SourceVersion.objects.all()
    assert (kept.document, kept.name, bytes(kept.raw), kept.reason) == (page, "a.txt", PAGE_TWO, "replaced")
    titles = set(page.essays.values_list("title", flat=True))
    assert titles == {"乡村振兴调研有感", "基层治理的体会"}


def test_keep_both_stores_the_claiming_file_as_a_collection_of_its_own(tmp_path):
    import_document(PAGE_TWO, "a.txt")
    before = set(Essay.objects.values_list("pk", "body"))
    (tmp_path / "b.txt").write_bytes(OTHER_PAGE_TWO)

    code, out, _ = run(str(tmp_path / "b.txt"), "--keep-both")

    assert code == 0 and "b.txt：新建" in out
    assert Collection.objects.count() == 2
    assert before <= set(Essay.objects.values_list("pk", "body"))
    assert not SourceVersion.objects.exists()


def test_keep_both_leaves_files_without_a_conflict_where_they_belong():
    import_document(PAGE_TWO, "page-2.txt", on_conflict="separate")
    page_one = (
        "2024年在焦裕禄干部学院的学习体会汇编7篇(第1/2页)\n学习心得\n"
        + "我们走进纪念园，深受教育和启发。" * 5
    )

    outcome = import_document(page_one.encode(), "page-1.txt", on_conflict="separate")

    assert outcome.status == "created" and Collection.objects.count() == 1


def test_a_corrected_copy_updates_in_place_and_its_earlier_bytes_are_kept():
    import_document(PAGE_TWO, "page-2.txt")
    corrected = PAGE_TWO.replace("焦桐".encode(), "泡桐".encode(), 1)
    assert corrected != PAGE_TWO

    outcome = import_document(corrected, "page-2.txt")

    assert outcome.status == "updated"
    (kept,) = SourceVersion.objects.all()
    assert (bytes(kept.raw), kept.reason) == (PAGE_TWO, "corrected")
    assert bytes(SourceDocument.objects.get().raw) == corrected


# Names ----------------------------------------------------------------------------------


def test_the_same_file_by_a_relative_and_an_absolute_path_is_one_source(tmp_path, monkeypatch):
    path = tmp_path / "essay.txt"
    path.write_bytes(seed_bytes("004"))
    monkeypatch.chdir(tmp_path)
    assert run("essay.txt")[0] == 0
    path.write_bytes(seed_bytes("004").replace("受益匪浅".encode(), "获益良多".encode()))

    code, out, _ = run(str(path.resolve()))

    assert code == 0 and "essay.txt：更新" in out
    assert SourceDocument.objects.get().name == "essay.txt"
    assert Essay.objects.count() == 1


def test_files_in_a_folder_are_named_relative_to_it_never_by_server_path(tmp_path):
    (tmp_path / "2024" / "六月").mkdir(parents=True)
    (tmp_path / "2024" / "六月" / "心得.txt").write_bytes(seed_bytes("004"))

    run(str(tmp_path / "2024"))

    assert SourceDocument.objects.get().name == "六月/心得.txt"


def test_a_file_name_with_a_newline_keeps_the_message_on_one_line(tmp_path):
    bad = tmp_path / "a\nb.txt"
    bad.write_bytes(b"")

    code, _, err = run(str(tmp_path))

    assert code == 1
    assert err.count("\n") == 1 and "a\\nb.txt" in err


# Files that cannot be read --------------------------------------------------------------


def test_a_looping_symlink_first_in_the_folder_is_reported_and_the_rest_imports(tmp_path):
    os.symlink("aa-loop.txt", tmp_path / "aa-loop.txt")
    (tmp_path / "b.txt").write_bytes(seed_bytes("004"))

    code, out, err = run(str(tmp_path))

    assert code == 1
    assert "aa-loop.txt：符号链接循环" in err
    assert "b.txt：新建" in out
    assert Essay.objects.count() == 1


def test_a_symlink_out_of_the_folder_is_reported_and_never_read(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_bytes(seed_bytes("001"))
    folder = tmp_path / "import"
    folder.mkdir()
    os.symlink(outside / "secret.txt", folder / "link.txt")
    os.symlink(outside, folder / "linked-folder")
    os.symlink("/etc/passwd", folder / "passwd.txt")

    code, out, err = run(str(folder), "--dry-run")

    assert code == 1
    assert "link.txt：符号链接指向导入文件夹之外，未跟随" in err
    assert "passwd.txt：符号链接指向导入文件夹之外，未跟随" in err
    assert "linked-folder/：符号链接指向导入文件夹之外，未跟随" in err
    assert "parsed" not in out


def test_a_symlink_inside_the_folder_is_followed(tmp_path):
    (tmp_path / "real.txt").write_bytes(seed_bytes("004"))
    os.symlink("real.txt", tmp_path / "same.txt")

    code, out, _ = run(str(tmp_path))

    assert code == 0 and "real.txt：新建" in out and "same.txt：未改动" in out


def test_a_fifo_named_like_a_source_is_refused_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")

    code, _, err = run(str(tmp_path))

    assert code == 1 and "pipe.txt：不是普通文件" in err


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(seed_bytes("004") * 20)  # ~100 KB

    code, _, err = run(str(path), "--max-size", "0.05")

    assert code == 1 and "big.txt：文件大小 0.1 MB，超过上限 0 MB，未导入" in err
    assert not SourceDocument.objects.exists()


def test_a_missing_path_is_reported_by_name(tmp_path):
    code, _, err = run(str(tmp_path / "nowhere.txt"), str(SEEDS / next(SEEDS.glob("004_*")).name))

    assert code == 1 and "nowhere.txt：没有这个文件或文件夹" in err
    assert Essay.objects.count() == 1


def test_an_absolute_name_handed_to_the_service_keeps_only_the_file_name():
    outcome = import_document(seed_bytes("004"), "/srv/uploads/private/004.txt")

    assert outcome.source == "004.txt"
    assert SourceDocument.objects.get().name == "004.txt"
    assert Path(Collection.objects.get().source).name == "004.txt"


def file_permissions_apply() -> list[str]:
    """A prefix under which file permissions apply: root reads any file, so under root (CI)
    the import runs without the capabilities that let it (still root, still able to reach
    the project and the database)."""
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search"] if os.getuid() == 0 else []


def test_an_unreadable_file_and_folder_are_reported_and_the_rest_imports(tmp_path):
    folder = tmp_path / "in"
    (folder / "locked").mkdir(parents=True)
    (folder / "locked" / "c.txt").write_bytes(seed_bytes("003"))
    (folder / "a.txt").write_bytes(seed_bytes("001"))
    (folder / "b.txt").write_bytes(seed_bytes("004"))
    var = tmp_path / "var"
    var.mkdir()
    (folder / "a.txt").chmod(0)
    (folder / "locked").chmod(0)
    env = {**os.environ, "ANTHOLOGY_DEBUG": "1", "ANTHOLOGY_VAR_DIR": str(var)}

    result = subprocess.run(
        [*file_permissions_apply(), sys.executable, "manage.py", "import_essays", "--dry-run", str(folder)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines() == ["✗ a.txt：没有读取权限", "✗ locked/：文件夹没有读取权限"]
    assert "b.txt：已解析" in result.stdout
    assert "文档：3 个（失败 2 个，冲突 0 个）" in result.stdout


def test_a_conflict_is_found_before_anything_is_stored():
    """The admin preview asks before confirming; a corrected copy or a new page is no conflict."""
    from essays.ingest import parse_document
    from essays.services.importing import find_conflict

    import_document(PAGE_TWO, "page-2.txt")

    claimed = find_conflict(OTHER_PAGE_TWO, "other.txt", parse_document(OTHER_PAGE_TWO, "other.txt"))
    corrected = PAGE_TWO.replace("焦桐".encode(), "泡桐".encode(), 1)

    assert claimed == SourceDocument.objects.get()
    assert find_conflict(corrected, "page-2.txt", parse_document(corrected, "page-2.txt")) is None
    assert find_conflict(PAGE_TWO, "copy.txt", parse_document(PAGE_TWO, "copy.txt")) is None


# What staff see -------------------------------------------------------------------------


def test_an_editor_finds_a_replaced_pages_earlier_bytes_on_its_source_page(client, django_user_model):
    import_document(PAGE_TWO, "a.txt")
    import_document(OTHER_PAGE_TWO, "b.txt", on_conflict="replace")
    page, kept = SourceDocument.objects.get(), SourceVersion.objects.get()
    client.force_login(django_user_model.objects.create_superuser("editor", password="x" * 12))

    html = client.get(f"/admin/essays/sourcedocument/{page.pk}/change/").content.decode()
    download = client.get(f"/admin/essays/sourcedocument/{page.pk}/versions/{kept.pk}/raw/")

    assert "另一文件替换" in html and "a.txt" in html
    assert b"".join(download.streaming_content) == PAGE_TWO
    assert 'filename="a.txt"' in download["Content-Disposition"]


def test_earlier_bytes_are_for_staff_only(client, django_user_model):
    import_document(PAGE_TWO, "a.txt")
    import_document(OTHER_PAGE_TWO, "b.txt", on_conflict="replace")
    page, kept = SourceDocument.objects.get(), SourceVersion.objects.get()
    client.force_login(django_user_model.objects.create_user("reader", password="x" * 12))

    response = client.get(f"/admin/essays/sourcedocument/{page.pk}/versions/{kept.pk}/raw/")

    assert response.status_code == 302 and "/admin/login/" in response["Location"]
