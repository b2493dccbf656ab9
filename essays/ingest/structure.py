"""What segmentation makes of a page: the collection, and each essay as indices into the
cleaned lines (its header and body) with what was read of its title and byline."""

from __future__ import annotations

from dataclasses import dataclass, field

from .cleaned import Line
from .model import CollectionDraft


@dataclass
class Essay:
    lines: list[int] = field(default_factory=list)  # indices into the line list (header + body)
    body: list[int] = field(default_factory=list)
    title: str | None = None
    title_generated: bool = False
    subtitle: str | None = None
    author: str | None = None
    organization: str | None = None
    is_fragment: bool = False
    warnings: list[str] = field(default_factory=list)


@dataclass
class Structure:
    collection: CollectionDraft
    essays: list[Essay]
    lines: list[Line]  # the lines the essays index into
    simplified: list[str]  # the same lines in Simplified script
