"""misdecoded.redecode: UTF-8 once read as Windows-1252 or Latin-1 is decoded back."""

from essays.ingest import parse_document
from essays.ingest.misdecoded import redecode
from essays.ingest.model import Report

TEXT = "学习心得体会\n通过这次学习，我深刻认识到理论学习的重要性。我们要不断加强学习，提高自身素质。\n"


def as_read_by(codec: str, text: str = TEXT) -> str:
    return text.encode("utf-8").decode(codec, errors="replace")


def test_text_read_as_latin_1_comes_back_whole_with_each_line_a_reviewable_repair():
    report = Report()
    assert redecode(as_read_by("latin-1"), report) == TEXT
    assert report.counts["lines decoded again from Windows-1252 mojibake"] == 2
    first = report.repairs[0]
    assert (first.kind, first.after, first.line) == ("misdecoded-utf8", "学习心得体会", 1)
    assert first.before == as_read_by("latin-1").split("\n")[0]


def test_bytes_windows_1252_has_no_letter_for_are_lost_and_each_character_is_marked():
    report = Report()
    fixed = redecode(as_read_by("cp1252"), report)
    # 理 重 要 要 不 提 hold bytes 0x81, 0x8D, 0x8F or 0x90: one mark for each character
    assert (
        fixed.split("\n")[1]
        == "通过这次学习，我深刻认识到〓论学习的〓〓性。我们〓〓断加强学习，〓高自身素质。"
    )
    assert report.counts["mojibake characters not recovered (〓)"] == 6
    assert any("〓" in w for w in report.warnings)


def test_latin_letters_in_a_chinese_essay_or_a_european_text_are_left_alone():
    for text in (
        "我们在巴黎的café里讨论了这本书，naïve的想法也值得尊重。",
        "Die Straße ist schön, und das Café hat geöffnet. Ça va très bien, merci à tous.",
        "Ã©tÃ©",  # too short to tell
    ):
        report = Report()
        assert redecode(text, report) == text
        assert not report.repairs


def test_a_misdecoded_file_imports_as_the_chinese_it_was():
    doc = parse_document(as_read_by("latin-1").encode("utf-8"), "mojibake.txt")
    assert doc.collection.title == "学习心得体会"
    assert doc.essays[0].body.startswith("通过这次学习，我深刻认识到理论学习的重要性。")
