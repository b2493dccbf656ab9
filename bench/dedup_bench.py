"""Near-duplicate and shared-passage detection on a synthetic corpus.

    .venv/bin/python bench/dedup_bench.py [--essays 100000] [--db 2000]

The corpus: words of the five seeds (segmented by jieba, Simplified and Traditional forms)
recombined by their frequency into essays of about 1,500 characters with punctuation and
paragraphs; 30% are written in Traditional. Planted into it:
  - near-duplicates: 1% of the essays copy an earlier essay with 0.5-2% of its words
    replaced, half of them in the other script;
  - shared passages: 1% of the essays carry a passage of 60-300 characters copied from an
    earlier essay, in that essay's script or the other.
Texts are a pure function of their number; they are generated before the timing starts.

Prints the time for signatures (normalise + shingle + MinHash + winnowing), LSH (candidate
pairs from band keys and fingerprints), exact verification (Jaccard + passages), their
total, peak memory, pairs found, and recall of the planted pairs. Target (issue 4): <= 60 s
for 100,000 essays on this 2-core machine. `--db N` also times the Django path (signatures
stored, rescan, one import checked against the stored ones) on N essays in a throw-away
SQLite database.
"""

import argparse
import os
import re
import resource
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from essays.dedup import compare, find_pairs  # noqa: E402
from essays.ingest.script import to_simplified, to_traditional  # noqa: E402

SEED = 20240
MEAN_WORDS = 700  # about 1,500 characters
PLANTED_SHARE = 0.01


def peak_rss_mb(who=resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def _stream(key: int, count: int) -> np.ndarray:
    """`count` pseudo-random uint64 for `key`: splitmix64 over a counter."""
    x = np.arange(count, dtype=np.uint64) + np.uint64((key * 0x9E3779B97F4A7C15 + SEED) % (1 << 64))
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def _flat(words: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every word's code points end to end, with starts and lengths: texts are gathered
    from it in one numpy operation."""
    lengths = np.array([len(w) for w in words], dtype=np.int64)
    codes = np.frombuffer("".join(words).encode("utf-32-le"), dtype=np.uint32)
    return codes, np.cumsum(lengths) - lengths, lengths


class Corpus:
    """Essay i is a pure function of i: the same text every time it is asked for."""

    def __init__(self, size: int):
        import jieba

        jieba.setLogLevel(60)
        counts = Counter()
        for path in sorted((ROOT / "seeds").glob("*.txt")):
            text = to_simplified(path.read_text("utf-8"))
            counts.update(w for w in jieba.lcut(text) if re.fullmatch(r"[\u4e00-\u9fff]+", w))
        words = sorted(counts)
        weights = np.array([counts[w] for w in words], dtype=float)
        # Tokens are words, or words followed by a comma, a full stop or a paragraph end:
        # one draw per token gives punctuation at about the rate of the seeds.
        suffixes = [("", 0.86), ("，", 0.09), ("。", 0.04), ("。\n", 0.01)]
        self.simplified = [w + s for s, _ in suffixes for w in words]
        traditional = [to_traditional(w) for w in words]
        self.traditional = [w + s for s, _ in suffixes for w in traditional]
        p = np.concatenate([weights / weights.sum() * share for _, share in suffixes])
        rng = np.random.default_rng(SEED)
        # Drawing from a large pool sampled by frequency is as good as drawing by frequency,
        # and much faster.
        self.pool = np.searchsorted(np.cumsum(p) / p.sum(), rng.random(1 << 20), side="right")
        self.pool = np.minimum(self.pool, len(p) - 1)
        self.vocabularies = {False: _flat(self.simplified), True: _flat(self.traditional)}
        self.size = size
        self.traditional_essay = rng.random(size) < 0.3
        roles = rng.random(size)
        self.near = np.flatnonzero(roles < PLANTED_SHARE)
        self.passage = np.flatnonzero((roles >= PLANTED_SHARE) & (roles < 2 * PLANTED_SHARE))
        plain = np.flatnonzero(roles >= 2 * PLANTED_SHARE)
        # Each planted essay copies from a plain essay (so the truth stays simple).
        self.source = {int(i): int(plain[rng.integers(len(plain))]) for i in [*self.near, *self.passage]}

    def tokens(self, i: int) -> np.ndarray:
        # A counter-based stream (hash of (essay, position)): no generator object per essay,
        # which would cost more than sketching the essay.
        count = MEAN_WORDS // 2 + int(_stream(i, 1)[0] % MEAN_WORDS)
        return self.pool[_stream(i + (1 << 40), count) >> np.uint64(64 - 20)]

    def draw(self, rng, count: int) -> np.ndarray:
        return self.pool[rng.integers(0, len(self.pool), count)]

    def render(self, tokens: np.ndarray, traditional: bool) -> str:
        codes, starts, lengths = self.vocabularies[traditional]
        lengths = lengths[tokens]
        ends = np.cumsum(lengths)
        positions = np.repeat(starts[tokens] - (ends - lengths), lengths) + np.arange(
            ends[-1] if len(ends) else 0
        )
        return codes[positions].tobytes().decode("utf-32-le")

    def text(self, i: int) -> str:
        source = self.source.get(i)
        traditional = bool(self.traditional_essay[i])
        if source is None:
            return self.render(self.tokens(i), traditional)
        rng = np.random.default_rng((SEED, i, 1))
        if i in self._near_set:
            tokens = self.tokens(source).copy()
            edits = rng.random(len(tokens)) < rng.uniform(0.005, 0.02)
            tokens[edits] = self.draw(rng, int(edits.sum()))
            return self.render(tokens, traditional)
        own, theirs = self.tokens(i), self.tokens(source)
        length = int(rng.integers(35, 170))  # words: 60-300 characters
        start = int(rng.integers(0, max(1, len(theirs) - length)))
        at = int(rng.integers(0, len(own)))
        return (
            self.render(own[:at], traditional)
            + "\n"
            + self.render(theirs[start : start + length], bool(self.traditional_essay[source]))
            + "\n"
            + self.render(own[at:], traditional)
        )

    @property
    def _near_set(self) -> set[int]:
        if not hasattr(self, "_near_cache"):
            self._near_cache = set(self.near.tolist())
        return self._near_cache


def planted_truth(corpus: Corpus) -> tuple[set, set]:
    """Planted near-duplicate pairs whose exact Jaccard really is >= 0.8, and planted
    passage pairs whose passage really is >= 50 characters (a few edits fall short)."""
    near, passages = set(), set()
    for i in corpus.near.tolist():
        pair = tuple(sorted((i, corpus.source[i])))
        if compare(corpus.text(pair[0]), corpus.text(pair[1])).near_duplicate:
            near.add(pair)
    for i in corpus.passage.tolist():
        pair = tuple(sorted((i, corpus.source[i])))
        if compare(corpus.text(pair[0]), corpus.text(pair[1])).passages:
            passages.add(pair)
    return near, passages


def run_pure(size: int, workers: int) -> None:
    started = time.perf_counter()
    corpus = Corpus(size)
    build = time.perf_counter() - started
    print(
        f"corpus: {size:,} essays; vocabulary built in {build:.1f} s; {len(corpus.near)} planted "
        f"near-duplicates, {len(corpus.passage)} planted shared passages"
    )
    # The texts are made first and kept in memory, so the stages below time the algorithm
    # alone (with workers, making texts would otherwise overlap with sketching them).
    started = time.perf_counter()
    texts = [corpus.text(i) for i in range(size)]
    print(
        f"  texts generated in {time.perf_counter() - started:.1f} s (not counted below); "
        f"memory after: {peak_rss_mb():,.0f} MB"
    )

    found = find_pairs(enumerate(texts), lambda ids: {i: texts[i] for i in ids}, workers=workers)
    t = found.timings
    print(f"\nessays: {t.texts:,}; characters: {t.characters:,}; sketching processes: {workers}")
    print("stage           wall      CPU")
    rows = [
        (
            "signatures",
            t.signatures,
            t.signatures_cpu,
            "normalise, shingle, MinHash, winnow; CPU of all processes",
        ),
        (
            "LSH",
            t.lsh,
            t.lsh_cpu,
            f"{t.near_candidates:,} near-duplicate candidates, "
            f"{t.passage_candidates:,} passage candidates, {t.candidates:,} distinct",
        ),
        ("verification", t.verification, t.verification_cpu, "exact Jaccard + shared passages"),
        (
            "total",
            t.total,
            t.total_cpu,
            "target: 60 s for 100,000 essays",
        ),
    ]
    for name, wall, cpu, note in rows:
        print(f"{name:<13} {wall:6.1f} s {cpu:6.1f} s   ({note})")
    children = (
        f", {peak_rss_mb(resource.RUSAGE_CHILDREN):,.0f} MB in the largest worker" if workers > 1 else ""
    )
    print(f"peak memory:  {peak_rss_mb():,.0f} MB in this process (texts included){children}")
    print(f"load average during the run: {os.getloadavg()[0]:.1f} (2 cores; other work inflates wall time)")

    near_found = {(a, b) for a, b, c in found.pairs if c.near_duplicate}
    passage_found = {(a, b) for a, b, c in found.pairs if c.passages}
    print(
        f"pairs found:  {len(found.pairs):,} ({len(near_found):,} near-duplicates, "
        f"{len(passage_found):,} sharing a passage >= 50)"
    )
    near_truth, passage_truth = planted_truth(corpus)
    print(
        f"recall, near-duplicates (planted with exact J >= 0.8): "
        f"{len(near_truth & near_found)}/{len(near_truth)}"
    )
    print(
        f"recall, shared passages (planted, >= 50 characters): "
        f"{len(passage_truth & passage_found)}/{len(passage_truth)}"
    )
    unplanted = near_found - near_truth
    print(f"near-duplicates not planted: {len(unplanted)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--essays", type=int, default=100_000)
    parser.add_argument(
        "--workers", type=int, default=2, help="processes that sketch (default 2: this machine's cores)"
    )
    parser.add_argument(
        "--db-url", default="", help="database for --db (default: a throw-away SQLite file); it is emptied"
    )
    parser.add_argument("--db", type=int, default=0, help="also time the Django path on this many essays")
    args = parser.parse_args()
    run_pure(args.essays, args.workers)
    if args.db:
        run_db(args.db, args.db_url)


def run_db(size: int, url: str) -> None:
    """The Django path on a throw-away database: rescan, then one import's check."""
    import tempfile

    os.environ["DATABASE_URL"] = url or f"sqlite:///{tempfile.mkdtemp(prefix='dedup-bench-')}/bench.sqlite3"
    os.environ.setdefault("SECRET_KEY", "dedup-bench-only")  # debug stays off, as in production
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anthology.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from essays.models import Collection, DuplicatePair, Essay, SimilarityKey
    from essays.services import duplicates

    call_command("migrate", verbosity=0)
    Collection.objects.filter(key="dedup-bench").delete()
    corpus = Corpus(size)
    collection = Collection.objects.create(title="查重基准", key="dedup-bench")
    Essay.objects.bulk_create(
        [
            Essay(collection=collection, position=i, title=f"第{i}篇", body=corpus.text(i))
            for i in range(size)
        ],
        batch_size=1000,
    )
    from django.db import connection

    print(f"\nDjango path, {connection.vendor}, {size:,} essays (same corpus)")
    started = time.perf_counter()
    result = duplicates.rescan()
    rescan = time.perf_counter() - started
    print(
        f"rescan:       {rescan:6.1f} s   ({size / rescan:,.0f} essays/s; {result.pairs} pairs stored, "
        f"{SimilarityKey.objects.count():,} key rows)"
    )
    source = int(corpus.near[0]) if len(corpus.near) else 0
    copy = Essay.objects.create(
        collection=collection, position=size, title="新导入", body=corpus.text(source)
    )
    started = time.perf_counter()
    result = duplicates.check_essays([copy.pk])
    check = time.perf_counter() - started
    print(
        f"one import:   {check * 1000:6.0f} ms  (a new essay checked against all stored: "
        f"{result.near_duplicates} near-duplicate(s) found)"
    )
    started = time.perf_counter()
    duplicates.refresh()
    print(
        f"refresh:      {time.perf_counter() - started:6.1f} s   (nothing changed: what find_duplicates "
        f"does first)"
    )
    print(f"pairs in the database: {DuplicatePair.objects.count()}")


if __name__ == "__main__":
    main()
