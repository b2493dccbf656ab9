"""MinHash signatures by one-permutation hashing, and their LSH band keys.

Classic MinHash hashes every shingle 128 times; one-permutation hashing (Li, Owen & Zhang
2012) hashes it once and lets its low 7 bits pick one of 128 bins, keeping the smallest
high 32 bits per bin. Each bin then collides between two texts with probability ≈ their Jaccard,
at 1/128th of the work. Empty bins (texts under a few hundred characters) borrow from the
next non-empty bin, shifted by the distance (Shrivastava & Li 2014 "densification"), so two
short texts do not agree merely on being empty.
"""

from __future__ import annotations

import numpy as np

from .hashing import mix
from .settings import BANDS, BINS, ROWS

EMPTY = np.uint32(0xFFFFFFFF)  # a real minimum this large has odds of 2^-32 per bin
_BIN_MASK = np.uint64(BINS - 1)
_THIRTY_TWO = np.uint64(32)
_LOW = np.uint64(0xFFFFFFFF)
BAND_TAG = 1 << 62  # band keys and passage fingerprints share one key space; this bit tells them apart
_KEY_MASK = np.uint64((1 << 62) - 1)


def signatures(hashes: np.ndarray, owners: np.ndarray, count: int) -> np.ndarray:
    """(count, BINS) uint32 signatures; hashes[i] is a shingle of text owners[i].

    The low bits of a hash pick its bin, the high 32 bits are its value.
    """
    # Pack (text, bin, value) into one integer and sort: the first of each (text, bin) is its min.
    packed = owners.astype(np.uint64)
    packed *= np.uint64(BINS)
    packed |= hashes & _BIN_MASK
    packed <<= _THIRTY_TWO
    packed |= hashes >> _THIRTY_TWO
    packed.sort()
    cells = packed >> _THIRTY_TWO
    first = np.empty(len(packed), dtype=bool)
    first[:1] = True
    np.not_equal(cells[1:], cells[:-1], out=first[1:])
    result = np.full(count * BINS, EMPTY, dtype=np.uint32)
    result[cells[first].astype(np.int64)] = (packed[first] & _LOW).astype(np.uint32)
    result = result.reshape(count, BINS)
    _densify(result)
    return result


def _densify(sig: np.ndarray) -> None:
    """Fill empty bins from the next filled one to the right (circularly), +1 per step."""
    rows = np.flatnonzero((sig == EMPTY).any(axis=1) & (sig != EMPTY).any(axis=1))
    if len(rows) == 0:
        return
    part = sig[rows]
    for _ in range(BINS - 1):
        empty = part == EMPTY
        if not empty.any():
            break
        borrowed = np.roll(part, -1, axis=1)
        fill = empty & (borrowed != EMPTY)
        part[fill] = np.minimum(borrowed[fill], EMPTY - 2) + np.uint32(1)
    sig[rows] = part


def band_keys(sig: np.ndarray) -> np.ndarray:
    """(n, BANDS) int64 keys; two texts share key b when their band b rows all agree."""
    n = len(sig)
    keys = np.empty((n, BANDS), dtype=np.int64)
    wide = sig.astype(np.uint64)
    for band in range(BANDS):
        h = np.full(n, band + 1, dtype=np.uint64)
        for col in range(band * ROWS, (band + 1) * ROWS):
            h = mix(h ^ wide[:, col])
        keys[:, band] = ((h & _KEY_MASK) | np.uint64(BAND_TAG)).astype(np.int64)
    return keys


def estimate(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.mean(a == b))
