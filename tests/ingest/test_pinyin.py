"""pinyin.strip_pinyin: converter annotations go, readings an essay explains stay."""

import re
from pathlib import Path

import pytest

from essays.ingest.model import Report
from essays.ingest.pinyin import HINT_END, LOST_HINT, READING_HINT, strip_pinyin
from essays.ingest.script import to_simplified

ROOT = Path(__file__).resolve().parents[2]
SEED_003 = ROOT / "seeds" / "003_b11e6ee3c82aea19.txt"
DEVSET = Path(__file__).resolve().parent.parent / "fixtures" / "devset" / "docs"
# An annotated document in miniature: readings after traditional-only characters.
ANNOTATED = "關(guān)于學(xué)習的體(tǐ)會,領(lǐng)導(dǎo)說要認(rèn)真學習。"
LEFTOVER = re.compile(r"[\u3400-\u9fff]\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")


def strip(text: str) -> tuple[str, Report]:
    report = Report()
    return strip_pinyin(text, report), report


def test_an_annotated_document_loses_its_annotations():
    text, report = strip(ANNOTATED)
    assert text == "關于學習的體會,領導說要認真學習。"
    assert report.counts["pinyin annotations removed"] == 6


def test_a_simplified_copy_of_an_annotated_page_loses_its_annotations():
    """Copies of converter output are converted back: the readings then sit on 关, 学, 领,
    still the characters the two scripts write differently."""
    text, report = strip("关(guān)于学(xué)习的体(tǐ)会,领(lǐng)导(dǎo)说要认(rèn)真学习。")
    assert text == "关于学习的体会,领导说要认真学习。"
    assert report.counts["pinyin annotations removed"] == 6


def test_a_simplified_essay_about_polyphonic_characters_with_some_variants_keeps_them():
    essay = "多音字:行(háng)业、得(děi)去、长(zhǎng)大、还(hái)是、重(zhòng)量、了(liǎo)解。" * 2
    text, _ = strip(essay)
    assert text == essay


def test_an_annotation_a_line_break_cut_in_two_is_removed_whole_and_the_lines_kept():
    for broken in ("關(guā\nn)于", "關\n(guān)于", "關(guān\n)于", "關(\nguān)于"):
        text, _ = strip(ANNOTATED.replace("關(guān)于", broken))
        assert text == "關\n于學習的體會,領導說要認真學習。", broken


def test_a_line_break_inside_brackets_that_hold_no_reading_stays_where_it_was():
    text, _ = strip(ANNOTATED + "(ab\nc)")
    assert text.endswith("學習。(ab\nc)")


def test_seed_003_loses_all_1975_annotations_and_keeps_its_lines():
    original = SEED_003.read_text("utf-8")
    text, report = strip(original)
    assert report.counts["pinyin annotations removed"] == 1975
    assert text.count("\n") == original.count("\n")
    assert LEFTOVER.findall(text) == []


def test_seed_003_keeps_its_real_parenthesised_text():
    text, _ = strip(SEED_003.read_text("utf-8"))
    for kept in (
        "(一)",
        "(二)",
        "(原石埠鎮)",
        "(即專業術語)",
        "(即俗語和方言)",
        "(我校另一掛職單位)",
        "(來源:文秘站 )",
    ):
        assert kept in text


@pytest.mark.parametrize(
    "name, convert",
    [("web-002.txt", str), ("web-005.txt", str), ("web-005.txt", to_simplified)],
    ids=["web-002", "web-005", "web-005-converted-to-simplified"],
)
def test_devset_pages_with_annotations_lose_them(name, convert):
    text, report = strip(convert((DEVSET / name).read_text("utf-8")))
    assert LEFTOVER.findall(text) == []
    assert report.counts["pinyin annotations removed"] >= 19


def test_an_essay_explaining_one_reading_keeps_it_and_the_report_says_so():
    text, report = strip("銀行(háng)的“行”字在這里讀作háng。")
    assert text == "銀行(háng)的“行”字在這里讀作háng。"
    assert report.counts["pinyin annotations kept (too few to be a converter's)"] == 1


def test_a_simplified_essay_about_polyphonic_characters_keeps_its_readings():
    essay = "多音字很多:银行(háng)、行(xíng)走、长(zhǎng)大、长(cháng)短、重(chóng)复、重(zhòng)量。" * 2
    text, _ = strip(essay)
    assert text == essay


@pytest.mark.parametrize("probe", ["(café)", "(Word)", "(China)", "(Běijīng)", "(一)", "(a)", "(b)"])
def test_latin_words_numbering_and_letters_are_never_taken_for_pinyin(probe):
    text, _ = strip(ANNOTATED + "使用" + probe + "軟件。")
    assert probe in text


def test_a_toneless_syllable_is_never_taken_for_pinyin():
    text, _ = strip(ANNOTATED + "我的(de)書。")
    assert "的(de)" in text


def test_a_reading_that_does_not_belong_to_the_character_is_kept():
    text, _ = strip(ANNOTATED + "中(háng)間。")
    assert "中(háng)" in text


def test_a_lost_character_with_its_annotation_becomes_a_repair_hint():
    text, report = strip(ANNOTATED + "通過當(dāng)?shù)氐報")
    assert text.endswith(f"通過當{LOST_HINT}shù{HINT_END}氐報")
    assert report.counts["damaged pinyin annotations turned into repair hints"] == 1


def test_a_lost_character_whose_parenthesis_survived_becomes_a_repair_hint():
    text, _ = strip(ANNOTATED + "因?(yàn)樽约")
    assert text.endswith(f"因{LOST_HINT}yàn{HINT_END}樽约")


def test_an_annotation_after_a_stray_trail_byte_becomes_a_reading_hint():
    text, _ = strip(ANNOTATED + "的捻樌M(jìn)行")
    assert text.endswith(f"的捻樌M{READING_HINT}jìn{HINT_END}行")


def test_damaged_forms_stay_as_they_are_in_a_document_without_annotations():
    text, report = strip("通過當?shù)氐報,樌M(jìn)行")
    assert text == "通過當?shù)氐報,樌M(jìn)行"
    assert not report.counts


def test_text_without_parentheses_or_question_marks_is_returned_as_is():
    text, report = strip("學習心得體會")
    assert text == "學習心得體會"
    assert not report.counts


def test_an_annotation_opening_the_text_is_kept_and_does_not_fail():
    text, report = strip("(guān)" + ANNOTATED)
    assert text == "(guān)關于學習的體會,領導說要認真學習。"
    assert report.counts["pinyin annotations removed"] == 6


def test_back_to_back_annotations_are_judged_by_the_character_before_each():
    # the second "(guān)" follows ")", not a character: it stays
    text, _ = strip(ANNOTATED + "關(guān)(guān)")
    assert text.endswith("關(guān)")


def test_toneless_parentheses_elsewhere_do_not_outvote_the_annotations():
    """The traditional-script share is of the annotations, not of every parenthesised syllable."""
    text = "我們關(guān)心這(zhè)些事業(yè)，發(fā)展時(shí)代。其他說明(an)與(ma)及(de)和(ge)或(la)。"
    report = Report()
    assert strip_pinyin(text, report) == "我們關心這些事業，發展時代。其他說明(an)與(ma)及(de)和(ge)或(la)。"
    assert report.counts["pinyin annotations removed"] == 5
