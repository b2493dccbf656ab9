"""Per-character tables applied to a whole text at C speed (numpy).

Counting the members of a large character class (4,000 traditional-only characters, every Han
character) with a regex costs a match object per hit, and a Python loop costs far more. Here
a text becomes an array of code points once, and a table indexed by code point answers for
every character in one vectorised lookup.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

CODE_POINTS = 0x110000


def code_points(text: str) -> np.ndarray:
    """The text's code points (surrogates pass through: decoders can leave them)."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


class CharClass:
    """A set of characters that counts its members in a text."""

    def __init__(self, chars: Iterable[str]) -> None:
        self.table = np.zeros(CODE_POINTS, dtype=bool)
        self.table[[ord(ch) for ch in chars]] = True

    def count(self, text: str) -> int:
        return int(np.count_nonzero(self.table[code_points(text)]))


def range_class(*ranges: tuple[int, int]) -> CharClass:
    """A CharClass of code point ranges, both ends included."""
    chars = CharClass(())
    for low, high in ranges:
        chars.table[low : high + 1] = True
    return chars
