"""A damaged line as the search reads it: one token per character (its GBK bytes), ASCII bytes
that may end a run, "?" and the pinyin hints pinyin.strip_pinyin left."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

from ..pinyin import HINTS, LOST_HINT

if TYPE_CHECKING:
    from .tables import _Model

LOST_MARK = "〓"  # GETA MARK: a character that was there and could not be recovered

HAN_RANGE = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN = re.compile(f"[{HAN_RANGE}]")

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
