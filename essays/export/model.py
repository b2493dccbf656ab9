"""What a download holds, already in the reader's script.

The views fill these from models; everything downstream is plain Python. Conversion happens
here, once per field (a body is converted whole, then split into paragraphs), so the .docx
and the .txt can never disagree about the script.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from ..conversion import HANS, HANT, show_in
from ..ingest.script import detect_script

FILENAME_LENGTH = 80  # characters; browsers and Windows cope with far more, readers do not
# Characters Windows refuses in file names, and path separators everywhere.
_UNSAFE_FILENAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def converter(script: str, original: str | None = None) -> Callable[[str], str]:
    """The reader's script as the reading pages show it: "hant" Traditional, else Simplified.

    Text already in that script is kept as written (essays.conversion.show_in); `original`
    is its stored script, else each text's own characters decide.
    """
    target = HANT if script == HANT else HANS
    return lambda text: show_in(text, target, original)


def text_lines(text: str) -> list[str]:
    """The non-blank lines of a stored text. A "\r" saved by an older admin form (browsers
    submit "\r\n") is a line end, not part of a line: kept, it became "\r\r\n" in a .txt and
    a line break inside a Word paragraph."""
    return [line for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n") if line.strip()]


@dataclass(frozen=True)
class ExportEssay:
    title: str
    body: str  # paragraphs separated by "\n", as stored
    subtitle: str = ""
    author: str = ""
    organization: str = ""
    collection_title: str = ""
    source: str = ""  # a web address or a site (reader_source), never a file name

    @property
    def paragraphs(self) -> list[str]:
        return text_lines(self.body)

    def in_script(self, script: str) -> ExportEssay:
        # Title and subtitle are too short to tell their script: the body's decides for them.
        convert_text = converter(script, detect_script(self.body))
        convert = converter(script)
        # Sources are URLs and file names: shown exactly as stored.
        return replace(
            self,
            title=convert_text(self.title),
            body=convert_text(self.body),
            subtitle=convert_text(self.subtitle),
            author=convert(self.author),
            organization=convert(self.organization),
            collection_title=convert(self.collection_title),
        )


@dataclass(frozen=True)
class ExportCollection:
    title: str
    essays: list[ExportEssay] = field(default_factory=list)  # in reading order
    description: str = ""
    date: str = ""
    site: str = ""
    source: str = ""

    @property
    def description_lines(self) -> list[str]:
        return text_lines(self.description)

    def in_script(self, script: str) -> ExportCollection:
        convert = converter(script)
        return replace(
            self,
            title=convert(self.title),
            description=convert(self.description),
            date=convert(self.date),
            site=convert(self.site),
            essays=[essay.in_script(script) for essay in self.essays],
        )


def download_filename(title: str, suffix: str, *, fallback: str) -> str:
    """A file name from a title: safe on Windows, of readable length, never empty.

    Chinese stays Chinese; the response header carries it RFC 5987-encoded.
    """
    name = unicodedata.normalize("NFC", title or "")
    name = " ".join(_UNSAFE_FILENAME.sub(" ", name).split()).strip(" .")
    name = name[:FILENAME_LENGTH].rstrip(" .")
    return f"{name or fallback}.{suffix}"


def source_label(url: str, name: str) -> str:
    """A source's label on staff pages: the URL, else the file name without the importer's
    folders (which are nobody's business), Windows paths included."""
    if url:
        return url
    return (name or "").replace("\\", "/").rsplit("/", 1)[-1]


def is_web_url(value) -> bool:
    """True for http(s) addresses, the only sources worth linking (never javascript: etc.)."""
    return isinstance(value, str) and value.strip().lower().startswith(("http://", "https://"))


def reader_source(*candidates: str) -> str:
    """What a reader is told a text came from: the first web address among the candidates,
    else the first that is not a file name (a site or publisher); never an imported file's
    name, which says nothing to a reader (000_bbc99b2e8a98fb40.txt)."""
    for value in candidates:
        if is_web_url(value):
            return value.strip()
    for value in candidates:
        if value and value.strip() and not _looks_like_file_name(value):
            return value.strip()
    return ""


_FILE_SUFFIX = re.compile(r"\.(?:txt|text|docx?|html?|xhtml|shtml|pdf|rtf)$", re.I)


def _looks_like_file_name(value: str) -> bool:
    return bool(_FILE_SUFFIX.search(value.strip())) or "/" in value or "\\" in value
