"""Repair GBK byte-misalignment mojibake. (Stub.)"""

from .model import Report


def repair_mojibake(text: str, report: Report) -> str:
    """Gated: touches only documents that show damage. Keeps the number of lines."""
    return text
