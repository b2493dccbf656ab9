"""Repair GBK byte-misalignment mojibake (docs research §2).

What happened to the damaged documents: the text was GBK, a decoder lost one byte, and from
there on every character it produced was made of the trail byte of one original character and
the lead byte of the next (`當地的報刊` -> `數氐膱罂`). The run ends where a trail byte happens
to be ASCII (0x40-0x7E) and the decoder resynchronises: the stray `F`, `r`, `^`, `M` after a
run is the last original character's trail byte. Inside runs, full-width punctuation became
ASCII (NFKC upstream: `！` -> `!`), characters the site could not represent became `?` (which
sometimes ate the following `(` of a pinyin annotation), and pairs from GBK's user-defined
areas were silently dropped.

The repair re-reads the damaged span one byte over. Each window of a line around damage
signals (a `?`, a lone ASCII byte next to Han characters, a pinyin hint left by
pinyin.strip_pinyin) is decoded with a beam search over two modes: "aligned" (a character is
what it shows) and "shifted" (its bytes belong half to the previous and half to the next
original character). Unknown bytes (a lost lead byte, a `?`, a dropped pair) are enumerated
among the values that give real characters (the commonest ones, and those that make a word
with the character before); pinyin hints restrict them to characters with that reading. Paths
are scored with a word unigram model over jieba's dictionary (the best segmentation, as jieba's
own route; traditional characters are looked up through OpenCC t2s), plus penalties for
starting a run, for every byte chosen freely, for inventing a dropped pair, for a character of
the other script than the document's, and for giving up (〓). The damaged reading is always
one of the paths, so text changes only where a repaired reading is far more plausible.

Gated at document level: only documents with pinyin hints or with very rare characters next to
damage signals are searched, so clean documents pay one pass over their distinct characters and
come out identical. Every change is recorded as a Repair(before, after, line).
"""

from __future__ import annotations

import heapq
import math
import re
import unicodedata
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import NamedTuple

from .decode import char_scores
from .model import Repair, Report
from .pinyin import HINTS, LOST_HINT, READING_HINT, readings

LOST_MARK = "〓"  # GETA MARK: a character that was there and could not be recovered

HAN_RANGE = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN = re.compile(f"[{HAN_RANGE}]")
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
CONTEXT_BEFORE = 28  # window tokens before a signal: runs are rarely longer
CONTEXT_AFTER = 6
RUN_MARGIN = 2  # tokens kept before the well-read stretch that bounds a run
CONTEXT_CHARS = 3  # characters either side of a window that words may span

BEAM = 8
CANDIDATES = 8  # characters tried for one unknown byte, the most frequent first
DROPPED_CANDIDATES = 6
EXPLORE = 4  # only the best states of the beam try dropped pairs, the costliest reading
MAX_WORD = 4
# Entries of the model's caches (some 300 bytes each) a worker keeps between documents: a
# million held some 300 MB in a process that parses document after document.
CACHE_LIMIT = 100_000
STEP_CACHE = 20_000  # entries of the word-step memo, within a document too

# Scores are natural-log probabilities; the constants are in the same unit.
RUN_START_PENALTY = 9.0
# A lost character whose hinted reading fits the bytes around it (first byte = the previous
# character's trail byte) starts a run far more often than chance would make it fit.
HINTED_RUN_START_PENALTY = 4.0
# A "?" next to damage is evidence of a lost character, unlike a visible character.
QUESTION_RUN_START_PENALTY = 6.0
# Every byte the search chooses freely could have been any of ~130 values: a reading that needs
# many free bytes explains little (else "张犇?" could become anything common, such as "张麪目").
FREE_BYTE_PENALTY = 4.5
DROPPED_PAIR_PENALTY = 6.0
STRAY_BYTE_PENALTY = 4.0
LOST_MARK_PENALTY = 14.0
CHARACTER_BONUS = 6.0  # per character produced, so that dropping characters is no gain
HINT_MATCH_BONUS = 3.0
HINT_MISMATCH_PENALTY = 9.0
OTHER_SCRIPT_PENALTY = 3.0
QUESTION_MARK_LOGP = -9.0  # a "?" next to damage is far more often a lost character
ASCII_LETTER_LOGP = -12.0  # a lone letter or symbol between Han characters
UNKNOWN_LOGP = -17.0  # a character jieba's dictionary does not have as a word
OTHER_SYMBOL_LOGP = -11.0
STRAY_SYMBOLS = frozenset("^`|~@\\")  # never brackets: they come in pairs in real text
PUNCTUATION_RUN_START_PENALTY = 3.0  # a visible ASCII mark is rarely the first character of a run
FULL_WIDTH_QUESTION = (0xA3, 0xBF)
DROPPED_ROWS = frozenset((*range(0xAA, 0xB0), *range(0xF8, 0xFF)))

# Punctuation is absent from jieba's dictionary; rough log-frequencies in Chinese prose.
PUNCTUATION_LOGP = {
    "，": -2.8, "。": -3.3, "、": -4.5, "“": -4.8, "”": -4.8, "：": -6.0, "；": -6.5, "？": -6.0,
    "！": -6.0, "《": -6.5, "》": -6.5, "（": -7.0, "）": -7.0, "…": -7.5, "—": -7.5, "‘": -8.5,
    "’": -8.5, "·": -8.5, "「": -8.5, "」": -8.5, "【": -8.5, "】": -8.5,
}  # fmt: skip
FULL_WIDTH_TO_ASCII = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}


def repair_mojibake(text: str, report: Report) -> str:
    """Gated: touches only documents that show damage. Keeps the number of lines.

    Resolves every hint pinyin.strip_pinyin left: into a repaired character or into 〓."""
    has_hints = (LOST_HINT in text or READING_HINT in text) and HINTS.search(text)
    if not has_hints and not _looks_damaged(text):
        return text
    shared = _Model.get()
    shared.trim_caches()
    style = _Style(
        traditional=_is_traditional(text),
        # Sources folded by NFKC upstream have no full-width ，; repaired text follows suit.
        ascii_punctuation="，" not in text and "：" not in text,
    )
    model = _DocumentModel(shared, shared.traditional_set if style.traditional else shared.simplified_set)
    lines = text.split("\n")
    unrecovered = 0
    for number, line in enumerate(lines):
        if SIGNAL.search(line):
            lines[number], lost = _repaired_line(line, number + 1, model, style, report)
            unrecovered += lost
        if HINTS.search(lines[number]):  # never let a hint through
            lines[number], lost = _drop_hints(lines[number], number + 1, report)
            unrecovered += lost
    if unrecovered:
        report.count("mojibake characters not recovered (〓)", unrecovered)
        report.warn(
            f"{unrecovered} damaged character(s) could not be recovered and are marked {LOST_MARK}; "
            "compare with the source"
        )
    return "\n".join(lines)


def _drop_hints(line: str, number: int, report: Report) -> tuple[str, int]:
    """Hints outside any window: a lost character becomes 〓, a reading hint goes."""
    lost = 0

    def resolve(match: re.Match) -> str:
        nonlocal lost
        if match.group(1) != LOST_HINT:
            return ""
        lost += 1
        report.repairs.append(Repair("unrecoverable", f"?({match.group(2)})", LOST_MARK, number))
        return LOST_MARK

    return HINTS.sub(resolve, line), lost


# --- the document gate ----------------------------------------------------------------------


def _looks_damaged(text: str) -> bool:
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


SEARCH_CACHE_LIMIT = 200_000  # memo entries kept between documents (about 100 MB at most)


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


def _is_traditional(text: str) -> bool:
    from .script import TRADITIONAL, detect_script

    # hints hold no Han character: only where they would push text out of the sample do they count
    sample = text if len(text) <= 20000 else HINTS.sub("", text)[:20000]
    return detect_script(sample) == TRADITIONAL


class _DocumentModel:
    """The shared model seen from the document's script: which characters are the other
    script's. (That depends on the script alone; the view is cheap to make per document.)"""

    def __init__(self, model: _Model, other_script: frozenset[str]) -> None:
        self._model = model
        # Characters of the script the document is not in, penalised in a repair: a
        # traditional text's repair should not produce 业. Only the document's script decides
        # it, not the characters the document happens to contain, so a window searched in
        # one document is reused in every document with the same damaged line (see
        # _decode_window). Measured on 2,000 recombined seed documents: one window read
        # differently (both readings wrong), 28 % less parse time.
        self.other_script = other_script

    def __getattr__(self, name: str):
        value = getattr(self._model, name)
        setattr(self, name, value)  # later lookups skip __getattr__
        return value


@dataclass(frozen=True)
class _Style:
    traditional: bool
    ascii_punctuation: bool


# --- tokens ---------------------------------------------------------------------------------

ASCII_BYTE = re.compile("[!->@-~]")  # printable ASCII but "?": tokens that depend on neighbours
CHAR, ASCII, QUESTION, LOST, READING, OTHER = "char", "ascii", "question", "lost", "reading", "other"


class _Token(NamedTuple):  # a tuple: built, hashed and compared at C speed
    kind: str
    text: str  # what the line shows
    pair: tuple[int, int] | None = None  # its two GBK bytes (ASCII: its full-width form's)
    hint: str | None = None  # pinyin of a lost character / of the character ending here
    trail: bool = False  # an ASCII byte that can be the trail byte ending a run


def _tokenize(line: str, model: _Model) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    for match in HINTS.finditer(line):
        tokens.extend(_plain_tokens(line, position, match.start(), model))
        kind = LOST if match.group(1) == LOST_HINT else READING
        tokens.append(_Token(kind, match.group(), hint=match.group(2)))
        position = match.end()
    tokens.extend(_plain_tokens(line, position, len(line), model))
    return tokens


def _plain_tokens(line: str, start: int, end: int, model: _Model) -> list[_Token]:
    """One token per character. Only printable ASCII needs its neighbours; every other
    character's token is always the same one, looked up."""
    tokens = list(map(model.char_tokens.__getitem__, line[start:end]))
    for match in ASCII_BYTE.finditer(line, start, end):
        tokens[match.start() - start] = _ascii_token(line, match.start(), model)
    return tokens


class _CharTokens(dict):
    """Character -> its token, for characters whose token does not depend on the line."""

    def __init__(self, by_char: dict[str, tuple[int, int]]) -> None:
        super().__init__()
        self.by_char = by_char

    def __missing__(self, ch: str) -> _Token:
        if ch == "?":
            token = _Token(QUESTION, ch)
        else:
            pair = self.by_char.get(ch)
            token = _Token(CHAR if pair else OTHER, ch, pair)
        self[ch] = token
        return token


def _ascii_token(line: str, i: int, model: _Model) -> _Token:
    """A letter can be a run's last trail byte only when it stands alone: `XX`, `__`, `A股`
    and `3.5` are real text. Punctuation inside a run is a full-width mark NFKC folded."""
    ch = line[i]
    if ch.isdigit() or (_word_character(ch) and (_word_at(line, i - 1) or _word_at(line, i + 1))):
        return _Token(OTHER, ch)
    pair = None if ch.isalpha() else model.full_width_pair(ch)
    return _Token(ASCII, ch, pair, trail="\x40" <= ch <= "\x7e")


def _word_character(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch == "_")


def _word_at(line: str, i: int) -> bool:
    return 0 <= i < len(line) and _word_character(line[i])


def _shown(token: _Token) -> str:
    """How a token reads in a Repair record: hints as the annotation they came from."""
    if token.kind == LOST:
        return f"?({token.hint})"
    if token.kind == READING:
        return f"({token.hint})"
    return token.text


# --- the model ------------------------------------------------------------------------------


class _Model:
    """GBK tables and jieba's word frequencies. Built once per process, when first needed."""

    _instance: _Model | None = None

    @classmethod
    def get(cls) -> _Model:
        if cls._instance is None:
            cls._instance = cls()
        cls._instance.bound_memory()
        return cls._instance

    def bound_memory(self, limit: int = SEARCH_CACHE_LIMIT) -> None:
        """Forget search memos once they hold `limit` entries: an importer parses documents
        by the thousand, and memory must stay flat however many it reads."""
        memos = (
            self._dropped_cache,
            self._steps,
            self._candidate_cache,
            self._first_cache,
            self._possible_cache,
            self.windows,
            self.lines,
        )
        if sum(len(m) for m in memos) > limit:
            for memo in memos:
                memo.clear()

    def __init__(self) -> None:
        self.by_pair: dict[tuple[int, int], str] = {}
        self.by_char: dict[str, tuple[int, int]] = {}
        self.dropped_after: dict[int, frozenset[int]] = {}
        self._read_gbk()
        self.char_tokens = _CharTokens(self.by_char)
        self.simplified = _script_map(self.by_char, "to_simplified")
        self.traditional = _script_map(self.by_char, "to_traditional")
        # the keys of both maps as sets: the characters t2s changes, those s2t changes
        self.simplified_set = frozenset(self.simplified)
        self.traditional_set = frozenset(self.traditional)
        self.words = _jieba_words()
        self.single = {ch: self._single_logp(ch) for ch in self.by_char}
        # Candidates for an unknown byte are ranked by how common the character is in any
        # word (育 is rare alone but common in 教育), not by its frequency as a word.
        frequency = char_scores()
        self.rank = {ch: self._rank(ch, frequency) for ch in self.by_char}
        self.trails_of_lead = self._most_frequent(lambda lead, trail: (lead, trail))
        self.leads_of_trail = self._most_frequent(lambda lead, trail: (trail, lead))
        self.reading_chars = self._chars_by_reading()
        self._dropped_cache: dict[tuple, list[tuple[float, str, str]]] = {}
        self._steps: dict[tuple[str, str], tuple] = {}
        self._candidate_cache: dict[tuple, list[str]] = {}
        self._rows: dict[tuple[str, int], dict[str, str]] = {}
        self._seconds: dict[int, list[tuple[str, int, str]]] = {}
        self._next_chars: dict[str, dict[str, float]] | None = None
        self._previous_chars: dict[str, dict[str, float]] | None = None
        self._first_cache: dict[int, list[tuple[int, str]]] = {}
        self._possible_cache: dict[tuple, dict[str, str]] = {}
        # Readings of windows already searched: damaged fragments recur (see _decode_window).
        self.windows: dict[tuple, str] = {}
        self.lines: dict[tuple, tuple[str, int, tuple[Repair, ...]]] = {}  # _repaired_line

    def _read_gbk(self) -> None:
        dropped: dict[int, set[int]] = {}
        for lead in range(0x81, 0xFF):
            for trail in (*range(0x40, 0x7F), *range(0x80, 0xFF)):
                try:
                    ch = bytes((lead, trail)).decode("gbk")
                except UnicodeDecodeError:
                    ch = None
                # The damaged sites' decoder dropped unassigned pairs and every pair in the
                # rows of GBK's user-defined areas (AA-AF, F8-FE), assigned or not. The
                # second byte of a dropped pair is the next original character's lead byte.
                if (ch is None or lead in DROPPED_ROWS) and trail >= 0x81:
                    dropped.setdefault(lead, set()).add(trail)
                if ch is not None:
                    self.by_pair[(lead, trail)] = ch
                    self.by_char.setdefault(ch, (lead, trail))
        self.dropped_after = {lead: frozenset(trails) for lead, trails in dropped.items()}

    def _single_logp(self, ch: str) -> float:
        if ch in PUNCTUATION_LOGP:
            return PUNCTUATION_LOGP[ch]
        folded = unicodedata.normalize("NFKC", ch)
        if folded in PUNCTUATION_ASCII:
            return PUNCTUATION_LOGP[PUNCTUATION_ASCII[folded]]
        logp = self.words.get(self.simplified.get(ch, ch))
        if logp is not None:
            return logp
        return UNKNOWN_LOGP if HAN.match(ch) else OTHER_SYMBOL_LOGP

    def _rank(self, ch: str, frequency: dict[str, int]) -> float:
        if ch in PUNCTUATION_LOGP or unicodedata.normalize("NFKC", ch) in PUNCTUATION_ASCII:
            return self.single[ch]
        return frequency.get(ch, -300) / 10

    def _most_frequent(self, split) -> dict[int, list[tuple[int, str]]]:
        table: dict[int, list[tuple[float, int, str]]] = {}
        for (lead, trail), ch in self.by_pair.items():
            key, other = split(lead, trail)
            table.setdefault(key, []).append((self.rank[ch], other, ch))
        return {k: [(b, ch) for _, b, ch in sorted(v, reverse=True)[:CANDIDATES]] for k, v in table.items()}

    def _chars_by_reading(self) -> dict[str, list[str]]:
        table: dict[str, list[str]] = {}
        for ch in self.by_char:
            if HAN.match(ch):
                for reading in readings(ch):
                    table.setdefault(reading, []).append(ch)
        return {r: sorted(chars, key=self.rank.get, reverse=True) for r, chars in table.items()}

    def with_trail(self, trail: int, previous: str) -> list[str]:
        """Candidates for (unknown lead, trail): the commonest characters, and those that make
        a word with the character before (事 + 宜 = 事宜, however rare 宜 is alone)."""
        return self._candidates("trail", trail, previous)

    def with_lead(self, lead: int, previous: str) -> list[str]:
        """Candidates for (lead, unknown trail); see with_trail."""
        return self._candidates("lead", lead, previous)

    def _candidates(self, side: str, byte: int, previous: str) -> list[str]:
        key = (side, byte, previous)
        cached = self._candidate_cache.get(key)
        if cached is None:
            common = self.leads_of_trail if side == "trail" else self.trails_of_lead
            cached = [ch for _, ch in common.get(byte, ())]
            following = self.next_chars().get(previous, {})
            if following:
                row = self._row(side, byte)
                words = sorted(following.keys() & row.keys(), key=following.get, reverse=True)
                cached += [row[simple] for simple in words[:CANDIDATES] if row[simple] not in cached]
            self._candidate_cache[key] = cached
        return cached

    def _row(self, side: str, byte: int) -> dict[str, str]:
        """Simplified form -> character, for every character with that lead or trail byte."""
        key = (side, byte)
        row = self._rows.get(key)
        if row is None:
            pairs = ((byte, other) if side == "lead" else (other, byte) for other in range(0x40, 0xFF))
            row = {}
            for pair in pairs:
                ch = self.by_pair.get(pair)
                if ch is not None:
                    row.setdefault(self.simple(ch), ch)
            self._rows[key] = row
        return row

    def trim_caches(self) -> None:
        """Caches fill up with each damaged document; a long-lived process empties them."""
        sizes = (
            len(self._steps)
            + len(self._dropped_cache)
            + len(self._candidate_cache)
            + len(self.windows)
            + len(self.lines)
        )
        if sizes > CACHE_LIMIT:
            self.windows.clear()
            self.lines.clear()
            self._steps.clear()
            self._dropped_cache.clear()
            self._candidate_cache.clear()

    def pair(self, ch: str) -> tuple[int, int] | None:
        return self.by_char.get(ch)

    def full_width_pair(self, ch: str) -> tuple[int, int] | None:
        return self.by_char.get(chr(ord(ch) + 0xFEE0))

    def char(self, lead: int, trail: int) -> str | None:
        return self.by_pair.get((lead, trail))

    def simple(self, ch: str) -> str:
        return self.simplified.get(ch, ch)

    def dropped_between(self, lead: int, trail: int, successor: str | None) -> list[tuple[str, str]]:
        """Character pairs (lead+x, y+trail) around a dropped pair (x, y), likeliest first.

        The best evidence is a word: the two characters are adjacent, and the second is
        followed by `successor` when the next original character is known."""
        options = list(self._dropped_by_words(lead, trail))
        if successor:
            options += self._dropped_before(lead, trail, self.simple(successor))
        options.sort(reverse=True)
        return [(first, second) for _, first, second in options[:DROPPED_CANDIDATES]]

    def _firsts(self, lead: int) -> list[tuple[int, str]]:
        """(x, lead+x) for every x that can begin a dropped pair."""
        cached = self._first_cache.get(lead)
        if cached is None:
            cached = self._first_cache[lead] = [
                (x, ch) for x in self.dropped_after if (ch := self.by_pair.get((lead, x))) is not None
            ]
        return cached

    def _dropped_by_words(self, lead: int, trail: int) -> list[tuple[float, str, str]]:
        key = (lead, trail)
        cached = self._dropped_cache.get(key)
        if cached is None:
            options = []
            seconds = self._seconds_with_trail(trail)
            for x, first in self._firsts(lead):
                ys = self.dropped_after[x]
                possible = self._possible_seconds(trail, ys, seconds)
                following = self.next_chars().get(self.simple(first), {})
                for simple in following.keys() & possible.keys():
                    options.append((following[simple], first, possible[simple]))
                for _, y, ch in seconds[:3]:
                    if y in ys:
                        options.append((self.rank[first] + self.rank[ch] - 10, first, ch))
            options.sort(reverse=True)
            cached = self._dropped_cache[key] = options[:DROPPED_CANDIDATES]
        return cached

    def _possible_seconds(self, trail: int, ys: frozenset, seconds) -> dict[str, str]:
        key = (trail, ys)
        cached = self._possible_cache.get(key)
        if cached is None:
            cached = self._possible_cache[key] = {simple: ch for simple, y, ch in seconds if y in ys}
        return cached

    def _dropped_before(self, lead: int, trail: int, successor: str) -> list[tuple[float, str, str]]:
        """Dropped-pair readings whose second character makes a word with `successor`."""
        key = (lead, trail, successor)
        cached = self._dropped_cache.get(key)
        if cached is None:
            options = []
            preceding = self.previous_chars().get(successor, {})
            firsts = sorted(self._firsts(lead), key=lambda item: self.rank[item[1]], reverse=True)
            for simple, y, ch in self._seconds_with_trail(trail):
                if simple in preceding:
                    for x, first in firsts:
                        if y in self.dropped_after[x]:
                            options.append((preceding[simple], first, ch))
                            break
            options.sort(reverse=True)
            cached = self._dropped_cache[key] = options[:DROPPED_CANDIDATES]
        return cached

    def _seconds_with_trail(self, trail: int) -> list[tuple[str, int, str]]:
        """(simplified, lead, character) of every character with that trail byte, commonest first."""
        cached = self._seconds.get(trail)
        if cached is None:
            found = [
                (self.rank[ch], lead, ch)
                for lead in range(0x81, 0xFF)
                if (ch := self.by_pair.get((lead, trail)))
            ]
            cached = self._seconds[trail] = [
                (self.simple(ch), lead, ch) for _, lead, ch in sorted(found, reverse=True)
            ]
        return cached

    def next_chars(self) -> dict[str, dict[str, float]]:
        """First character -> {second character: log-frequency} of two-character words."""
        if self._next_chars is None:
            self._build_two_character_words()
        return self._next_chars

    def previous_chars(self) -> dict[str, dict[str, float]]:
        """Second character -> {first character: log-frequency} of two-character words."""
        if self._previous_chars is None:
            self._build_two_character_words()
        return self._previous_chars

    def _build_two_character_words(self) -> None:
        following: dict[str, dict[str, float]] = {}
        preceding: dict[str, dict[str, float]] = {}
        for word, logp in self.words.items():
            if len(word) == 2:
                following.setdefault(word[0], {})[word[1]] = logp
                preceding.setdefault(word[1], {})[word[0]] = logp
        self._next_chars, self._previous_chars = following, preceding

    def _step_entry(self, tail: str, ch: str) -> tuple[str, tuple, float]:
        """What extending `tail` by `ch` needs: the new tail, the words ending at `ch` (how far
        back they start, their score) and `ch` on its own."""
        simple = self.simplified.get(ch, ch)
        matches = []
        for k in range(1, len(tail) + 1):
            score = self.words.get(tail[-k:] + simple)
            if score is not None:
                matches.append((k + 1, score))
        single = self.single.get(ch)
        if single is None:  # ASCII and characters GBK lacks
            single = self.single[ch] = self._single_logp(ch)
        return (tail + simple)[-(MAX_WORD - 1) :], tuple(matches), single

    def step(self, tail: str, bests: tuple, ch: str, logp: float | None = None):
        """Extend the best word segmentation by one character (jieba's route, left to right).

        `tail` holds the last MAX_WORD-1 characters (simplified) and `bests` the best score
        of the text ending before each of them and after the last. Returns the new tail, the
        new bests and the score gained."""
        cached = self._steps.get((tail, ch))
        if cached is None:
            if len(self._steps) >= STEP_CACHE:
                # Its keys are the damaged text's 4-grams: it grew with the document (16 MB for
                # 1 MB of text) while its hits come from the beam's states at nearby positions.
                self._steps.clear()
            cached = self._steps[(tail, ch)] = self._step_entry(tail, ch)
        new_tail, matches, single = cached
        best = bests[-1] + (single if logp is None else logp)
        for back, score in matches:
            candidate = bests[-back] + score
            if candidate > best:
                best = candidate
        return new_tail, (*bests, best)[-MAX_WORD:], best - bests[-1]


PUNCTUATION_ASCII = {unicodedata.normalize("NFKC", ch): ch for ch in PUNCTUATION_LOGP}
PUNCTUATION_ASCII = {k: v for k, v in PUNCTUATION_ASCII.items() if k != v and len(k) == 1}


def _jieba_words() -> dict[str, float]:
    """Word -> log relative frequency, from jieba's dictionary (words up to MAX_WORD long)."""
    from importlib.util import find_spec

    # the file only: importing jieba itself (and its pkg_resources) would cost a worker 0.15 s
    fields = Path(find_spec("jieba").origin).with_name("dict.txt").read_text(encoding="utf-8").split()
    words, counts = fields[0::3], list(map(int, fields[1::3]))  # lines are "word count tag"
    log_total = math.log(sum(counts))
    return {
        w: math.log(c) - log_total for w, c in zip(words, counts, strict=True) if c and len(w) <= MAX_WORD
    }


def _script_map(by_char: dict[str, tuple[int, int]], conversion: str) -> dict[str, str]:
    """Han character -> its single-character form in the other script, where it differs."""
    from . import script

    characters = [ch for ch in by_char if HAN.match(ch)]
    converted = getattr(script, conversion)("\n".join(characters)).split("\n")
    return {a: b for a, b in zip(characters, converted, strict=True) if a != b and len(b) == 1}


# --- the beam search ------------------------------------------------------------------------
#
# A state is a tuple (score, shifted, pending, tail, bests, output):
#   shifted  inside a run: the next token's first byte completes the pending lead byte
#   pending  that lead byte, or None when it is unknown (enumerated when it is completed)
#   tail, bests   the word-segmentation state of the text produced (see _Model.step)
#   output   a linked list (previous output, text), so states share their history

SIGNAL_KINDS = frozenset((QUESTION, LOST, READING))
SCORE, SHIFTED, PENDING, TAIL, BESTS, OUTPUT = range(6)


def _repaired_line(line: str, number: int, model: _Model, style: _Style, report: Report) -> tuple[str, int]:
    """_repair_line, memoised: a line's repair depends only on the line and the style, and
    damaged lines recur (pages copied from one another, the same page imported again)."""
    key = (line, style)
    known = model.lines.get(key)
    if known is None:
        scratch = Report()
        output, lost = _repair_line(line, 0, model, style, scratch)
        known = model.lines[key] = (output, lost, tuple(scratch.repairs))
    output, lost, repairs = known
    for repair in repairs:
        report.repairs.append(replace(repair, line=number))
        report.count("mojibake sites repaired")
    return output, lost


def _repair_line(line: str, number: int, model: _Model, style: _Style, report: Report) -> tuple[str, int]:
    tokens = _tokenize(line, model)
    pieces: list[str] = []
    unrecovered = 0
    position = 0
    for start, end in _windows(tokens, model):
        pieces.append("".join(t.text for t in tokens[position:start]))
        window = tokens[start:end]
        before = "".join(t.text for t in tokens[max(0, start - CONTEXT_CHARS) : start] if t.kind == CHAR)
        after = "".join(t.text for t in tokens[end : end + CONTEXT_CHARS] if t.kind == CHAR)
        previous = tokens[start - 1] if start else None
        output = _decode_window(window, previous, before, after, model, style)
        original = "".join(t.text for t in window if t.kind != READING)
        if output != original:
            _record("".join(_shown(t) for t in window), output, number, report)
            unrecovered += output.count(LOST_MARK) - original.count(LOST_MARK)
        pieces.append(output)
        position = end
    pieces.append("".join(t.text for t in tokens[position:]))
    return "".join(pieces), unrecovered


def _windows(tokens: list[_Token], model: _Model) -> list[tuple[int, int]]:
    """Token ranges around damage signals, merged when they overlap."""
    ranges: list[list[int]] = []
    # only hints, "?" and trail bytes can be signals: the other tokens need no closer look
    maybe = [i for i, token in enumerate(tokens) if token.trail or token.kind in SIGNAL_KINDS]
    for i in maybe:
        if not _is_signal(tokens, i):
            continue
        start, end = _run_start(tokens, i, model), min(len(tokens), i + CONTEXT_AFTER + 1)
        if ranges and start <= ranges[-1][1]:
            ranges[-1][1] = max(ranges[-1][1], end)
        else:
            ranges.append([start, end])
    return [(a, b) for a, b in ranges]


def _run_start(tokens: list[_Token], signal: int, model: _Model) -> int:
    """Where the window before a signal starts: CONTEXT_BEFORE tokens back, or later, just
    before the nearest stretch that reads as two dictionary words in a row. Shifted characters
    are byte halves of their neighbours and almost never make two words running, so a run
    cannot reach back across such a stretch; the beam then skips the well-read text, which
    was most of its work (a window is searched in time proportional to its length)."""
    limit = max(0, signal - CONTEXT_BEFORE)
    words = model.words
    simple = model.simplified
    j = signal - 1
    while j - 3 >= limit:
        if _word_pair(tokens, j - 1, words, simple) and _word_pair(tokens, j - 3, words, simple):
            return max(limit, j - 3 - RUN_MARGIN)
        j -= 1
    return limit


def _word_pair(tokens: list[_Token], i: int, words: dict, simple: dict) -> bool:
    a, b = tokens[i], tokens[i + 1]
    if a.kind != CHAR or b.kind != CHAR:
        return False
    return simple.get(a.text, a.text) + simple.get(b.text, b.text) in words


def _is_signal(tokens: list[_Token], i: int) -> bool:
    token = tokens[i]
    if token.kind in (LOST, READING):
        return True
    if not (token.kind == QUESTION or token.trail):
        return False
    return _han_at(tokens, i - 1) or _han_at(tokens, i + 1)


def _han_at(tokens: list[_Token], i: int) -> bool:
    if not 0 <= i < len(tokens):
        return False
    token = tokens[i]
    return token.kind in (LOST, READING) or (token.kind == CHAR and bool(HAN.match(token.text)))


def _decode_window(tokens, previous, before: str, after: str, model: _Model, style: _Style) -> str:
    """The best reading of a window, memoised: the search depends only on the window, its
    context and the style (which fixes the other-script set). Hits: a fragment repeated in
    a document, the same document again, documents built from the same lines."""
    key = (tuple(tokens), previous, before, after, style)
    output = model.windows.get(key)
    if output is None:
        output = model.windows[key] = _search_window(tokens, previous, before, after, model, style)
    return output


def _search_window(tokens, previous, before: str, after: str, model: _Model, style: _Style) -> str:
    tail, bests = "", (0.0,)
    for ch in before:
        tail, bests, _ = model.step(tail, bests, ch)
    beam = [(0.0, False, None, tail, bests, ())]
    for index, token in enumerate(tokens):
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        hint = following.hint if following is not None and following.kind == READING else None
        if following is not None and following.kind == READING:
            following = tokens[index + 2] if index + 2 < len(tokens) else None
        best: dict[tuple, tuple] = {}
        for rank, state in enumerate(beam):
            if state[SHIFTED]:
                successors = _shifted(state, token, following, hint, model, rank < EXPLORE)
            else:
                successors = _aligned(state, token, previous, following, model, style)
            for successor in successors:
                key = (successor[SHIFTED], successor[PENDING], successor[TAIL])
                known = best.get(key)
                if known is None or successor[SCORE] > known[SCORE]:
                    best[key] = successor
        beam = heapq.nlargest(BEAM, best.values(), key=_score)
        if all(state[SHIFTED] for state in beam):
            # Keep the best aligned reading in play: it is the fallback for every window.
            aligned = [state for state in best.values() if not state[SHIFTED]]
            if aligned:
                beam.append(max(aligned, key=_score))
        if token.kind != READING:
            previous = token
    finals = []
    for state in beam:
        if state[SHIFTED]:  # a run still open at the window's end lost its last trail byte
            state = _emit(state, LOST_MARK, model, False, None, -LOST_MARK_PENALTY)
        score, tail, bests = state[SCORE], state[TAIL], state[BESTS]
        for ch in after:  # words may run on past the window
            tail, bests, gain = model.step(tail, bests, ch)
            score += gain
        finals.append((score, state[OUTPUT]))
    output = _flatten(max(finals, key=_score)[1])
    return output.translate(FULL_WIDTH_TO_ASCII) if style.ascii_punctuation else output


def _score(state: tuple) -> float:
    return state[0]


def _flatten(output: tuple) -> str:
    parts = []
    while output:
        output, text = output
        parts.append(text)
    return "".join(reversed(parts))


def _emit(state, ch: str, model: _DocumentModel, shifted: bool, pending, extra=0.0, logp=None, kept=False):
    """Produce a character: a repaired one, or (`kept`) one the text already shows."""
    if not kept and ch in model.other_script:
        extra -= OTHER_SCRIPT_PENALTY
    tail, bests, gain = model.step(state[TAIL], state[BESTS], ch, logp)
    return (state[SCORE] + gain + CHARACTER_BONUS + extra, shifted, pending, tail, bests, (state[OUTPUT], ch))


def _emit_each(state, chars, model: _DocumentModel, shifted: bool, pending, extra: float, hint=None):
    """[_emit(state, ch, ..., _hint_score(ch, hint) + extra) for ch in chars]: the search's
    commonest loop, with the lookups done once (same arithmetic, in the same order)."""
    other_script, step = model.other_script, model.step
    score, tail, bests, output = state[SCORE], state[TAIL], state[BESTS], state[OUTPUT]
    successors = []
    for ch in chars:
        penalty = extra if hint is None else _hint_score(ch, hint) + extra
        if ch in other_script:
            penalty -= OTHER_SCRIPT_PENALTY
        new_tail, new_bests, gain = step(tail, bests, ch)
        successors.append(
            (score + gain + CHARACTER_BONUS + penalty, shifted, pending, new_tail, new_bests, (output, ch))
        )
    return successors


def _keep(state, token: _Token, model: _DocumentModel):
    logp = None
    if token.kind == QUESTION:
        logp = QUESTION_MARK_LOGP
    elif token.kind == ASCII and (token.text.isalpha() or token.text in STRAY_SYMBOLS):
        logp = ASCII_LETTER_LOGP
    elif token.kind == OTHER:
        logp = OTHER_SYMBOL_LOGP
    return _emit(state, token.text, model, False, None, 0.0, logp, kept=True)


def _skip(state, shifted: bool, pending, extra: float = 0.0):
    return (state[SCORE] + extra, shifted, pending, state[TAIL], state[BESTS], state[OUTPUT])


def _aligned(
    state, token: _Token, previous: _Token | None, following: _Token | None, model: _Model, style: _Style
):
    kind = token.kind
    if kind == READING:
        return [_skip(state, False, None)]  # a hint is metadata; it never shows
    if kind == LOST:
        return _aligned_lost(state, token, previous, model, style)
    successors = [_keep(state, token, model)]
    if kind == QUESTION:
        # The "?" was the character made of the previous trail byte and the next lead byte.
        successors.append(_skip(state, True, None, -QUESTION_RUN_START_PENALTY))
        return successors
    if kind == ASCII and token.text in STRAY_SYMBOLS and _between_han(state, token, following):
        successors.append(_skip(state, False, None, -STRAY_BYTE_PENALTY))
    if token.pair is not None:
        # A lead byte was lost before this character: the first original character is
        # (lost lead, this character's first byte); its second byte waits for the next.
        penalty = RUN_START_PENALTY + (PUNCTUATION_RUN_START_PENALTY if kind == ASCII else 0.0)
        first, second = token.pair
        successors += _emit_each(
            state,
            model.with_trail(first, state[TAIL][-1:]),
            model,
            True,
            second,
            -penalty - FREE_BYTE_PENALTY,
        )
    return successors


def _between_han(state, token: _Token, following: _Token | None) -> bool:
    """A stray byte sits directly between two Han characters: 非常^珍惜."""
    last = state[OUTPUT][1] if state[OUTPUT] else ""
    return (
        bool(HAN.match(last[-1:]))
        and following is not None
        and following.kind == CHAR
        and bool(HAN.match(following.text))
    )


def _aligned_lost(state, token: _Token, previous: _Token | None, model: _Model, style: _Style):
    """A lost character with a known reading. Either it stands alone (choose a character with
    that reading by context), or it was itself mojibake and starts a run."""
    successors = []
    seen = set()
    for ch in model.reading_chars.get(token.hint, ())[:CANDIDATES]:
        form = _script_form(ch, model, style)
        if form not in seen:
            seen.add(form)
            successors.append(_emit(state, form, model, False, None))
    successors.append(_emit(state, LOST_MARK, model, False, None, -LOST_MARK_PENALTY))
    for lead in _leads_from_lost_character(token.hint, previous, model):
        successors.append(_skip(state, True, lead, -HINTED_RUN_START_PENALTY))
    return successors


def _script_form(ch: str, model: _Model, style: _Style) -> str:
    simple = model.simple(ch)
    if not style.traditional:
        return simple
    from .script import to_traditional

    converted = to_traditional(simple)
    return converted if len(converted) == 1 and model.pair(converted) else ch


def _leads_from_lost_character(hint: str, previous: _Token | None, model: _Model) -> list[int]:
    """The lost mojibake character had the hinted reading and began with the trail byte of
    the character before it; its second byte is the lead byte of the next original one."""
    if previous is None or previous.pair is None:
        return []
    trail = previous.pair[1]
    return [model.pair(ch)[1] for ch in model.reading_chars.get(hint, ()) if model.pair(ch)[0] == trail]


def _shifted(state, token: _Token, following: _Token | None, hint: str | None, model: _Model, explore: bool):
    """Successors inside a run. `following` is the next token (for the character after a
    dropped pair); `explore` allows the costlier dropped-pair readings."""
    kind = token.kind
    if kind == READING:
        return [state]
    if kind == OTHER:
        # A space, digit or character GBK lacks cannot be inside a run: the run's last
        # character lost its trail byte.
        closed = _emit(state, LOST_MARK, model, False, None, -LOST_MARK_PENALTY)
        return [_keep(closed, token, model)]
    if kind == LOST:
        return _shifted_lost(state, token, model)
    if kind == QUESTION:
        # Two unknown bytes; or a full-width "？" NFKC folded; or it took the last trail byte
        # and the decoder resynchronised after it.
        return [
            *_complete_unknown(state, model, True),
            *_complete(state, FULL_WIDTH_QUESTION[0], model, True, FULL_WIDTH_QUESTION[1]),
            *_complete_unknown(state, model, False),
        ]
    successors = []
    if token.trail:
        # The resynchronising trail byte completes the last character of the run.
        successors += _complete(state, ord(token.text), model, False, None, hint)
        if explore:
            after = following.text if following is not None and following.kind == CHAR else None
            successors += _complete_after_dropped(state, ord(token.text), after, model, False, None, hint)
    if token.pair is not None:
        first, second = token.pair
        successors += _complete(state, first, model, True, second)
        if explore:
            successors += _complete_after_dropped(
                state, first, _next_original(second, following, model), model, True, second
            )
    return successors


def _next_original(lead: int, following: _Token | None, model: _Model) -> str | None:
    """The original character that `lead` begins, when the next token shows its trail byte."""
    if following is None:
        return None
    if following.trail and (ch := model.char(lead, ord(following.text))):
        return ch
    return model.char(lead, following.pair[0]) if following.pair is not None else None


def _shifted_lost(state, token: _Token, model: _Model):
    successors = []
    lead = state[PENDING]
    for ch in model.reading_chars.get(token.hint, ()):
        pair = model.pair(ch)
        if lead is not None:
            # (a) the lost character was mojibake with that reading: its bytes are known.
            successors += _complete(state, pair[0], model, True, pair[1])
        if lead is None or pair[0] == lead:
            # (b) the run ends: "?" took the trail byte of the character with that reading.
            successors.append(_emit(state, ch, model, False, None))
    successors.append(_emit(state, LOST_MARK, model, False, None, -LOST_MARK_PENALTY))
    return successors


def _complete(state, trail: int, model: _Model, shifted: bool, pending, hint: str | None = None):
    """Produce the original character (pending lead byte, trail)."""
    lead = state[PENDING]
    if lead is None:
        return _emit_each(
            state,
            model.with_trail(trail, state[TAIL][-1:]),
            model,
            shifted,
            pending,
            -FREE_BYTE_PENALTY,
            hint,
        )
    ch = model.char(lead, trail)
    return [] if ch is None else [_emit(state, ch, model, shifted, pending, _hint_score(ch, hint))]


def _complete_unknown(state, model: _Model, shifted: bool):
    """Produce (pending lead, unknown trail); in shifted mode the next lead is unknown too."""
    lead = state[PENDING]
    if lead is None:
        return []
    return _emit_each(
        state, model.with_lead(lead, state[TAIL][-1:]), model, shifted, None, -FREE_BYTE_PENALTY
    )


def _complete_after_dropped(state, trail: int, successor, model: _Model, shifted: bool, pending, hint=None):
    """A pair from GBK's user-defined area (x, y) was dropped between the pending lead byte
    and this token: (lead, x) and (y, trail) are the two original characters around it."""
    lead = state[PENDING]
    if lead is None:
        return []
    successors = []
    for first, second in model.dropped_between(lead, trail, successor):
        step = _emit(state, first, model, True, None, -DROPPED_PAIR_PENALTY)
        successors.append(_emit(step, second, model, shifted, pending, _hint_score(second, hint)))
    return successors


def _hint_score(ch: str, hint: str | None) -> float:
    if hint is None:
        return 0.0
    return HINT_MATCH_BONUS if hint in readings(ch) else -HINT_MISMATCH_PENALTY


def _record(before: str, after: str, line: int, report: Report) -> None:
    """One Repair per window, trimmed to the span that changed."""
    prefix = 0
    while prefix < min(len(before), len(after)) and before[prefix] == after[prefix]:
        prefix += 1
    suffix = 0
    limit = min(len(before), len(after)) - prefix
    while suffix < limit and before[len(before) - 1 - suffix] == after[len(after) - 1 - suffix]:
        suffix += 1
    old, new = before[prefix : len(before) - suffix], after[prefix : len(after) - suffix]
    kind = "unrecoverable" if new and set(new) == {LOST_MARK} else "mojibake"
    report.repairs.append(Repair(kind, old, new, line))
    report.count("mojibake sites repaired")
