"""Downloads and provenance, as pure text code (no Django imports).

The views turn models into the plain dataclasses of `model`; `word` and `plain` turn those
into .docx and .txt bytes in the reader's script; `source_span` finds an essay in the source
document it came from, for the staff provenance page.
"""

from .model import ExportCollection, ExportEssay, download_filename, is_web_url, reader_source, source_label
from .plain import collection_text, essay_text
from .source_span import Span, cleanup_label, locate_span, repair_lines_in, repair_rows, unify_newlines
from .word import collection_docx, essay_docx

__all__ = [
    "ExportCollection",
    "ExportEssay",
    "Span",
    "cleanup_label",
    "collection_docx",
    "collection_text",
    "download_filename",
    "essay_docx",
    "essay_text",
    "locate_span",
    "repair_lines_in",
    "repair_rows",
    "is_web_url",
    "reader_source",
    "source_label",
    "unify_newlines",
]
