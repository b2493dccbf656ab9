"""64-bit hashes of every k characters of a code-point array, in a few numpy passes.

A polynomial hash over a prefix sum: with G[m] = Σ_{j<m} c_j·Q^j and Q = P⁻¹ (mod 2⁶⁴), the
k-gram at i is (G[i+k] − G[i])·P^(i+k−1) = Σ c_j·P^(i+k−1−j), whatever k is. uint64
arithmetic wraps, which is exactly mod 2⁶⁴. The result is then mixed (splitmix64) so every
bit is usable for binning and sampling.
"""

from __future__ import annotations

import numpy as np

P = 0x9E3779B97F4A7C15  # odd, so invertible mod 2^64
Q = pow(P, -1, 1 << 64)
_powers: dict[int, np.ndarray] = {}


def _power_table(base: int, n: int) -> np.ndarray:
    table = _powers.get(base)
    if table is None or len(table) < n:
        size = max(n, 2 * len(table) if table is not None else 1 << 16)
        table = np.full(size, base, dtype=np.uint64)
        table[0] = 1
        np.cumprod(table, out=table)
        _powers[base] = table
    return table[:n]


def mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser, in place where it can be."""
    x = x ^ (x >> np.uint64(30))
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(27)
    x *= np.uint64(0x94D049BB133111EB)
    x ^= x >> np.uint64(31)
    return x


def prefix_sums(codes: np.ndarray) -> np.ndarray:
    """G[m] = sum of codes[j] * Q^j for j < m (mod 2^64); shared by every k."""
    prefix = np.zeros(len(codes) + 1, dtype=np.uint64)
    np.cumsum(codes.astype(np.uint64) * _power_table(Q, len(codes)), out=prefix[1:])
    return prefix


def hashes_from_prefix(prefix: np.ndarray, k: int) -> np.ndarray:
    n = len(prefix) - 1
    if n < k:
        return np.empty(0, dtype=np.uint64)
    window = prefix[k:] - prefix[: n - k + 1]
    window *= _power_table(P, n)[k - 1 :]
    return mix(window)


def kgram_hashes(codes: np.ndarray, k: int) -> np.ndarray:
    """Mixed hash of codes[i:i+k] for every i in range(len(codes) - k + 1)."""
    return hashes_from_prefix(prefix_sums(codes), k)
