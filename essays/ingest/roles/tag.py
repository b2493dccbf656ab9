"""Label the cleaned lines of a document with roles, using the model file (loaded once per
process, or a model given by path, as cross-validation does)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pycrfsuite

from .corpus import model_view
from .features import MARGIN, WINDOW, item_windows

MODEL = Path(__file__).resolve().parent / "model.crfsuite"


@lru_cache(maxsize=4)
def tagger(path: Path = MODEL) -> pycrfsuite.Tagger | None:
    if not path.exists():
        return None
    t = pycrfsuite.Tagger()
    t.open(str(path))
    return t


def _windows(lines: list[str], model: Path, rules: bool | None):
    """The tagger set to each window of the page in turn, with (line, position in the window)
    for the lines that window decides; nothing without a model or a non-blank line."""
    t = tagger(model)
    index = [i for i, line in enumerate(lines) if line.strip()]
    if t is None or not index:
        return
    for keep_from, keep_to, before, items in item_windows(lines, rules, WINDOW, MARGIN):
        t.set(items)
        yield t, [(index[keep_from + k], before + k) for k in range(keep_to - keep_from)]


def label_lines(lines: list[str], model: Path = MODEL, rules: bool | None = None):
    """[(role, confidence) or None per line]: None for a blank line or when no model exists."""
    out: list[tuple[str, float] | None] = [None] * len(lines)
    for t, decided in _windows(lines, model, rules):
        roles = t.tag()
        for i, at in decided:
            out[i] = (roles[at], t.marginal(roles[at], at))
    return out


def odds_of(lines: list[str], roles: tuple[str, ...], model: Path = MODEL, rules: bool | None = None):
    """The model's probability that each line has one of `roles` (summed marginals; 0.0 for a
    blank line): what it thought of a line besides the role it gave."""
    out = [0.0] * len(lines)
    for t, decided in _windows(lines, model, rules):
        known = [r for r in roles if r in t.labels()]
        for i, at in decided:
            out[i] = sum(t.marginal(r, at) for r in known)
    return out


def cleaned_odds(
    lines, roles: tuple[str, ...], model: Path = MODEL, rules: bool | None = None
) -> list[float]:
    """odds_of for each cleaned line (clean.Line), read as label_cleaned reads them."""
    view, at = model_view(lines)
    odds = odds_of(view, roles, model, rules)
    return [odds[k] for k in at]


def label_cleaned(lines, model: Path = MODEL, rules: bool | None = None) -> list[tuple[str, float] | None]:
    """(role, confidence) for each cleaned line (clean.Line), or Nones without a model."""
    view, at = model_view(lines)
    labels = label_lines(view, model, rules)
    return [labels[k] for k in at]
