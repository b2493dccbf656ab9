"""normalize.hygiene and normalize.punctuation."""

from pathlib import Path

import pytest

from essays.ingest.model import Report
from essays.ingest.normalize import hygiene, punctuation

SEEDS = sorted((Path(__file__).resolve().parents[2] / "seeds").glob("*.txt"))


def clean(text: str) -> tuple[str, Report]:
    report = Report()
    return hygiene(text, report), report


def typeset(text: str) -> tuple[str, Report]:
    report = Report()
    return punctuation(text, report), report


# --- hygiene --------------------------------------------------------------------------------


def test_hygiene_unifies_windows_and_old_mac_line_endings():
    text, report = clean("甲\r\n乙\r丙\n丁")
    assert text == "甲\n乙\n丙\n丁"
    assert report.counts["line endings unified"] == 2


def test_hygiene_strips_the_byte_order_mark_and_zero_width_characters_counting_them():
    text, report = clean("\ufeff学\u200b习\u200c心\u200d得\u2060体会")
    assert text == "学习心得体会"
    assert report.counts["zero-width removed"] == 5


def test_hygiene_drops_control_characters_but_keeps_tabs_and_newlines():
    text, report = clean("甲\x00乙\x07\t丙\x85\n丁\x1b")
    assert text == "甲乙\t丙\n丁"
    assert report.counts["control characters removed"] == 4


def test_hygiene_composes_to_nfc():
    text, report = clean("cafe\u0301 lü")
    assert text == "café lü"
    assert report.counts["NFC normalised"] == 1


def test_hygiene_never_folds_full_width_punctuation_or_compatibility_characters():
    original = "心得，体会：（一）？！ＡＢＣ　１２３﹐㎡"
    assert clean(original)[0].replace(" ", "\u3000") == original


def test_hygiene_turns_no_break_spaces_into_spaces():
    text, report = clean("甲\u00a0乙\u202f丙")
    assert text == "甲 乙 丙"
    assert report.counts["no-break spaces replaced"] == 2


def test_hygiene_keeps_ideographic_space_indentation_but_not_inside_a_line():
    text, report = clean("\u3000\u3000第一段　内容\n\u3000第二段")
    assert text == "\u3000\u3000第一段 内容\n\u3000第二段"
    assert report.counts["ideographic spaces inside lines replaced"] == 1


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_hygiene_keeps_the_number_of_lines_of_every_seed(path):
    original = path.read_text("utf-8")
    assert clean(original)[0].count("\n") == original.count("\n")


def test_hygiene_keeps_the_number_of_lines_when_it_removes_characters():
    original = "\u200b\n\x00\n\ufeff\n"
    assert clean(original)[0] == "\n\n\n"


def test_hygiene_leaves_clean_text_alone_and_reports_nothing():
    text, report = clean("学习心得体会。\n第二行")
    assert text == "学习心得体会。\n第二行"
    assert not report.counts


# --- punctuation ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("学习,思考", "学习，思考"),
        ("如下:第一", "如下：第一"),
        ("第一;第二", "第一；第二"),
        ("为什么?因为", "为什么？因为"),
        ("好!走", "好！走"),
        ("句末,", "句末，"),
        ("好?!", "好？！"),
    ],
)
def test_ascii_marks_next_to_chinese_become_full_width(before, after):
    assert typeset(before)[0] == after


def test_a_mark_followed_by_chinese_converts_even_after_latin_text():
    assert typeset("使用Word,然后")[0] == "使用Word，然后"


def test_spaces_around_a_converted_mark_go_and_are_counted():
    text, report = typeset("你好 , 世界")
    assert text == "你好，世界"
    assert report.counts["spaces around punctuation removed"] == 2


@pytest.mark.parametrize(
    "text",
    [
        "共1,000人",
        "上午9:30开会",
        "增长3.5个百分点",
        "网址http://example.com/a?b=1,2",
        "Hello, world! How are you?",
        "20__年__月",
        "XX:YY",
    ],
)
def test_digits_times_urls_latin_text_and_blanks_are_left_alone(text):
    converted, report = typeset(text)
    assert converted == text
    assert not report.counts


def test_anonymised_blanks_survive_next_to_converted_marks():
    assert typeset("党的XX大,__年__月__日")[0] == "党的XX大，__年__月__日"


def test_straight_double_quotes_pair_up_within_a_line():
    text, report = typeset('坚持做"难而正确"的事,他说"好"')
    assert text == "坚持做“难而正确”的事，他说“好”"
    assert report.counts["straight quotes curled"] == 4


def test_an_odd_number_of_straight_quotes_in_a_line_is_left_alone():
    text, report = typeset('他说"开始\n然后"结束"')
    assert text == '他说"开始\n然后“结束”'


def test_latin_quotes_in_latin_text_stay_straight():
    assert typeset('He said "yes" twice.')[0] == 'He said "yes" twice.'


def test_parentheses_convert_as_a_pair_in_chinese_context():
    text, report = typeset("(一)总体要求,使用(Word)软件")
    assert text == "（一）总体要求，使用（Word）软件"
    assert report.counts["parentheses to full width"] == 4


def test_an_unmatched_parenthesis_is_never_converted():
    assert typeset("第一(未闭合")[0] == "第一(未闭合"
    assert typeset("未打开)第二")[0] == "未打开)第二"


def test_parentheses_in_latin_or_formulas_stay_ascii():
    assert typeset("f(x) = g(y)")[0] == "f(x) = g(y)"


def test_nested_parentheses_convert_pair_by_pair():
    assert typeset("说明(见附件(一))")[0] == "说明（见附件（一））"


def test_runs_of_three_or_more_dots_in_chinese_become_an_ellipsis():
    text, report = typeset("雪花......站在这里,等等...")
    assert text == "雪花……站在这里，等等……"
    assert report.counts["ellipses normalised"] == 2


def test_dots_in_latin_text_are_not_an_ellipsis():
    assert typeset("and so on... fine")[0] == "and so on... fine"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("那些话--拼上", "那些话——拼上"),
        ("越位”----做到", "越位”——做到"),
        ("甲—乙", "甲——乙"),
        ("甲―乙", "甲——乙"),
    ],
)
def test_dash_runs_in_chinese_become_a_double_em_dash(before, after):
    assert typeset(before)[0] == after


def test_a_correct_double_em_dash_and_a_latin_option_are_left_alone():
    text, report = typeset("—— 杏花岭法院\nrun --help now")
    assert text == "—— 杏花岭法院\nrun --help now"
    assert "dashes normalised" not in report.counts


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_punctuation_keeps_the_number_of_lines_of_every_seed(path):
    original = path.read_text("utf-8")
    assert typeset(original)[0].count("\n") == original.count("\n")


def test_the_nfkc_folded_seeds_come_out_with_full_width_commas():
    original = SEEDS[0].read_text("utf-8")
    text, report = typeset(original)
    assert "，" not in original
    assert text.count("，") >= 300
    assert report.counts["punctuation to full width"] >= 300
