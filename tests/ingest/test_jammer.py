"""A forum post copied with its anti-copy noise (Discuz's "jammer": ASCII scraps hidden in the
page) comes out as its text; text that merely looks like it is left alone."""

from essays.ingest import parse_document
from essays.ingest.clean import clean
from essays.ingest.model import Report

POST = """“学史明理”专题学习体会 ; k: m3 }# h7 L3 U& q8 K4 R5 b
( I) q3 p! j' C$ t b/ y5 k毛委员说过，读历史，是智慧的事。 " d7 ?( S1 g) ]$ R8 @
# o8 k9 Z- |9 n8 ~; O5 h; P3 D* \\* r& ]& e你要增加智慧吗？史书不可不读。
q, N" {! W4 }% _: U5 f) v
历史是最好的教科书，也是丰富的营养剂。今年是中国共产党成立100周年，在全党开展党史学习教育。
"""


def test_the_noise_is_cut_and_every_word_of_the_post_kept():
    doc = parse_document(POST.encode(), "post.txt")
    [essay] = doc.essays
    assert essay.title == "“学史明理”专题学习体会"
    assert essay.body.split("\n")[:2] == [
        "毛委员说过，读历史，是智慧的事。",
        "你要增加智慧吗？史书不可不读。",
    ]
    assert not any(scrap in essay.body for scrap in ("m3", "}#", "d7", "U5"))
    assert doc.report.counts["forum anti-copy noise removed"] >= 5
    assert "营养剂" in essay.body


def test_a_line_of_nothing_but_noise_is_removed_with_its_reason():
    cleaned = clean(POST, Report())
    assert (3, 'q, N" {! W4 }% _: U5 f) v', "anti-copy noise") in cleaned.removed


def test_a_formula_or_a_single_run_is_not_noise():
    text = (
        "数学学习心得\n"
        "老师说 x + y = z - 1 这样的式子要先移项再化简，我照着做了很多遍。\n"
        "那天我在黑板上写下 a1 b2 c3 d4 e5 f6 这几个记号，同学们都笑了。\n"
    )
    cleaned = clean(text, Report())
    assert [line.text for line in cleaned.lines][1:] == text.strip().split("\n")[1:]
