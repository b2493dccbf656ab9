"""UTF-8 text that was once read as Windows-1252 (or Latin-1) and saved again: 学习 -> å­¦ä¹ .

A page or file passed through a tool that assumed a Western encoding comes out with every
Chinese character turned into two or three Latin-1 letters and symbols. The damage is
exactly reversible: the letters are the UTF-8 bytes, one per letter. Each run of such
letters is turned back into bytes and decoded as UTF-8; a byte Windows-1252 has no letter
for (0x81, 0x8D, 0x8F, 0x90, 0x9D) was lost as U+FFFD on the way, and the character it
belonged to becomes 〓 with a warning.

Only a document whose non-ASCII text is almost all such letters, and which decodes back into
Chinese, is touched: a French or German quotation in a Chinese essay never is. Runs at
least two letters long only, as no Chinese character is one byte in UTF-8.
"""

from __future__ import annotations

import re

from .model import Repair, Report
from .mojibake import LOST_MARK

# Windows-1252's letters for bytes 0x80-0x9F; the other bytes are their Latin-1 letter.
_CP1252 = {
    ch: byte
    for byte in range(0x80, 0xA0)
    if (ch := bytes([byte]).decode("cp1252", errors="replace")) != "\ufffd"
}
_LETTERS = "".join(_CP1252) + "".join(map(chr, range(0x80, 0x100))) + "\ufffd"
RUN = re.compile(f"[{re.escape(_LETTERS)}]{{2,}}")
MIN_LETTERS = 12  # four Chinese characters' worth
MIN_SHARE = 0.9  # of the non-ASCII characters, in runs
MIN_HAN_SHARE = 0.5  # of what the runs decode to
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _bytes_of(run: str) -> bytes:
    # U+FFFD stands for a byte that is gone: 0xFF is never valid in UTF-8, so the character
    # it belonged to decodes to U+FFFD and becomes the lost mark.
    return bytes(_CP1252.get(ch, 0xFF if ch == "\ufffd" else ord(ch)) for ch in run)


_REPLACED = re.compile("\ufffd+")


def _decode(run: str) -> str:
    # a Chinese character is three bytes: a lost byte leaves up to three U+FFFD for it
    text = _bytes_of(run).decode("utf-8", errors="replace")
    return _REPLACED.sub(lambda m: LOST_MARK * -(-len(m.group()) // 3), text)


def redecode(text: str, report: Report) -> str:
    """The text with Windows-1252 mojibake decoded back, when the whole text has it."""
    if text.isascii():
        return text
    runs = RUN.findall(text)
    in_runs = sum(map(len, runs))
    # counted without a list of the characters: one string each was 30 times the file
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    if in_runs < MIN_LETTERS or in_runs < MIN_SHARE * non_ascii:
        return text
    decoded = {run: _decode(run) for run in set(runs)}
    recovered = "".join(decoded.values())
    if len(HAN.findall(recovered)) < MIN_HAN_SHARE * len(recovered):
        return text  # Latin-1 text that only looks like it: leave it
    lost = changed = 0
    lines = text.split("\n")
    for number, line in enumerate(lines):
        fixed = RUN.sub(lambda m: decoded[m.group()], line)
        if fixed != line:
            lost += fixed.count(LOST_MARK) - line.count(LOST_MARK)
            changed += 1
            report.repairs.append(Repair("misdecoded-utf8", line, fixed, number + 1))
            lines[number] = fixed
    report.count("lines decoded again from Windows-1252 mojibake", changed)
    report.warn("the text had been read as Windows-1252 and saved again; it was decoded back into Chinese")
    if lost:
        report.count("mojibake characters not recovered (〓)", lost)
        report.warn(f"{lost} characters lost in the Windows-1252 mojibake are marked 〓")
    return "\n".join(lines)
