"""Every reading page under load, beside a bare template view on the same server (issue 18).

    apt-get install -y wrk      # the load generator, from Debian (CI machines: the same package)
    .venv/bin/python bench/page_bench.py [--essays 100000] [--database sqlite|postgresql]
        [--rounds 3] [--seconds 3] [--cold-requests 20] [--workers 2] [--keep] [--reuse] [--json]

Builds N published essays (default 100,000) with bulk inserts into a throw-away database —
SQLite in a temporary folder, or a PostgreSQL database of its own on 127.0.0.1:5432 (trust
auth; created and dropped here) — made of the seed essays' paragraphs recombined: about
3,000 characters each (log-normal, the body stored twice as an import stores it: body and
source excerpt), 3–7 themes each with Zipf-like popularity, N/50 collections, N/20 authors,
publication dates over ten years, the search index filled. `--keep` leaves the database in
var/pagebench/ (or the PostgreSQL database in place) and `--reuse` measures a kept one again
after migrating it, so a before/after comparison runs on the same rows.

Pages: home, theme list, the biggest theme's first and 50th page, collection list and the
biggest collection, an essay in 简 and 繁, author list and the most prolific author, search
for a 2- and a 4-character word, and, where the code has them, the all-essays page (newest,
its 50th page, by title, by length), the year list and the biggest year.

gunicorn (sync workers, `--workers`) serves the site as deployed (debug off, WhiteNoise
manifest) with one addition, in the bench's own URL configuration only: /bare/, a template
of a few lines that runs no query, through the same middleware. Pages are measured in
interleaved rounds — wrk on the bare view, then wrk on the page, so each ratio compares two
runs seconds apart — warm (the page requested before), and cold: one request at a time,
each after the page cache is emptied (its generation bumped, when the project has one).
Before any of it every worker renders every page a few times (cache emptied each round), so
a cold figure is a page rendered without its cache, not a process's first page of a kind.

Prints a table of req/s, p50/p99 and the ratio to bare (medians over rounds); `--json`
prints only a JSON list with one object per page: {"page", "warm_rps", "warm_ratio",
"cold_p95_ms"}. Targets (issue 18, at 100,000 essays): every page warm ≥ 0.5 × bare, cold
p95 ≤ 100 ms.
"""

import argparse
import http.client
import importlib.util
import io
import json
import math
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HOST = "127.0.0.1"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
KEEP_DIR = ROOT / "var" / "pagebench"
ESSAY_LENGTH = 3000
DEEP_PAGE = 50

SITE_SETTINGS = """\
from anthology.settings import *  # noqa: F403

ROOT_URLCONF = "pagebench_urls"
TEMPLATES[0]["DIRS"] = [{templates!r}]  # noqa: F405
"""
SITE_URLS = """\
from django.urls import include, path
from django.views.generic import TemplateView

urlpatterns = [
    path("bare/", TemplateView.as_view(template_name="pagebench_bare.html")),
    path("", include("anthology.urls")),
]
"""
BARE_TEMPLATE = """<!doctype html>
<html lang="zh-Hans">
<head><meta charset="utf-8"><title>空白页</title></head>
<body>
<h1>空白页</h1>
<p>没有查询的模板，作为比较的基准。</p>
</body>
</html>
"""


def log(message: str) -> None:
    print(f"  [{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# The database -------------------------------------------------------------------------------


def psql(sql: str) -> None:
    subprocess.run(["psql", f"{PG_SERVER}/postgres", "-qc", sql], check=True, timeout=120)


def environment(args, tmp: Path) -> tuple[dict, str | None]:
    """As deployed (debug off, its own key), every file under `tmp`, no HTTPS redirect.
    Returns the environment and the PostgreSQL database to drop afterwards (if any)."""
    (tmp / "templates").mkdir()
    (tmp / "templates" / "pagebench_bare.html").write_text(BARE_TEMPLATE)
    (tmp / "pagebench_settings.py").write_text(SITE_SETTINGS.format(templates=str(tmp / "templates")))
    (tmp / "pagebench_urls.py").write_text(SITE_URLS)
    kept = args.keep or args.reuse
    drop = None
    if args.database == "postgresql":
        name = f"anthology_pagebench_{args.essays}" if kept else f"anthology_pagebench_{os.getpid()}"
        if not args.reuse:
            psql(f"DROP DATABASE IF EXISTS {name}")
            psql(f"CREATE DATABASE {name}")
        url = f"{PG_SERVER}/{name}"
        drop = None if kept else name
    else:
        folder = KEEP_DIR if kept else tmp
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"sqlite-{args.essays}.sqlite3"
        if not args.reuse:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pagebench_settings",
        "PYTHONPATH": os.pathsep.join([str(tmp), str(ROOT)]),
        "ANTHOLOGY_DEBUG": "0",
        "SECRET_KEY": "page-bench-only",
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "LOG_LEVEL": "ERROR",
        "ANTHOLOGY_VAR_DIR": str(tmp / "var"),
        "STATIC_ROOT": str(tmp / "static"),
        "DATABASE_URL": url,
    }
    return env, drop


def setup_django(env: dict) -> None:
    os.environ.update(env)
    sys.path.insert(0, env["PYTHONPATH"].split(os.pathsep)[0])
    import django

    django.setup()


def seed_material() -> tuple[list[str], list[str]]:
    """(titles, paragraphs) of the seed essays, through the real import pipeline."""
    from essays.ingest import parse_document

    titles, paragraphs = [], []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        for essay in parse_document(path.read_bytes(), path.name).essays:
            if essay.title:
                titles.append(essay.title)
            paragraphs += [p for p in essay.body.split("\n") if len(p.strip()) >= 10]
    return titles, paragraphs


def theme_names(n: int) -> list[str]:
    lexicon = [
        line.split(":", 1)[0].strip()
        for line in (ROOT / "essays" / "ingest" / "data" / "themes.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    names = list(lexicon)
    areas = ["乡村", "社区", "机关", "学校", "企业", "医院", "部队", "街道", "园区", "窗口"]
    for i in range(n):
        names.append(f"{areas[i % len(areas)]}{lexicon[i // len(areas) % len(lexicon)]}")
    return list(dict.fromkeys(names))[:n]


def build(n: int, rng: random.Random) -> None:
    """N published essays and everything the reading pages show about them, in bulk."""
    from django.db import transaction
    from django.utils import timezone
    from django.utils.text import slugify

    from essays.ingest.script import script_key
    from essays.models import Author, Collection, Essay, Status, Theme, ThemedEssay, count_characters

    titles, paragraphs = seed_material()
    started = time.perf_counter()
    n_collections, n_authors = max(20, n // 50), max(50, n // 20)
    n_themes = max(60, n // 200)
    with transaction.atomic():
        collections = Collection.objects.bulk_create(
            Collection(
                title=f"{rng.choice(['学习', '调研', '挂职', '征文'])}心得汇编（第{i + 1}辑）",
                key=f"pagebench-{i}",
                site=rng.choice(["某某党建网", "某市机关党建", ""]),
                date_year=2015 + i % 11,
            )
            for i in range(n_collections)
        )
        surnames, given = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗", "静伟芳敏军磊洋勇艳杰娟涛明超秀霞平刚"
        authors = Author.objects.bulk_create(
            Author(name=name, organization=unit, name_key=script_key(name), organization_key=script_key(unit))
            for i in range(n_authors)
            for name, unit in [
                (
                    f"{surnames[i % 20]}{given[i // 20 % 18]}{given[i // 360 % 18] if i >= 360 else ''}",
                    f"第{i % 97 + 1}党支部",
                )
            ]
        )
        names = theme_names(n_themes)
        themes = Theme.objects.bulk_create(
            Theme(name=name, slug=slugify(name, allow_unicode=True), key=script_key(name)) for name in names
        )
        weights = [1 / (rank + 1) for rank in range(len(themes))]
        positions = [0] * n_collections
        now = timezone.now()
        span = 10 * 365 * 24 * 3600
        for start in range(0, n, 1000):
            batch, chosen = [], []
            for _ in range(start, min(n, start + 1000)):
                target = rng.lognormvariate(math.log(ESSAY_LENGTH) - 0.125, 0.5)
                parts, length = [], 0
                while length < target:
                    parts.append(rng.choice(paragraphs))
                    length += len(parts[-1])
                body = "\n".join(parts)
                c = min(
                    n_collections - 1, int(rng.paretovariate(1.2)) - 1 + rng.randrange(n_collections) // 2
                )
                positions[c] += 1
                essay = Essay(
                    collection=collections[c],
                    author=authors[rng.randrange(n_authors)],
                    position=positions[c],
                    title=rng.choice(titles) if rng.random() < 0.7 else parts[0][:20],
                    body=body,
                    source_text=body,
                    status=Status.PUBLISHED,
                    published_at=now - timezone.timedelta(seconds=rng.randrange(span)),
                    char_count=count_characters(body),
                )
                # What Essay.save() keeps beside the row, where the code has it.
                if hasattr(essay, "title_key"):
                    from essays.sortkeys import pinyin_key

                    essay.title_key = pinyin_key(essay.title)
                    essay.year = collections[c].date_year
                batch.append(essay)
                chosen.append({t.pk for t in rng.choices(themes, weights, k=rng.randint(3, 7))})
            Essay.objects.bulk_create(batch)
            ThemedEssay.objects.bulk_create(
                ThemedEssay(content_object_id=e.pk, tag_id=t)
                for e, ts in zip(batch, chosen, strict=True)
                for t in ts
            )
    log(
        f"{n} essays, {n_collections} collections, {n_authors} authors, {n_themes} themes "
        f"in {time.perf_counter() - started:.0f} s"
    )
    started = time.perf_counter()
    index_search(Essay.objects.order_by("pk").values_list("pk", "title", "body"))
    log(f"search index in {time.perf_counter() - started:.0f} s")


def index_search(rows) -> None:
    """The search index, each seed paragraph's index string made once: a body's string is
    its paragraphs' strings joined (checked on the first essays; made whole otherwise)."""
    from django.db import transaction

    from essays.search.backends import IndexedEssay, get_backend
    from essays.search.tokens import index_string

    memo: dict[str, str] = {}

    def body_string(body: str) -> str:
        strings = []
        for p in body.split("\n"):
            if p not in memo:
                memo[p] = index_string(p)
            if memo[p]:
                strings.append(memo[p])
        return " ".join(strings)

    backend = get_backend()
    checked = 0
    with transaction.atomic():
        batch = []
        for pk, title, body in rows.iterator(chunk_size=2000):
            made = body_string(body)
            if checked < 20:
                checked += 1
                assert made == index_string(body), "paragraph index strings do not join to the body's"
            batch.append(IndexedEssay(pk, index_string(title), made, True))
            if len(batch) == 1000:
                backend.index(batch)
                batch = []
        backend.index(batch)


def after_build(reused: bool = False) -> None:
    """What the project keeps beside the rows (kept counts, related essays), made by its own
    commands when they exist; then the planner's statistics. A reused database keeps the
    related essays it has (ranking 100,000 essays again takes minutes)."""
    from django.core.management import call_command, get_commands
    from django.db import connection

    commands = get_commands()
    for name, options in (("check_counts", ["--fix"]), ("refresh_related", [])):
        if name == "refresh_related" and reused and _has_related():
            log("reusing the stored related essays")
            continue
        if name in commands:
            started = time.perf_counter()
            call_command(name, *options, verbosity=0, stdout=io.StringIO())  # --json: stdout is the list
            log(f"{name} {' '.join(options)} in {time.perf_counter() - started:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.vendor == "sqlite" else "VACUUM ANALYZE")


def _has_related() -> bool:
    try:
        from essays.related import RelatedEssay
    except ImportError:
        return False
    return RelatedEssay.objects.exists()


def pages() -> list[tuple[str, str, dict]]:
    """(name, path, headers) of every reading page, the bare view first."""
    from django.db.models import Count
    from django.urls import reverse

    from essays.models import Author, Collection, Essay, Status, Theme

    published = Essay.objects.filter(status=Status.PUBLISHED)
    big = Theme.objects.annotate(n=Count("themed_essays")).order_by("-n", "pk").first()
    deep = min(DEEP_PAGE, max(1, math.ceil(big.n / 20)))
    collection = Collection.objects.annotate(n=Count("essays")).order_by("-n", "pk").first()
    author = Author.objects.annotate(n=Count("essays")).order_by("-n", "pk").first()
    ids = list(published.order_by("pk").values_list("pk", flat=True)[:1000])
    essay = reverse("essays:essay_detail", args=[ids[len(ids) // 2]])
    hant = {"Cookie": "anthology_script=hant"}
    theme = big.get_absolute_url()
    browsing = []
    names = get_resolver_names()
    if "essay_list" in names:
        everything = reverse("essays:essay_list")
        browsing += [
            ("all essays newest", everything, {}),
            (f"all essays p{DEEP_PAGE}", f"{everything}?page={DEEP_PAGE}", {}),
            ("all essays by title", f"{everything}?sort=title", {}),
            ("all essays by length", f"{everything}?sort=length", {}),
        ]
    if "year_detail" in names:
        from essays.counts import YearCount

        year = YearCount.objects.order_by("-published", "year").first()
        if year is not None:
            browsing += [
                ("year list", reverse("essays:year_list"), {}),
                (f"year {year.year} ({year.published})", reverse("essays:year_detail", args=[year.year]), {}),
            ]
    return [
        ("bare", "/bare/", {}),
        ("home", reverse("essays:home"), {}),
        ("theme list", reverse("essays:theme_list"), {}),
        (f"big theme p1 ({big.n})", theme, {}),
        (f"big theme p{deep}", f"{theme}?page={deep}", {}),
        ("collection list", reverse("essays:collection_list"), {}),
        (f"collection ({collection.n})", collection.get_absolute_url(), {}),
        ("essay 简", essay, {}),
        ("essay 繁", essay, hant),
        ("author list", reverse("essays:author_list"), {}),
        (f"author ({author.n})", author.get_absolute_url(), {}),
        ("search 初心", reverse("essays:search") + "?q=%E5%88%9D%E5%BF%83", {}),
        ("search 不忘初心", reverse("essays:search") + "?q=%E4%B8%8D%E5%BF%98%E5%88%9D%E5%BF%83", {}),
        *browsing,
    ]


def get_resolver_names() -> set[str]:
    """The reading site's page names, so the bench measures the pages the code has."""
    from django.urls import get_resolver

    return {name.split(":")[-1] for name in get_resolver().reverse_dict.keys() if isinstance(name, str)} | {
        name
        for namespace in get_resolver().namespace_dict.values()
        for name in namespace[1].reverse_dict.keys()
        if isinstance(name, str)
    }


# The server and the load ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def fetch(port: int, path: str, headers: dict, *, answer: list | None = None) -> tuple[int, float]:
    """(status, seconds); `answer` gets the page cache's X-Page-Cache header (hit/miss)."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection(HOST, port, timeout=120)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        if answer is not None:
            answer.append(response.getheader("X-Page-Cache"))
        return response.status, time.perf_counter() - started
    finally:
        connection.close()


def start_gunicorn(env: dict, workers: int, log_path: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "anthology.wsgi", "-w", str(workers), "-b", f"{HOST}:{port}",
         "--timeout", "300", "--log-level", "warning"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log_path.open("wb"),
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({server.returncode}): {log_path.read_text()[-2000:]}")
        try:
            if fetch(port, "/bare/", {})[0] == 200:
                return server, port
        except OSError:
            pass
        time.sleep(0.2)
    server.kill()
    raise RuntimeError("gunicorn did not answer within 60 s")


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def wrk(port: int, path: str, headers: dict, seconds: float) -> dict:
    """req/s and latency percentiles (ms) of `seconds` of wrk -t2 -c8 on one URL."""
    command = ["wrk", "-t2", "-c8", f"-d{seconds}s", "--timeout", "60s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run([*command, f"http://{HOST}:{port}{path}"], capture_output=True, text=True,
                         check=True).stdout  # fmt: skip
    if "Non-2xx or 3xx responses" in out:
        raise RuntimeError(f"{path}: error responses under load\n{out}")
    latency = {
        q: float(v) * _UNITS[u]
        for q, v, u in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.M)
    }
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    # A page slower than the run completes no request: no latency, 0 req/s.
    return {"rps": rps, "p50": latency.get("50", math.nan), "p99": latency.get("99", math.nan)}


def invalidate() -> None:
    """Empty the page cache by bumping its generation, when the project has one."""
    # Only the project under measurement's own module (an editable install elsewhere can
    # lend its package a module the measured code does not have).
    spec = importlib.util.find_spec("essays.pagecache")
    if spec is not None and Path(spec.origin).is_relative_to(ROOT):
        from essays.pagecache import bump_generation

        bump_generation()


def cold(port: int, path: str, headers: dict, n: int) -> list[float]:
    times, stale = [], 0
    for _ in range(n):
        invalidate()
        answer: list = []
        status, seconds = fetch(port, path, headers, answer=answer)
        if status != 200:
            raise RuntimeError(f"{path}: HTTP {status}")
        if answer[0] == "hit":  # a page of the generation before the bump: never expected
            stale += 1
        times.append(seconds * 1000)
    if stale:
        log(f"{path}: {stale} of {n} requests after a bump were answered from the cache")
    return times


def percentile(values, q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, math.ceil(q * len(values)) - 1)]


def warm_up(port: int, urls, workers: int) -> None:
    """Every worker renders every page a few times before anything is measured: a process's
    first page of a kind loads what it needs once (templates, the OpenCC dictionaries,
    pinyin tables: an essay page's first render cost 83 ms of CPU against 10 ms after), and
    that is a process starting, not a page whose cache is empty. Each round empties the cache
    and sends one request per worker at once, so each worker renders."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(workers) as pool:
        for _ in range(3):
            for _, path, headers in urls:
                invalidate()
                list(pool.map(fetch, [port] * workers, [path] * workers, [headers] * workers))


def measure(port: int, urls, args) -> list[dict]:
    (_, bare_path, _), *reading = urls
    results = {name: {"rps": [], "bare": [], "ratio": [], "p50": [], "p99": []} for name, _, _ in reading}
    started = time.perf_counter()
    warm_up(port, urls, args.workers)
    log(f"workers warmed up ({time.perf_counter() - started:.0f} s)")
    # The bare view one request at a time too: what the server and the machine cost alone.
    bare_cold = cold(port, bare_path, {}, args.cold_requests)
    args.bare_cold = (statistics.median(bare_cold), percentile(bare_cold, 0.95))
    log(f"cold bare: p50 {args.bare_cold[0]:.0f} ms, p95 {args.bare_cold[1]:.0f} ms")
    for name, path, headers in reading:
        started = time.perf_counter()
        times = cold(port, path, headers, args.cold_requests)
        results[name]["cold"] = times
        log(f"cold {name}: p50 {statistics.median(times):.0f} ms, p95 {percentile(times, 0.95):.0f} ms "
            f"({time.perf_counter() - started:.0f} s)")  # fmt: skip
    for r in range(args.rounds):
        for name, path, headers in reading:
            fetch(port, path, headers)  # the page is in the cache before it is measured warm
            bare = wrk(port, bare_path, {}, args.seconds)
            page = wrk(port, path, headers, args.seconds)
            row = results[name]
            row["rps"].append(page["rps"])
            row["bare"].append(bare["rps"])
            row["ratio"].append(page["rps"] / bare["rps"])
            row["p50"].append(page["p50"])
            row["p99"].append(page["p99"])
        log(f"round {r + 1}/{args.rounds} done")
    return [
        {
            "page": name,
            "warm_rps": round(statistics.median(row["rps"]), 1),
            "bare_rps": round(statistics.median(row["bare"]), 1),
            "warm_ratio": round(statistics.median(row["ratio"]), 4),
            "p50_ms": round(statistics.median(row["p50"]), 1),
            "p99_ms": round(statistics.median(row["p99"]), 1),
            "cold_p50_ms": round(statistics.median(row["cold"]), 1),
            "cold_p95_ms": round(percentile(row["cold"], 0.95), 1),
        }
        for name, row in results.items()
    ]


def print_table(rows: list[dict], args) -> None:
    print(f"\n{args.essays} essays, {args.database}, gunicorn {args.workers} workers, wrk -t2 -c8 "
          f"{args.seconds}s, {args.rounds} rounds (medians), cold: {args.cold_requests} requests one at a time; "
          f"the bare view one at a time: p50 {args.bare_cold[0]:.1f} ms, p95 {args.bare_cold[1]:.1f} ms; "
          f"load average {os.getloadavg()[0]:.1f}\n")  # fmt: skip
    print("| page | warm req/s | bare req/s | ratio | p50 ms | p99 ms | cold p50 ms | cold p95 ms |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['page']} | {r['warm_rps']} | {r['bare_rps']} | {r['warm_ratio']} | {r['p50_ms']} | "
              f"{r['p99_ms']} | {r['cold_p50_ms']} | {r['cold_p95_ms']} |")  # fmt: skip


def run(args, tmp: Path) -> list[dict]:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    env, drop = environment(args, tmp)
    try:
        for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
            subprocess.run([sys.executable, "manage.py", *command], env=env, cwd=ROOT, check=True,
                           stdout=subprocess.DEVNULL)  # fmt: skip
        setup_django(env)
        from essays.models import Essay

        reused = args.reuse and Essay.objects.count() == args.essays
        if reused:
            log(f"reusing the kept database of {args.essays} essays")
        else:
            build(args.essays, random.Random(18))
        after_build(reused)
        urls = pages()
        from django.db import connections

        connections.close_all()  # the server's processes open their own
        server, port = start_gunicorn(env, args.workers, tmp / "gunicorn.log")
        try:
            return measure(port, urls, args)
        finally:
            stop(server)
    finally:
        if drop:
            from django.db import connections

            connections.close_all()
            psql(f"DROP DATABASE IF EXISTS {drop}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--essays", type=int, default=100_000)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=3)
    parser.add_argument("--cold-requests", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="keep the database for --reuse")
    parser.add_argument("--reuse", action="store_true", help="measure a database kept by --keep")
    parser.add_argument("--json", action="store_true", help="print only the JSON list")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pagebench-") as tmp:
        rows = run(args, Path(tmp))
    if args.json:
        keys = ("page", "warm_rps", "warm_ratio", "cold_p95_ms")
        print(json.dumps([{k: r[k] for k in keys} for r in rows], ensure_ascii=False))
    else:
        print_table(rows, args)


if __name__ == "__main__":
    main()
