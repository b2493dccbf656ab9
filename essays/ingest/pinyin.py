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
1,000 Han characters, and at least 80% of them sit on characters the two scripts write
differently (發/发, 關/关, 學/学: the converter's signature, as it annotates what it converted;
every annotation in the samples does, 1,975 of 1,975 in seed 003, and a copy of such a page
converted back to Simplified keeps the signature: 关(guān), 乡(xiāng)). An essay about
polyphonic characters annotates 行, 重, 得, which both scripts share, so even a dense one
keeps its readings. Anything kept is counted as kept.

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

import json
import re
from collections import Counter
from functools import cache
from pathlib import Path
from typing import NamedTuple

from .chars import range_class
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
HAN_CHARS = range_class((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))  # the same, counted
TRAIL_BYTE_CHAR = re.compile(r"[\x40-\x7e]")  # a GBK trail byte that resynchronised as ASCII

ANNOTATION = re.compile(
    rf"\?\(?(?P<lost>{SYLLABLE})\)"  # ?pinyin) or ?(pinyin): a lost character
    rf"|\((?P<reading>{SYLLABLE})\)"  # (pinyin) after a character
)
# the same matches as one group, for re.split
ANNOTATION_SPLIT = re.compile(rf"(\?\(?{SYLLABLE}\)|\({SYLLABLE}\))")

# An annotation a hard wrap broke ("經(jī" / "ng)濟", "經" / "(jīng)濟"): the line break moves
# to after it, so the annotation is judged whole and the line count stays the same.
_LETTER = f"[a-zü{TONE_MARKS}]"
BROKEN_ANNOTATION = re.compile(
    rf"(?<=[^\n])\n(\({_LETTER}{{1,7}}\))|(\({_LETTER}{{0,7}})\n({_LETTER}{{0,7}}\))"
)


def _mend(match: re.Match) -> str:
    whole = match.group(1) or match.group(2) + match.group(3)
    return whole + "\n" if is_syllable(whole[1:-1]) else match.group(0)


MIN_ANNOTATIONS = 3
MIN_DENSITY = 10  # per 1,000 Han characters, with the converter's signature
MIN_CONVERTED_SHARE = 0.8


def strip_pinyin(text: str, report: Report) -> str:
    """Remove pinyin annotations from annotated documents. Keeps the number of lines."""
    if "(" not in text and "?" not in text:
        return text
    # split (one group: the whole match) gives the text between matches at the even places
    # and the matches at the odd ones, at C speed; a match is judged by what it is and the
    # two characters before it (see _verdict), each distinct one once.
    original = text
    if "\n" in text:
        text = BROKEN_ANNOTATION.sub(_mend, text)
    pieces = ANNOTATION_SPLIT.split(text)
    if len(pieces) == 1:
        return original
    matches = pieces[1::2]
    befores = [_two_before(pieces, i) for i in range(1, len(pieces), 2)]
    verdicts = list(map(_verdict, befores, matches))
    annotated = [v.annotates for v in verdicts]
    if not any(annotated):
        return original
    if not _is_annotated_document(text, pieces, annotated):
        report.count("pinyin annotations kept (too few to be a converter's)", sum(annotated))
        return original
    actions: Counter[str] = Counter()
    for i, verdict in enumerate(verdicts):
        if verdict.action is not None:
            actions[verdict.action] += 1
            pieces[2 * i + 1] = verdict.replacement
    for action, n in actions.items():
        report.count(action, n)
    return "".join(pieces)


def _two_before(pieces: list[str], i: int) -> str:
    """The (up to) two characters of the text before the match at pieces[i]."""
    before = pieces[i - 1]
    if len(before) < 2 and i > 1:  # a match just before: its last character counts
        before = (pieces[i - 2] + before)[-2:]
    return before[-2:]


class _Verdict(NamedTuple):
    annotates: bool  # an annotation of the character before it (counts for the document test)
    replacement: str  # what the match becomes in an annotated document
    action: str | None  # what the report counts when it changes (None: left as it is)


def _verdict(before: str, annotation: str) -> _Verdict:
    """Judge one ANNOTATION match from the (up to) two characters before it. Memoised: a
    document repeats the same annotated characters; the memo is emptied when it grows large."""
    key = (before, annotation)
    verdict = _VERDICTS.get(key)
    if verdict is None:
        if len(_VERDICTS) >= VERDICT_MEMO_LIMIT:
            _VERDICTS.clear()
        # the pattern has no lookaround: it matches the same way in this short string
        match = ANNOTATION.match(before + annotation, len(before))
        replacement, action = _strip_one(match)
        verdict = _VERDICTS[key] = _Verdict(_annotates_character(match), replacement, action)
    return verdict


VERDICT_MEMO_LIMIT = 100_000
_VERDICTS: dict[tuple[str, str], _Verdict] = {}


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


def _is_annotated_document(text: str, pieces: list[str], annotated: list[bool]) -> bool:
    """`pieces`: the text split at ANNOTATION matches; `annotated`: which of those matches
    annotate the character before them (which always ends the piece before: see _verdict)."""
    from .script import to_simplified, to_traditional

    found = sum(annotated)
    if found < MIN_ANNOTATIONS:
        return False
    han = HAN_CHARS.count(text)
    density = 1000 * found / max(han, 1)
    if density < MIN_DENSITY:
        return False
    characters = "".join(pieces[2 * i][-1] for i, yes in enumerate(annotated) if yes)
    converted = sum(
        1
        for c, simplified, traditional in zip(
            characters, to_simplified(characters), to_traditional(characters), strict=False
        )
        if c != simplified or c != traditional
    )
    return converted >= MIN_CONVERTED_SHARE * found


def _strip_one(match: re.Match) -> tuple[str, str | None]:
    """The replacement of one annotation and the action the report counts (None: kept)."""
    lost = match.group("lost")
    if lost is not None:
        if not is_syllable(lost):
            return match.group(), None
        return f"{LOST_HINT}{lost}{HINT_END}", "damaged pinyin annotations turned into repair hints"
    syllable = match.group("reading")
    start = match.start()
    before = match.string[start - 1] if start else ""
    if before and HAS_TONE.search(syllable) and syllable in readings(before):
        return "", "pinyin annotations removed"
    if _after_trail_byte(match.string, start) and is_syllable(syllable):
        return f"{READING_HINT}{syllable}{HINT_END}", "damaged pinyin annotations turned into repair hints"
    return match.group(), None


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
    return {int(code): tuple(value.split(",")) for code, value in _pinyin_dict().items()}


def _pinyin_dict() -> dict:
    """pypinyin's character table ({code point: "reading,reading"}), read from its JSON file
    when it is there: importing pypinyin also loads its phrase tables (0.2 s per worker)."""
    from importlib.util import find_spec

    path = Path(find_spec("pypinyin").origin).with_name("pinyin_dict.json")
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    from pypinyin.pinyin_dict import pinyin_dict

    return pinyin_dict


@cache
def _syllables() -> frozenset[str]:
    return frozenset(s for values in _readings_table().values() for s in values)
