"""Remove parenthesised pinyin annotations after CJK characters: 發(fā)展 -> 發展.

Some sites run text through a converter that puts the reading after characters, and the
annotations then travel with every copy. A genuine essay may also explain a reading once
(銀行(háng)), so annotations are removed only from documents that are dense with them.

An annotation is accepted only when
- it follows a Han character,
- it is one lowercase pinyin syllable carrying a tone mark (a toneless syllable is never
  accepted: every annotation in the samples has a tone mark, and toneless syllables collide
  with Latin: "(a)", "(an)", "(me)"),
- and that syllable is one of pypinyin's readings of the character.

The document is an annotated one when it has at least 3 such annotations, at least 10 per
1,000 Han characters, and at least 80% of them sit on traditional-only characters (發, 關, 學:
the converter's signature; every annotation in the samples does, 1,975 of 1,975 in seed 003).
An essay about polyphonic characters annotates 行, 长, 重, which both scripts share, so even a
dense one keeps its readings. Anything kept is counted as kept.

Damaged annotations (only in annotated documents; they come with GBK mojibake, see
mojibake.py) become repair hints instead of being dropped:
- `?pinyin)` and `?(pinyin)`: the character was lost (it became "?") and the "(" was often
  eaten with it. Replaced by LOST_HINT + pinyin + HINT_END, which mojibake.repair_mojibake
  always resolves: into a character with that reading, or into 〓.
- `樌M(jìn)`: an annotation after an ASCII letter or symbol that is really the trail byte of a
  mis-decoded GBK character. The letter stays; the annotation becomes READING_HINT + pinyin +
  HINT_END, telling mojibake.py the reading of the character that ends at that byte.
"""

from __future__ import annotations

import re
from functools import cache

from .model import Report

TONE_MARKS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
SYLLABLE = f"[a-zü{TONE_MARKS}]{{1,7}}"

# Private-use characters (GB18030 also maps GBK's user-defined characters there, so a hint is
# always the full pattern: marker, syllable, end mark; a lone U+E000 in the text is no hint).
LOST_HINT = "\ue000"  # a lost character whose reading is known
READING_HINT = "\ue002"  # the reading of the character that ends just before the hint
HINT_END = "\ue001"
HINTS = re.compile(f"([{LOST_HINT}{READING_HINT}])({SYLLABLE}){HINT_END}")
HAS_TONE = re.compile(f"[{TONE_MARKS}]")
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
TRAIL_BYTE_CHAR = re.compile(r"[\x40-\x7e]")  # a GBK trail byte that resynchronised as ASCII

ANNOTATION = re.compile(
    rf"\?\(?(?P<lost>{SYLLABLE})\)"  # ?pinyin) or ?(pinyin): a lost character
    rf"|\((?P<reading>{SYLLABLE})\)"  # (pinyin) after a character
)

MIN_ANNOTATIONS = 3
MIN_DENSITY = 10  # per 1,000 Han characters, with the traditional-only signature
MIN_TRADITIONAL_SHARE = 0.8


def strip_pinyin(text: str, report: Report) -> str:
    """Remove pinyin annotations from annotated documents. Keeps the number of lines."""
    if "(" not in text and "?" not in text:
        return text
    annotated = [m for m in ANNOTATION.finditer(text) if _annotates_character(m)]
    if not annotated:
        return text
    if not _is_annotated_document(text, annotated):
        report.count("pinyin annotations kept (too few to be a converter's)", len(annotated))
        return text
    return ANNOTATION.sub(lambda m: _strip_one(m, report), text)


def readings(character: str) -> tuple[str, ...]:
    """pypinyin's readings of one character, with tone marks (heteronyms included)."""
    return _readings_table().get(ord(character), ())


def is_syllable(text: str) -> bool:
    """A toned pinyin syllable that some character is read as."""
    return text in _syllables() and bool(HAS_TONE.search(text))


def _annotates_character(match: re.Match) -> bool:
    syllable = match.group("reading")
    if syllable is None or not HAS_TONE.search(syllable):
        return False
    start = match.start()
    return start > 0 and syllable in readings(match.string[start - 1])


def _is_annotated_document(text: str, annotated: list[re.Match]) -> bool:
    from .script import to_simplified

    if len(annotated) < MIN_ANNOTATIONS:
        return False
    han = len(HAN.findall(text))
    density = 1000 * len(annotated) / max(han, 1)
    if density < MIN_DENSITY:
        return False
    characters = "".join(m.string[m.start() - 1] for m in annotated)
    simplified = to_simplified(characters)
    traditional_only = sum(1 for a, b in zip(characters, simplified, strict=False) if a != b)
    return traditional_only >= MIN_TRADITIONAL_SHARE * len(annotated)


def _strip_one(match: re.Match, report: Report) -> str:
    lost = match.group("lost")
    if lost is not None:
        if not is_syllable(lost):
            return match.group()
        report.count("damaged pinyin annotations turned into repair hints")
        return f"{LOST_HINT}{lost}{HINT_END}"
    syllable = match.group("reading")
    start = match.start()
    before = match.string[start - 1] if start else ""
    if HAS_TONE.search(syllable) and syllable in readings(before):
        report.count("pinyin annotations removed")
        return ""
    if _after_trail_byte(match.string, start) and is_syllable(syllable):
        report.count("damaged pinyin annotations turned into repair hints")
        return f"{READING_HINT}{syllable}{HINT_END}"
    return match.group()


def _after_trail_byte(text: str, start: int) -> bool:
    """`樌M(jìn)`: a lone ASCII byte after a Han character, a hint or punctuation."""
    if start < 2 or not TRAIL_BYTE_CHAR.match(text[start - 1]):
        return False
    before = text[start - 2]
    if HAN.match(before) or before == HINT_END:
        return True
    # Full-width punctuation inside a run was NFKC folded to ASCII: `?,F(xiàn)`.
    return before.isascii() and not before.isalnum() and not before.isspace()


@cache
def _readings_table() -> dict[int, tuple[str, ...]]:
    from pypinyin.pinyin_dict import pinyin_dict

    return {code: tuple(value.split(",")) for code, value in pinyin_dict.items()}


@cache
def _syllables() -> frozenset[str]:
    return frozenset(s for values in _readings_table().values() for s in values)
