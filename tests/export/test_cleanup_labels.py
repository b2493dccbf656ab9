"""Editors read the cleanup report in Chinese: every action the pipeline counts has a name."""

from pathlib import Path

from essays.export.source_span import cleanup_label
from essays.ingest import parse_document
from essays.ingest.model import IngestError

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def test_every_action_counted_on_the_fixtures_has_a_chinese_name():
    actions = set()
    sources = [p for p in (*FIXTURES.glob("*.*"), *(FIXTURES / "devset" / "docs").iterdir())]
    sources = [(p.read_bytes(), p.name) for p in sources if p.suffix in (".txt", ".html")]
    mojibake = "学习心得体会\n通过这次学习，我深刻认识到重要性。\u3000提高\u00a0自身\u200b素质。\r\n"
    sources.append((mojibake.encode("utf-8").decode("cp1252", errors="replace").encode("utf-8"), "m.txt"))
    for data, name in sources:
        try:
            actions |= set(parse_document(data, name).report.counts)
        except IngestError:
            continue
    assert len(actions) > 40
    assert sorted(a for a in actions if cleanup_label(a) == a) == []
