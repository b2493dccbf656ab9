"""Memory of an import against the size of the file: the target is at most 10 times the file
above the process's baseline (issue 16), for plain text of 1, 10 and 50 MB.

    .venv/bin/python bench/memory_bench.py [--sizes 1 10 50] [--docs ../shared/devset/docs]

Each size is a text made of the dev set's .txt documents one after another (real pages:
titles, bylines, chrome, Traditional and damaged ones among them), cut at a line end. Each
is parsed in a fresh interpreter that first parses every dev-set document once, so the
baseline holds the models and their caches as a worker that has been parsing holds them;
the peak resident size (ru_maxrss) above that baseline, the file's bytes included, is the
figure. The parse is essays.ingest.parse_document, as the import's worker runs it.

Then the whole import, as an operator runs it: `manage.py import_essays FILE` into a new
SQLite database with debug off (debug keeps every query's SQL, the file's bytes included),
the peak of the storing process (the parse runs in its worker) above the same command's
peak for a one-essay file.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = 10.0

CHILD = """
import json, resource, sys, time
from pathlib import Path
from essays.ingest import parse_document

for path in sorted(Path(sys.argv[2]).glob("*.txt")):
    parse_document(path.read_bytes(), path.name)
baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
data = Path(sys.argv[1]).read_bytes()
started = time.process_time()
parsed = parse_document(data, Path(sys.argv[1]).name)
print(json.dumps({
    "bytes": len(data),
    "baseline_kb": baseline,
    "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    "cpu_s": time.process_time() - started,
    "essays": len(parsed.essays),
}))
"""


def build_text(docs: Path, megabytes: float, folder: Path) -> Path:
    corpus = b"\n\n".join(p.read_bytes() for p in sorted(docs.glob("*.txt")))
    size = int(megabytes * 2**20)
    text = (corpus * (size // len(corpus) + 1))[:size]
    path = folder / f"{megabytes:g}mb.txt"
    path.write_bytes(text[: text.rfind(b"\n")])
    return path


def measure(path: Path, docs: Path) -> dict:
    run = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), str(docs)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(run.stdout)


def import_peak_kb(path: Path, folder: Path) -> int:
    """The storing process's peak resident size, importing `path` into a new database."""
    var = Path(tempfile.mkdtemp(dir=folder))
    env = {k: v for k, v in os.environ.items() if k not in {"ANTHOLOGY_DEBUG", "DATABASE_URL"}}
    env["ANTHOLOGY_VAR_DIR"] = str(var)
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    code = (
        "import resource, subprocess, sys; "
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    run = subprocess.run(
        [sys.executable, "-c", code, *manage, "import_essays", "--jobs", "1", str(path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return int(run.stdout.split()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 10, 50], help="MB")
    parser.add_argument("--docs", type=Path, default=ROOT.parent / "shared/devset/docs")
    args = parser.parse_args()
    print(f"{'file':>8} {'baseline':>10} {'peak':>10} {'above':>10} {'x file':>8} {'cpu':>7}  essays")
    worst = 0.0
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            path = build_text(args.docs, size, Path(folder))
            m = measure(path, args.docs)
            above = (m["peak_kb"] - m["baseline_kb"]) * 1024
            ratio = above / m["bytes"]
            worst = max(worst, ratio)
            print(
                f"{m['bytes'] / 2**20:6.1f}MB {m['baseline_kb'] / 1024:8.0f}MB {m['peak_kb'] / 1024:8.0f}MB "
                f"{above / 2**20:8.0f}MB {ratio:7.1f}x {m['cpu_s']:6.1f}s  {m['essays']}"
            )
        print("\nwhole import (manage.py import_essays, the storing process):")
        small = import_peak_kb(next((ROOT / "seeds").glob("004_*.txt")), Path(folder))
        print(f"{'file':>8} {'baseline':>10} {'peak':>10} {'above':>10} {'x file':>8}")
        for size in args.sizes:
            path = Path(folder) / f"{size:g}mb.txt"
            peak = import_peak_kb(path, Path(folder))
            above = (peak - small) * 1024
            ratio = above / path.stat().st_size
            worst = max(worst, ratio)
            print(
                f"{path.stat().st_size / 2**20:6.1f}MB {small / 1024:8.0f}MB {peak / 1024:8.0f}MB "
                f"{above / 2**20:8.0f}MB {ratio:7.1f}x"
            )
    print(f"worst: {worst:.1f}x the file above the baseline (target <= {TARGET:g}x)")
    return 0 if worst <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
