"""Long passages two texts share, as offsets into the original texts.

Every maximal common substring of at least PASSAGE normalised characters: the texts'
HALF-grams (HALF = PASSAGE // 2) are joined by hash, matches are grouped by diagonal
(offset in b minus offset in a), and each unbroken run along a diagonal is one common
substring, maximal because the k-grams just before and after it do not match. Runs shorter
than PASSAGE are dropped, so stock phrases never count. Found on normalised text, so script
and punctuation differences do not break a passage; reported on the original text, so it can
be highlighted there.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .hashing import kgram_hashes
from .normalize import Normalised
from .settings import PASSAGE

REPEATS = 50  # a k-gram repeated more often than this in one text is filler, not a passage


@dataclass(frozen=True)
class Passage:
    a_start: int  # [a_start, a_end) in the first text as stored
    a_end: int
    b_start: int
    b_end: int
    length: int  # normalised characters (punctuation and spaces not counted)

    def as_dict(self) -> dict:
        # By hand: dataclasses.asdict deep-copies, which showed in import profiles.
        return {
            "a_start": self.a_start,
            "a_end": self.a_end,
            "b_start": self.b_start,
            "b_end": self.b_end,
            "length": self.length,
        }


@dataclass(frozen=True)
class Grams:
    """A text's HALF-gram hashes, and the same sorted, for the join; its characters as a
    string, forwards and backwards, for growing a match. Made once per text when that text
    is compared many times (finder.Prepared)."""

    codes: np.ndarray
    k: int
    hashes: np.ndarray
    order: np.ndarray  # argsort of hashes
    sorted: np.ndarray  # hashes[order]
    text: str  # the codes as characters: slices compare at C speed
    reversed: str


def grams(codes: np.ndarray, min_length: int = PASSAGE) -> Grams:
    k = max(1, min_length // 2)
    hashes = kgram_hashes(codes, k) if len(codes) >= min_length else np.zeros(0, np.uint64)
    order = np.argsort(hashes, kind="stable")
    text = codes.astype("<u4").tobytes().decode("utf-32-le")
    return Grams(codes, k, hashes, order, hashes[order], text, text[::-1])


def common_runs(a: np.ndarray, b: np.ndarray, min_length: int = PASSAGE) -> list[tuple[int, int, int]]:
    """(i, j, length): a[i:i+length] == b[j:j+length], maximal, length >= min_length."""
    return runs_between(grams(a, min_length), grams(b, min_length), min_length)


def runs_between(a: Grams, b: Grams, min_length: int = PASSAGE) -> list[tuple[int, int, int]]:
    """common_runs of two texts' Grams (made with the same min_length).

    A run of min_length characters holds min_length - k + 1 consecutive k-grams, so looking
    up every (min_length - k + 1)-th k-gram of `a` hits each run at least once; each hit is
    then grown along its diagonal to the run's full extent, comparing characters."""
    k = a.k
    if len(a.codes) < min_length or len(b.codes) < min_length:
        return []
    sampled = np.arange(0, len(a.hashes), min_length - k + 1)
    hashes = a.hashes[sampled]
    lo = np.searchsorted(b.sorted, hashes, "left")
    counts = np.searchsorted(b.sorted, hashes, "right") - lo
    counts[counts > REPEATS] = 0
    total = int(counts.sum())
    if total == 0:
        return []
    i = np.repeat(sampled, counts)
    first = np.repeat(np.cumsum(counts) - counts, counts)
    j = b.order[np.repeat(lo, counts) + np.arange(total) - first]
    diagonal = j - i
    by_diagonal = np.lexsort((i, diagonal))
    runs = []
    covered: dict[int, int] = {}  # diagonal -> end in `a` of the run last found on it
    for ia, d in zip(i[by_diagonal].tolist(), diagonal[by_diagonal].tolist(), strict=True):
        if covered.get(d, -1) > ia:
            continue
        jb = ia + d
        back = _common_prefix(a.reversed, len(a.text) - ia, b.reversed, len(b.text) - jb)
        ahead = _common_prefix(a.text, ia, b.text, jb)
        covered[d] = ia + ahead
        if back + ahead >= min_length:
            runs.append((ia - back, jb - back, back + ahead))
    runs.sort()
    return runs


def _common_prefix(x: str, i: int, y: str, j: int) -> int:
    """Length of the common prefix of x[i:] and y[j:]: windows of doubling size, then a
    binary search inside the first window that differs."""
    limit = min(len(x) - i, len(y) - j)
    done, step = 0, 32
    while done < limit:
        size = min(step, limit - done)
        if x[i + done : i + done + size] == y[j + done : j + done + size]:
            done, step = done + size, step * 2
            continue
        same, differ = 0, size  # x and y agree on `same` characters, not on `differ`
        while differ - same > 1:
            middle = (same + differ) // 2
            if x[i + done : i + done + middle] == y[j + done : j + done + middle]:
                same = middle
            else:
                differ = middle
        return done + same
    return limit


def shared_passages(
    a: Normalised,
    b: Normalised,
    min_length: int = PASSAGE,
    *,
    grams_a: Grams | None = None,
    grams_b: Grams | None = None,
) -> list[Passage]:
    """The passages of at least min_length characters; grams_a and grams_b, when given, are
    grams(a.codes, min_length) and grams(b.codes, min_length) made beforehand."""
    grams_a = grams_a or grams(a.codes, min_length)
    grams_b = grams_b or grams(b.codes, min_length)
    return [
        Passage(
            a_start=int(a.offsets[i]),
            a_end=int(a.offsets[i + length - 1]) + 1,
            b_start=int(b.offsets[j]),
            b_end=int(b.offsets[j + length - 1]) + 1,
            length=length,
        )
        for i, j, length in runs_between(grams_a, grams_b, min_length)
    ]
