"""What the search knows: GBK's byte pairs (and the pairs the damaged sites' decoder dropped),
jieba's word frequencies, each character's other-script form, and the memos that keep a
search cheap. Built once per process, when first needed."""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..decode import char_scores
from ..model import Repair
from ..pinyin import readings
from .tokens import HAN, _CharTokens

CANDIDATES = 8  # characters tried for one unknown byte, the most frequent first
DROPPED_CANDIDATES = 6
MAX_WORD = 4
# Entries of the model's caches (some 300 bytes each) a worker keeps between documents: a
# million held some 300 MB in a process that parses document after document.
CACHE_LIMIT = 100_000
STEP_CACHE = 20_000  # entries of the word-step memo, within a document too
SEARCH_CACHE_LIMIT = 200_000  # memo entries kept between documents (about 100 MB at most)

# Scores are natural-log probabilities; the constants are in the same unit.
UNKNOWN_LOGP = -17.0  # a character jieba's dictionary does not have as a word
OTHER_SYMBOL_LOGP = -11.0
DROPPED_ROWS = frozenset((*range(0xAA, 0xB0), *range(0xF8, 0xFF)))

# Punctuation is absent from jieba's dictionary; rough log-frequencies in Chinese prose.
PUNCTUATION_LOGP = {
    "，": -2.8, "。": -3.3, "、": -4.5, "“": -4.8, "”": -4.8, "：": -6.0, "；": -6.5, "？": -6.0,
    "！": -6.0, "《": -6.5, "》": -6.5, "（": -7.0, "）": -7.0, "…": -7.5, "—": -7.5, "‘": -8.5,
    "’": -8.5, "·": -8.5, "「": -8.5, "」": -8.5, "【": -8.5, "】": -8.5,
}  # fmt: skip


class _DocumentModel:
    """The shared model seen from the document's script: which characters are the other
    script's. (That depends on the script alone; the view is cheap to make per document.)"""

    def __init__(self, model: _Model, other_script: frozenset[str]) -> None:
        self._model = model
        # Characters of the script the document is not in, penalised in a repair: a
        # traditional text's repair should not produce 业. Only the document's script decides
        # it, not the characters the document happens to contain, so a window searched in
        # one document is reused in every document with the same damaged line (see
        # search.decode_window). Measured on 2,000 recombined seed documents: one window read
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
        # Readings of windows already searched: damaged fragments recur (see search.decode_window).
        self.windows: dict[tuple, str] = {}
        self.lines: dict[tuple, tuple[str, int, tuple[Repair, ...]]] = {}  # windows.repaired_line

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
    from .. import script

    characters = [ch for ch in by_char if HAN.match(ch)]
    converted = getattr(script, conversion)("\n".join(characters)).split("\n")
    return {a: b for a, b in zip(characters, converted, strict=True) if a != b and len(b) == 1}
