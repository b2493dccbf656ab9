"""The beam search that re-reads a damaged window one byte over: "aligned" (a character is what
it shows) and "shifted" (its bytes belong half to the previous and half to the next original
character), unknown bytes enumerated among the characters they can make, paths scored by
words and penalised for every free choice.

A state is a tuple (score, shifted, pending, tail, bests, output):
  shifted  inside a run: the next token's first byte completes the pending lead byte
  pending  that lead byte, or None when it is unknown (enumerated when it is completed)
  tail, bests   the word-segmentation state of the text produced (see _Model.step)
  output   a linked list (previous output, text), so states share their history
"""

from __future__ import annotations

import heapq

from ..pinyin import readings
from .tables import CANDIDATES, OTHER_SYMBOL_LOGP, _DocumentModel, _Model, _Style
from .tokens import ASCII, CHAR, HAN, LOST, LOST_MARK, OTHER, QUESTION, READING, _Token

BEAM = 8
EXPLORE = 4  # only the best states of the beam try dropped pairs, the costliest reading
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
STRAY_SYMBOLS = frozenset("^`|~@\\")  # never brackets: they come in pairs in real text
PUNCTUATION_RUN_START_PENALTY = 3.0  # a visible ASCII mark is rarely the first character of a run
FULL_WIDTH_QUESTION = (0xA3, 0xBF)
FULL_WIDTH_TO_ASCII = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
SCORE, SHIFTED, PENDING, TAIL, BESTS, OUTPUT = range(6)


def decode_window(tokens, previous, before: str, after: str, model: _Model, style: _Style) -> str:
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
    from ..script import to_traditional

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
