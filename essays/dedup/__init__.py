"""Near-duplicate essays and shared passages. Pure Python + numpy; never imports Django.

Two questions, one pass over the texts:

- Which essays are near-duplicates? Jaccard similarity of their character 5-gram shingles
  (after `normalize`: Traditional→Simplified, punctuation and spaces dropped) is at least
  0.8. MinHash signatures (`minhash`) banded for LSH (`candidates`) propose pairs; the exact
  Jaccard decides.
- Which essays share a long passage (≥ 50 characters) without being copies as a whole?
  Winnowed 16-gram fingerprints (`fingerprints`) propose pairs; `passages` finds every maximal
  common substring and maps it back to offsets in the original texts.

`finder` ties the stages together: `find_pairs` for a whole corpus (the benchmark, a rescan),
`sketch_texts` and `compare` for a few new essays whose keys are looked up among stored ones
(essays.services.duplicates, on every import). `settings` holds every parameter.
"""

from .finder import (
    Comparison,
    Sketch,
    compare,
    find_pairs,
    sketch_texts,
)
from .passages import Passage
from .settings import VERSION

__all__ = ["VERSION", "Comparison", "Passage", "Sketch", "compare", "find_pairs", "sketch_texts"]
