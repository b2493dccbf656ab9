"""Unicode hygiene and punctuation width. (Stub.)"""

import unicodedata

from .model import Report


def hygiene(text: str, report: Report) -> str:
    """NFC, unified line endings, control and zero-width characters dropped. Never NFKC.

    Keeps the number of lines unchanged apart from line-ending unification."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    return unicodedata.normalize("NFC", text)


def punctuation(text: str, report: Report) -> str:
    """ASCII ,:;()?! to full width in Chinese context. Keeps the number of lines."""
    return text
