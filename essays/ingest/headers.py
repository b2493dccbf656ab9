"""What heads an essay: the bylines on a page, what stands under a title (a subtitle, a
byline, the date it was written), whether a title heads a body of text; and the lines the
rules read as structure, for the line-role model."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .bylines import (
    BYLINE_DASH,
    BYLINE_LABEL,
    Byline,
    parse_bio,
    parse_byline,
    read_byline,
    signature,
    unit_alone,
)
from .cleaned import Line
from .doc_meta import DATE_LINE
from .line_kinds import PAREN_LINE, SALUTATION, Feat, title_like
from .names import is_name, unit_of
from .prose import is_prose, is_sentence
from .script import to_simplified
from .toc import title_key, toc

_ANY_PUNCT = re.compile(r"[，,。！？!?；;]")


@dataclass
class PageLines:
    """The lines being segmented, their Simplified form and kinds, and the bylines found."""

    lines: list[Line]
    texts: list[str]
    feats: list[Feat]
    byline_at: dict[int, Byline] = field(default_factory=dict)
    # title_like and title_key of a line are asked for several times: compute each once
    _titleish: dict[int, bool] = field(default_factory=dict)
    _keys: dict[int, str] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.feats)

    def title_at(self, i: int) -> bool:
        t = self._titleish.get(i)
        if t is None:
            t = self._titleish[i] = title_like(self.feats[i].simp)
        return t

    def key_at(self, i: int) -> str:
        k = self._keys.get(i)
        if k is None:
            k = self._keys[i] = title_key(self.feats[i].simp)
        return k

    def header_end(self, i: int) -> tuple[int, str | None, Byline | None]:
        """After a title at i: skip a subtitle and a byline; return (first body index, subtitle, byline)."""
        feats, n, byline_at = self.feats, self.n, self.byline_at
        j = i + 1
        subtitle = None
        byline = None
        if j < n and j not in byline_at and len(feats[j].simp) <= 40:
            # "——在…座谈会上的发言" or "（在…座谈会上的发言）" under the title
            if BYLINE_DASH.match(feats[j].simp) or (
                PAREN_LINE.match(feats[j].simp) and not DATE_LINE.match(feats[j].simp)
            ):
                subtitle = self.texts[j]
                j += 1
        if j < n and j in byline_at:
            byline = byline_at[j]
            j += byline.lines
        if j + 1 < n and DATE_LINE.match(feats[j].simp):  # the date it was written
            j += 1
        return j, subtitle, byline

    def heads_body(self, i: int) -> bool:
        j, _sub, _by = self.header_end(i)
        if j >= self.n:
            return False
        f = self.feats[j]
        if f.kind in ("heading", "marker") or is_prose(f.simp):
            return True
        if f.simp.endswith(("：", ":")) and len(f.simp) <= 30 and SALUTATION.search(f.simp):
            return True  # a speech opens: "各位领导、同事们："
        return bool(_ANY_PUNCT.search(f.simp)) and not self.title_at(j)


def find_bylines(page: PageLines, toc_lines: set[int]) -> dict[int, Byline]:
    """The bylines on the page, by line: read freely under a title or where the model hints one."""
    feats, texts, lines, n = page.feats, page.texts, page.lines, page.n
    byline_at: dict[int, Byline] = {}
    for i in range(n):
        if i in toc_lines or len(feats[i].simp) > 40:  # parse_byline takes no longer line
            continue
        prev_title = i > 0 and (
            (title_like(feats[0].simp, head=True) if i == 1 else page.title_at(i - 1))
            or feats[i - 1].kind == "marker"
        )
        hinted = lines[i].hint == "byline"  # the line-role model reads it as one
        b = parse_byline(texts[i], feats[i].simp, bare=prev_title or hinted)
        if b is None and i == 0 and signature(texts[0], feats[0].simp):
            b = parse_byline(texts[0], feats[0].simp, bare=True)  # the page opens with who signs it
        if hinted and (b is None or not (b.author or b.organization)):
            b = read_byline(texts[i], feats[i].simp) or b
        if b is None and prev_title and unit_alone(feats[i].simp):
            b = Byline(None, unit_of(texts[i], feats[i].simp))  # "县财政局" over "王明"
        if b is not None:
            b = _second_line(b, page, i)
            if b.author or b.organization:
                byline_at[i] = b
    return byline_at


def _second_line(b: Byline, page: PageLines, i: int) -> Byline:
    """A byline's other half on the next line: the name under a unit, the unit under a name."""
    feats, texts = page.feats, page.texts
    following = feats[i + 1].simp if i + 1 < page.n else ""
    if b.author is None and is_name(following.replace(" ", "")):
        b = Byline(texts[i + 1].replace(" ", ""), b.organization, lines=2)
    elif b.author and not b.organization and following:
        # "王明" over "县财政局", "作者：王明" over "单位：县财政局"
        unit = parse_byline(texts[i + 1], following)
        if unit is not None and unit.organization and not unit.author:
            b = Byline(b.author, unit.organization, lines=2)
        elif unit_alone(following):
            b = Byline(b.author, unit_of(texts[i + 1], following), lines=2)
    return b


def contents_lines(lines: list[Line], simp: list[str] | None = None) -> set[int]:
    """The lines of a table of contents, its heading ("目录") among them."""
    simp = simp or [line.simp or to_simplified(line.text) for line in lines]
    _titles, found = toc([Feat(line.text, s) for line, s in zip(lines, simp, strict=True)])
    return set(found)


def header_lines(lines: list[Line], contents: set[int] | None = None) -> set[int]:
    """Lines the rules read as structure rather than text: a table of contents, and a
    title-like line with a subtitle, byline or a sentence of text under it, and a closing author's
    bio. The line-role model, which has seen few of them (11 subtitles in 378 documents), does not
    remove these. `contents`: contents_lines(lines), where the caller has it."""
    simp = [line.simp or to_simplified(line.text) for line in lines]
    found = set(contents) if contents is not None else contents_lines(lines, simp)
    titled = [title_like(s, head=True) for s in simp]
    for i in range(len(lines) - 1):
        if titled[i] and is_sentence(lines[i + 1].text):
            found.add(i)  # a title over a paragraph of text
    for i in range(1, len(lines)):
        above = i - 1 in found or titled[i - 1]
        s = simp[i]
        if not above or len(s) > 40:
            continue
        if (
            BYLINE_DASH.match(s)
            or (PAREN_LINE.match(s) and not DATE_LINE.match(s))
            or unit_alone(s)
            or parse_byline(lines[i].text, s, bare=True) is not None
        ):
            found.update((i - 1, i))  # and the title above them
    for i, line in enumerate(lines):
        if len(simp[i]) <= 80 and parse_bio(line.text, simp[i]) is not None:
            found.add(i)  # a closing bio: "作者简介：王明，某某小学学生"
    return found


def labelled_bylines(lines: list[Line]) -> set[int]:
    """Lines that say whose the text is in so many words: "作者：王明", "单位：县财政局"."""
    found = set()
    for i, line in enumerate(lines):
        if len(line.text) > 40:
            continue
        simp = line.simp or to_simplified(line.text)
        if BYLINE_LABEL.match(simp):
            got = parse_byline(line.text, simp)
            if got is not None and (got.author or got.organization):
                found.add(i)
    return found
