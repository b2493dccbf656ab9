"""Untrusted documents are parsed in worker processes, each document under hard limits.

A document is parsed in a spawned worker process, never in the process that asked (a web
request's, the import command's), with a CPU-time limit (RLIMIT_CPU: the kernel kills the
worker with SIGXCPU) and an address-space limit (RLIMIT_AS: an allocation past it raises
MemoryError), both set afresh before each document so a worker can be reused; the parent
also gives up on a worker that has not answered within a wall-clock backstop (twice the CPU
limit and a few seconds: a worker stuck without using CPU). A document that breaches a limit
comes back as a ParseLimitError (an IngestError, one line in Chinese naming the file), the
worker is replaced, and every other document still gets its own result.

The memory limit is on what a parse adds to its worker's address space (RLIMIT_AS is set to
the worker's size before the document plus the limit), so the message can say what the
document needed. The defaults come from measurement (see DEFAULT_*): the largest real
document parses in about a second from a cold start, with a peak of about 185 MB resident
(300 MB of address space, models included). Environment variables
ANTHOLOGY_PARSE_CPU_SECONDS and ANTHOLOGY_PARSE_MEMORY_MB override them at start; set_limits()
(for settings and command options) from then on. 0 means no limit.

Workers end within a second or so when their parent ends, even by SIGKILL: PR_SET_PDEATHSIG
on Linux (a thread polling the parent's pid elsewhere). That signal follows the *thread*
that started the worker, so every worker, these and worker_pool's, is started by one thread
kept for the life of the process (SPAWN): a worker started in a web request's thread would
otherwise be killed when that thread ends.

Why not pebble's ProcessPool, which has per-task timeouts and replaces dead workers: its pool
breaks for good ("Unexpected error within the Pool") when a worker dies while no task runs,
as an idle worker in a long-lived web process may (the OOM killer, an operator); it starts
its first workers in the calling thread (see above); and it sends each document through one
channel shared by all workers, under a lock a worker killed at the wrong moment would hold.
Here each worker has its own pipe and a thread of the parent that drives it, which knows
exactly which document a dead worker was on. concurrent.futures' ProcessPoolExecutor cannot
be used for the parse at all: one dead worker breaks the whole pool.
"""

from __future__ import annotations

import ctypes
import io
import math
import os
import pickle
import queue
import resource
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from multiprocessing import spawn
from multiprocessing.connection import Connection, wait
from multiprocessing.context import SpawnContext, SpawnProcess
from multiprocessing.reduction import ForkingPickler

from .model import IngestError

# Measured (issue 16): the largest document of the dev set and the fixtures (66 KB) parses in
# 0.7 s of CPU from a cold worker (models built on the way) and peaks at 185 MB resident,
# 300 MB of address space; a 12 MB text made of the dev set 64 times over, 3.7 s and 390 MB
# resident (510 MB of address space). Both defaults leave more than tenfold room.
DEFAULT_CPU_SECONDS = 60.0
DEFAULT_MEMORY_MB = 1536.0  # address space a document may add to its worker's
CPU_ENV = "ANTHOLOGY_PARSE_CPU_SECONDS"
MEMORY_ENV = "ANTHOLOGY_PARSE_MEMORY_MB"
WALL_GRACE_SECONDS = 5.0  # the wall-clock backstop is 2 x the CPU limit + this
STOP_SECONDS = 2.0  # a worker asked to stop is killed after this
PARENT_POLL_SECONDS = 0.5  # the watch on the parent where PR_SET_PDEATHSIG is missing
PR_SET_PDEATHSIG = 1
MB = 1 << 20


@dataclass(frozen=True)
class Limits:
    cpu_seconds: float = DEFAULT_CPU_SECONDS
    memory_mb: float = DEFAULT_MEMORY_MB

    @property
    def wall_seconds(self) -> float | None:
        return 2 * self.cpu_seconds + WALL_GRACE_SECONDS if self.cpu_seconds else None


def _checked(value: float) -> float:
    value = float(value)
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"a parse limit must be a number >= 0, not {value}")
    return value


def limits_from_environment(environ: Mapping[str, str] = os.environ) -> Limits:
    """The default limits, or those the environment sets (a bad value is an error)."""
    values = {}
    for field, var, unit in (("cpu_seconds", CPU_ENV, "seconds"), ("memory_mb", MEMORY_ENV, "megabytes")):
        raw = environ.get(var, "").strip()
        if raw:
            try:
                values[field] = _checked(float(raw))
            except ValueError:
                raise ValueError(f"{var}={raw!r}: expected a number of {unit}, or 0 for no limit") from None
    return Limits(**values)


_limits = limits_from_environment()


def limits() -> Limits:
    """The limits documents submitted from now on are parsed under."""
    return _limits


def set_limits(cpu_seconds: float | None = None, memory_mb: float | None = None) -> Limits:
    """Set the CPU seconds and megabytes of memory each document's parse may use (None: keep
    the current one; 0: no limit). Returns the limits in force before, to put back."""
    global _limits
    previous = _limits
    _limits = Limits(
        previous.cpu_seconds if cpu_seconds is None else _checked(cpu_seconds),
        previous.memory_mb if memory_mb is None else _checked(memory_mb),
    )
    return previous


# What a breach makes ------------------------------------------------------------------------


class ParseLimitError(IngestError):
    """A parse stopped from outside. `kind` is "time", "memory" or "crash"; the message is
    one line: 「name：解析超过 60 秒，已中止」."""

    def __init__(self, name: str, reason: str, kind: str = "crash"):
        super().__init__(name, reason)
        self.kind = kind
        self.args = (f"{' '.join(str(name).splitlines())}：{reason}",)

    def __reduce__(self):
        return type(self), (self.name, self.reason, self.kind)


def time_error(name: str, seconds: float, *, waited: bool = False) -> ParseLimitError:
    if waited:  # the wall-clock backstop: the worker neither answered nor used its CPU time
        return ParseLimitError(name, f"解析 {_number(seconds)} 秒仍未结束，已中止", "time")
    return ParseLimitError(name, f"解析超过 {_number(seconds)} 秒，已中止", "time")


def memory_error(name: str, megabytes: float) -> ParseLimitError:
    if not megabytes:  # no limit of ours: the machine's memory ran out
        return ParseLimitError(name, "解析时内存不足，已中止", "memory")
    size = f"{_number(megabytes / 1024)} GB" if megabytes >= 1024 else f"{_number(megabytes)} MB"
    return ParseLimitError(name, f"解析所需内存超过 {size}，已中止", "memory")


def crash_error(name: str, exitcode: int | None) -> ParseLimitError:
    if exitcode is not None and exitcode < 0:
        try:
            how = f"信号 {signal.Signals(-exitcode).name}"
        except ValueError:
            how = f"信号 {-exitcode}"
    else:
        how = f"退出码 {exitcode}"
    return ParseLimitError(name, f"解析进程意外退出（{how}），已中止", "crash")


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


# Starting workers from one long-lived thread --------------------------------------------------


class _Spawner:
    """A thread kept for the life of this process that runs every worker's start()."""

    def __init__(self):
        self._lock = threading.Lock()
        self._calls: queue.SimpleQueue = queue.SimpleQueue()
        self._pid = 0

    def call(self, function: Callable[[], object]) -> object:
        with self._lock:
            if self._pid != os.getpid():  # first use, or a fork left the thread behind
                self._calls = queue.SimpleQueue()
                threading.Thread(
                    target=self._serve, args=(self._calls,), name="worker-spawner", daemon=True
                ).start()
                self._pid = os.getpid()
        done: Future = Future()
        self._calls.put((function, done))
        return done.result()

    @staticmethod
    def _serve(calls: queue.SimpleQueue) -> None:
        while True:
            function, done = calls.get()
            try:
                done.set_result(function())
            except BaseException as exc:  # handed to the caller
                done.set_exception(exc)


_SPAWNER = _Spawner()


class PinnedProcess(SpawnProcess):
    """A spawned process started by _SPAWNER's thread, whichever thread asks."""

    def start(self) -> None:
        _runnable_python()
        _SPAWNER.call(super().start)


def _runnable_python() -> None:
    """Start workers with /proc/self/exe when this process may not run its own executable's
    path, as when root started it and then dropped to a user that path's folders shut out
    (a pyenv Python under /root): every spawn would fail otherwise."""
    if not os.access(spawn.get_executable(), os.X_OK) and os.access("/proc/self/exe", os.X_OK):
        spawn.set_executable("/proc/self/exe")


class PinnedContext(SpawnContext):
    Process = PinnedProcess


SPAWN = PinnedContext()  # the multiprocessing context for every worker (worker_pool's too)


def die_with_parent(parent: int) -> None:
    """End this process when `parent` ends, even by SIGKILL (a worker's initializer)."""
    if not _parent_death_signal():
        threading.Thread(target=_watch_parent, args=(parent,), name="parent-watch", daemon=True).start()
    if os.getppid() != parent:  # it died before the signal was asked for
        os._exit(1)


def _parent_death_signal() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        return ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_POLL_SECONDS)
    os._exit(1)


# The worker process ----------------------------------------------------------------------------

_in_worker = False


def in_worker() -> bool:
    """Whether this process is a parse worker (where a parse runs in place)."""
    return _in_worker


def _serve(conn: Connection, parent: int) -> None:
    """A worker's life: parse each document of each batch it is sent, answering one by one."""
    global _in_worker
    _in_worker = True
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the parent, which stops this
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a worker killed for its CPU dumps no core
    while True:
        try:
            batch = conn.recv()
        except EOFError:
            return
        if batch is None:
            return
        batch.reverse()
        while batch:  # each document's bytes are handed to its parse, and held here no longer
            task = list(batch.pop())
            name = task[2]
            answer = _parse_limited(task)
            kind = answer[0]
            try:
                packed = _Packed(answer)
            except Exception as exc:  # an answer that does not pickle
                packed = _Packed(("raise", (RuntimeError(f"{name}: {type(exc).__name__}: {exc}"), "")))
            del answer  # its long strings are now the packed answer's alone
            packed.send(conn)
            del packed
            if kind == "retire":
                return


def _parse_limited(task: list) -> tuple:
    """("ok", parse(data, name)), ("raise", (exception, traceback)), or ("retire", memory
    error) for a task [parse, data, name, cpu_seconds, memory_mb]: a worker whose parse ran out
    of memory is replaced, whatever it holds now. The bytes are taken out of the task and
    handed on (see handed_on)."""
    parse, _, name, cpu_seconds, memory_mb = task
    del _
    original = {which: resource.getrlimit(which) for which in (resource.RLIMIT_CPU, resource.RLIMIT_AS)}
    if cpu_seconds:
        # The kernel compares the worker's whole CPU time with the limit.
        _lower(resource.RLIMIT_CPU, math.ceil(time.process_time() + cpu_seconds), original)
    if memory_mb:
        _lower(resource.RLIMIT_AS, _address_space() + int(memory_mb * MB), original)
    answer = None
    try:
        answer = ("ok", parse(task.pop(1), name))
    except MemoryError:
        pass  # answered below, once the frames holding the memory are gone
    except Exception as exc:
        answer = ("raise", (exc, traceback.format_exc()))
    finally:
        for which, limit in original.items():
            resource.setrlimit(which, limit)
    return answer or ("retire", memory_error(name, memory_mb))


def handed_on(data: bytes) -> list[bytes]:
    """`data` in a list, for a function of the worker's that passes a document's bytes on to
    the parse without keeping them: `parse(box.pop(), name)`, once its own name for them is
    gone (a parameter is one: box = handed_on(data); del data). A plain call of a Python
    function takes the argument over from the caller's stack (CPython 3.11), so once the parse
    lets go of the bytes (decoded, they are no longer needed) nothing else holds them: a
    document's bytes are as large as the file, and the parse's peak comes after its decoding
    (issue 16). A call with *args or **kwargs keeps a tuple of them until it returns."""
    return [data]


def _lower(which: int, soft: int, original: dict) -> None:
    current, hard = original[which]
    if current != resource.RLIM_INFINITY:
        soft = min(soft, current)
    resource.setrlimit(which, (soft, hard))


def _address_space() -> int:
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0  # not Linux: the limit is on the worker's whole address space


# An answer's way back ----------------------------------------------------------------------------
#
# An answer is pickled with its long strings (a document's text, its essays' bodies and source
# texts) left out, and they follow as UTF-8, a piece at a time, each let go of once sent. Pickled
# whole, a large document's answer cost its worker some seven times the file on top of the parse
# (issue 16): the pickle itself (every string in UTF-8, three times the file), and as much again in
# the UTF-8 copies pickle keeps on each string it writes (PyUnicode_AsUTF8AndSize caches them on
# the string), while the parse and its document's bytes were still held; the parent too held the
# whole pickle while it built the answer from it. A string met twice (an essay's body, and the same
# body as a key of prepare's index strings) is sent once and arrives as one string.

LONG_STRING = 256  # characters from which a string of an answer is sent apart
PIECE_CHARS = 1 << 20  # long strings are sent together up to this many characters a message


class _Collecting(ForkingPickler):
    """Pickles an answer with each long string replaced by its place in `long`."""

    def __init__(self, file):
        super().__init__(file, pickle.HIGHEST_PROTOCOL)
        self.long: list[str | None] = []
        self._places: dict[int, int] = {}  # id of a long string: its place (all alive meanwhile)

    def persistent_id(self, obj):
        if type(obj) is not str or len(obj) < LONG_STRING:
            return None
        place = self._places.get(id(obj))
        if place is None:
            place = self._places[id(obj)] = len(self.long)
            self.long.append(obj)
        return place


class _Packed:
    """An answer as sent: the layout of its long strings (their lengths, piece by piece), the
    pickle of the rest, and the long strings themselves."""

    def __init__(self, answer):
        head = io.BytesIO()
        pickler = _Collecting(head)
        pickler.dump(answer)
        self.head = head.getbuffer()
        self.long = pickler.long
        self.layout: list[list[int]] = []
        chars = PIECE_CHARS
        for text in self.long:
            if chars + len(text) > PIECE_CHARS:
                self.layout.append([])
                chars = 0
            self.layout[-1].append(len(text))
            chars += len(text)

    def send(self, conn: Connection) -> None:
        """The layout, the pickle, then each piece, its strings let go of as it goes."""
        conn.send(self.layout)
        conn.send_bytes(self.head)
        self.head.release()
        start = 0
        for lengths in self.layout:
            texts = self.long[start : start + len(lengths)]
            self.long[start : start + len(lengths)] = [None] * len(lengths)
            start += len(lengths)
            piece = (texts[0] if len(texts) == 1 else "".join(texts)).encode("utf-8", "surrogatepass")
            del texts
            conn.send_bytes(piece)
            del piece


def _receive_answer(conn: Connection):
    """The answer _Packed.send sent, each long string in its place."""
    layout = conn.recv()
    head = conn.recv_bytes()
    long: list[str] = []
    for lengths in layout:
        piece = conn.recv_bytes().decode("utf-8", "surrogatepass")
        if len(lengths) == 1:
            long.append(piece)
        else:
            start = 0
            for length in lengths:
                long.append(piece[start : start + length])
                start += length
        del piece
    unpickler = pickle.Unpickler(io.BytesIO(head))
    unpickler.persistent_load = long.__getitem__
    return unpickler.load()


# The parent's side ---------------------------------------------------------------------------


@dataclass
class _Task:
    future: Future
    parse: Callable
    data: bytes
    name: str
    limits: Limits


class RemoteTraceback(Exception):
    """The traceback of an exception raised in a worker (set as its __cause__)."""

    def __str__(self) -> str:
        return self.args[0]


class _Worker:
    """One worker process and this process's end of its pipe; used by one driver thread."""

    def __init__(self):
        self.conn, child = SPAWN.Pipe()
        self.process = SPAWN.Process(
            target=_serve, args=(child, os.getpid()), name="parse-worker", daemon=True
        )
        self.process.start()
        child.close()
        self.batches = 0  # sent to it
        self.alive = True

    @property
    def pid(self) -> int | None:
        return self.process.pid

    def run(self, tasks: list[_Task]) -> list[_Task]:
        """Parse `tasks` in order, setting each one's future. Returns the tasks the worker
        never started because it ended (alive is then False): a limit's breach, or a death."""
        try:
            self.conn.send(
                [(t.parse, t.data, t.name, t.limits.cpu_seconds, t.limits.memory_mb) for t in tasks]
            )
        except OSError:  # ended while idle: not these documents' doing, unless it never started
            self.stop()
            if self.batches:
                return tasks
            tasks[0].future.set_result(crash_error(tasks[0].name, self.process.exitcode))
            return tasks[1:]
        except Exception as exc:  # a parse function or a name that does not pickle
            for task in tasks:
                task.future.set_exception(exc)
            return []
        self.batches += 1
        for n, task in enumerate(tasks):
            if not self._answer(task):
                return tasks[n + 1 :]
        return []

    def _answer(self, task: _Task) -> bool:
        """Wait for the answer to `task`, the one the worker is on, and set its future.
        False when the worker has ended."""
        wall = task.limits.wall_seconds
        if not wait([self.conn, self.process.sentinel], wall):
            self.stop(kill=True)
            task.future.set_result(time_error(task.name, wall, waited=True))
            return False
        try:
            kind, value = _receive_answer(self.conn)
        except (EOFError, OSError):  # the worker ended, maybe halfway through an answer
            self.stop(kill=True)
            task.future.set_result(self._death(task))
            return False
        except Exception as exc:  # an answer this process cannot unpickle
            self.stop(kill=True)
            task.future.set_exception(exc)
            return False
        if kind == "raise":
            exc, remote = value
            exc.__cause__ = RemoteTraceback(remote)
            task.future.set_exception(exc)
        else:
            task.future.set_result(value)
        if kind == "retire":
            self.stop()
            return False
        return True

    def _death(self, task: _Task) -> ParseLimitError:
        if self.process.exitcode == -signal.SIGXCPU:
            return time_error(task.name, task.limits.cpu_seconds)
        return crash_error(task.name, self.process.exitcode)

    def stop(self, *, kill: bool = False) -> None:
        """End the worker: asked to (killed if it has not within STOP_SECONDS), or killed."""
        if self.alive and not kill and self.process.is_alive():
            try:
                self.conn.send(None)
            except OSError:
                pass
            self.process.join(STOP_SECONDS)
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.conn.close()
        self.alive = False


class Sandbox:
    """`workers` parse workers taking documents in the order submitted, each driven by a
    thread of this process; a worker is started at its first document, and replaced when a
    document breaches a limit. A driver sends its worker up to `batch` documents at a time
    (fewer queue round trips), and still gets an answer per document."""

    def __init__(self, workers: int = 1, *, batch: int = 1):
        self.pid = os.getpid()
        self._tasks: queue.SimpleQueue = queue.SimpleQueue()
        self._batch = max(1, batch)
        self._closing = False
        self._workers: dict[int, _Worker] = {}  # by driver
        self._drivers = [
            threading.Thread(target=self._drive, args=(n,), name=f"parse-driver-{n}", daemon=True)
            for n in range(max(1, workers))
        ]
        for driver in self._drivers:
            driver.start()

    def submit(self, parse: Callable, data: bytes, name: str) -> Future:
        """A future for parse(data, name) run in a worker under the current limits()."""
        if self._closing:
            raise RuntimeError("this parse sandbox is closed")
        future: Future = Future()
        self._tasks.put(_Task(future, parse, data, name, limits()))
        return future

    def pids(self) -> list[int]:
        """The process ids of the workers running now."""
        return [w.pid for w in list(self._workers.values()) if w.alive and w.pid]

    def close(self, *, kill: bool = False) -> None:
        """Stop the workers once their documents are done (at once with `kill`: a document
        being parsed then gets a crash error, those not started are dropped)."""
        self._closing = True
        for _ in self._drivers:
            self._tasks.put(None)
        if kill:
            for worker in list(self._workers.values()):
                if worker.alive and worker.pid:
                    try:
                        os.kill(worker.pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
        for driver in self._drivers:
            driver.join()

    def _drive(self, n: int) -> None:
        try:
            while (tasks := self._take()) is not None:
                while tasks and not self._closing:
                    try:
                        worker = self._workers.get(n)
                        if worker is None or not worker.alive:
                            worker = self._workers[n] = _Worker()
                        tasks = worker.run(tasks)
                    except Exception as exc:  # no worker could be started (no memory, no pids)
                        broken = self._workers.pop(n, None)
                        if broken is not None and broken.alive:
                            broken.stop(kill=True)
                        for task in tasks:
                            if not task.future.done():
                                task.future.set_exception(exc)
                        tasks = []
                for task in tasks:  # left when closing
                    task.future.set_exception(RuntimeError("this parse sandbox was closed"))
        finally:
            worker = self._workers.pop(n, None)
            if worker is not None and worker.alive:
                worker.stop()

    def _take(self) -> list[_Task] | None:
        """The next tasks, up to `batch`, waiting for the first; None once closed."""
        first = self._tasks.get()
        if first is None:
            return None
        tasks = [first]
        while len(tasks) < self._batch:
            try:
                task = self._tasks.get_nowait()
            except queue.Empty:
                break
            if task is None:
                self._tasks.put(None)  # taken again next time
                break
            tasks.append(task)
        return [t for t in tasks if t.future.set_running_or_notify_cancel()]


_shared: Sandbox | None = None
_shared_lock = threading.Lock()


def shared_sandbox() -> Sandbox:
    """This process's own one-worker sandbox, started at its first use and kept: a web
    process or a test pays a worker's start once, not once per document."""
    global _shared
    with _shared_lock:
        if _shared is None or _shared.pid != os.getpid():
            _shared = Sandbox(1)
        return _shared
