"""bytes -> str: find the encoding of a plain-text source file.

The cascade (see docs research §1):

1. a byte-order mark (UTF-32, UTF-8, UTF-16);
2. strict UTF-8;
3. BOM-less UTF-16, recognised by NUL bytes that sit almost all at odd (LE) or even (BE)
   offsets;
4. otherwise decode strictly as both GB18030 and Big5 and keep the candidate whose Chinese
   characters are more plausible (higher mean log-frequency in ``data/charfreq.txt``).

Step 4 exists because Big5 bytes nearly always decode without error as GB18030, so "try
GB18030, then Big5" never reaches Big5; plausibility is what separates them. GB text is
always labelled and decoded as "gb18030" (a superset of GB2312 and GBK).

A file cut off in the middle of its final multi-byte character (a truncated download or a
copy limited to N bytes) is refused: it is decoded leniently only to find its encoding, and
then reported, because a file that lost its end has probably lost more than one character
and an editor should fetch it again rather than publish a silently shortened text.
"""

from __future__ import annotations

import codecs
from functools import cache
from pathlib import Path

import numpy as np

from .chars import code_points
from .model import IngestError

CHARFREQ_PATH = Path(__file__).with_name("data") / "charfreq.txt"
UNKNOWN_HAN_SCORE = -200  # below every score in the table (the rarest kept is about -160)
PLAUSIBILITY_SAMPLE = 20_000  # characters; enough to tell GB from Big5, cheap on big files
MIN_UTF16_NULS = 2
UTF16_PARITY_SHARE = 0.7  # binary data spreads NULs about evenly
TEXTY_SHARE = 0.95
CONTROL_BYTE_SHARE = 0.01
COMMON_SCORE = -50  # ASCII and CJK punctuation: as likely as a common character
OTHER_SCORE = -120  # other letters and symbols (Latin with accents, kana, box drawing)
COMMON_TEXT_CHARS = frozenset("\u3000、。〈〉《》「」『』【】〔〕〖〗〃—…‘’“”·•●○■□▲△◆◇★☆※，：；（）？！")
TRUNCATION_REASONS = ("unexpected end of data", "incomplete multibyte sequence", "truncated data")

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)

# Strict Big5 first; Microsoft's cp950 adds a few characters that real Big5 files use.
LEGACY_CODECS = (("gb18030", "gb18030"), ("big5", "big5"), ("cp950", "big5"))

MAGIC_NUMBERS = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x7fELF", "a program"),
    (b"MZ", "a Windows program"),
)

# Control bytes that do occur in real text files: tab, LF, VT, FF, CR, SUB (DOS end of file), ESC.
TEXT_CONTROL_BYTES = frozenset(b"\t\n\x0b\x0c\r\x1a\x1b")
CONTROL_BYTES = bytes(b for b in range(0x20) if b not in TEXT_CONTROL_BYTES)


# Codec whose encoding reproduces the input length, for each label decode_bytes returns.
LENGTH_CODECS = {"big5": "cp950", "utf-8-sig": "utf-8-sig", "utf-16": "utf-16", "utf-32": "utf-32"}


def decode_bytes(data: bytes, name: str) -> tuple[str, str]:
    """Return (text, encoding name). Raise IngestError naming the file and the reason.

    Encoding names: "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32",
    "gb18030", "big5". A file cut off in the middle of its last character is refused (see
    the module docstring).
    """
    text, label = _detect(data, name)
    if len(text.encode(LENGTH_CODECS.get(label, label), errors="replace")) < len(data):
        raise IngestError(
            name, f"the text is cut off in the middle of its last character (a truncated {label} file?)"
        )
    return text, label


def _detect(data: bytes, name: str) -> tuple[str, str]:
    if not data:
        raise IngestError(name, "the file is empty")
    for bom, codec, label in BOMS:
        if data.startswith(bom):
            return _decode_with_bom(data[len(bom) :], codec, label, name)
    magic = _magic_kind(data)
    if magic:
        raise IngestError(name, f"looks like binary data ({magic})")
    # NUL and other control bytes are valid UTF-8 but never text; check them first.
    if b"\x00" in data:
        return _decode_utf16_by_parity(data, name)
    if _control_share(data) > CONTROL_BYTE_SHARE:
        raise IngestError(name, "looks like binary data (many control bytes)")
    text = _decode_lenient_end(data, "utf-8")
    if text is not None:
        return text, "utf-8"
    return _decode_chinese_legacy(data, name)


def char_scores() -> dict[str, int]:
    """Character -> rounded 10·ln(relative frequency), simplified and traditional forms alike."""
    return _load_char_scores()


@cache
def _load_char_scores() -> dict[str, int]:
    scores: dict[str, int] = {}
    for line in CHARFREQ_PATH.read_text(encoding="utf-8").splitlines():
        score, _, chars = line.partition("\t")
        for ch in chars:
            scores[ch] = int(score)
    return scores


def plausibility(text: str) -> float:
    """Mean per-character score of the first characters: Han characters by log-frequency,
    ordinary text characters as common, private-use and control characters as impossible."""
    sample = text[:PLAUSIBILITY_SAMPLE]
    if not sample:
        return float("-inf")
    points = code_points(sample)
    if points.max() >= len(_score_table()):  # beyond the BMP: score it character by character
        return sum(map(_char_score, sample)) / len(sample)
    return int(_score_table()[points].sum(dtype=np.int64)) / len(sample)


def _char_score(ch: str) -> int:
    if _is_han(ch):
        return _load_char_scores().get(ch, UNKNOWN_HAN_SCORE)
    if ch < "\x7f" or ch in COMMON_TEXT_CHARS:
        return COMMON_SCORE if ch.isprintable() or ch in "\t\n\r" else UNKNOWN_HAN_SCORE
    if "\ue000" <= ch <= "\uf8ff" or not ch.isprintable():
        return UNKNOWN_HAN_SCORE
    return OTHER_SCORE


@cache
def _score_table() -> np.ndarray:
    """_char_score of every character of the Basic Multilingual Plane, by code point."""
    return np.array([_char_score(chr(c)) for c in range(0x10000)], dtype=np.int32)


def _decode_with_bom(body: bytes, codec: str, label: str, name: str) -> tuple[str, str]:
    text = _decode_lenient_end(body, codec)
    if text is None:
        raise IngestError(name, f"starts with a {label.upper()} byte-order mark but is not valid {label}")
    if not text:
        raise IngestError(name, "the file is empty (nothing after the byte-order mark)")
    return text, label


def _decode_lenient_end(data: bytes, codec: str) -> str | None:
    """Strict decode; a multi-byte character cut off at the very end is dropped."""
    try:
        return data.decode(codec)
    except UnicodeDecodeError as error:
        cut_at_end = error.end == len(data) and error.reason in TRUNCATION_REASONS
        if not cut_at_end:
            return None
        try:
            return data[: error.start].decode(codec)
        except UnicodeDecodeError:
            return None


def _magic_kind(data: bytes) -> str | None:
    for magic, kind in MAGIC_NUMBERS:
        if data.startswith(magic):
            return kind
    return None


def _decode_utf16_by_parity(data: bytes, name: str) -> tuple[str, str]:
    """UTF-16 without a BOM: ASCII (and a few CJK characters such as 一 U+4E00) carry a NUL
    byte, at odd offsets in little-endian and even offsets in big-endian text. Short samples
    can be ambiguous, so both byte orders are decoded and the more plausible text wins."""
    even = data[0::2].count(0)
    odd = data[1::2].count(0)
    nuls = even + odd
    candidates = []
    if nuls >= MIN_UTF16_NULS and max(even, odd) >= UTF16_PARITY_SHARE * nuls:
        candidates.append("utf-16-le" if odd > even else "utf-16-be")
    elif nuls >= MIN_UTF16_NULS:
        candidates.extend(("utf-16-le", "utf-16-be"))
    decoded = []
    for codec in candidates:
        text = _decode_lenient_end(data[: len(data) - len(data) % 2], codec)
        if text is not None and _texty_share(text) >= TEXTY_SHARE:
            decoded.append((text, codec))
    if not decoded:
        raise IngestError(name, f"looks like binary data ({nuls} NUL bytes, not UTF-16 text)")
    return max(decoded, key=lambda candidate: plausibility(candidate[0]))


def _texty_share(text: str) -> float:
    """Share of characters that plain text is made of: printable, whitespace, CJK."""
    sample = text[:PLAUSIBILITY_SAMPLE]
    texty = sum(1 for ch in sample if ch.isprintable() or ch in "\t\n\r\u3000")
    return texty / len(sample) if sample else 0.0


def _control_share(data: bytes) -> float:
    sample = data[:65536]
    controls = len(sample) - len(sample.translate(None, CONTROL_BYTES))
    return controls / len(sample) if sample else 0.0


def _decode_chinese_legacy(data: bytes, name: str) -> tuple[str, str]:
    candidates: dict[str, str] = {}
    for codec, label in LEGACY_CODECS:
        if label not in candidates:
            text = _decode_lenient_end(data, codec)
            if text is not None:
                candidates[label] = text
    if not candidates:
        raise IngestError(name, "not valid UTF-8, UTF-16, GB18030 or Big5")
    # max() keeps the first of equals, so GB18030 wins ties (it is far more common here).
    label, text = max(candidates.items(), key=lambda item: plausibility(item[1]))
    return text, label


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff"
