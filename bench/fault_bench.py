"""Faults leave nothing behind (issue 16): an import killed half-way while readers read.

    .venv/bin/python bench/fault_bench.py [--documents 300] [--database sqlite|postgresql]
                                          [--kill-at 0.5]

Copies the real documents of ../shared/devset/docs, seeds/ and tests/fixtures (.txt, .html;
.docx and paged documents once, the rest several times, each copy with a line of its own
appended, so every copy has its own bytes and name) into a temporary folder, and imports a
first copy of each as published into a throw-away database (SQLite in the temporary folder, or
fault_bench_<pid> on the PostgreSQL server at 127.0.0.1:5432, created and dropped here).
Then, with gunicorn (2 workers) serving the site on 127.0.0.1 and 20 reading clients
fetching home, themes, a theme, a collection, an essay, an author and searches over and over:

  1. runs `manage.py import_essays FOLDER --status published --jobs 2` and SIGKILLs it
     once it has printed --kill-at of its per-document "✓" lines; its child processes
     (recorded from /proc right before the kill) still alive 5 s later are orphans
     (counted, then killed so the bench leaves nothing running). The "✓" lines come out a
     store batch (200 documents) behind the parse: at 300 documents the kill lands after
     the parse, while the duplicate comparisons run (their pool and the resource tracker
     are the children); from about 600 on, the parse workers are running too;
  2. re-runs the same import to completion, then twice more, printing the row counts after
     each run: the 2nd and 3rd must equal the 1st;
  3. checks what is stored: published essays missing from the search index, index rows of
     essays that are not published (or gone), essays never checked for duplicates (no
     EssaySignature), essays of a collection without a source document.

Reading the output: every figure under "checks" is 0 when all is well, "row counts" shows
one column per run, and the exit code is 0 only when every check is 0, the kill landed
half-way and the row counts after the 2nd and 3rd re-runs equal those after the 1st. Each
non-200 response is printed with its URL (and the server's error log below it).
"""

import argparse
import hashlib
import http.client
import math
import os
import queue
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SOURCES = [ROOT.parent / "shared" / "devset" / "docs", ROOT / "seeds", ROOT / "tests" / "fixtures"]
SUFFIXES = {".txt", ".html", ".docx"}
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
HOST = "127.0.0.1"
READERS = 20
THINK_SECONDS = 0.2  # each reader's pause between two pages
READ_TIMEOUT = 60.0  # seconds a reader waits for one page
READ_MAX_SECONDS = 1800.0  # readers stop by then whatever happens
READ_MAX_REQUESTS = 20_000  # per reader
ORPHAN_WAIT = 5.0  # seconds after the kill
IMPORT_TIMEOUT = 900.0  # seconds for one import run
SEARCHES = ["初心", "干部", "学习 焦裕禄", "幹部 群眾", "廉政", "挂职锻炼"]
SHOWN_FAILURES = 30
STARTED = time.perf_counter()

phases: dict[str, float] = {}


@contextmanager
def phase(name: str):
    """Time a phase; its seconds go to `phases` and a line to stderr."""
    log(f"{name} …")
    started = time.perf_counter()
    try:
        yield
    finally:
        phases[name] = time.perf_counter() - started
        log(f"{name}: {phases[name]:.1f} s")


def log(message: str) -> None:
    # Seconds since the start: Django's TIME_ZONE setting changes this process's local time.
    print(f"  [{time.perf_counter() - STARTED:6.1f} s] {message}", file=sys.stderr, flush=True)


# The documents ------------------------------------------------------------------------------


def originals() -> list[Path]:
    """Every source document of the dev set, the seeds and the fixtures, each content once."""
    seen, found = set(), []
    for folder in SOURCES:
        for path in sorted(folder.rglob("*")):
            if path.suffix.lower() in SUFFIXES and path.is_file():
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
                if digest not in seen:
                    seen.add(digest)
                    found.append(path)
    return found


def copyable(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """(copied several times, copied once). A paged document (第2/2页) is copied once: a second
    file claiming the same page is a conflict the importer refuses by design, not a fault; of
    two originals claiming the same page, only the first is kept."""
    from essays.ingest import parse_document

    many, once, pages = [], [], set()
    for path in paths:
        if path.suffix.lower() == ".docx":
            once.append(path)
            continue
        parsed = parse_document(path.read_bytes(), path.name)
        page = parsed.collection.page
        if not page:
            many.append(path)
        elif (parsed.collection.title, parsed.collection.site, page[0]) not in pages:
            pages.add((parsed.collection.title, parsed.collection.site, page[0]))
            once.append(path)
    return many, once


def marked_copy(data: bytes, suffix: str, n: int, serial: int) -> bytes:
    """The document with a line of its own (`serial` is unique: two originals may differ
    only in a trailing newline): appended to a text, before </body> in HTML."""
    line = f"（本文第 {n} 次转载，编号 FB{serial:05d}）"
    encoding = "utf-8"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        encoding = "gb18030"
    if suffix.lower() == ".html":
        end = data.lower().rfind(b"</body>")
        mark = f"<p>{line}</p>\n".encode(encoding)
        return data + mark if end < 0 else data[:end] + mark + data[end:]
    return data.rstrip(b"\r\n") + f"\n{line}\n".encode(encoding)


def build_corpus(folder: Path, seed_folder: Path, documents: int) -> tuple[int, int, int]:
    """`documents` files in `folder`; the first copy of each original also in `seed_folder`
    (same name, same bytes). Returns (files, originals, seeded)."""
    many, once = copyable(originals())
    copies = max(1, math.ceil((documents - len(once)) / max(1, len(many))))
    planned = [(path, 0) for path in once] + [(path, n) for n in range(copies) for path in many]
    planned = planned[:documents]
    seeded = 0
    for serial, (path, n) in enumerate(planned):
        name = f"{path.stem}-{n:02d}{path.suffix}"
        data = path.read_bytes() if n == 0 else marked_copy(path.read_bytes(), path.suffix, n, serial)
        (folder / name).write_bytes(data)
        if n == 0:
            (seed_folder / name).write_bytes(data)
            seeded += 1
    return len(planned), len(many) + len(once), seeded


# The database and the server ------------------------------------------------------------------


def environment(kind: str, tmp: Path) -> dict[str, str]:
    """As deployed (debug off, its own key), every file under `tmp`, no HTTPS redirect."""
    var = tmp / "var"
    var.mkdir()
    database = f"{PG_SERVER}/fault_bench_{os.getpid()}" if kind == "postgresql" else None
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "anthology.settings",
        "ANTHOLOGY_DEBUG": "0",
        "SECRET_KEY": "fault-bench-only",
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "LOG_LEVEL": "ERROR",
        "ANTHOLOGY_VAR_DIR": str(var),
        "STATIC_ROOT": str(tmp / "static"),
        "DATABASE_URL": database or f"sqlite:///{var / 'anthology.sqlite3'}",
        "PYTHONUNBUFFERED": "1",  # the import's "✓" lines arrive as they are printed
    }


def psql(sql: str) -> None:
    subprocess.run(["psql", f"{PG_SERVER}/postgres", "-qc", sql], check=True, timeout=60)


def manage(env: dict, *args: str, timeout: float = IMPORT_TIMEOUT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def setup_django(env: dict) -> None:
    """This process reads the same database: counts, checks and the readers' URLs."""
    os.environ.update({k: v for k, v in env.items() if k != "PYTHONUNBUFFERED"})
    import django

    django.setup()


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_gunicorn(env: dict, log_path: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "anthology.wsgi",
            "-w",
            "2",
            "-b",
            f"{HOST}:{port}",
            "--timeout",
            "120",
            "--graceful-timeout",
            "10",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=log_path.open("wb"),
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({server.returncode}): {log_path.read_text()[-2000:]}")
        try:
            if fetch(port, "/")[0] == 200:
                return server, port
        except OSError:
            pass
        time.sleep(0.2)
    stop_process(server)
    raise RuntimeError("gunicorn did not answer within 60 s")


def stop_process(process: subprocess.Popen, *, grace: float = 20.0) -> None:
    """SIGTERM (gunicorn stops gracefully), then SIGKILL; its children left are killed too."""
    if process.poll() is not None:
        return
    children = descendants(process.pid)
    process.terminate()
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
    time.sleep(0.5)
    kill_all(alive(children))


# Reading clients ----------------------------------------------------------------------------


def fetch(port: int, path: str) -> tuple[int, float]:
    """(status, seconds) of one GET, on a connection of its own."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection(HOST, port, timeout=READ_TIMEOUT)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    finally:
        connection.close()


def reading_urls() -> list[str]:
    """A rotation over the reading pages, with ids and slugs of published content."""
    from essays.models import Author, Collection, Essay, Theme

    themes = list(Theme.objects.in_use().order_by("-essay_count", "id").values_list("slug", flat=True)[:3])
    collections = list(Collection.objects.visible().order_by("id").values_list("pk", flat=True)[:3])
    essays = list(Essay.objects.published().order_by("id").values_list("pk", flat=True)[::20][:5])
    authors = list(
        Author.objects.with_published_counts()
        .filter(essay_count__gt=0)
        .order_by("id")
        .values_list("pk", flat=True)[:2]
    )
    urls = ["/", "/themes/", "/collections/", "/authors/"]
    urls += [f"/themes/{quote(slug)}/" for slug in themes]
    urls += [f"/collections/{pk}/" for pk in collections]
    urls += [f"/essays/{pk}/" for pk in essays]
    urls += [f"/authors/{pk}/" for pk in authors]
    urls += ["/search/?" + urlencode({"q": q}) for q in SEARCHES]
    return urls


class Readers:
    """READERS threads, each fetching the rotation (from its own place) until stopped."""

    def __init__(self, port: int, urls: list[str]):
        self.port, self.urls = port, urls
        self.stop_event = threading.Event()
        self.lock = threading.Lock()
        self.statuses: Counter = Counter()
        self.failures: list[tuple[str, str, str]] = []  # (phase, status, url)
        self.seconds: list[float] = []
        self.phase = "start"
        self.threads = [threading.Thread(target=self._read, args=(n,), daemon=True) for n in range(READERS)]

    def start(self) -> None:
        self.started = time.perf_counter()
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        self.stop_event.set()
        for thread in self.threads:
            thread.join(timeout=READ_TIMEOUT + 5)
        self.elapsed = time.perf_counter() - self.started

    def _read(self, n: int) -> None:
        deadline = time.monotonic() + READ_MAX_SECONDS
        for i in range(READ_MAX_REQUESTS):
            if self.stop_event.is_set() or time.monotonic() > deadline:
                return
            url = self.urls[(n + i) % len(self.urls)]
            try:
                status, seconds = fetch(self.port, url)
                status = str(status)
            except (OSError, http.client.HTTPException) as exc:
                status, seconds = f"error {type(exc).__name__}", None
            with self.lock:
                self.statuses[status] += 1
                if seconds is not None:
                    self.seconds.append(seconds)
                if status != "200":
                    self.failures.append((self.phase, status, url))
            self.stop_event.wait(THINK_SECONDS)

    @property
    def not_ok(self) -> int:
        return sum(count for status, count in self.statuses.items() if status != "200")


# Processes ----------------------------------------------------------------------------------


def _stat(pid: int) -> tuple[str, str] | None:
    """(state, start time) of a process, None when there is none."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return fields[0], fields[19]  # fields 3 (state) and 22 (starttime)


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return "?"


def descendants(pid: int) -> dict[int, tuple[str, str]]:
    """Every process below `pid` (from /proc/PID/task/*/children, recursively): pid ->
    (start time, command line); the start time tells a reused pid apart."""
    found: dict[int, tuple[str, str]] = {}
    todo = [pid]
    while todo and len(found) < 1000:
        parent = todo.pop()
        for children in Path(f"/proc/{parent}/task").glob("*/children"):
            try:
                pids = [int(p) for p in children.read_text().split()]
            except OSError:
                continue
            for child in pids:
                stat = _stat(child)
                if stat and child not in found:
                    found[child] = (stat[1], _cmdline(child))
                    todo.append(child)
    return found


def alive(processes: dict[int, tuple[str, str]]) -> dict[int, tuple[str, str]]:
    """Those still running (zombies are dead) and still the same process."""
    left = {}
    for pid, (started, cmdline) in processes.items():
        stat = _stat(pid)
        if stat and stat[1] == started and stat[0] not in "ZX":
            left[pid] = (started, cmdline)
    return left


def kill_all(processes: dict[int, tuple[str, str]]) -> None:
    for pid in alive(processes):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


# The imports --------------------------------------------------------------------------------


def import_command(folder: Path) -> list[str]:
    return [sys.executable, "manage.py", "import_essays", str(folder), "--status", "published", "--jobs", "2"]


def killed_import(env: dict, folder: Path, kill_after: int, stderr_path: Path) -> dict:
    """Run the import, SIGKILL it at its `kill_after`th "✓" line; then wait ORPHAN_WAIT s
    and return what was seen, with the children still alive (left running for the caller)."""
    process = subprocess.Popen(
        import_command(folder),
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=stderr_path.open("wb"),
        text=True,
    )
    lines: queue.Queue = queue.Queue()

    def pump():  # the pipe stays open while any child holds it: never joined
        for line in process.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    result = {"ticks": 0, "killed": False, "children": {}, "orphans": {}, "gone_after": None}
    deadline = time.monotonic() + IMPORT_TIMEOUT
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
        except queue.Empty:
            break
        if line is None:
            break
        if line.startswith("✓"):
            result["ticks"] += 1
            if result["ticks"] >= kill_after:
                result["children"] = descendants(process.pid)
                process.send_signal(signal.SIGKILL)
                result["killed"] = True
                break
    if not result["killed"] and process.poll() is None:
        result["children"] = descendants(process.pid)
        process.kill()
    process.wait(timeout=30)
    result["exit"] = process.returncode
    killed_at = time.monotonic()
    while time.monotonic() - killed_at < ORPHAN_WAIT:
        if result["gone_after"] is None and not alive(result["children"]):
            result["gone_after"] = time.monotonic() - killed_at
        time.sleep(0.05)
    result["orphans"] = alive(result["children"])
    return result


def full_import(env: dict, folder: Path) -> dict:
    """One import run to its end: exit code, receipts, and what stderr said."""
    started = time.perf_counter()
    done = subprocess.run(
        import_command(folder), env=env, cwd=ROOT, capture_output=True, text=True, timeout=IMPORT_TIMEOUT
    )
    out = done.stdout.splitlines()
    err = done.stderr.splitlines()
    return {
        "exit": done.returncode,
        "seconds": time.perf_counter() - started,
        "ticks": sum(line.startswith("✓") for line in out),
        "crosses": sum(line.startswith("✗") for line in err),
        "summary": [line for line in out if line.split("：")[0] in {"文档", "文章", "与已存文章重合"}],
        "notes": [line for line in err if not line.startswith("✗")][:5],
        "failed": [line for line in err if line.startswith("✗")][:5],
    }


# What is stored -----------------------------------------------------------------------------


def row_counts() -> dict[str, int]:
    from django.db import connection

    from essays import models

    counts = {
        "collections": models.Collection.objects.count(),
        "source documents": models.SourceDocument.objects.count(),
    }
    if hasattr(models, "SourceVersion"):
        counts["source versions"] = models.SourceVersion.objects.count()
    counts |= {
        "essays": models.Essay.objects.count(),
        "authors": models.Author.objects.count(),
        "themes": models.Theme.objects.count(),
        "duplicate pairs": models.DuplicatePair.objects.count(),
        "duplicate signatures": models.EssaySignature.objects.count(),
        "essay history rows": models.Essay.history.model.objects.count(),
    }
    connection.close()
    return counts


def search_index_ids() -> tuple[set[int], set[int]]:
    """(every essay id the search index holds, those it marks published), read from the
    backend's own tables (essays/search/backends)."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            from essays.search.backends.sqlite import ENTRY, FTS, PUBLISHED

            cursor.execute(f"SELECT essay_id FROM {ENTRY}")
            indexed = {row[0] for row in cursor.fetchall()}
            cursor.execute(f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s", [f"{{scope}} : {PUBLISHED}"])
            published = {row[0] for row in cursor.fetchall()}
        else:
            from essays.search.backends.postgresql import ENTRY

            cursor.execute(f"SELECT essay_id, published FROM {ENTRY}")
            rows = cursor.fetchall()
            indexed = {essay_id for essay_id, _ in rows}
            published = {essay_id for essay_id, flag in rows if flag}
    return indexed, published


def consistency() -> dict[str, int]:
    from django.db import connection

    from essays.models import Essay

    indexed, flagged = search_index_ids()
    every = set(Essay.objects.values_list("pk", flat=True))
    published = set(Essay.objects.published().values_list("pk", flat=True))
    checks = {
        "published essays missing from the search index": len(published - flagged),
        "index rows of essays not published or gone": len(flagged - published) + len(indexed - every),
        "essays without a duplicate signature": Essay.objects.filter(
            duplicate_signature__isnull=True
        ).count(),
        "essays of a collection without a source document": Essay.objects.filter(
            collection__documents__isnull=True
        ).count(),
    }
    connection.close()
    return checks


# Report -------------------------------------------------------------------------------------


def print_counts(columns: dict[str, dict[str, int]]) -> None:
    names = list(next(iter(columns.values())))
    width = max(len(n) for n in names)
    print("\nrow counts:")
    print(f"  {'':{width}}  " + "  ".join(f"{c:>10}" for c in columns))
    for name in names:
        print(f"  {name:{width}}  " + "  ".join(f"{counts.get(name, 0):>10}" for counts in columns.values()))


def print_run(label: str, run: dict) -> None:
    print(
        f"{label}: exit {run['exit']}, {run['seconds']:.1f} s, {run['ticks']} ✓ lines, {run['crosses']} ✗ lines"
    )
    for line in run["notes"] + run["summary"] + run["failed"]:
        print(f"    {line}")


def print_readers(readers: Readers, server_log: Path) -> None:
    total = sum(readers.statuses.values())
    statuses = ", ".join(f"{status}: {n}" for status, n in sorted(readers.statuses.items()))
    print(
        f"\nreaders: {READERS} clients, {total} requests in {readers.elapsed:.0f} s "
        f"({total / max(readers.elapsed, 1e-9):.1f}/s) over {len(readers.urls)} pages; {statuses}"
    )
    if readers.seconds:
        times = sorted(readers.seconds)
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        print(
            f"  page time p50 {statistics.median(times) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
            f"max {times[-1] * 1000:.0f} ms"
        )
    for phase_name, status, url in readers.failures[:SHOWN_FAILURES]:
        print(f"  non-200 during {phase_name}: {status} {url}")
    if len(readers.failures) > SHOWN_FAILURES:
        print(f"  … and {len(readers.failures) - SHOWN_FAILURES} more")
    if readers.failures and server_log.exists():
        print("  server log (last 2,000 characters):")
        print("    " + server_log.read_text(errors="replace")[-2000:].replace("\n", "\n    "))


def print_summary(checks: dict[str, int]) -> None:
    width = max(len(name) for name in checks)
    print("\nchecks (0 = fine):")
    for name, value in checks.items():
        print(f"  {name:{width}}  {value:>6}  {'ok' if value == 0 else 'FAIL'}")
    print("\nphases:")
    for name, seconds in phases.items():
        print(f"  {name:{width}}  {seconds:>6.1f} s")


# The run ------------------------------------------------------------------------------------


def run(args, tmp: Path) -> int:
    folder, seed_folder = tmp / "documents", tmp / "seed"
    folder.mkdir()
    seed_folder.mkdir()
    with phase("build documents"):
        files, unique, seeded = build_corpus(folder, seed_folder, args.documents)
    size = sum(p.stat().st_size for p in folder.iterdir())
    print(
        f"documents: {files} files ({size / 1e6:.1f} MB) from {unique} originals; "
        f"{seeded} of them imported first as published; database: {args.database}"
    )
    env = environment(args.database, tmp)
    with phase("migrate, collectstatic, first import"):
        for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
            done = manage(env, *command)
            if done.returncode:
                raise RuntimeError(f"manage.py {' '.join(command)} failed:\n{done.stderr[-3000:]}")
        first = manage(env, "import_essays", str(seed_folder), "--status", "published")
        if first.returncode:
            print(f"first import: exit {first.returncode}\n{first.stderr[-2000:]}")
    setup_django(env)
    columns = {"first": row_counts()}
    urls = reading_urls()

    server_log = tmp / "gunicorn.log"
    with phase("start gunicorn"):
        server, port = start_gunicorn(env, server_log)
    readers = Readers(port, urls)
    runs: list[dict] = []
    killed: dict = {}
    try:
        readers.start()
        readers.phase = "killed import"
        with phase("import killed half-way"):
            killed = killed_import(env, folder, max(1, round(files * args.kill_at)), tmp / "killed.err")
        columns["killed"] = row_counts()
        unchecked_after_kill = consistency()["essays without a duplicate signature"]
        for n in range(1, 4):
            readers.phase = f"re-run {n}"
            with phase(f"re-run {n}"):
                runs.append(full_import(env, folder))
            columns[f"re-run {n}"] = row_counts()
    finally:
        with phase("stop readers and gunicorn"):
            readers.stop()
            stop_process(server)
        kill_all(killed.get("orphans", {}))

    print(
        f"\nkilled import: SIGKILL after {killed['ticks']} of {files} ✓ lines "
        f"({'killed' if killed['killed'] else 'NOT killed: it ended first'}), exit {killed['exit']}; "
        f"{unchecked_after_kill} essays left without a duplicate check"
    )
    print(f"  children at the kill: {len(killed['children'])}")
    for pid, (_, cmdline) in killed["children"].items():
        state = "ORPHAN after 5 s" if pid in killed["orphans"] else "gone"
        print(f"    {pid} {state}: {cmdline[:150]}")
    if killed["gone_after"] is not None:
        print(f"  all gone {killed['gone_after']:.2f} s after the kill")
    err = (tmp / "killed.err").read_text(errors="replace").strip()
    if err:
        print("  its stderr: " + err[-600:].replace("\n", "\n    "))
    for n, result in enumerate(runs, 1):
        print_run(f"re-run {n}", result)
    print_counts(columns)
    print_readers(readers, server_log)

    same = all(columns[f"re-run {n}"] == columns["re-run 1"] for n in (2, 3)) and len(runs) == 3
    checks = consistency() | {
        "orphan processes after 5 s": len(killed["orphans"]),
        "non-200 responses": readers.not_ok,
        "import not killed half-way": 0 if killed["killed"] else 1,
        "row counts changed after re-run 2 or 3": 0 if same else 1,
    }
    print_summary(checks)
    code = 0 if not any(checks.values()) else 1
    print(f"\nexit code: {code}")
    return code


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--documents", type=int, default=300)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument(
        "--kill-at", type=float, default=0.5, help="share of the ✓ lines after which the import is killed"
    )
    args = parser.parse_args()
    started = time.perf_counter()
    database = f"fault_bench_{os.getpid()}"
    with tempfile.TemporaryDirectory(prefix="fault-bench-") as tmp:
        if args.database == "postgresql":
            psql(f"CREATE DATABASE {database}")
        try:
            code = run(args, Path(tmp))
        finally:
            if "django" in sys.modules:
                from django.db import connections

                connections.close_all()
            if args.database == "postgresql":
                psql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
    print(f"total: {time.perf_counter() - started:.0f} s")
    return code


if __name__ == "__main__":
    sys.exit(main())
