"""Label the cleaned lines of a document with roles, using the model file (loaded once per
process, or a model given by path, as cross-validation does)."""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from pathlib import Path

import pycrfsuite

from ..script import to_simplified
from . import features
from .corpus import model_view
from .features import MARGIN, WINDOW, crf_items

MODEL = Path(__file__).resolve().parent / "model.crfsuite"
SIMPLIFIED_LINES = 2000  # lines made Simplified at once (_Page)


@lru_cache(maxsize=4)
def tagger(path: Path = MODEL) -> pycrfsuite.Tagger | None:
    if not path.exists():
        return None
    t = pycrfsuite.Tagger()
    t.open(str(path))
    return t


def label_lines(lines: list[str], model: Path = MODEL, rules: bool | None = None):
    """[(role, confidence) or None per line]: None for a blank line or when no model exists."""
    t = tagger(model)
    out: list[tuple[str, float] | None] = [None] * len(lines)
    index = [i for i, line in enumerate(lines) if line.strip()]
    if t is None or not index:
        return out
    for keep_from, keep_to, before, items in _stretches(lines, rules):
        t.set(items)
        roles = t.tag()
        for k in range(keep_to - keep_from):
            role = roles[before + k]
            out[index[keep_from + k]] = (role, t.marginal(role, before + k))
    return out


class _Page(features._Page):
    """features._Page, its lines made Simplified SIMPLIFIED_LINES at a time: the whole page
    joined, converted and split at once held three copies of it beside the cleaned lines (a
    10 MB text's parse peaked there, issue 16). No OpenCC phrase holds a line break, so each
    line converts the same."""

    def __init__(self, lines: list[str], rules: bool):
        self.lines = lines
        self.rules = rules
        self.index = [i for i, line in enumerate(lines) if line.strip()]
        self.simp = []
        for start in range(0, len(self.index), SIMPLIFIED_LINES):
            chunk = "\n".join(lines[i] for i in self.index[start : start + SIMPLIFIED_LINES])
            self.simp += [s.strip() for s in to_simplified(chunk).split("\n")]
        self.seen = Counter(self.simp)
        self.n = len(self.index)
        self.firsts: dict[str, int] = {}
        for k, s in enumerate(self.simp):
            self.firsts.setdefault(s, k)
        self.size = features._bucket(self.n, (3, 6, 10, 20, 40))


def _stretches(lines: list[str], rules: bool | None):
    """features.feature_windows's stretches (keep_from, keep_to, before, items), with the
    stretch's model items made a line at a time as python-crfsuite takes them in (it copies
    each): a window's feature dicts and items were never needed all at once, and held some
    14 MB beside a 1 MB text (issue 16). The same features, so the same roles."""
    page = _Page(lines, features.RULES if rules is None else rules)
    if page.n <= WINDOW:
        own = page.own(0, page.n)
        page.summarise(own)
        yield 0, page.n, 0, (crf_items(page.features(own, 0, k, k + 1))[0] for k in range(page.n))
        return
    page.summarise_apart()
    for keep in range(0, page.n, WINDOW):
        start, stop = max(0, keep - MARGIN), min(page.n, keep + WINDOW + MARGIN)
        yield keep, min(page.n, keep + WINDOW), keep - start, _items(page, start, stop)


def _items(page: _Page, start: int, stop: int):
    """The model items of non-blank lines start..stop-1: a line's own features are made once
    and kept while a line within two of it still needs them."""
    first = max(0, start - 2)  # own[j - first] is line j's
    own: list[dict] = []
    for k in range(start, stop):
        upto = min(page.n, k + 3)
        if first + len(own) < upto:
            own += page.own(first + len(own), upto)
        if k - 2 > first:
            del own[: k - 2 - first]
            first = k - 2
        yield crf_items(page.features(own, first, k, k + 1))[0]


def label_cleaned(lines, model: Path = MODEL, rules: bool | None = None) -> list[tuple[str, float] | None]:
    """(role, confidence) for each cleaned line (clean.Line), or Nones without a model."""
    view, at = model_view(lines)
    labels = label_lines(view, model, rules)
    return [labels[k] for k in at]
