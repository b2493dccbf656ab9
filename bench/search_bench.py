"""Search latency through the view, index build time and size, on SQLite and PostgreSQL.

    .venv/bin/python bench/search_bench.py [--essays 100000] [--backend sqlite|postgresql|both]
                                           [--repeat 5] [--keep] [--reuse]

Builds N synthetic published essays (seed paragraphs recombined, about 3,000 characters
each, Simplified and Traditional as the seeds are) in a throw-away database — SQLite in a
temporary folder, or the PostgreSQL database anthology_searchbench on 127.0.0.1 (created and
dropped here; DATABASE_URL's server if set) — then times `rebuild_search_index`'s work and
GETs /search/?q=… with Django's test Client for a fixed list of 1-, 2-, 3-, 4-character
and two-word queries (each once to warm up, then --repeat times).
Targets (issue 5): p95 ≤ 50 ms for 2-character queries, ≤ 100 ms for all.
"""

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_DATABASE = "anthology_searchbench"

QUERIES = {
    "1-char": ["党", "学", "民", "廉"],
    "2-char": ["初心", "党建", "干部", "幹部", "学习", "使命", "群众", "基层", "挂职", "焦桐"],
    "3-char": ["焦裕禄", "党支部", "责任感", "新时代", "组织部"],
    "4-char": ["乡村振兴", "不忘初心", "理想信念", "为民服务", "政工干部"],
    "two-word": ["初心 使命", "干部 基层", "学习 焦裕禄", "党建 乡镇", "幹部 群眾"],
}
ESSAY_LENGTH = 3000


def seed_paragraphs() -> tuple[list[str], list[str]]:
    """(titles, paragraphs) of the seed essays, through the real import pipeline."""
    from essays.ingest import parse_document

    titles, paragraphs = [], []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        parsed = parse_document(path.read_bytes(), path.name)
        for essay in parsed.essays:
            if essay.title:
                titles.append(essay.title)
            paragraphs += [p for p in essay.body.split("\n") if len(p.strip()) >= 10]
    return titles, paragraphs


def make_essays(n: int, rng: random.Random):
    from django.utils import timezone

    from essays.models import Author, Collection, Essay, Status, count_characters

    titles, paragraphs = seed_paragraphs()
    log(f"{len(titles)} seed titles, {len(paragraphs)} paragraphs")
    collections = Collection.objects.bulk_create(
        [Collection(title=f"合成文集{i}", key=f"bench-{i}", date_year=2015 + i % 10) for i in range(200)]
    )
    authors = Author.objects.bulk_create(
        [
            Author(
                name=f"作者{i}",
                organization=f"单位{i % 97}",
                name_key=f"作者{i}",
                organization_key=f"单位{i % 97}",
            )
            for i in range(1000)
        ]
    )
    now = timezone.now()
    batch = []
    for i in range(n):
        body_parts, length = [], 0
        while length < ESSAY_LENGTH:
            p = rng.choice(paragraphs)
            body_parts.append(p)
            length += len(p)
        body = "\n".join(body_parts)
        batch.append(
            Essay(
                collection=collections[i % len(collections)],
                year=collections[i % len(collections)].date_year,  # what Essay.save() keeps
                author=authors[i % len(authors)],
                position=i // len(collections) + 1,
                title=rng.choice(titles) if rng.random() < 0.7 else body_parts[0][:20],
                body=body,
                status=Status.PUBLISHED,
                published_at=now,
                char_count=count_characters(body),
            )
        )
        if len(batch) == 1000:
            Essay.objects.bulk_create(batch)
            batch = []
    if batch:
        Essay.objects.bulk_create(batch)


def log(message: str) -> None:
    print(f"  [{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def run_child(args) -> dict:
    import django
    from django.test.utils import override_settings

    django.setup()
    # Production settings (DEBUG off) but plain static URLs: no collectstatic manifest here.
    override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from essays.models import Essay
    from essays.search.backends import get_backend
    from essays.search.index import rebuild_index

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    log(f"migrated in {time.perf_counter() - started:.1f} s")
    generate_seconds = build_seconds = None
    if args.reuse and Essay.objects.count() == args.essays:
        log(f"reusing the {args.essays} essays and index kept by an earlier --keep run")
    else:
        rng = random.Random(2024)
        started = time.perf_counter()
        make_essays(args.essays, rng)
        generate_seconds = round(time.perf_counter() - started, 1)
        log(f"generated {args.essays} essays in {generate_seconds} s; indexing")

        started = time.perf_counter()
        rebuild_index()
        build_seconds = round(time.perf_counter() - started, 1)
        log(f"indexed in {build_seconds} s; querying")
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("VACUUM")  # measure the index, not free pages left by the rebuild
                cursor.execute("ANALYZE")
            else:
                cursor.execute("VACUUM ANALYZE")
    backend = get_backend()

    client = Client()
    results = {}
    all_times = []
    for category, queries in QUERIES.items():
        times, counts = [], {}
        for q in queries:
            response = client.get("/search/", {"q": q})  # warm-up
            assert response.status_code == 200, response.status_code
            found = re.search(r"找到 <strong>(\d+\+?)</strong>", response.content.decode())
            counts[q] = found.group(1) if found else "0"
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                client.get("/search/", {"q": q})
                times.append((time.perf_counter() - t0) * 1000)
        all_times += times
        results[category] = {
            "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(percentile(times, 0.95), 1),
            "max_ms": round(max(times), 1),
            "hits": counts,
        }
    # A deep page: ranking must not fall apart past the first 20.
    t0 = time.perf_counter()
    client.get("/search/", {"q": "干部", "page": 50})
    deep_page_ms = (time.perf_counter() - t0) * 1000
    return {
        "backend": backend.name + (" + RUM" if getattr(backend, "uses_rum", False) else ""),
        "essays": args.essays,
        "generate_s": generate_seconds,
        "index_build_s": build_seconds,
        "index_mb": round((backend.size_bytes() or 0) / 1e6, 1),
        "overall_p50_ms": round(statistics.median(all_times), 1),
        "overall_p95_ms": round(percentile(all_times, 0.95), 1),
        "deep_page_ms": round(deep_page_ms, 1),
        "queries": results,
    }


def psql(sql: str, server: str) -> None:
    subprocess.run(["psql", f"{server}/postgres", "-qc", sql], check=True)


def run_backend(kind: str, args) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "anthology.settings",
        "ANTHOLOGY_DEBUG": "0",
        "SECRET_KEY": "search-bench-only",
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "ERROR",
        # The search is measured, not the page cache: with it, every repeat is a cache hit.
        "ANTHOLOGY_PAGE_CACHE": "0",
    }
    with tempfile.TemporaryDirectory(prefix="searchbench-") as tmp:
        if kind == "sqlite" and (args.keep or args.reuse):
            tmp = str(ROOT / "var" / "searchbench")
            os.makedirs(tmp, exist_ok=True)
            print(f"SQLite database kept in {tmp}")
        if kind == "sqlite":
            env.pop("DATABASE_URL", None)
            env["ANTHOLOGY_VAR_DIR"] = tmp
        else:
            url = os.environ.get("DATABASE_URL")
            server = url.rsplit("/", 1)[0] if url else PG_SERVER
            if not args.reuse:
                psql(f"DROP DATABASE IF EXISTS {PG_DATABASE}", server)
                psql(f"CREATE DATABASE {PG_DATABASE}", server)
            env["DATABASE_URL"] = f"{server}/{PG_DATABASE}"
        try:
            out = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--child",
                    "--essays",
                    str(args.essays),
                    "--repeat",
                    str(args.repeat),
                    *(["--reuse"] if args.reuse else []),
                ],
                env=env,
                check=True,
                stdout=subprocess.PIPE,
                text=True,
                cwd=ROOT,
            )
        finally:
            if kind == "postgresql" and not (args.keep or args.reuse):
                psql(f"DROP DATABASE IF EXISTS {PG_DATABASE}", server)
    return json.loads(out.stdout.strip().splitlines()[-1])


def report(result: dict) -> None:
    print(
        f"\n== {result['backend']}: {result['essays']:,} essays "
        f"(generated in {result['generate_s']} s)\n"
        f"index build {result['index_build_s']} s, index size {result['index_mb']} MB; "
        f"all queries p50 {result['overall_p50_ms']} ms, p95 {result['overall_p95_ms']} ms; "
        f"page 50 of 干部 {result['deep_page_ms']} ms"
    )
    for category, r in result["queries"].items():
        hits = ", ".join(f"{q} {n}" for q, n in r["hits"].items())
        print(
            f"  {category:9} p50 {r['p50_ms']:6.1f} ms  p95 {r['p95_ms']:6.1f} ms  max {r['max_ms']:6.1f} ms  ({hits})"
        )


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--essays", type=int, default=100_000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--keep", action="store_true", help="keep the database afterwards (SQLite: var/searchbench/)"
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="query the database a --keep run left (migrated first), instead of building one",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_child(args), ensure_ascii=False))
        return
    kinds = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    for kind in kinds:
        report(run_backend(kind, args))


if __name__ == "__main__":
    main()
