"""Import throughput and memory on a synthetic corpus built from the seeds.

    .venv/bin/python bench/import_bench.py [--docs 10000] [--min-mb 50] [--skip-db]

Builds documents by recombining the lines of one seed each (titles, bylines, paragraphs;
one document in five comes from the damaged seed 003; some files re-encoded as GB18030 or
Big5) in a temporary folder, then reports:
  - parse-only MB/s (essays.ingest.parse_document, no Django),
  - end-to-end MB/s into a throw-away SQLite database (import_paths: parse + write),
  - peak RSS after each quarter of the corpus, to show memory stays flat (streaming).
Targets (issue 3): parse-only >= 10 MB/s, end-to-end >= 3 MB/s, memory flat.
"""

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def peak_rss_mb() -> float:
    """Peak RSS of this process plus the current RSS of its worker processes."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == os.getpid():  # ppid; field 22 (rss) in pages
            workers += int(fields[21]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    return own + workers


def seed_lines() -> list[tuple[list[str], list[str]]]:
    """(short lines, long lines) of each seed, kept apart: damage belongs to a document."""
    seeds = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        short, long = [], []
        for line in path.read_text("utf-8").splitlines():
            line = line.strip()
            if line:
                (long if len(line) > 40 else short).append(line)
        seeds.append((short, long))
    return seeds


def build_corpus(folder: Path, n_docs: int, min_bytes: int, rng: random.Random) -> tuple[int, int]:
    """Each document recombines the lines of one seed, so a damaged source (seed 003:
    pinyin, GBK mojibake) yields damaged documents and a clean one clean documents."""
    seeds = seed_lines()
    total = 0
    count = 0
    while count < n_docs or total < min_bytes:
        short, long = seeds[count % len(seeds)]
        lines = [rng.choice(short) + f"（{count}）"]
        for _ in range(rng.randint(2, 5)):
            lines.append(rng.choice(short))
            lines.extend(rng.choice(long) for _ in range(rng.randint(3, 7)))
        text = "\n\n".join(lines) + "\n"
        encoding = rng.choices(["utf-8", "gb18030", "big5"], weights=[8, 1, 1])[0]
        data = text.encode(encoding, errors="ignore" if encoding == "big5" else "strict")
        (folder / f"{count // 1000:03d}").mkdir(exist_ok=True)
        (folder / f"{count // 1000:03d}" / f"doc{count:06d}.txt").write_bytes(data)
        total += len(data)
        count += 1
    return count, total


def timed_parse(data: bytes, name: str):
    from essays.ingest.parallel import parse_one

    started = time.process_time()
    result = parse_one(data, name)
    return result, time.process_time() - started


def bench_parse(files: list[Path], jobs: int) -> tuple[float, float, list[float], dict]:
    """Parse every file (in `jobs` worker processes, as import_essays does); also split the
    time between documents that needed GBK repair and the rest, since the repair search
    dominates when it runs. Per-kind times are summed worker time (CPU seconds)."""
    from essays.ingest import IngestError
    from essays.ingest.parallel import parse_many

    size = 0
    quarters = []
    kinds = {"repaired": [0, 0.0], "clean": [0, 0.0]}

    def items():
        for path in files:
            data = path.read_bytes()
            yield len(data), data, str(path)

    started = time.perf_counter()
    for i, (length, result) in enumerate(parse_many(items(), jobs, parse=timed_parse), 1):
        size += length
        parsed, seconds = result
        if not isinstance(parsed, IngestError):
            kind = kinds["repaired" if parsed.report.repairs else "clean"]
            kind[0] += length
            kind[1] += seconds
        if i % max(1, len(files) // 4) == 0:
            quarters.append(peak_rss_mb())
    elapsed = time.perf_counter() - started
    return size / 1e6, elapsed, quarters, kinds


def bench_end_to_end(folder: Path, db_path: Path, jobs: int) -> tuple[float, float, list[float], int]:
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    # As deployed: DEBUG off (it wraps every query to record it).
    os.environ["ANTHOLOGY_DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "import-bench-only")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anthology.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from essays.models import Essay
    from essays.services import import_paths

    call_command("migrate", verbosity=0)
    size = 0
    quarters = []
    files = sorted(folder.rglob("*.txt"))
    step = max(1, len(files) // 4)
    started, cpu, children = time.perf_counter(), time.process_time(), children_cpu()
    for i, outcome in enumerate(import_paths([str(folder)], status="published", jobs=jobs), 1):
        if outcome.parsed:
            size += len(outcome.parsed.text.encode("utf-8"))
        if i % step == 0:
            quarters.append(peak_rss_mb())
    elapsed = time.perf_counter() - started
    print(
        f"  CPU: storing process {time.process_time() - cpu:.1f} s, "
        f"workers (parse, index strings, duplicate comparisons) {children_cpu() - children:.1f} s"
    )
    return size / 1e6, elapsed, quarters, Essay.objects.count()


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def bench_roles(files: list[Path], rounds: int = 3) -> dict[str, tuple[float, float]]:
    """Parse-only CPU time in this process with the rules alone and with the line-role model
    (the default), interleaved round by round so both see the same machine (issue 15)."""
    from essays.ingest import IngestError, parse_document

    datas = [(path.read_bytes(), path.name) for path in files]
    size = sum(len(d) for d, _n in datas) / 1e6
    seconds = {"rules": 0.0, "hinted": 0.0}
    for _round in range(rounds):
        for mode in seconds:
            started = time.process_time()
            for data, name in datas:
                try:
                    parse_document(data, name, roles=mode)
                except IngestError:
                    pass
            seconds[mode] += time.process_time() - started
    return {mode: (size * rounds, s) for mode, s in seconds.items()}


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--min-mb", type=float, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-db", action="store_true", help="parse-only")
    parser.add_argument("--jobs", type=int, default=os.cpu_count(), help="parsing processes (default: cores)")
    parser.add_argument(
        "--roles",
        type=int,
        metavar="N",
        help="only: parse N documents with the rules alone and with the line-role model, side by side",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="anthology-bench-") as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        started = time.perf_counter()
        count, total = build_corpus(folder, args.docs, int(args.min_mb * 1e6), random.Random(args.seed))
        print(
            f"corpus: {count} documents, {total / 1e6:.1f} MB, built in {time.perf_counter() - started:.1f} s"
        )

        files = sorted(folder.rglob("*.txt"))
        if args.roles:
            got = bench_roles(files[: args.roles])
            for mode, (mb, seconds) in got.items():
                print(
                    f"parse-only, 1 process, roles={mode}: {mb:.1f} MB in {seconds:.1f} CPU s = {mb / seconds:.2f} MB/s"
                )
            ratio = (got["hinted"][0] / got["hinted"][1]) / (got["rules"][0] / got["rules"][1])
            print(f"throughput with the line-role model / rules alone: {ratio:.2f}")
            return
        mb, elapsed, quarters, kinds = bench_parse(files, args.jobs)
        print(
            f"parse-only, {args.jobs} process(es): {mb:.1f} MB in {elapsed:.1f} s = {mb / elapsed:.1f} MB/s"
        )
        for kind, (size, seconds) in kinds.items():
            if seconds:
                print(
                    f"  {kind} documents: {size / 1e6:.1f} MB in {seconds:.1f} CPU s = {size / 1e6 / seconds:.1f} MB/s per process"
                )
        print("parse-only peak RSS by quarter, with workers (MB): " + ", ".join(f"{q:.0f}" for q in quarters))

        if not args.skip_db:
            mb, elapsed, quarters, essays = bench_end_to_end(folder, Path(tmp) / "bench.sqlite3", args.jobs)
            print(
                f"end-to-end (SQLite, {args.jobs} parsing process(es)): {mb:.1f} MB of text, {essays} essays in {elapsed:.1f} s = {mb / elapsed:.1f} MB/s"
            )
            print(
                "end-to-end peak RSS by quarter, with workers (MB): "
                + ", ".join(f"{q:.0f}" for q in quarters)
            )


if __name__ == "__main__":
    main()
