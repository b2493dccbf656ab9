"""What the storing process holds of a large document (issue 16): index strings made a run of
essays at a time there, not all at once in the parse worker; the parse let go once reported."""

import re
from pathlib import Path

import pytest

from essays import prepare
from essays.models import Essay
from essays.search.backends import Scope
from essays.search.index import search_essays
from essays.search.tokens import index_string, parse_query
from essays.services import import_paths, import_rows

pytestmark = pytest.mark.django_db
SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def many_essays(count: int) -> bytes:
    body = (SEEDS / "004_f25ae964a5df2673.txt").read_text().split("\n", 5)[5]
    return "\n\n".join(
        f"第{n}篇心得体会\n\n作者：王{n}\n\n{body}\n第{n}篇的结尾句。" for n in range(count)
    ).encode()


def test_the_worker_makes_index_strings_only_for_a_document_of_ordinary_size(monkeypatch):
    data = many_essays(3)
    parsed, strings = prepare.parse_for_import(data, "small.txt")
    assert strings == {e.body: index_string(e.body) for e in parsed.essays} and strings

    monkeypatch.setattr(prepare, "STRINGS_CHARS", sum(len(e.body) for e in parsed.essays) - 1)
    assert prepare.parse_for_import(data, "large.txt")[1] == {}


def test_a_document_indexed_a_run_of_essays_at_a_time_finds_every_essay(tmp_path, monkeypatch):
    monkeypatch.setattr(import_rows, "WRITE_CHARS", 3000)  # several runs
    runs = []
    index = import_rows.update_search_index
    monkeypatch.setattr(
        import_rows, "update_search_index", lambda e, **k: runs.append(len(e)) or index(e, **k)
    )
    path = tmp_path / "many.txt"
    path.write_bytes(many_essays(12))

    [outcome] = import_paths([str(path)], jobs=1)

    assert outcome.status == "created" and 10 <= outcome.essays_created == Essay.objects.count() < 50
    assert len(runs) > 3 and sum(runs) == Essay.objects.count()
    checked = 0
    for essay in Essay.objects.all():
        runs = re.findall(r"[\u4e00-\u9fff]{4,}", essay.body)
        if runs:
            found = search_essays(parse_query(runs[-1][-6:]), Scope(published_only=False), limit=50).ids
            assert essay.pk in found, essay.title
            checked += 1
    assert checked >= 10


def test_the_command_lets_go_of_each_parse_once_its_line_is_out(tmp_path, monkeypatch):
    from django.core.management import call_command

    from essays.management.commands import import_essays

    kept = []
    monkeypatch.setattr(
        import_essays.Command, "_print_summary", lambda self, outcomes, **k: kept.extend(outcomes)
    )
    for n in range(3):
        (tmp_path / f"{n}.txt").write_bytes(many_essays(1).replace("第0篇".encode(), f"第{n}号".encode()))

    call_command("import_essays", str(tmp_path), stdout=open("/dev/null", "w"))

    assert len(kept) == 3 and all(o.status == "created" and o.parsed is None for o in kept)


def test_a_source_text_bound_as_its_utf8_bytes_is_stored_as_the_same_text(tmp_path):
    from django.db import connection

    from essays.models import SourceDocument

    data = many_essays(2).replace("的结尾句".encode(), "的结尾句😀".encode())
    path = tmp_path / "emoji.txt"
    path.write_bytes(data)

    [outcome] = import_paths([str(path)], jobs=1)

    document = SourceDocument.objects.get()
    assert outcome.status == "created" and document.text == data.decode() and "😀" in document.text
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT typeof(text) FROM essays_sourcedocument")
            assert cursor.fetchone() == ("text",)


def test_an_import_pins_the_allocators_mmap_threshold_before_anything_is_received(tmp_path, monkeypatch):
    """Receiving the first parses (and pickling the first bytes for the workers) would raise
    glibc's threshold before any batch is sized (services.page_cache)."""
    from essays.ingest import parallel
    from essays.services import importing, page_cache

    calls = []
    monkeypatch.setattr(page_cache, "_allocator", lambda *args: calls.append(args))
    parse_many = parallel.parse_many

    def watched(*args, **kwargs):
        calls.append("parse")
        yield from parse_many(*args, **kwargs)

    monkeypatch.setattr(importing, "parse_many", watched)
    (tmp_path / "a.txt").write_bytes(many_essays(1))
    list(import_paths([str(tmp_path)]))
    assert calls[:2] == [("mallopt", page_cache.M_MMAP_THRESHOLD, page_cache.MMAP_THRESHOLD), "parse"]
