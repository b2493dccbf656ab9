"""What clean makes of a text: its paragraphs (Line), and what the page's chrome told about
the document (Cleaned)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import PartialDate


@dataclass
class Line:
    """One cleaned paragraph and the 0-based source lines [start, end] it came from."""

    text: str
    start: int
    end: int
    hint: str | None = None
    raw: str = ""  # the text before inline edits (counters, date prefix), for *_raw fields
    simp: str = ""  # the text in Simplified script (before punctuation widths were normalised)


@dataclass
class Cleaned:
    lines: list[Line]
    removed: list[tuple[int, str, str]] = field(default_factory=list)  # (line index, text, reason)
    page: tuple[int, int] | None = None
    declared: int | None = None
    date: PartialDate | None = None
    front_title: str | None = None
    file_title: str | None = None
    preface_topic: str | None = None
    sites: set[str] = field(default_factory=set)
    keywords: list[str] = field(default_factory=list)
    title_variants: list[str] = field(default_factory=list)
    # a bare number line ("1", "2") right above a line: that line's source index -> the number
    numbered: dict[int, int] = field(default_factory=dict)
    # source lines right after a separator line (*** or ———): where a piece may begin
    separated: set[int] = field(default_factory=set)
    meta_authors: list[str] = field(default_factory=list)  # from "作者:…" in metadata lines
    title_counter: bool = False  # counters, a page marker or a date were cut from the title line
    preface: list[str] = field(default_factory=list)  # the collection's own intro (line-role model)
    simplified: bool = False  # the text had nothing for OpenCC t2s to change
