"""Memory of an import against the size of the file: the target is at most 10 times the file
above the process's baseline (issue 16), for plain text of 1, 10 and 50 MB.

    .venv/bin/python bench/memory_bench.py [--sizes 1 10 50] [--docs ../shared/devset/docs]
                                           [--before REV]

Each size is a text made of the dev set's .txt documents one after another (real pages:
titles, bylines, chrome, Traditional and damaged ones among them), cut at a line end.

The parse: each text is parsed in a fresh interpreter that first parses every dev-set
document once, so the baseline holds the models and their caches as a worker that has been
parsing holds them; the peak resident size (ru_maxrss) above that baseline, the file's bytes
included, is the figure. The parse is essays.ingest.parse_document, as the import's worker
runs it, handed the bytes without anything else keeping them.

The whole import, as an operator runs it: `import_essays --jobs 1 FILE` into a new SQLite
database with debug off (debug keeps every query's SQL, the file's bytes included): the peak
of the storing process (ru_maxrss) above the same command's for a one-essay file, and the
peak of its parse worker (VmHWM) above that worker warmed as the parse's baseline is: before
the command the worker (the process's kept one, which the command's --jobs 1 uses) parses
every dev-set document, answering nothing, and its resident size is then the baseline and
its peak is reset (/proc/PID/clear_refs). The worker's peak holds what the parse's does and
the answer's way back to the storing process (pickled, sent through a pipe).

The worst of the three figures (parse, storing process, worker) at every size is checked
against the target: the exit code is 1 when it is above.

`--before REV` measures the commit REV (exported with git archive into a temporary folder,
run with this virtualenv) in the same run, each figure beside this tree's.
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
# The bytes are handed to the parse, not kept here (as the worker hands them on): a parse that
# lets go of them once decoded is measured as such.
box = [Path(sys.argv[1]).read_bytes()]
size = len(box[0])
started = time.process_time()
parsed = parse_document(box.pop(), Path(sys.argv[1]).name)
print(json.dumps({
    "bytes": size,
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


def measure(path: Path, docs: Path, root: Path = ROOT) -> dict:
    run = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), str(docs)],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(run.stdout)


# A worker warmed before the import (sent by name: this module is put on the path of the
# process importing, and so of its workers).
WARM = """
from pathlib import Path


def warm(data, folder):
    try:
        from essays.prepare import parse_for_import as parse
    except ImportError:  # a tree from before the index strings were made in the worker
        from essays.ingest import parse_document as parse
    for path in sorted(Path(folder).glob("*.txt")):
        parse(path.read_bytes(), path.name)
"""

IMPORT = """
import json, os, resource, sys
from pathlib import Path
sys.path.insert(0, sys.argv[2])
import django
django.setup()
from django.core.management import call_command
from essays.ingest.sandbox import shared_sandbox
from memory_bench_warm import warm

def status_kb(pid, key):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key):
            return int(line.split()[1])

# The parse worker is this process's kept one (essays.ingest.sandbox), the one --jobs 1 uses.
sandbox = shared_sandbox()
sandbox.submit(warm, b"", sys.argv[3]).result()
[worker] = sandbox.pids()
warmed_kb = status_kb(worker, "VmRSS:")
Path(f"/proc/{worker}/clear_refs").write_text("5")  # VmHWM from here on

# Memory is measured, not time: a machine busy with other work must not stop a 50 MB parse
# at its CPU or wall-clock limit (it takes about 40 CPU seconds of the default 60).
call_command(
    "import_essays", "--jobs", "1", "--parse-timeout", "600", sys.argv[1], stdout=open(os.devnull, "w")
)
assert sandbox.pids() == [worker], "the import's parse worker is not the warmed one"
print(json.dumps({
    "storing_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    "worker_kb": status_kb(worker, "VmHWM:"),
    "warmed_kb": warmed_kb,
}))
"""


def import_peaks_kb(path: Path, folder: Path, docs: Path, root: Path = ROOT) -> dict:
    """The peak resident sizes of the storing process and of its parse worker, importing
    `path` into a new database, and the warmed worker's size before."""
    (folder / "memory_bench_warm.py").write_text(WARM)
    var = Path(tempfile.mkdtemp(dir=folder))
    env = {k: v for k, v in os.environ.items() if k not in {"ANTHOLOGY_DEBUG", "DATABASE_URL"}}
    env["ANTHOLOGY_VAR_DIR"] = str(var)
    env.setdefault("DJANGO_SETTINGS_MODULE", "anthology.settings")
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=root, env=env, check=True)
    run = subprocess.run(
        [sys.executable, "-c", IMPORT, str(path), str(folder), str(docs)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )
    if run.returncode:
        raise SystemExit(f"import of {path.name} failed:\n{run.stderr[-2000:]}")
    return json.loads(run.stdout.splitlines()[-1])


def export(rev: str, folder: Path) -> Path:
    """The tree of commit `rev` in a folder of its own."""
    root = folder / f"tree-{rev}"
    root.mkdir()
    archive = subprocess.run(["git", "archive", rev], cwd=ROOT, capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(root)], input=archive.stdout, check=True)
    return root


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 10, 50], help="MB")
    parser.add_argument("--docs", type=Path, default=ROOT.parent / "shared/devset/docs")
    parser.add_argument("--before", metavar="REV", help="also measure this commit, side by side")
    args = parser.parse_args()
    worst = 0.0
    with tempfile.TemporaryDirectory() as folder:
        trees = {"now": ROOT}
        if args.before:
            trees = {args.before: export(args.before, Path(folder)), "now": ROOT}
        paths = [build_text(args.docs, size, Path(folder)) for size in args.sizes]
        print(
            f"{'file':>8} {'tree':>8} {'baseline':>10} {'peak':>10} {'above':>10} {'x file':>8} {'cpu':>7}  essays"
        )
        for path in paths:
            for tree, root in trees.items():
                m = measure(path, args.docs, root)
                above = (m["peak_kb"] - m["baseline_kb"]) * 1024
                ratio = above / m["bytes"]
                if tree == "now":
                    worst = max(worst, ratio)
                print(
                    f"{m['bytes'] / 2**20:6.1f}MB {tree:>8} {m['baseline_kb'] / 1024:8.0f}MB "
                    f"{m['peak_kb'] / 1024:8.0f}MB {above / 2**20:8.0f}MB {ratio:7.1f}x {m['cpu_s']:6.1f}s  "
                    f"{m['essays']}"
                )
        print("\nwhole import (import_essays --jobs 1): the storing process and its parse worker")
        print(
            f"{'file':>8} {'tree':>8} {'process':>8} {'baseline':>10} {'peak':>10} {'above':>10} {'x file':>8}"
        )
        seed = next((ROOT / "seeds").glob("004_*.txt"))
        small = {tree: import_peaks_kb(seed, Path(folder), args.docs, root) for tree, root in trees.items()}
        for path in paths:
            for tree, root in trees.items():
                try:
                    peaks = import_peaks_kb(path, Path(folder), args.docs, root)
                except SystemExit as failed:
                    print(
                        f"{path.stat().st_size / 2**20:6.1f}MB {tree:>8} failed: {str(failed).splitlines()[-1]}"
                    )
                    if tree == "now":
                        worst = float("inf")
                    continue
                # The storing process above the same command's for a one-essay file; the
                # worker above itself warmed, in the same run.
                baselines = {"storing": small[tree]["storing_kb"], "worker": peaks["warmed_kb"]}
                for process, key in (("storing", "storing_kb"), ("worker", "worker_kb")):
                    above = (peaks[key] - baselines[process]) * 1024
                    ratio = above / path.stat().st_size
                    if tree == "now":
                        worst = max(worst, ratio)
                    print(
                        f"{path.stat().st_size / 2**20:6.1f}MB {tree:>8} {process:>8} "
                        f"{baselines[process] / 1024:8.0f}MB {peaks[key] / 1024:8.0f}MB "
                        f"{above / 2**20:8.0f}MB {ratio:7.1f}x"
                    )
    print(
        f"worst (this tree; parse, storing process, worker): {worst:.1f}x the file above the baseline "
        f"(target <= {TARGET:g}x)"
    )
    return 0 if worst <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
