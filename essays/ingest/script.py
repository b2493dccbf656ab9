"""Simplified/Traditional script: detection, conversion and script-blind keys.

OpenCC converters are expensive to build and safe to share between threads, so each is
built once per process.
"""

import re
import unicodedata
from functools import cache

import opencc

from .chars import CharClass

SIMPLIFIED = "simplified"
TRADITIONAL = "traditional"
MIXED = "mixed"
UNKNOWN = "unknown"

_HAN = re.compile(r"[\u3400-\u9fff]")


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


@cache
def _script_marks() -> tuple[CharClass, CharClass]:
    """The characters only one script uses, built once from OpenCC's tables.

    Converting every character of the CJK blocks once is cheaper than converting each text
    twice; counting with a table lookup then runs at C speed.
    """
    block = "".join(chr(c) for c in range(0x4E00, 0xA000))
    t2s = to_simplified(block)
    s2t = to_traditional(block)
    traditional = [a for a, b in zip(block, t2s, strict=True) if a != b]
    simplified = [a for a, b, c in zip(block, s2t, t2s, strict=True) if a != b and a == c]
    return CharClass(traditional), CharClass(simplified)


def detect_script(text: str) -> str:
    """Label text by the characters that belong to only one script.

    Characters common to both scripts say nothing; a text with a clear majority (≥ 90%) of
    one kind gets that label, a text with both in quantity is mixed.
    """
    if not text:
        return UNKNOWN
    traditional, simplified = _script_marks()
    traditional_marks = traditional.count(text)
    simplified_marks = simplified.count(text)
    total = traditional_marks + simplified_marks
    if total == 0:
        return SIMPLIFIED if _HAN.search(text) else UNKNOWN
    if traditional_marks >= 0.9 * total:
        return TRADITIONAL
    if simplified_marks >= 0.9 * total:
        return SIMPLIFIED
    return MIXED
