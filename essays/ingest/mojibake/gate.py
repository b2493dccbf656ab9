"""The document gate: whether a document shows damage worth searching (very rare characters
next to damage signals), and which script it is in."""

from __future__ import annotations

import re
from functools import cache

from ..decode import char_scores
from ..pinyin import HINTS
from .tokens import HAN_RANGE

# Damage signals: a "?" or a lone ASCII trail byte next to a Han character, or a hint.
SIGNAL = re.compile(
    f"(?<=[{HAN_RANGE}])[?\x40-\x7e](?![A-Za-z0-9_])"
    f"|(?<![A-Za-z0-9_])[?\x40-\x7e](?=[{HAN_RANGE}\ue002])"
    "|[\ue000\ue002]"
)
TRAIL_BETWEEN_HAN = re.compile(f"[{HAN_RANGE}][\x40-\x7e][{HAN_RANGE}]")
RARE_BEFORE_SIGNAL = 8  # characters before a signal searched for a rare character
# 10·ln(relative frequency) below which a character counts as rare for the gate: about one
# in 100,000 characters. Characters missing from the table only (as at first) let through
# GBK-shift damage of simplified text, whose misread characters are GB2312's rarer half,
# all in the table: on bench/mojibake_accuracy.py that left all 120 simplified damaged lines
# unsearched; now 84 are restored or improved, 2 made worse, no clean line changed.
RARE_SCORE = -115
MIN_SUSPECT_SITES = 2


def looks_damaged(text: str) -> bool:
    """Very rare characters right before damage signals, at two places or more."""
    if "?" not in text and not TRAIL_BETWEEN_HAN.search(text):
        return False
    suspects = 0
    for match in _rare_characters().finditer(text):
        if SIGNAL.search(text, match.end(), match.end() + RARE_BEFORE_SIGNAL):
            suspects += 1
            if suspects >= MIN_SUSPECT_SITES:
                return True
    return False


@cache
def _rare_characters() -> re.Pattern:
    """Han characters rarer than RARE_SCORE, or outside the frequency table altogether."""
    known = {ch for ch, score in char_scores().items() if score >= RARE_SCORE}
    ranges: list[list[int]] = []
    for block in ((0x3400, 0xA000), (0xF900, 0xFB00)):
        for code in range(*block):
            if chr(code) in known:
                continue
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    members = "".join(chr(a) if a == b else f"{chr(a)}-{chr(b)}" for a, b in ranges)
    return re.compile(f"[{members}]")


def is_traditional(text: str) -> bool:
    from ..script import TRADITIONAL, detect_script

    # hints hold no Han character: only where they would push text out of the sample do they count
    sample = text if len(text) <= 20000 else HINTS.sub("", text)[:20000]
    return detect_script(sample) == TRADITIONAL
