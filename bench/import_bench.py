"""Import throughput and memory.

    .venv/bin/python bench/import_bench.py --real [--seeds-share 0.2] [--variant-share 0.3] [--jobs 2] [--rounds 3]
    .venv/bin/python bench/import_bench.py [--docs 10000] [--min-mb 50] [--skip-db]

--real (issue 18): the corpus's real documents (essays/ingest/corpus/docs, the dev set's among
them), a share of them also as one variant a real copy might be (Traditional as Big5, GB18030, CRLF, hard
wrapped, a government site's or a WeChat article's furniture, an HTML page: bench/
devset_variants.py), and a share of documents recombined from the seeds as below. It prints
parse-only and end-to-end CPU seconds per MB of input, measured in the same run in
interleaved rounds (each process with its workers, which are waited for; each end-to-end
round into a new database), each round's ratio and their median (target <= 1.5), and the
share of documents the duplicate check found overlapping another.

Without --real:

Builds documents by recombining the lines of one seed each (titles, bylines, paragraphs;
one document in five comes from the damaged seed 003; some files re-encoded as GB18030 or
Big5) in a temporary folder, then reports:
  - parse-only MB/s (essays.ingest.parse_document, no Django),
  - end-to-end MB/s into a throw-away SQLite database (import_paths: parse + write),
  - peak RSS after each quarter of the corpus, to show memory stays flat (streaming).
Targets (issue 3): parse-only >= 10 MB/s, end-to-end >= 3 MB/s, memory flat.

--before REV (issues 15 and 18: "parse-only not slower than today"): parse-only CPU seconds per
MB of the same corpus (either kind) by this tree and by commit REV (exported with git archive,
run with this virtualenv), one process each, in interleaved rounds, each round's ratio and
their median (target >= 1.0: this tree's throughput over REV's).
"""

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
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


VARIANTS = (
    "traditional-big5",
    "simplified-gb18030",
    "crlf",
    "hard-wrapped",
    "government-site",
    "wechat",
    "html-page",
)


def build_real_corpus(
    folder: Path, seeds_share: float, variant_share: float, rng: random.Random
) -> tuple[int, int]:
    """The corpus's documents, a variant of a share of them, and recombined seeds (seeds_share
    of all documents)."""
    sys.path.insert(0, str(ROOT / "bench"))
    from devset_variants import variant

    from essays.ingest.decode import decode_bytes

    count = total = 0
    docs = sorted(p for p in (ROOT / "essays/ingest/corpus/docs").iterdir() if p.is_file())
    for n, path in enumerate(docs):
        data = path.read_bytes()
        text = decode_bytes(data, path.name)[0]
        name = VARIANTS[n % len(VARIANTS)]
        copy, suffix, _ = variant(name, text, {})
        copies = [(name, copy, path.stem + suffix)] if rng.random() < variant_share else []
        for sub, content, file in [("real", data, path.name), *copies]:
            (folder / sub).mkdir(exist_ok=True)
            (folder / sub / file).write_bytes(content)
            total += len(content)
            count += 1
    seeds = int(count * seeds_share / (1 - seeds_share))
    (folder / "seeds").mkdir()
    more, size = build_corpus(folder / "seeds", seeds, 0, rng)
    return count + more, total + size


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
    setup_django(db_path)
    from essays.models import Essay
    from essays.services import import_paths

    size = 0
    quarters = []
    files = sorted(folder.rglob("*.txt"))
    step = max(1, len(files) // 4)
    started, cpu, children = time.perf_counter(), time.process_time(), children_cpu()
    for i, outcome in enumerate(import_paths([str(folder)], status="published", jobs=jobs), 1):
        if outcome.parsed:  # the file's bytes, as bench_parse counts them
            size += (folder / outcome.source).stat().st_size
        if i % step == 0:
            quarters.append(peak_rss_mb())
    elapsed = time.perf_counter() - started
    print(
        f"  CPU: storing process {time.process_time() - cpu:.1f} s, "
        f"workers (parse, index strings, duplicate comparisons) {children_cpu() - children:.1f} s"
    )
    return size / 1e6, elapsed, quarters, Essay.objects.count()


def cpu_now() -> float:
    """CPU seconds of this process and of its children that have ended."""
    return time.process_time() + children_cpu()


def bench_real(folder: Path, db_dir: Path, jobs: int, rounds: int) -> None:
    """Parse-only and end-to-end CPU s/MB of the same files, interleaved for `rounds` rounds:
    a single pair swung between 1.45 and 1.73 in back-to-back runs on an idle machine (the
    parse alone moved by 25 %), so the figure is the median of the rounds' ratios. Each
    end-to-end round imports into a new database in a process of its own (set-up excluded),
    so no round inherits another's rows, caches or workers."""
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    mb = sum(p.stat().st_size for p in files) / 1e6
    ratios = []
    for n in range(1, rounds + 1):
        started = cpu_now()
        bench_parse(files, jobs)
        parse_cpu = cpu_now() - started
        child = subprocess.run(
            [
                sys.executable,
                __file__,
                "--real-child",
                str(folder),
                str(db_dir / f"round{n}.sqlite3"),
                str(jobs),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        got = json.loads(child.stdout.splitlines()[-1])
        ratios.append(got["cpu"] / parse_cpu)
        print(
            f"round {n}: parse-only {parse_cpu:.1f} CPU s = {parse_cpu / mb:.2f} CPU s/MB; end-to-end "
            f"{got['cpu']:.1f} CPU s = {got['cpu'] / mb:.2f} CPU s/MB ({got['stored']} of {got['documents']} "
            f"documents stored, {got['essays']} essays); ratio {ratios[-1]:.2f}"
        )
    print(
        f"end-to-end / parse-only: median {statistics.median(ratios):.2f} over {rounds} rounds "
        f"({', '.join(f'{r:.2f}' for r in ratios)}) (target <= 1.5); {len(files)} files, {mb:.2f} MB"
    )
    print(
        f"overlap: {got['overlapping']} of {got['stored']} documents ({got['overlapping'] / max(1, got['stored']):.0%}) "
        f"share a near-duplicate or a passage with another; {got['near']} near-duplicate and "
        f"{got['pairs'] - got['near']} passage pairs"
    )


def real_child(folder: Path, db_path: Path, jobs: int) -> None:
    """One end-to-end round (bench_real): its CPU seconds and what it stored, as JSON."""
    setup_django(db_path)
    from django.db.models import Q

    from essays.models import DuplicatePair, Essay, SourceDocument
    from essays.services import import_paths

    started = cpu_now()
    outcomes = list(import_paths([str(folder)], status="published", jobs=jobs))
    cpu = cpu_now() - started
    assert not Essay.objects.filter(Q(duplicate_signature__isnull=True)).exists(), "essays left unchecked"
    pairs = DuplicatePair.objects.values_list("essay_a__source_document", "essay_b__source_document")
    print(
        json.dumps(
            {
                "cpu": cpu,
                "documents": len(outcomes),
                "stored": sum(o.status in {"created", "updated", "replaced"} for o in outcomes),
                "essays": Essay.objects.count(),
                "overlapping": len({d for pair in pairs for d in pair}),
                "near": DuplicatePair.objects.filter(near_duplicate=True).count(),
                "pairs": pairs.count(),
                "sources": SourceDocument.objects.count(),
            }
        )
    )


PARSE_CHILD = """
import sys, time
from pathlib import Path
from essays.ingest import parse_document
from essays.ingest.model import IngestError

files = sorted(p for p in Path(sys.argv[1]).rglob("*") if p.is_file())
datas = [(p.read_bytes(), p.name) for p in files]
for data, name in datas[:20]:  # models, tables and caches loaded, as in a warm worker
    try:
        parse_document(data, name)
    except IngestError:
        pass
started = time.process_time()
for data, name in datas:
    try:
        parse_document(data, name)
    except IngestError:
        pass
print(sum(len(d) for d, _ in datas) / 1e6, time.process_time() - started)
"""


def bench_before(folder: Path, rev: str, rounds: int) -> None:
    """Parse-only CPU-s/MB of this tree and of commit `rev`, side by side in interleaved rounds."""
    sys.path.insert(0, str(ROOT / "bench"))
    from memory_bench import export

    with tempfile.TemporaryDirectory(prefix="anthology-before-") as tmp:
        trees = {"this tree": ROOT, rev: export(rev, Path(tmp))}
        ratios = []
        for n in range(1, rounds + 1):
            cost = {}
            for label, root in trees.items():
                out = subprocess.run(
                    [sys.executable, "-c", PARSE_CHILD, str(folder)],
                    cwd=root,
                    env={**os.environ, "PYTHONPATH": str(root)},
                    capture_output=True,
                    text=True,
                    check=True,
                )
                mb, seconds = map(float, out.stdout.split())
                cost[label] = seconds / mb
            ratios.append(cost[rev] / cost["this tree"])
            print(
                f"round {n}: parse-only, 1 process: this tree {cost['this tree']:.3f} CPU-s/MB, "
                f"{rev} {cost[rev]:.3f} CPU-s/MB; throughput ratio {ratios[-1]:.2f}"
            )
        print(
            f"parse-only throughput, this tree / {rev}: median {statistics.median(ratios):.2f} (target >= 1.0)"
        )


def setup_django(db_path: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    # As deployed: DEBUG off (it wraps every query to record it).
    os.environ["ANTHOLOGY_DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "import-bench-only")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anthology.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


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
    parser.add_argument(
        "--real", action="store_true", help="real documents, their variants and recombined seeds"
    )
    parser.add_argument(
        "--seeds-share", type=float, default=0.2, help="with --real: share of recombined seeds"
    )
    parser.add_argument(
        "--variant-share",
        type=float,
        default=0.3,
        help="with --real: share of real documents also as a variant",
    )
    parser.add_argument("--rounds", type=int, default=3, help="with --real: interleaved rounds (median)")
    parser.add_argument("--real-child", nargs=3, metavar=("FOLDER", "DB", "JOBS"), help=argparse.SUPPRESS)
    parser.add_argument("--jobs", type=int, default=os.cpu_count(), help="parsing processes (default: cores)")
    parser.add_argument(
        "--before", metavar="REV", help="only: parse-only throughput of this tree against commit REV"
    )
    parser.add_argument(
        "--roles",
        type=int,
        metavar="N",
        help="only: parse N documents with the rules alone and with the line-role model, side by side",
    )
    args = parser.parse_args()
    if args.real_child:
        folder, db_path, jobs = args.real_child
        real_child(Path(folder), Path(db_path), int(jobs))
        return

    with tempfile.TemporaryDirectory(prefix="anthology-bench-") as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        started = time.perf_counter()
        if args.real:
            count, total = build_real_corpus(
                folder, args.seeds_share, args.variant_share, random.Random(args.seed)
            )
            print(
                f"corpus: {count} documents, {total / 1e6:.2f} MB, built in {time.perf_counter() - started:.1f} s"
            )
            if args.before:
                bench_before(folder, args.before, args.rounds)
            else:
                bench_real(folder, Path(tmp), args.jobs, args.rounds)
            return
        count, total = build_corpus(folder, args.docs, int(args.min_mb * 1e6), random.Random(args.seed))
        print(
            f"corpus: {count} documents, {total / 1e6:.1f} MB, built in {time.perf_counter() - started:.1f} s"
        )

        files = sorted(folder.rglob("*.txt"))
        if args.before:
            bench_before(folder, args.before, args.rounds)
            return
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
                f"end-to-end (SQLite, {args.jobs} parsing process(es)): {mb:.1f} MB, {essays} essays in {elapsed:.1f} s = {mb / elapsed:.1f} MB/s"
            )
            print(
                "end-to-end peak RSS by quarter, with workers (MB): "
                + ", ".join(f"{q:.0f}" for q in quarters)
            )


if __name__ == "__main__":
    main()
