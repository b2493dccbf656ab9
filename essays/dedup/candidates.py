"""Pairs of texts that share a key: the LSH step, with no loop over all pairs.

Keys are sorted once; texts with equal keys form a group and every group yields its pairs,
built in bulk for all groups of the same size. Work is proportional to the pairs proposed,
not to the square of the corpus.
"""

from __future__ import annotations

import numpy as np


def pairs_sharing(
    keys: np.ndarray,
    owners: np.ndarray,
    *,
    skip_above: int | None = None,
    star_above: int | None = None,
) -> np.ndarray:
    """Unique (a, b) owner pairs with a < b that share at least one key, as an (m, 2) array.

    Groups larger than `skip_above` are ignored (a stock phrase in hundreds of essays proposes
    nothing); groups larger than `star_above` are linked to their first member only, so a text
    copied thousands of times still costs linear work.
    """
    if len(keys) == 0:
        return np.empty((0, 2), dtype=np.int64)
    order = np.argsort(keys, kind="stable")
    keys, owners = keys[order], owners[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    sizes = np.diff(np.r_[starts, len(keys)])
    chunks = []
    wanted = sizes >= 2
    if skip_above is not None:
        wanted &= sizes <= skip_above
    if star_above is not None:
        star = wanted & (sizes > star_above)
        wanted &= ~star
        for start, size in zip(starts[star], sizes[star], strict=True):
            members = owners[start : start + size]
            chunks.append(np.column_stack([np.full(size - 1, members[0]), members[1:]]))
    for size in np.unique(sizes[wanted]):
        group_starts = starts[wanted & (sizes == size)]
        members = owners[group_starts[:, None] + np.arange(size)]
        first, second = np.triu_indices(size, 1)
        chunks.append(np.column_stack([members[:, first].ravel(), members[:, second].ravel()]))
    if not chunks:
        return np.empty((0, 2), dtype=np.int64)
    pairs = np.concatenate(chunks).astype(np.int64)
    pairs.sort(axis=1)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    return np.unique(pairs, axis=0)
