"""parallel.parse_many: documents parsed in worker processes come back whole and in order."""

import pickle

from essays.ingest import IngestError, parse_document
from essays.ingest.parallel import BATCH, IN_FLIGHT_PER_JOB, default_jobs, parse_many
from tests.conftest import seed_bytes


def test_a_refusal_survives_the_trip_between_processes():
    error = pickle.loads(pickle.dumps(IngestError("a.txt", "the file is empty")))

    assert (error.name, error.reason, str(error)) == (
        "a.txt",
        "the file is empty",
        "a.txt: the file is empty",
    )


def test_workers_return_the_same_parse_as_this_process_in_the_order_given():
    names = ["001", "003", "004", "000"]
    items = [(name, seed_bytes(name), f"{name}.txt") for name in names]
    items.insert(2, ("empty", b"", "empty.txt"))
    items.insert(1, ("skipped", None, "stored.txt"))

    results = list(parse_many(items, jobs=2))

    assert [key for key, _ in results] == ["001", "skipped", "003", "empty", "004", "000"]
    by_key = dict(results)
    assert by_key["skipped"] is None
    assert isinstance(by_key["empty"], IngestError) and by_key["empty"].name == "empty.txt"
    for name in names:
        assert by_key[name].as_json() == parse_document(seed_bytes(name), f"{name}.txt").as_json()


def test_a_long_stream_is_never_read_far_ahead_of_what_has_been_returned():
    read = []

    def stream():
        for i in range(400):
            read.append(i)
            yield i, "一篇很短的心得体会。".encode(), f"{i}.txt"

    results = parse_many(stream(), jobs=2)
    next(results)

    assert len(read) <= (2 * IN_FLIGHT_PER_JOB + 1) * BATCH


def test_a_handful_of_files_gets_one_worker():
    assert default_jobs(5) == 1
    assert default_jobs(10_000) >= 1
