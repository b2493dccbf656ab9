"""The duplicate check of a bulk import compares in worker processes only when there is enough
to compare to pay for starting them (duplicates.POOL_PAIRS); either way the same pairs."""

from concurrent.futures import Future
from pathlib import Path

import pytest

from essays.models import DuplicatePair
from essays.services import duplicates, import_document

pytestmark = pytest.mark.django_db
SEED = Path(__file__).resolve().parents[2] / "seeds" / "004_f25ae964a5df2673.txt"


class RecordingPool:
    """Runs each task at once, in this process, and keeps what it was given."""

    def __init__(self):
        self.parts = []

    def submit(self, function, pairs, texts):
        self.parts.append(pairs)
        done = Future()
        done.set_result(function(pairs, texts))
        return done


def imported_copies():
    text = SEED.read_text()
    copy = text.replace("。", "，", 1)
    return [
        import_document(data.encode(), name, check_duplicates=False)
        for data, name in ((text, "a.txt"), (copy, "b.txt"))
    ]


@pytest.mark.parametrize("pool_pairs, used", [(1, True), (10**9, False)])
def test_the_comparisons_go_to_the_pool_only_past_pool_pairs(monkeypatch, pool_pairs, used):
    monkeypatch.setattr(duplicates, "POOL_PAIRS", pool_pairs)
    outcomes = imported_copies()
    assert [o.status for o in outcomes] == ["created", "created"]
    pool = RecordingPool()

    duplicates.start_document_check(outcomes, pool, parts=2).finish()

    assert bool(pool.parts) == used
    assert 1 <= len(pool.parts) <= 2 if used else pool.parts == []
    assert DuplicatePair.objects.filter(near_duplicate=True).count() >= 1
    assert (
        sum(o.near_duplicates for o in outcomes) == DuplicatePair.objects.filter(near_duplicate=True).count()
    )
