"""Winnowing (Schleimer, Wilkerson & Aiken 2003): few fingerprints, with a guarantee.

Hash every ANCHOR-character substring, slide a window of WINDOW consecutive hashes, keep the
smallest hash of each window. Two texts sharing a substring of ANCHOR + WINDOW − 1 = PASSAGE
characters share a whole window, hence its minimum: no shared passage is missed, yet only
about 2/(WINDOW + 1) of the positions are kept. Window minima come from van Herk/Gil-Werman
(prefix and suffix minima over blocks of WINDOW), so the cost does not grow with the window.
"""

from __future__ import annotations

import numpy as np

from .settings import ANCHOR, WINDOW

_KEY_MASK = np.uint64((1 << 62) - 1)
_HIGHEST = np.iinfo(np.uint64).max


def sliding_min(values: np.ndarray, width: int) -> np.ndarray:
    """m[i] = min(values[i:i+width]) for i in range(len(values) - width + 1)."""
    n = len(values)
    if n < width:
        return np.empty(0, dtype=values.dtype)
    blocks = -(-n // width)
    padded = np.full(blocks * width, _HIGHEST, dtype=values.dtype)
    padded[:n] = values
    grid = padded.reshape(blocks, width)
    prefix = np.minimum.accumulate(grid, axis=1).ravel()
    suffix = np.minimum.accumulate(grid[:, ::-1], axis=1)[:, ::-1].ravel()
    return np.minimum(suffix[: n - width + 1], prefix[width - 1 : n])


def winnow(
    hashes: np.ndarray, owners: np.ndarray, ends: np.ndarray, starts: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(keys, owners): the winnowed fingerprints of every text in a batch, once per text.

    hashes[i] is the ANCHOR-gram starting at position i of the batch, owners[i] the text it
    starts in and ends[i] where that text ends; `starts` are where the texts start. Keys are
    non-negative int64 (they go into a database column).
    """
    minima = sliding_min(hashes, WINDOW)
    if len(minima) == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    # Neighbouring windows mostly share their minimum: keep the windows where it changes, and
    # each text's first window (its predecessor belongs to another text). That leaves about
    # 2/(WINDOW + 1) of the positions before anything else is done with them.
    changes = np.empty(len(minima), dtype=bool)
    changes[0] = True
    np.not_equal(minima[1:], minima[:-1], out=changes[1:])
    changes[starts[starts < len(minima)]] = True
    at = np.flatnonzero(changes)
    # A window starting at i lies inside its text when i + ANCHOR + WINDOW - 1 <= end.
    at = at[at + (ANCHOR + WINDOW - 1) <= ends[at]]
    keys = (minima[at] & _KEY_MASK).astype(np.int64)
    owners = owners[at]
    # The same minimum can come back further on in a text: keep each (text, key) once.
    order = np.lexsort((keys, owners))
    keys, owners = keys[order], owners[order]
    fresh = np.ones(len(keys), dtype=bool)
    fresh[1:] = (keys[1:] != keys[:-1]) | (owners[1:] != owners[:-1])
    return keys[fresh], owners[fresh]
