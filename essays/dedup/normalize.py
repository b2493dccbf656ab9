"""Text as the comparison sees it: script-blind, punctuation-blind, with a way back.

Traditional goes to Simplified through OpenCC t2s (`essays.ingest.script.to_simplified`, the
converter the rest of the project uses); full-width Latin letters and digits fold to ASCII
and to lower case; everything that is not a letter or digit (punctuation, spaces, line
breaks) is dropped. So a copy that turned ， into 、, re-wrapped its lines or changed script
still matches. `offsets[i]` is where the i-th kept character stands in the original text,
which is how a match is highlighted in the essay as stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np

from ..ingest.chars import code_points
from ..ingest.script import to_simplified

UNICODE = 0x110000
_TABLE_BLOCK = 65536  # code points decoded at once to build _tables' keep
_ALNUM = re.compile(r"[^\W_]+")


@cache
def _tables() -> tuple[np.ndarray, np.ndarray]:
    """(fold, keep) lookup tables over every code point, built once per process."""
    fold = np.arange(UNICODE, dtype=np.uint32)
    fold[ord("A") : ord("Z") + 1] += 32
    fold[0xFF01:0xFF5F] = fold[0x21:0x7F]  # full-width ASCII variants, folded like ASCII
    keep = np.zeros(UNICODE, dtype=bool)
    # str.isalnum() of every code point, a block at a time: [^\W_] is exactly the characters
    # isalnum() accepts, and they come in runs (a script's letters), a few hundred in all.
    # (Joining one-character strings instead held 1.1 million of them at once, some 100 MB;
    # asking each code point cost a worker 0.08 CPU s at its start.)
    for start in range(0, UNICODE, _TABLE_BLOCK):
        block = np.arange(start, min(start + _TABLE_BLOCK, UNICODE), dtype="<u4")
        for run in _ALNUM.finditer(block.tobytes().decode("utf-32-le", "surrogatepass")):
            keep[start + run.start() : start + run.end()] = True
    keep[0xD800:0xE000] = False  # lone surrogates are damage, never text
    return fold, keep


@lru_cache(maxsize=8192)
def _simplified_char(ch: str) -> str:
    converted = to_simplified(ch)
    return converted if len(converted) == 1 else ch


def simplified_same_length(text: str) -> str:
    """t2s, keeping one character for one: offsets must still point into the original.

    OpenCC keeps the length of Chinese text (its tables map character to character); should
    a phrase ever convert to a different length, convert that text character by character.
    """
    converted = to_simplified(text)
    if len(converted) == len(text):
        return converted
    return "".join(map(_simplified_char, text))


@dataclass(frozen=True)
class Normalised:
    codes: np.ndarray  # uint32 code points that the comparison sees
    offsets: np.ndarray  # int64: where each of them stands in the original text

    def __len__(self) -> int:
        return len(self.codes)

    @property
    def text(self) -> str:
        return self.codes.tobytes().decode("utf-32-le", "surrogatepass")


def normalise(text: str) -> Normalised:
    fold, keep = _tables()
    codes = fold[code_points(simplified_same_length(text or ""))]
    kept = keep[codes]
    return Normalised(codes=codes[kept], offsets=np.flatnonzero(kept))


def normalise_batch(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Many texts at once: (code points of all of them end to end, bounds).

    Text i is codes[bounds[i]:bounds[i + 1]]. One OpenCC call and a handful of numpy passes
    serve the whole batch, which is what makes 100,000 essays a matter of seconds.
    """
    fold, keep = _tables()
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    # Line breaks separate the texts: OpenCC never converts across one, and they are
    # dropped below like any other non-letter.
    joined = "\n".join(texts)
    converted = to_simplified(joined)
    if len(converted) != len(joined):
        converted = "\n".join(map(simplified_same_length, texts))
    codes = fold[code_points(converted)]
    kept = keep[codes]
    starts = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(lengths + 1, out=starts[1:])
    # How many characters of each text survive: count kept ones before each text's start.
    kept_before = np.zeros(len(codes) + 1, dtype=np.int64)
    np.cumsum(kept, out=kept_before[1:])
    bounds = kept_before[np.minimum(starts, len(codes))]
    return codes[kept], bounds
