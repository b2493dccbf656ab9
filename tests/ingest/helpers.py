"""Shared helpers for the ingest tests: fixture loading and running the pure stages."""

from pathlib import Path

from essays.ingest import parse_document
from essays.ingest.clean import clean
from essays.ingest.model import Report

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
ROOT = Path(__file__).resolve().parents[2]


def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text("utf-8")


def cleaned(name: str):
    report = Report()
    return clean(fixture_text(name), report), report


def parsed(name: str):
    return parse_document((FIXTURES / name).read_bytes(), name)


def bodies(doc) -> str:
    return "\n".join(e.body for e in doc.essays)
