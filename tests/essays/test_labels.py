"""Editors read the pipeline's reports in Chinese: every key it emits has a name in the one
catalogue (essays.labels), and warnings and refusals are translated where they are shown."""

import ast
import inspect
import re
from pathlib import Path

import pytest

from essays import labels
from essays.ingest import chrome, clean, decode, doc_head, furniture, parse_document
from essays.ingest.model import IngestError
from essays.ingest.roles.corpus import CORPUS

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
# Names that stay Latin in Chinese text: formats, encodings, standards.
LATIN_OK = re.compile(
    r"(?:Unicode|NFC|SEO|UTF-\d+|GB\d*|GBK|Big5|Windows|Word|docx|doc|RTF|ZIP|NUL|HTML|Markdown|Office|"
    r"PNG|JPEG|GIF|PDF|gzip|RAR|7-Zip|txt)"
)


def english_words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z]{2,}", LATIN_OK.sub("", text))


def test_every_chrome_reason_the_cleanup_can_give_has_a_chinese_name():
    # The reasons are the string literals chrome_reason (and the rules it asks) returns and the
    # cleanup's drop() gets.
    reasons = {
        node.value.value
        for node in ast.walk(ast.parse(inspect.getsource(chrome)))
        if isinstance(node, ast.Return)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    }
    reasons |= {
        node.args[1].value
        for module in (clean, doc_head, furniture)
        for node in ast.walk(ast.parse(inspect.getsource(module)))
        if isinstance(node, ast.Call)
        and (getattr(node.func, "id", None) or getattr(node.func, "attr", None)) == "drop"
        and len(node.args) == 2
        and isinstance(node.args[1], ast.Constant)
    }
    assert len(reasons) > 25
    for reason in reasons:
        label = labels.cleanup_label(f"chrome line removed: {reason}")
        assert english_words(label) == [], (reason, label)


def test_every_action_and_warning_on_the_fixtures_reads_in_chinese():
    actions, warnings, refusals = set(), set(), set()
    sources = [
        (p.read_bytes(), p.name) for p in FIXTURES.glob("*.*") if p.suffix in (".txt", ".html", ".docx")
    ]
    sources += [(p.read_bytes(), p.name) for p in (FIXTURES / "devset" / "docs").iterdir()]
    # and every real page of the corpus: steps such as the line-role model overruling segment
    # fire on pages of kinds the fixtures lack
    sources += [(p.read_bytes(), p.name) for p in sorted((CORPUS / "docs").iterdir())]
    mojibake = "学习心得体会\n通过这次学习，我深刻认识到重要性。\u3000提高\u00a0自身\u200b素质。\r\n"
    sources.append((mojibake.encode("utf-8").decode("cp1252", errors="replace").encode("utf-8"), "m.txt"))
    sources.append(("学习心得\n我们要认真学习，坚定理想信念，牢记初心使命，立足岗位".encode(), "cut.txt"))
    for data, name in sources:
        try:
            parsed = parse_document(data, name)
        except IngestError as exc:
            refusals.add(exc.reason)
            continue
        actions |= set(parsed.report.counts)
        warnings |= set(parsed.report.warnings)
        warnings |= {w for e in parsed.essays for w in e.warnings}
    assert len(actions) > 40 and "truncated: the text ends mid-sentence" in warnings
    for key in actions:
        assert english_words(labels.say(key)) == [], key
    for text in warnings | refusals:
        assert english_words(labels.say(text)) == [], text


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"", "empty.txt"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old.doc"),
        (b"{\\rtf1\\ansi hello}", "a.rtf"),
        (b"PK\x03\x04broken", "broken.docx"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "picture.txt"),
        (b"\xff\xfe" + "学习".encode("utf-16-le")[:-1], "cut16.txt"),
        ("学习心得体会".encode()[:-1], "cut8.txt"),
        (bytes(range(0x80, 0x100)) * 4, "noise.txt"),
    ],
)
def test_parser_refusals_read_in_chinese(data, name):
    with pytest.raises(IngestError) as caught:
        parse_document(data, name)
    shown = labels.say(str(caught.value))
    assert english_words(shown.replace(name, "")) == [], shown
    assert shown.startswith(f"{name}：")


def test_every_kind_of_binary_file_is_named_in_chinese():
    for _, kind in decode.MAGIC_NUMBERS:
        shown = labels.say(f"a.txt: looks like binary data ({kind})")
        assert english_words(shown.replace("a.txt", "")) == [], shown


def test_encodings_scripts_and_formats_are_named_in_chinese():
    assert labels.say("simplified") == "简体" and labels.say("traditional") == "繁体"
    assert labels.say("gb18030") == "GB18030（国标）"
    assert labels.say("html") == "网页"
    # Unknown text is left alone, not garbled.
    assert labels.say("第 3 篇") == "第 3 篇"
