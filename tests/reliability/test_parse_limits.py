"""Issue 16: untrusted documents are parsed in worker processes under hard limits (CPU time,
memory, a wall-clock backstop); a breach is a one-line Chinese error naming the file, every
other document still gets its own result, and workers end with their parent."""

import os
import pickle
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import essays.ingest
from essays.ingest import IngestError, ParsedDocument, sandbox
from essays.ingest.parallel import parse_many, parse_one, worker_pool
from essays.ingest.sandbox import (
    Limits,
    ParseLimitError,
    limits_from_environment,
    memory_error,
    set_limits,
    time_error,
)
from tests.conftest import ROOT, seed_bytes

# Parse functions for the workers (module level: they are sent by name). A real document is
# parsed as parse_one would, in place, since a worker never starts another.


def spin_on_request(data: bytes, name: str):
    if data == b"spin":
        while True:
            pass
    return parse_one(data, name)


def hoard_on_request(data: bytes, name: str):
    if data == b"hoard":
        return len(bytes(4 << 30))  # 4 GB, past any limit (and never touched: calloc)
    return parse_one(data, name)


def sleep_on_request(data: bytes, name: str):
    if data == b"sleep":
        time.sleep(60)
    return os.getpid()


def worker_pid(data: bytes, name: str) -> int:
    return os.getpid()


def refuse(data: bytes, name: str):
    raise ValueError(f"{name}: no parser for this")


@pytest.fixture
def restore_limits():
    previous = sandbox.limits()
    yield
    set_limits(previous.cpu_seconds, previous.memory_mb)


def parse_in_worker(parse=worker_pid, data: bytes = b"x", name: str = "x.txt"):
    ((_, result),) = parse_many([(0, data, name)], 1, parse)
    return result


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"  # a zombie nobody has reaped yet has ended all the same


def wait_gone(pids, seconds: float) -> list[int]:
    deadline = time.monotonic() + seconds
    while (left := [pid for pid in pids if alive(pid)]) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


def test_a_document_spinning_past_the_cpu_limit_is_stopped_and_the_rest_still_parse(restore_limits):
    set_limits(cpu_seconds=2)
    items = [(n, seed_bytes(f"00{n % 5}"), f"{n}.txt") for n in range(8)]
    items.insert(4, ("spin", b"spin", "卷二/spin.txt"))

    started = time.monotonic()
    results = list(parse_many(items, 2, spin_on_request))

    assert [key for key, _ in results] == [key for key, _, _ in items]
    by_key = dict(results)
    error = by_key.pop("spin")
    assert isinstance(error, ParseLimitError) and isinstance(error, IngestError)
    assert (str(error), error.kind) == ("卷二/spin.txt：解析超过 2 秒，已中止", "time")
    assert all(isinstance(result, ParsedDocument) and result.essays for result in by_key.values())
    assert time.monotonic() - started < 30


def test_a_parse_allocating_past_the_memory_limit_is_stopped_and_the_next_still_parses(restore_limits):
    set_limits(memory_mb=512)
    items = [("hoard", b"hoard", "hoard.txt"), ("next", seed_bytes("001"), "next.txt")]

    results = dict(parse_many(items, 1, hoard_on_request))

    assert str(results["hoard"]) == "hoard.txt：解析所需内存超过 512 MB，已中止"
    assert results["hoard"].kind == "memory"
    assert isinstance(results["next"], ParsedDocument) and results["next"].essays


def test_a_worker_stuck_without_using_cpu_is_stopped_by_the_wall_clock(restore_limits, monkeypatch):
    monkeypatch.setattr(sandbox, "WALL_GRACE_SECONDS", 2.0)
    set_limits(cpu_seconds=1)  # so 2 x 1 + 2 = 4 s of wall clock
    items = [("sleep", b"sleep", "sleep.txt"), ("next", b"x", "next.txt")]

    results = dict(parse_many(items, 1, sleep_on_request))

    assert str(results["sleep"]) == "sleep.txt：解析 4 秒仍未结束，已中止"
    assert results["next"] != os.getpid()


def test_parse_one_never_parses_in_the_callers_process(monkeypatch):
    def not_here(data, name):
        raise AssertionError("parsed in the caller's process")

    monkeypatch.setattr(essays.ingest, "parse_document", not_here)

    parsed = parse_one(seed_bytes("001"), "001.txt")

    assert isinstance(parsed, ParsedDocument) and parsed.essays
    worker = parse_in_worker()
    assert worker != os.getpid()
    assert parse_in_worker() == worker  # one worker, kept


def test_a_refusal_and_an_exception_come_back_as_they_would_in_process():
    refusal = parse_one(b"", "empty.txt")
    assert type(refusal) is IngestError and str(refusal) == "empty.txt: the file is empty"

    with pytest.raises(ValueError, match="broken.txt: no parser for this"):
        parse_in_worker(refuse, name="broken.txt")


def test_a_kept_worker_killed_while_idle_is_replaced():
    worker = parse_in_worker()
    os.kill(worker, signal.SIGKILL)
    assert not wait_gone([worker], 5)

    replacement = parse_in_worker()

    assert replacement not in (worker, os.getpid())


def test_a_pool_worker_started_from_a_thread_that_ends_keeps_running():
    # PR_SET_PDEATHSIG follows the thread that started the worker: a web request's thread
    # must not take the worker with it when it ends.
    with worker_pool(1) as pool:
        pids = []
        thread = threading.Thread(target=lambda: pids.append(pool.submit(os.getpid).result()))
        thread.start()
        thread.join()
        time.sleep(0.2)  # a worker killed with the thread is dead by now

        assert pool.submit(os.getpid).result(timeout=30) == pids[0]


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_workers_end_within_seconds_when_their_parent_is_killed():
    script = (
        "import os, time\n"
        "from essays.ingest.parallel import parse_many, worker_pool\n"
        "from tests.reliability.test_parse_limits import worker_pid\n"
        "[(_, parser)] = parse_many([(0, b'x', 'x.txt')], 1, worker_pid)\n"
        "with worker_pool(1) as pool:\n"
        "    print(parser, pool.submit(os.getpid).result(), flush=True)\n"
        "    time.sleep(60)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        workers = [int(pid) for pid in parent.stdout.readline().split()]
        assert len(workers) == 2 and all(map(alive, workers))
    finally:
        parent.kill()  # SIGKILL: no clean-up of its own
        parent.wait()
        parent.stdout.close()

    assert wait_gone(workers, 5) == []


def test_the_messages_are_one_line_of_chinese_naming_the_file():
    assert str(time_error("a.txt", 60)) == "a.txt：解析超过 60 秒，已中止"
    assert str(memory_error("a.txt", 1536)) == "a.txt：解析所需内存超过 1.5 GB，已中止"
    assert str(time_error("two\nlines.txt", 2.5)) == "two lines.txt：解析超过 2.5 秒，已中止"
    error = pickle.loads(pickle.dumps(memory_error("a.txt", 1536)))
    assert (type(error), error.name, error.kind, str(error)) == (
        ParseLimitError,
        "a.txt",
        "memory",
        "a.txt：解析所需内存超过 1.5 GB，已中止",
    )


def test_the_limits_come_from_the_environment_and_set_limits(restore_limits):
    assert limits_from_environment({}) == Limits(60, 1536)
    assert limits_from_environment(
        {"ANTHOLOGY_PARSE_CPU_SECONDS": "30", "ANTHOLOGY_PARSE_MEMORY_MB": " 2048 "}
    ) == Limits(30, 2048)
    with pytest.raises(ValueError, match="ANTHOLOGY_PARSE_MEMORY_MB"):
        limits_from_environment({"ANTHOLOGY_PARSE_MEMORY_MB": "1.5G"})

    before = set_limits(cpu_seconds=10)
    assert sandbox.limits() == Limits(10, before.memory_mb)
    assert sandbox.limits().wall_seconds == 2 * 10 + sandbox.WALL_GRACE_SECONDS
    assert set_limits(memory_mb=0) == Limits(10, before.memory_mb)
    assert sandbox.limits() == Limits(10, 0)
    with pytest.raises(ValueError):
        set_limits(cpu_seconds=-1)


def test_a_process_started_with_limits_in_its_environment_parses_under_them():
    """The limits are read when the module loads (an operator's variables, as the README says)."""

    code = "from essays.ingest import sandbox; l = sandbox.limits(); print(l.cpu_seconds, l.memory_mb)"
    env = {**os.environ, "ANTHOLOGY_PARSE_CPU_SECONDS": "30", "ANTHOLOGY_PARSE_MEMORY_MB": "2048"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["30.0", "2048.0"]
