"""The import pipeline: raw bytes -> ParsedDocument. Pure Python; never imports Django.

Stages, in order (each a module here): formats/decode -> normalize.hygiene -> pinyin ->
mojibake -> clean (chrome, counters, unwrap) -> normalize.punctuation -> segment -> themes.
"""

from .model import (
    CollectionDraft,
    EssayDraft,
    IngestError,
    ParsedDocument,
    PartialDate,
    Repair,
    Report,
)

__all__ = [
    "CollectionDraft",
    "EssayDraft",
    "IngestError",
    "ParsedDocument",
    "PartialDate",
    "Repair",
    "Report",
    "parse_document",
    "PIPELINE_VERSION",
]

PIPELINE_VERSION = "0"


def parse_document(data: bytes, name: str) -> ParsedDocument:
    """Parse one source file. Raises IngestError (naming the file) when it cannot be read.

    (Placeholder: first line is the title, the rest one essay.)"""
    from . import formats, mojibake, normalize, pinyin
    from .script import detect_script

    report = Report()
    extraction = formats.extract(data, name)
    text = normalize.hygiene(extraction.text, report)
    text = pinyin.strip_pinyin(text, report)
    text = mojibake.repair_mojibake(text, report)
    text = normalize.punctuation(text, report)
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if not lines:
        raise IngestError(name, "no text found")
    title, body = lines[0], "\n".join(lines[1:])
    essay = EssayDraft(title=title, body=body, script=detect_script(body), source_text=extraction.text)
    collection = CollectionDraft(title=title, script=essay.script)
    return ParsedDocument(
        name=name,
        text=extraction.text,
        encoding=extraction.encoding,
        format=extraction.format,
        collection=collection,
        essays=[essay],
        report=report,
    )
