"""Texts for the dedup tests: random Han characters, so every 5-gram is (almost surely) unique
and the expected Jaccard of an edited copy can be computed by hand."""

import numpy as np

from essays.ingest.script import to_traditional


def random_han(rng: np.random.Generator, length: int) -> str:
    # 常用字-heavy block; random choice makes accidental shared 5-grams vanishingly rare.
    return "".join(chr(c) for c in rng.integers(0x4E00, 0x9FA5, length))


def with_punctuation(text: str, every: int = 12) -> str:
    """Insert ， and 。 and a line break now and then, as an essay would have."""
    parts = [text[i : i + every] for i in range(0, len(text), every)]
    marks = ["，", "。", "。\n", "、"]
    return "".join(p + marks[k % len(marks)] for k, p in enumerate(parts))


def traditional(text: str) -> str:
    return to_traditional(text)


def shingles(text: str, k: int = 5) -> set[str]:
    return {text[i : i + k] for i in range(len(text) - k + 1)}


def jaccard(a: str, b: str) -> float:
    sa, sb = shingles(a), shingles(b)
    return len(sa & sb) / len(sa | sb)
