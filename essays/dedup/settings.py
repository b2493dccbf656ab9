"""The parameters of near-duplicate detection, in one place, and the version they make.

Stored signatures and keys are only comparable when made with the same parameters and the
same OpenCC tables, so both go into VERSION; a mismatch means "recompute".
"""

import opencc

SHINGLE = 5  # characters per shingle: the usual choice for Chinese (data-juicer, DataFlow)
THRESHOLD = 0.8  # exact Jaccard at or above which two essays are near-duplicates
BINS = 128  # MinHash values per signature (one-permutation hashing: 128 bins)
BANDS, ROWS = 21, 6  # LSH: P(candidate) is 99.8% at J=0.8, 28% at 0.5, 1.5% at 0.3
PASSAGE = 50  # shortest shared passage worth reporting, in normalised characters
ANCHOR = 16  # characters per winnowed fingerprint
WINDOW = PASSAGE - ANCHOR + 1  # winnowing guarantees a shared fingerprint in any PASSAGE-long match
# A fingerprint in more essays than this is a stock phrase (a slogan every essay quotes), not a
# copied passage: it proposes no pairs. The one place the winnowing guarantee gives way: a passage
# whose only shared window minimum is such a phrase is not proposed.
COMMON = 50

VERSION = f"dedup-1:{SHINGLE}/{BINS}/{BANDS}x{ROWS}/{ANCHOR}w{WINDOW}:opencc-{opencc.__version__}"
