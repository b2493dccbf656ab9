"""Marked text as HTML: every piece escaped, only our own <mark> tags added."""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from .highlight import Segment, marked, snippet
from .tokens import parse_query


def segments_html(segments: list[Segment]) -> SafeString:
    return format_html_join(
        "", "{}", ((format_html("<mark>{}</mark>", text) if hit else text,) for text, hit in segments)
    )


def marked_html(text: str, needles: tuple[str, ...]) -> SafeString:
    return segments_html(marked(text, needles))


def snippet_html(text: str, needles: tuple[str, ...]) -> SafeString:
    return segments_html(snippet(text, needles))


def highlighted_paragraphs(paragraphs: list[str], query_text: str | None) -> list:
    """Paragraphs with the words of `query_text` marked (the essay page's ?hl=); as-is without."""
    needles = parse_query(query_text).needles if query_text else ()
    if not needles:
        return paragraphs
    return [marked_html(p, needles) for p in paragraphs]
