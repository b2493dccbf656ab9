"""Simplified/Traditional script: detection, conversion and script-blind keys.

OpenCC converters are expensive to build and safe to share between threads, so each is
built once per process.
"""

import unicodedata
from functools import cache

import opencc

SIMPLIFIED = "simplified"
TRADITIONAL = "traditional"
MIXED = "mixed"
UNKNOWN = "unknown"


@cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    return _converter("t2s").convert(text) if text else text


def to_traditional(text: str) -> str:
    return _converter("s2t").convert(text) if text else text


def script_key(text: str) -> str:
    """A key under which 党的建设, 黨的建設 and ＂党的建设 ＂ are the same thing.

    NFKC is fine here (unlike in stored text) because the key is never shown.
    """
    folded = unicodedata.normalize("NFKC", text or "").strip().casefold()
    return " ".join(to_simplified(folded).split())


def detect_script(text: str) -> str:
    """Label text by which characters OpenCC would change in each direction.

    Characters common to both scripts say nothing; the label comes from the ones that
    differ. A text with a clear majority (≥ 90%) of one kind gets that label.
    """
    if not text:
        return UNKNOWN
    t2s = to_simplified(text)
    s2t = to_traditional(text)
    traditional_marks = sum(1 for a, b in zip(text, t2s, strict=False) if a != b)
    simplified_marks = sum(1 for a, b in zip(text, s2t, strict=False) if a != b)
    total = traditional_marks + simplified_marks
    if total == 0:
        return UNKNOWN if not any("\u3400" <= ch <= "\u9fff" for ch in text) else SIMPLIFIED
    if traditional_marks >= 0.9 * total:
        return TRADITIONAL
    if simplified_marks >= 0.9 * total:
        return SIMPLIFIED
    return MIXED
