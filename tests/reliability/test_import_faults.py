"""Faults after a document is stored: a duplicate check that fails is named and makes the
exit code non-zero; one an interrupted import never ran is made up by the next run."""

import pytest
from django.db import connection

from essays.models import Essay, EssaySignature
from essays.services import import_document
from tests.conftest import SEEDS, seed_bytes
from tests.reliability.documents import run_import as run

pytestmark = pytest.mark.django_db


def refuse_signatures():
    """The database refuses every duplicate-check signature, as a full disk would."""
    table = EssaySignature._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                f"CREATE TRIGGER refuse_signature BEFORE INSERT ON {table} "
                "BEGIN SELECT RAISE(ABORT, 'disk full'); END"
            )
        else:
            cursor.execute(
                "CREATE FUNCTION refuse_signature() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                "RAISE EXCEPTION 'disk full'; END $$"
            )
            cursor.execute(
                f"CREATE TRIGGER refuse_signature BEFORE INSERT ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION refuse_signature()"
            )


def seed_path(prefix: str) -> str:
    return str(next(SEEDS.glob(f"{prefix}_*.txt")))


def test_essays_an_interrupted_import_left_unchecked_are_checked_by_the_next_run():
    # stored, then killed before its duplicate check
    import_document(seed_bytes("003"), "003.txt", check_duplicates=False)
    unchecked = set(Essay.objects.values_list("pk", flat=True))
    assert unchecked and not EssaySignature.objects.exists()

    code, _, err = run(seed_path("004"))

    assert code == 0
    assert f"上次中断的导入留下 {len(unchecked)} 篇未查重的文章，已补查。" in err
    assert unchecked <= set(EssaySignature.objects.values_list("essay_id", flat=True))
    # …and the next run has nothing left to make up
    assert "未查重" not in run(seed_path("001"))[2]


def test_a_duplicate_check_that_fails_is_named_and_the_exit_code_is_non_zero():
    refuse_signatures()

    code, out, err = run(seed_path("004"))

    assert code == 1
    assert "004_f25ae964a5df2673.txt：新建" in out  # the essays are stored…
    assert Essay.objects.count() == 1
    assert "004_f25ae964a5df2673.txt：查重未完成（" in err  # …and the missing check is named


def test_a_document_past_the_parse_time_limit_is_refused_by_name_and_stores_nothing(tmp_path):
    """The limits are options of the command (sandbox.set_limits): a 10 MB text needs more
    than a second of CPU. (Memory is tested in test_parse_limits: what a document may add to
    a warm worker depends on what the worker parsed before.)"""
    big = tmp_path / "big.txt"
    big.write_bytes(b"\n".join(path.read_bytes() for path in sorted(SEEDS.glob("*.txt"))) * 250)

    code, out, err = run(str(big), "--parse-timeout", "1")

    assert code == 1
    assert err == "✗ big.txt：解析超过 1 秒，已中止\n"
    assert not Essay.objects.exists()
    # the limit held for that run only
    assert run(seed_path("004"))[0] == 0
