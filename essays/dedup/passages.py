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


def common_runs(a: np.ndarray, b: np.ndarray, min_length: int = PASSAGE) -> list[tuple[int, int, int]]:
    """(i, j, length): a[i:i+length] == b[j:j+length], maximal, length >= min_length."""
    k = max(1, min_length // 2)
    if len(a) < min_length or len(b) < min_length:
        return []
    ha, hb = kgram_hashes(a, k), kgram_hashes(b, k)
    order = np.argsort(hb, kind="stable")
    sorted_b = hb[order]
    lo = np.searchsorted(sorted_b, ha, "left")
    counts = np.searchsorted(sorted_b, ha, "right") - lo
    counts[counts > REPEATS] = 0
    total = int(counts.sum())
    if total == 0:
        return []
    i = np.repeat(np.arange(len(ha), dtype=np.int64), counts)
    first = np.repeat(np.cumsum(counts) - counts, counts)
    j = order[np.repeat(lo, counts) + np.arange(total) - first]
    diagonal = j - i
    by_diagonal = np.lexsort((i, diagonal))
    i, diagonal = i[by_diagonal], diagonal[by_diagonal]
    breaks = np.flatnonzero(np.r_[True, (diagonal[1:] != diagonal[:-1]) | (i[1:] != i[:-1] + 1)])
    run_lengths = np.diff(np.r_[breaks, len(i)])
    runs = []
    for start, count in zip(breaks, run_lengths, strict=True):
        length = int(count) + k - 1
        if length < min_length:
            continue
        ia = int(i[start])
        jb = ia + int(diagonal[start])
        # Equal hashes are not proof: compare the characters.
        if np.array_equal(a[ia : ia + length], b[jb : jb + length]):
            runs.append((ia, jb, length))
    runs.sort()
    return runs


def shared_passages(a: Normalised, b: Normalised, min_length: int = PASSAGE) -> list[Passage]:
    return [
        Passage(
            a_start=int(a.offsets[i]),
            a_end=int(a.offsets[i + length - 1]) + 1,
            b_start=int(b.offsets[j]),
            b_end=int(b.offsets[j + length - 1]) + 1,
            length=length,
        )
        for i, j, length in common_runs(a.codes, b.codes, min_length)
    ]
