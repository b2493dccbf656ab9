"""The stages together: sketch texts in batches, propose pairs, verify them exactly."""

from __future__ import annotations

import resource
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from ..ingest.parallel import batches as batched
from ..ingest.parallel import map_in_order
from .candidates import pairs_sharing
from .fingerprints import winnow
from .hashing import hashes_from_prefix, kgram_hashes, prefix_sums
from .minhash import band_keys, signatures
from .normalize import Normalised, normalise, normalise_batch
from .passages import Grams, Passage, grams, shared_passages
from .settings import ANCHOR, COMMON, SHINGLE, THRESHOLD

BATCH = 1000  # texts per numpy batch: big enough to amortise calls, small enough for memory
IN_FLIGHT = 3  # batches queued per worker process
STAR = 200  # a near-duplicate group bigger than this is linked to one member (see pairs_sharing)
PREPARED_CACHE = 1024  # prepared texts kept between verify_pairs calls (about 150 KB each)


@dataclass(frozen=True)
class Sketch:
    """What the comparison keeps of a batch of texts: signatures and lookup keys."""

    signatures: np.ndarray  # (n, BINS) uint32
    shingles: np.ndarray  # (n,) shingle positions per text; 0 means too short to compare
    band_keys: np.ndarray  # (n, BANDS) int64
    fingerprint_keys: np.ndarray  # int64, grouped by owner
    fingerprint_owners: np.ndarray  # index of the text each fingerprint belongs to, ascending

    def __len__(self) -> int:
        return len(self.shingles)

    def fingerprints_of(self, index: int) -> np.ndarray:
        lo, hi = np.searchsorted(self.fingerprint_owners, [index, index + 1])
        return self.fingerprint_keys[lo:hi]

    def keys_of(self, index: int) -> list[int]:
        """Every lookup key of text `index`: its band keys, then its passage fingerprints."""
        bands = self.band_keys[index].tolist() if self.shingles[index] else []
        return bands + self.fingerprints_of(index).tolist()


# Characters sketched at once: the arrays below hold some eight 8-byte numbers a character, so
# the 5,117 essays of one 50 MB document (17.5 million characters) at once took 1.3 GB; a
# batch this size costs ~4 MB (200,000 characters, ~15 MB, was most of what checking a 1 MB
# import's essays added to the storing process) and still runs at numpy's speed.
SKETCH_CHARS = 20_000


def sketch_texts(texts: Sequence[str]) -> Sketch:
    """Signatures and lookup keys of these texts, SKETCH_CHARS at a time (each text is
    sketched on its own, so the batches change nothing)."""
    texts = list(texts)
    groups, start, size = [], 0, 0
    for n, text in enumerate(texts):
        if size and size + len(text) > SKETCH_CHARS:
            groups.append(texts[start:n])
            start, size = n, 0
        size += len(text)
    groups.append(texts[start:])
    if len(groups) == 1:
        return _sketch_batch(groups[0])
    return _concatenated([_sketch_batch(group) for group in groups])


def _concatenated(sketches: list[Sketch]) -> Sketch:
    offsets = np.cumsum([0] + [len(sketch) for sketch in sketches[:-1]])
    return Sketch(
        signatures=np.vstack([s.signatures for s in sketches]),
        shingles=np.concatenate([s.shingles for s in sketches]),
        band_keys=np.vstack([s.band_keys for s in sketches]),
        fingerprint_keys=np.concatenate([s.fingerprint_keys for s in sketches]),
        fingerprint_owners=np.concatenate(
            [s.fingerprint_owners + offset for s, offset in zip(sketches, offsets, strict=True)]
        ),
    )


def _sketch_batch(texts: list[str]) -> Sketch:
    codes, bounds = normalise_batch(list(texts))
    count = len(texts)
    lengths = np.diff(bounds)
    owners = np.repeat(np.arange(count, dtype=np.int64), lengths)
    ends = np.repeat(bounds[1:], lengths)
    prefix = prefix_sums(codes)
    shingles = hashes_from_prefix(prefix, SHINGLE)
    inside = np.arange(len(shingles)) + SHINGLE <= ends[: len(shingles)]
    shingle_owners = owners[: len(shingles)][inside]
    sig = signatures(shingles[inside], shingle_owners, count)
    fingerprint_keys, fingerprint_owners = winnow(
        hashes_from_prefix(prefix, ANCHOR), owners, ends, bounds[:-1]
    )
    return Sketch(
        signatures=sig,
        shingles=np.bincount(shingle_owners, minlength=count),
        band_keys=band_keys(sig),
        fingerprint_keys=fingerprint_keys,
        fingerprint_owners=fingerprint_owners,
    )


# Exact verification -----------------------------------------------------------------------


@dataclass(frozen=True)
class Prepared:
    normalised: Normalised
    shingles: np.ndarray  # sorted unique shingle hashes
    grams: Grams  # for shared_passages


def prepare(text: str) -> Prepared:
    normalised = normalise(text)
    return Prepared(
        normalised, _sorted_unique(kgram_hashes(normalised.codes, SHINGLE)), grams(normalised.codes)
    )


def _sorted_unique(values: np.ndarray) -> np.ndarray:
    """np.unique(values), a quarter of its time: numpy 2's unique hashes before it sorts."""
    values = np.sort(values)
    keep = np.empty(len(values), dtype=bool)
    keep[:1] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


@dataclass(frozen=True)
class Comparison:
    similarity: float  # exact Jaccard of the two shingle sets
    passages: list[Passage]

    @property
    def near_duplicate(self) -> bool:
        return self.similarity >= THRESHOLD

    @property
    def flagged(self) -> bool:
        return self.near_duplicate or bool(self.passages)

    @property
    def shared_characters(self) -> int:
        return sum(p.length for p in self.passages)


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    if len(a) == 0 or len(b) == 0:
        return 0.0
    # Both sorted and unique: look the shorter up in the longer (cheaper than intersect1d,
    # which sorts the two together).
    if len(a) > len(b):
        a, b = b, a
    found = np.searchsorted(b, a)
    found[found == len(b)] = 0
    common = int(np.count_nonzero(b[found] == a))
    return common / (len(a) + len(b) - common)


def compare_prepared(a: Prepared, b: Prepared) -> Comparison:
    return Comparison(
        similarity=jaccard(a.shingles, b.shingles),
        passages=shared_passages(a.normalised, b.normalised, grams_a=a.grams, grams_b=b.grams),
    )


def compare(a: str, b: str) -> Comparison:
    return compare_prepared(prepare(a), prepare(b))


def verify_pairs(
    pairs: Iterable[tuple[int, int]], texts: Mapping[int, str]
) -> dict[tuple[int, int], Comparison]:
    """The flagged comparisons among these pairs of text ids; a pair missing a text is
    skipped. A module-level function of plain data, so an import can run it in a worker
    process while it stores the next documents."""
    prepared: dict[int, Prepared] = {}
    flagged = {}
    for a, b in pairs:
        if a not in texts or b not in texts:
            continue
        for i in (a, b):
            if i not in prepared:
                prepared[i] = _prepared(texts[i])
        comparison = compare_prepared(prepared[a], prepared[b])
        if comparison.flagged:
            flagged[(a, b)] = comparison
    return flagged


@lru_cache(maxsize=PREPARED_CACHE)
def _prepared(text: str) -> Prepared:
    """prepare(text), remembered by the text itself: the stored essays an import compares
    with recur from one batch to the next (pages copied from one another), and an edited
    essay is a different text, so nothing stale is ever reused."""
    return prepare(text)


# A whole corpus ---------------------------------------------------------------------------


@dataclass
class Timings:
    """Wall-clock seconds per stage, and CPU seconds (what they cost on a shared machine)."""

    signatures: float = 0.0
    lsh: float = 0.0
    verification: float = 0.0
    signatures_cpu: float = 0.0
    lsh_cpu: float = 0.0
    verification_cpu: float = 0.0
    texts: int = 0
    characters: int = 0
    candidates: int = 0
    near_candidates: int = 0
    passage_candidates: int = 0

    @property
    def total(self) -> float:
        return self.signatures + self.lsh + self.verification

    @property
    def total_cpu(self) -> float:
        return self.signatures_cpu + self.lsh_cpu + self.verification_cpu


@dataclass
class Found:
    pairs: list[tuple[int, int, Comparison]] = field(default_factory=list)
    timings: Timings = field(default_factory=Timings)


def candidate_pairs(
    band_keys: np.ndarray,
    band_owners: np.ndarray,
    fingerprint_keys: np.ndarray,
    fingerprint_owners: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """(near-duplicate candidates, shared-passage candidates), each (m, 2) owner pairs."""
    near = pairs_sharing(band_keys, band_owners, star_above=STAR)
    shared = pairs_sharing(fingerprint_keys, fingerprint_owners, skip_above=COMMON)
    return near, shared


def find_pairs(
    items: Iterable[tuple[int, str]],
    load: Callable[[list[int]], dict[int, str]],
    *,
    batch: int = BATCH,
    verify_chunk: int = 2000,
    on_sketch: Callable[[list[int], Sketch], None] | None = None,
    workers: int = 1,
) -> Found:
    """Every flagged pair among the texts: near-duplicates and texts sharing a passage.

    `items` yields (id, text) once; `load(ids)` returns the texts again for verification, so
    the caller decides whether they stay in memory, are regenerated or re-read from a
    database. `on_sketch` sees each batch's sketch (to store signatures). With `workers` > 1
    batches are sketched in that many processes while this one produces the texts.
    """
    found = Found()
    t = found.timings
    keys = _Keys()
    producing = _Stopwatch()  # time spent making the texts, which is the caller's cost
    started, cpu, children = time.perf_counter(), time.process_time(), _children_cpu()
    for ids, texts, sketch in sketch_batches(_batches(producing.wrap(items), batch), workers):
        keys.add(np.asarray(ids, dtype=np.int64), sketch)
        t.texts += len(texts)
        t.characters += sum(map(len, texts))
        if on_sketch is not None:
            on_sketch(ids, sketch)
    t.signatures = time.perf_counter() - started - producing.wall
    t.signatures_cpu = time.process_time() - cpu - producing.cpu + _children_cpu() - children

    started, cpu = time.perf_counter(), time.process_time()
    near, shared = keys.candidates()
    keys = None  # the keys can be large; only the candidates are needed now
    candidates = np.unique(np.concatenate([near, shared]), axis=0)
    t.near_candidates, t.passage_candidates, t.candidates = len(near), len(shared), len(candidates)
    t.lsh = time.perf_counter() - started
    t.lsh_cpu = time.process_time() - cpu

    started, cpu = time.perf_counter(), time.process_time()
    for chunk_start in range(0, len(candidates), verify_chunk):
        chunk = candidates[chunk_start : chunk_start + verify_chunk]
        texts_by_id = load(np.unique(chunk).tolist())
        prepared = {ident: prepare(text) for ident, text in texts_by_id.items()}
        for a, b in chunk.tolist():
            if a in prepared and b in prepared:
                comparison = compare_prepared(prepared[a], prepared[b])
                if comparison.flagged:
                    found.pairs.append((a, b, comparison))
    t.verification = time.perf_counter() - started
    t.verification_cpu = time.process_time() - cpu
    return found


def _batches(items: Iterable[tuple[int, str]], size: int) -> Iterator[tuple[list[int], list[str]]]:
    for batch in batched(items, size):
        yield [ident for ident, _ in batch], [text for _, text in batch]


def sketch_batches(
    batches: Iterable[tuple[list[int], list[str]]], workers: int = 1
) -> Iterator[tuple[list[int], list[str], Sketch]]:
    """Sketch each batch, in order. With workers > 1, in spawned processes (they import only
    pure packages: no Django, no database connection to inherit), at most IN_FLIGHT per
    worker held at a time so memory stays flat."""
    work = (((ids, texts), texts) for ids, texts in batches)
    for (ids, texts), sketch in map_in_order(sketch_texts, work, workers, in_flight=IN_FLIGHT):
        yield ids, texts, sketch


class _Stopwatch:
    """Wall and CPU time spent inside an iterator's __next__."""

    def __init__(self):
        self.wall = self.cpu = 0.0

    def wrap(self, iterable):
        iterator = iter(iterable)
        while True:
            started, cpu = time.perf_counter(), time.process_time()
            try:
                item = next(iterator)
            except StopIteration:
                return
            finally:
                self.wall += time.perf_counter() - started
                self.cpu += time.process_time() - cpu
            yield item


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class _Keys:
    """Band keys and fingerprints of every text so far, with the text id of each."""

    def __init__(self):
        self.bands, self.band_owners, self.fingerprints, self.fingerprint_owners = [], [], [], []

    def add(self, ids: np.ndarray, sketch: Sketch) -> None:
        usable = sketch.shingles > 0
        self.bands.append(sketch.band_keys[usable].ravel())
        self.band_owners.append(np.repeat(ids[usable], sketch.band_keys.shape[1]))
        self.fingerprints.append(sketch.fingerprint_keys)
        self.fingerprint_owners.append(ids[sketch.fingerprint_owners])

    def candidates(self) -> tuple[np.ndarray, np.ndarray]:
        return candidate_pairs(
            _concat(self.bands),
            _concat(self.band_owners),
            _concat(self.fingerprints),
            _concat(self.fingerprint_owners),
        )


def _concat(parts: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)
