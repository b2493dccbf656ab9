"""Search tokens and queries: pure Python, shared by every search backend.

Chinese has no spaces, and no engine we can rely on segments it, so text is cut into
overlapping two-character tokens (不忘初心 → 不忘 忘初 初心) plus each run's last character
(心), and queries are cut the same way: a two-character word is one token, a longer word
is the phrase of its bigrams, a single character is a prefix over the tokens. Both sides
are first normalised to Simplified (OpenCC t2s), so 幹部 and 干部 are the same tokens.
Latin letters and digits are whole words, lower-cased. The token string, joined with
spaces, is what SQLite's `unicode61` tokenizer and PostgreSQL's tsvector are given.
See ../shared/research/search-and-speed.md for the measurements behind this.
"""

import re
from dataclasses import dataclass, field
from operator import add

from essays.ingest.script import to_simplified

# Bump when tokens change: an index built by another version must be rebuilt.
TOKENIZER_VERSION = "1"

_HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_RUN = re.compile(rf"([{_HAN}]+)|([0-9a-z]+)")
_QUOTED = re.compile(r'"([^"]*)"|“([^”]*)”|「([^」]*)」|『([^』]*)』')

# Full-width Latin letters and digits read as their ASCII forms; ASCII is lower-cased.
# One character for one, so offsets into the normalised text are offsets into the original.
_FOLD = str.maketrans(
    {
        **{chr(c): chr(c + 32) for c in range(ord("A"), ord("Z") + 1)},
        **{chr(0xFF21 + i): chr(ord("a") + i) for i in range(26)},
        **{chr(0xFF41 + i): chr(ord("a") + i) for i in range(26)},
        **{chr(0xFF10 + i): chr(ord("0") + i) for i in range(10)},
    }
)

MAX_TERMS = 8
MAX_TERM_TOKENS = 32


_FOLDABLE = re.compile("[A-Z\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+")


def _fold(match: re.Match) -> str:
    return match.group(0).translate(_FOLD)


def normalize(text: str) -> str:
    """The form both index and query are made from: Simplified, ASCII lower case."""
    # Folding only the stretches that need it: translate() over a whole essay is slow.
    return _FOLDABLE.sub(_fold, to_simplified(text or ""))


def normalize_aligned(text: str) -> str:
    """`normalize(text)` with exactly one character per character of `text`.

    OpenCC's t2s keeps length in practice; when it does not, characters are converted one
    at a time (losing only phrase-level choices), so offsets still map back to `text`.
    """
    folded = normalize(text)
    if len(folded) == len(text):
        return folded
    pieces = []
    for ch in text:
        converted = normalize(ch)
        pieces.append(converted if len(converted) == 1 else ch)
    return "".join(pieces)


def _run_tokens(run: str, *, is_han: bool, final_unigram: bool) -> list[str]:
    if not is_han or len(run) == 1:
        return [run]
    tokens = list(map(add, run, run[1:]))  # the bigrams, at C speed
    if final_unigram:
        tokens.append(run[-1])
    return tokens


def index_tokens(text: str) -> list[str]:
    """The tokens of `text` in order, as the index stores them (index_string's, one by one)."""
    return index_string(text).split()


def index_string(text: str) -> str:
    """The index's tokens joined by spaces: each Han run's overlapping two-character tokens
    and its last character, each Latin run whole. Joined STRETCH tokens at a time: a list of
    every token held some 60 bytes a token (1 GB for an 18-million-character essay, past the
    parse worker's memory limit)."""
    strings: list[str] = []  # the tokens joined, STRETCH tokens at a time
    tokens: list[str] = []
    for han, latin in _RUN.findall(normalize(text)):
        if len(han) > STRETCH:
            if tokens:
                strings.append(" ".join(tokens))
                tokens = []
            strings += [
                " ".join(map(add, han[start : start + STRETCH], han[start + 1 : start + STRETCH + 1]))
                for start in range(0, len(han) - 1, STRETCH)
            ]
            strings.append(han[-1])
            continue
        if han:
            tokens += map(add, han, han[1:])  # the bigrams, at C speed
            tokens.append(han[-1])
        else:
            tokens.append(latin)
        if len(tokens) >= STRETCH:
            strings.append(" ".join(tokens))
            tokens = []
    if tokens:
        strings.append(" ".join(tokens))
    return " ".join(strings)


STRETCH = 10_000  # tokens (or characters of one long Han run) joined at once


def parse_with_index_strings(data: bytes, name: str):
    """(parse_one(data, name), {essay body: its index string}): a bulk import makes the
    index strings in its parse workers, sparing the process that stores (essays.search.index
    takes them as made, keyed by the text itself so an essay changed on the way is
    tokenised afresh)."""
    from essays.ingest.model import ParsedDocument
    from essays.ingest.parallel import parse_one

    parsed = parse_one(data, name)
    if not isinstance(parsed, ParsedDocument):
        return parsed, {}
    return parsed, {essay.body: index_string(essay.body) for essay in parsed.essays}


@dataclass(frozen=True)
class Term:
    """One thing every hit must contain: a phrase of tokens, the last maybe a prefix."""

    tokens: tuple[str, ...]
    prefix: bool = False
    # Normalised strings to mark in snippets and essays (the phrase's runs).
    needles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Query:
    text: str
    terms: tuple[Term, ...] = field(default_factory=tuple)

    def __bool__(self) -> bool:
        return bool(self.terms)

    @property
    def needles(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for term in self.terms:
            for needle in term.needles:
                seen.setdefault(needle)
        return tuple(seen)


def _phrase(runs: list[tuple[str, bool]]) -> Term | None:
    """The term matching these runs in this order, with only non-tokens between them.

    A run that ends before the next run ends in the text too, so it carries its final
    unigram, exactly as the indexed text does. The last run may continue in the text: it
    does not, and if it is a single character it matches as a prefix (使 → 使命).
    """
    if not runs:
        return None
    tokens: list[str] = []
    for i, (run, is_han) in enumerate(runs):
        last = i == len(runs) - 1
        tokens += _run_tokens(run, is_han=is_han, final_unigram=not last)
    last_run, last_is_han = runs[-1]
    prefix = last_is_han and len(last_run) == 1
    return Term(tuple(tokens[:MAX_TERM_TOKENS]), prefix, tuple(run for run, _ in runs))


def _runs(text: str) -> list[tuple[str, bool]]:
    return [(m.group(0), m.group(1) is not None) for m in _RUN.finditer(normalize(text))]


def parse_query(text: str) -> Query:
    """Words separated by spaces or punctuation must all occur; "quoted text" as written.

    初心 → one token; 焦裕禄精神 → the phrase 焦裕 裕禄 禄精 精神; 党 → tokens starting 党;
    "不忘初心，牢记使命" → one phrase across the comma.
    """
    text = (text or "").strip()
    terms: list[Term] = []
    position = 0
    pieces: list[tuple[str, bool]] = []
    for match in _QUOTED.finditer(text):
        pieces.append((text[position : match.start()], False))
        pieces.append((next(g for g in match.groups() if g is not None), True))
        position = match.end()
    pieces.append((text[position:], False))
    for piece, quoted in pieces:
        if quoted:
            term = _phrase(_runs(piece))
            if term:
                terms.append(term)
        else:
            terms += [t for run in _runs(piece) if (t := _phrase([run]))]
    unique = list(dict.fromkeys(terms))
    return Query(text, tuple(unique[:MAX_TERMS]))
