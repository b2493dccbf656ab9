"""What the pipeline produces: plain dataclasses, no Django.

A ParsedDocument is everything the Django layer needs to store one source file: the exact
decoded text (so the import can be audited and re-run), the collection it belongs to, its
essays, and a report of every cleanup action.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field, fields


class IngestError(Exception):
    """A document that cannot be imported. The message names the file and the reason."""

    def __init__(self, name: str, reason: str):
        self.name = name
        self.reason = reason
        super().__init__(f"{name}: {reason}")

    def __reduce__(self):  # rebuilt from both fields when it crosses processes
        return type(self), (self.name, self.reason)


@dataclass
class Repair:
    """One edit made to the text, kept so an editor can review or undo it."""

    kind: str  # "mojibake", "pinyin-hint", "unrecoverable", ...
    before: str
    after: str
    line: int | None = None  # 1-based line in the decoded text, where known


@dataclass
class Report:
    """Counts of each cleanup action, the repairs made, and warnings for editors."""

    counts: Counter = field(default_factory=Counter)
    repairs: list[Repair] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def count(self, action: str, n: int = 1) -> None:
        if n:
            self.counts[action] += n

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def as_dict(self) -> dict:
        return {
            "counts": dict(sorted(self.counts.items())),
            "repairs": [asdict(r) for r in self.repairs],
            "warnings": list(self.warnings),
        }


@dataclass
class PartialDate:
    """A date as far as the source gives it: `03.06` has a month and day but no year."""

    year: int | None = None
    month: int | None = None
    day: int | None = None

    def __str__(self) -> str:
        if self.year and self.month and self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.year and self.month:
            return f"{self.year:04d}-{self.month:02d}"
        if self.year:
            return f"{self.year:04d}"
        if self.month and self.day:
            return f"--{self.month:02d}-{self.day:02d}"  # ISO 8601 form for a date without a year
        return ""


@dataclass
class EssayDraft:
    title: str | None
    body: str  # cleaned text, paragraphs separated by "\n"
    title_generated: bool = False
    subtitle: str | None = None
    author: str | None = None
    organization: str | None = None
    is_fragment: bool = False
    themes: list[str] = field(default_factory=list)
    script: str = "unknown"
    warnings: list[str] = field(default_factory=list)
    source_text: str = ""  # the essay's lines as they were in the decoded source

    def as_json(self) -> dict:
        return {
            "title": self.title,
            "title_generated": self.title_generated,
            "subtitle": self.subtitle,
            "author": self.author,
            "organization": self.organization,
            "body": self.body,
            "is_fragment": self.is_fragment,
            "themes": list(self.themes),
            "script": self.script,
            "warnings": list(self.warnings),
        }


@dataclass
class CollectionDraft:
    title: str | None = None
    title_raw: str | None = None
    description: str = ""
    declared_essay_count: int | None = None
    page: tuple[int, int] | None = None
    date: PartialDate | None = None
    script: str = "unknown"
    site: str = ""

    def as_json(self) -> dict:
        return {
            "title": self.title,
            "declared_essay_count": self.declared_essay_count,
            "page": list(self.page) if self.page else None,
            "script": self.script,
            "date": str(self.date) if self.date else None,
            "description": self.description,
        }


@dataclass
class ParsedDocument:
    name: str
    text: str  # exact decoded text, before any cleanup
    encoding: str
    format: str  # "txt", "docx", "html"
    collection: CollectionDraft
    essays: list[EssayDraft]
    report: Report
    # Indexes of the parser's essays an editor dropped or merged into another (ingest.edits).
    withdrawn: list[int] = field(default_factory=list)
    # Every line's role (roles.editing.LineRole), when the parse was asked for them (the preview).
    line_roles: list = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "source": self.name,
            "encoding": self.encoding,
            "format": self.format,
            "collection": self.collection.as_json(),
            "essays": [e.as_json() for e in self.essays],
            "warnings": list(self.report.warnings),
            "report": self.report.as_dict(),
        }

    # Everything, for keeping a parse and reading it back (the admin's pending imports): as_json
    # above is the report's shape and leaves out the texts.
    STORED_FORMAT = 1

    def as_stored_json(self) -> dict:
        """Every field, in JSON types; from_json makes the same ParsedDocument of it."""
        return {
            "stored_format": self.STORED_FORMAT,
            "name": self.name,
            "text": self.text,
            "encoding": self.encoding,
            "format": self.format,
            "collection": asdict(self.collection),
            "essays": [asdict(e) for e in self.essays],
            # not asdict: it rebuilds a Counter from its (key, count) pairs
            "report": {
                "counts": dict(self.report.counts),
                "repairs": [asdict(r) for r in self.report.repairs],
                "warnings": list(self.report.warnings),
            },
            "withdrawn": list(self.withdrawn),
            "line_roles": [asdict(r) for r in self.line_roles],
        }

    @classmethod
    def from_json(cls, data: dict) -> ParsedDocument:
        """The ParsedDocument as_stored_json described. ValueError if it is not one."""
        if data.get("stored_format") != cls.STORED_FORMAT:
            raise ValueError(f"not a stored parse (format {data.get('stored_format')!r})")
        collection = dict(data["collection"])
        if collection.get("page") is not None:
            collection["page"] = tuple(collection["page"])
        if collection.get("date") is not None:
            collection["date"] = PartialDate(**collection["date"])
        report = data["report"]
        return cls(
            name=data["name"],
            text=data["text"],
            encoding=data["encoding"],
            format=data["format"],
            collection=CollectionDraft(**_known(CollectionDraft, collection)),
            essays=[EssayDraft(**_known(EssayDraft, e)) for e in data["essays"]],
            report=Report(
                counts=Counter(report["counts"]),
                repairs=[Repair(**r) for r in report["repairs"]],
                warnings=list(report["warnings"]),
            ),
            withdrawn=list(data.get("withdrawn", [])),
            line_roles=_line_roles(data.get("line_roles", [])),
        )


def _line_roles(rows: list[dict]) -> list:
    if not rows:
        return []
    from .roles.editing import LineRole  # the model's package loads only when roles were kept

    return [LineRole(**_known(LineRole, r)) for r in rows]


def _known(kind, values: dict) -> dict:
    """The values of the dataclass's own fields (a field added since is left to its default)."""
    names = {f.name for f in fields(kind)}
    return {k: v for k, v in values.items() if k in names}
