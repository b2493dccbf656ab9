"""Near-duplicate essays and shared passages: signatures stored, pairs flagged.

- `check_essays(ids)`: after an import; sketch these essays, store their keys, compare them
  exactly with every stored essay sharing a key, and replace their flagged pairs.
- `refresh()`: the same for essays whose signature is missing, old, or older than the body.
- `rescan()`: everything again in bulk, for `find_duplicates --rescan`.
- `matches_for_texts(texts)`: stored essays resembling texts not saved yet (an import preview).

The text work is essays.dedup (pure); this module only reads and writes rows.
"""

from __future__ import annotations

import hashlib
import heapq
from collections import defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field

from django.db import DatabaseError, transaction
from django.db.models import F, Q
from django.utils import timezone

from ..dedup import VERSION, Comparison, Sketch, find_pairs, sketch_texts
from ..dedup.finder import verify_pairs
from ..dedup.minhash import BAND_TAG
from ..dedup.settings import COMMON
from ..models import DuplicatePair, Essay, EssaySignature, SimilarityKey
from .related import store_related

__all__ = [
    "CheckResult",
    "check_essays",
    "check_imported_documents",
    "check_unchecked",
    "matches_for_texts",
    "refresh",
    "rescan",
    "start_document_check",
]

# Stored essays compared exactly with each checked essay, at most (see _stored_candidates).
MAX_CANDIDATES = 10
BAND_WEIGHT = 1000
CHUNK = 500  # ids or keys per IN (...) list: well under every database's parameter limit
BATCH = 1000  # essays sketched at once
# Candidate pairs a comparing worker is given at least (start_document_check): starting one
# costs some 0.25 CPU s (its imports, OpenCC's and essays.dedup's tables), the comparisons of
# about 1,200 pairs; fewer are compared in this process, when the check finishes.
POOL_PAIRS = 2000


@dataclass
class CheckResult:
    checked: int = 0
    pairs: int = 0
    near_duplicates: int = 0
    shared_passages: int = 0  # pairs that share a passage but are not near-duplicates

    def count(self, comparison: Comparison) -> None:
        self.pairs += 1
        if comparison.near_duplicate:
            self.near_duplicates += 1
        else:
            self.shared_passages += 1


def digest(body: str) -> str:
    return hashlib.sha1((body or "").encode("utf-8", "surrogatepass")).hexdigest()


# Checking some essays against all stored ones ----------------------------------------------


def check_essays(essay_ids: Iterable[int]) -> CheckResult:
    """Sketch these essays, store their keys, and find their pairs among all stored essays."""
    result = CheckResult()
    comparisons, checked = _check(essay_ids)
    result.checked = checked
    for comparison in comparisons.values():
        result.count(comparison)
    return result


def _check(essay_ids: Iterable[int]) -> tuple[dict[tuple[int, int], Comparison], int]:
    """check_essays' work: the flagged pairs found, and how many essays were checked."""
    started = _start(essay_ids)
    if started is None:
        return {}, 0
    comparisons = verify_pairs(started.pairs, started.texts)
    _finish(started, comparisons)
    return comparisons, len(started.ids)


@dataclass
class _Started:
    """A check up to the exact comparisons: what they need, and what _finish stores."""

    ids: list[int]
    bodies: dict[int, str]
    sketch: Sketch
    pairs: list[tuple[int, int]]  # candidates, (low id, high id)
    texts: dict[int, str]  # of every essay in `pairs`


def _start(essay_ids: Iterable[int], known: dict[int, str] | None = None) -> _Started | None:
    """`known` holds bodies the caller has at hand (the parse just stored), which are then
    not read again."""
    ids = sorted(set(essay_ids))
    known = known or {}
    bodies = {**{i: known[i] for i in ids if i in known}, **_bodies([i for i in ids if i not in known])}
    ids = [i for i in ids if i in bodies]
    if not ids:
        return None
    sketch = sketch_texts([bodies[i] for i in ids])
    # Keys are committed before they are looked up, so of two imports running at once at
    # least the later lookup sees the other's essays. The signatures wait for the pairs
    # (_finish): an essay with keys but no signature is checked again by `refresh`, so a
    # check cut short between the two is made up for.
    with transaction.atomic():
        for chunk in _chunks(ids, CHUNK):
            DuplicatePair.objects.filter(Q(essay_a_id__in=chunk) | Q(essay_b_id__in=chunk)).delete()
            SimilarityKey.objects.filter(essay_id__in=chunk).delete()
            EssaySignature.objects.filter(essay_id__in=chunk).delete()
        _store_keys(ids, sketch)
    pairs = sorted(_stored_candidates({i: sketch.keys_of(n) for n, i in enumerate(ids)}))
    return _Started(ids, bodies, sketch, pairs, _texts_of(pairs, known=bodies))


def _finish(started: _Started, comparisons: dict[tuple[int, int], Comparison]) -> None:
    with transaction.atomic():
        # Another check (a concurrent import's, find_duplicates) may have stamped some of
        # these essays since _start: this one's is as new, and replaces it.
        for chunk in _chunks(started.ids, CHUNK):
            EssaySignature.objects.filter(essay_id__in=chunk).delete()
        _store_signatures(started.ids, [started.bodies[i] for i in started.ids], started.sketch)
        _store_pairs(comparisons)
        # Overlapping texts rank first among related essays, so the checked essays and their
        # partners are ranked here, once the pairs are known: a bulk import leaves its new
        # essays' lists to this (import_rows.create_essays_of), and an import killed before
        # it is checked again, lists included, by check_unchecked.
        store_related(set(started.ids) | {pk for pair in comparisons for pk in pair})


def check_imported_documents(outcomes: list) -> None:
    """Check the essays of documents just imported (importing.DocumentOutcome), all at
    once; the counts go on each document's outcome. See start_document_check."""
    start_document_check(outcomes).finish()


def start_document_check(outcomes: list, pool: Executor | None = None, parts: int = 1) -> PendingCheck:
    """check_imported_documents up to the exact comparisons, which run in `pool` (up to
    `parts` worker processes, POOL_PAIRS pairs each at least) when given, while the caller
    stores the next documents; `finish()` waits for them and stores the pairs. Nothing else may check essays in between: a check started
    later would miss pairs this one has not stored yet.

    A pair is counted for the document holding its newer essay, as if the documents had
    been checked one by one in import order. The imports are committed by now: a failure
    here is reported, never raised, and `find_duplicates` (which checks essays without a
    current signature) makes up for it.
    """
    pending = PendingCheck(outcomes)
    if not outcomes:
        return pending
    try:
        by_digest = {outcome.sha256: n for n, outcome in enumerate(outcomes)}
        for chunk in _chunks(list(by_digest), CHUNK):
            rows = Essay.objects.filter(source_document__sha256__in=chunk).values_list(
                "pk", "source_document__sha256"
            )
            pending.owner.update((pk, by_digest[sha]) for pk, sha in rows)
        pending.started = _start(_needing_check(sorted(pending.owner)), _parsed_bodies(outcomes))
    except DatabaseError as exc:
        pending.fail(exc)
        return pending
    pairs = pending.started.pairs if pending.started is not None else []
    parts = min(parts, len(pairs) // POOL_PAIRS)
    if pool is not None and parts >= 1:
        pending.comparing = [
            pool.submit(verify_pairs, part, {i: pending.started.texts[i] for pair in part for i in pair})
            for part in _chunks(pairs, -(-len(pairs) // parts))
        ]
    return pending


def _parsed_bodies(outcomes: list) -> dict[int, str]:
    """The bodies of the essays documents created, from their parses: stored as parsed
    (import_rows.essay_values), in the parse's order (import_rows.create_essays_of)."""
    bodies = {}
    for outcome in outcomes:
        parsed = outcome.parsed
        if (
            outcome.status == "created"
            and parsed is not None
            and len(outcome.created_ids) == len(parsed.essays)
        ):
            bodies.update(zip(outcome.created_ids, (draft.body for draft in parsed.essays), strict=True))
    return bodies


@dataclass
class PendingCheck:
    outcomes: list
    owner: dict[int, int] = field(default_factory=dict)  # essay id -> its outcome's index
    started: _Started | None = None
    comparing: list[Future] = field(default_factory=list)

    def fail(self, exc: Exception) -> None:
        for outcome in self.outcomes:
            outcome.failed_steps.append(f"查重未完成（{exc}）；再次运行导入或 find_duplicates 会补查。")
        self.started = None
        try:
            # The essays' related lists waited for the check (_finish): ranked without it.
            with transaction.atomic():
                store_related(self.owner)
        except DatabaseError:
            pass  # the re-run the message asks for ranks them

    def finish(self) -> list:
        """Store the pairs found and count them on the outcomes, which are returned."""
        started, self.started = self.started, None
        if started is None:
            return self.outcomes
        try:
            comparisons = (
                {k: v for part in self.comparing for k, v in part.result().items()}
                if self.comparing
                else None
            )
        except Exception:  # noqa: BLE001 - the worker died or was stopped: compare here
            comparisons = None
        if comparisons is None:
            comparisons = verify_pairs(started.pairs, started.texts)
        try:
            _finish(started, comparisons)
        except DatabaseError as exc:
            self.fail(exc)
            return self.outcomes
        for (a, b), comparison in comparisons.items():
            n = self.owner.get(max(a, b), self.owner.get(min(a, b)))
            if n is None:
                continue
            if comparison.near_duplicate:
                self.outcomes[n].near_duplicates += 1
            else:
                self.outcomes[n].shared_passages += 1
        return self.outcomes


def check_unchecked() -> CheckResult:
    """Check the essays that have never been checked: those of an import stopped between
    storing its documents and checking them (killed, or its check failed)."""
    return _check_in_batches(
        list(Essay.objects.filter(duplicate_signature__isnull=True).values_list("pk", flat=True))
    )


def _check_in_batches(ids: list[int]) -> CheckResult:
    result = CheckResult()
    for start in range(0, len(ids), BATCH):
        part = check_essays(ids[start : start + BATCH])
        result.checked += part.checked
        result.pairs += part.pairs
        result.near_duplicates += part.near_duplicates
        result.shared_passages += part.shared_passages
    return result


def refresh() -> CheckResult:
    """Check every essay whose signature is missing, made by another version, or older than
    the essay's last save (an editor may have changed the body). With no signature stored
    at all (a database from before this feature), a bulk rescan is the quicker way."""
    if not EssaySignature.objects.exists() and Essay.objects.exists():
        return rescan()
    stale = Essay.objects.filter(
        Q(duplicate_signature__isnull=True)
        | ~Q(duplicate_signature__version=VERSION)
        | Q(updated_at__gt=F("duplicate_signature__computed_at"))
    ).values_list("pk", flat=True)
    return _check_in_batches(_needing_check(list(stale)))


def _needing_check(ids: list[int]) -> list[int]:
    """Those of `ids` whose body changed since their signature (others only get re-stamped)."""
    stored = {
        s.essay_id: (s.version, s.digest)
        for s in EssaySignature.objects.filter(essay_id__in=ids).only("essay_id", "version", "digest")
    }
    if not stored:
        return ids
    current = {pk: digest(body) for pk, body in _bodies([i for i in ids if i in stored]).items()}
    unchanged = [i for i in stored if stored[i] == (VERSION, current.get(i))]
    EssaySignature.objects.filter(essay_id__in=unchanged).update(computed_at=timezone.now())
    return [i for i in ids if i not in set(unchanged)]


def matches_for_texts(texts: list[str]) -> list[list[tuple[int, Comparison]]]:
    """For each text (not stored), the stored essays it duplicates or shares a passage with."""
    if not texts:
        return []
    sketch = sketch_texts(texts)
    # Negative ids stand for the texts: they never clash with stored essays.
    known = {-1 - n: text for n, text in enumerate(texts)}
    candidates = sorted(_stored_candidates({i: sketch.keys_of(-1 - i) for i in known}))
    comparisons = verify_pairs(candidates, _texts_of(candidates, known=known))
    found: list[list[tuple[int, Comparison]]] = [[] for _ in texts]
    for (a, b), comparison in comparisons.items():
        if a < 0 <= b:
            found[-1 - a].append((b, comparison))
    for matches in found:
        matches.sort(key=lambda m: (-m[1].similarity, m[0]))
    return found


def _texts_of(pairs: list[tuple[int, int]], *, known: dict[int, str]) -> dict[int, str]:
    """The text of every essay in `pairs`: `known` ones as given, the others read."""
    needed = {i for pair in pairs for i in pair} - set(known)
    return {**known, **_bodies(sorted(needed))}


def _stored_candidates(keys_by_essay: dict[int, list[int]]) -> set[tuple[int, int]]:
    """Pairs (low id, high id) of each essay with the stored essays sharing one of its keys."""
    wanted = {k for keys in keys_by_essay.values() for k in keys}
    owners: dict[int, list[int]] = defaultdict(list)
    for chunk in _chunks(sorted(wanted), CHUNK):
        # A fingerprint in more than COMMON essays is a stock phrase: it proposes nothing.
        fingerprints = [k for k in chunk if not k & BAND_TAG]
        for key, essay_id in SimilarityKey.objects.owners(
            chunk, common_candidates=fingerprints, common=COMMON
        ):
            owners[key].append(essay_id)
    pairs = set()
    for essay_id, keys in keys_by_essay.items():
        # The most likely partners first: an LSH band shared outweighs any number of passage
        # fingerprints, then more fingerprints shared means more text in common. Capped, so a
        # widely copied text costs an import a bounded number of exact comparisons.
        hits: dict[int, int] = defaultdict(int)
        for key in keys:
            weight = BAND_WEIGHT if key & BAND_TAG else 1
            for other in owners.get(key, ()):
                if other != essay_id:
                    hits[other] += weight
        for other in heapq.nlargest(MAX_CANDIDATES, hits, key=lambda o: (hits[o], o)):
            pairs.add((min(essay_id, other), max(essay_id, other)))
    return pairs


# Everything again ---------------------------------------------------------------------------


def rescan(*, workers: int = 1) -> CheckResult:
    """Recompute every signature and every pair, in bulk (no essay is compared with all).
    With `workers` > 1 the texts are sketched in that many processes."""
    with transaction.atomic():
        SimilarityKey.objects.all().delete()
        EssaySignature.objects.all().delete()

    bodies_seen: dict[int, str] = {}

    def items() -> Iterator[tuple[int, str]]:
        # Fetched by id chunks rather than one long cursor: the loop writes between reads.
        ids = list(Essay.objects.order_by("pk").values_list("pk", flat=True))
        for chunk in _chunks(ids, BATCH):
            for pk, body in sorted(_bodies(chunk).items()):
                bodies_seen[pk] = body
                yield pk, body

    def store(ids: list[int], sketch: Sketch) -> None:
        with transaction.atomic():
            _store_signatures(ids, [bodies_seen.pop(i) for i in ids], sketch)
            _store_keys(ids, sketch)

    found = find_pairs(items(), _bodies, on_sketch=store, workers=workers)
    with transaction.atomic():
        DuplicatePair.objects.all().delete()
        _store_pairs({(a, b): c for a, b, c in found.pairs})
        store_related({pk for a, b, _ in found.pairs for pk in (a, b)})  # overlaps rank first
    result = CheckResult(checked=found.timings.texts)
    for _, _, comparison in found.pairs:
        result.count(comparison)
    return result


# Rows ----------------------------------------------------------------------------------------


def _bodies(ids: list[int]) -> dict[int, str]:
    bodies = {}
    for chunk in _chunks(ids, CHUNK):
        bodies.update(Essay.objects.filter(pk__in=chunk).values_list("pk", "body"))
    return bodies


def _store_signatures(ids: list[int], bodies: list[str], sketch: Sketch) -> None:
    now = timezone.now()
    EssaySignature.objects.bulk_create(
        [
            EssaySignature(
                essay_id=pk,
                version=VERSION,
                digest=digest(body),
                shingles=int(sketch.shingles[n]),
                minhash=sketch.signatures[n].astype("<u4").tobytes(),
                computed_at=now,
            )
            for n, (pk, body) in enumerate(zip(ids, bodies, strict=True))
        ],
        batch_size=BATCH,
    )


def _store_keys(ids: list[int], sketch: Sketch) -> None:
    SimilarityKey.objects.insert_rows([(pk, key) for n, pk in enumerate(ids) for key in sketch.keys_of(n)])


def _store_pairs(comparisons: dict[tuple[int, int], Comparison]) -> None:
    now = timezone.now()
    DuplicatePair.objects.upsert_rows(
        [
            {
                "essay_a_id": a,
                "essay_b_id": b,
                "similarity": round(c.similarity, 4),
                "near_duplicate": c.near_duplicate,
                "passages": [p.as_dict() for p in c.passages],
                "passage_count": len(c.passages),
                "longest_passage": max((p.length for p in c.passages), default=0),
                "detected_at": now,
            }
            for (a, b), c in sorted(comparisons.items())
        ]
    )


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
