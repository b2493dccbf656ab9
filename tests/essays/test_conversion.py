"""Conversion between the scripts: the author's characters kept, phrases converted right."""

from pathlib import Path

import pytest

from essays.conversion import HANS, HANT, convert_to, load_phrases, show_in

PHRASES = Path(__file__).parent / "data" / "script_phrases.tsv"


def corpus_phrases():
    rows = []
    for line in PHRASES.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            simplified, traditional, direction, source = line.split("\t")
            rows.append((simplified, traditional, direction, source))
    return rows


ROWS = corpus_phrases()


def test_the_phrase_list_is_a_few_hundred_real_phrases_both_ways():
    """Enough rows to mean something, from both Simplified and Traditional originals."""
    both = [r for r in ROWS if r[2] == "both"]
    assert len(ROWS) >= 500
    assert len(both) >= 400
    assert {r[3].split("/")[0] for r in ROWS} == {"corpus", "seeds"}
    assert not any("frozen" in r[3] for r in ROWS)


def test_every_corpus_phrase_converts_simplified_to_traditional():
    wrong = [
        f"{s} → {convert_to(s, HANT)}（应为 {t}，{src}）"
        for s, t, direction, src in ROWS
        if direction in ("both", "简→繁") and convert_to(s, HANT) != t
    ]
    assert wrong == []


def test_every_corpus_phrase_converts_traditional_to_simplified():
    wrong = [
        f"{t} → {convert_to(t, HANS)}（应为 {s}，{src}）"
        for s, t, direction, src in ROWS
        if direction in ("both", "繁→简") and convert_to(t, HANS) != s
    ]
    assert wrong == []


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [
        ("發揮著黨的作用", "发挥着党的作用"),  # seed 001: 著 as a verb suffix is 着
        ("帶著問題學", "带着问题学"),
        ("影響著基層", "影响着基层"),
        ("一本著作", "一本著作"),  # … but not in 著作, 显著
        ("效果顯著", "效果显著"),
        ("乾淨整潔", "干净整洁"),
        ("朗朗乾坤", "朗朗乾坤"),
        ("頭髮花白", "头发花白"),
        ("吃麵條", "吃面条"),
        ("今後的工作", "今后的工作"),
        ("在這裏", "在这里"),
    ],
)
def test_one_to_many_characters_to_simplified(traditional, simplified):
    assert convert_to(traditional, HANS) == simplified


@pytest.mark.parametrize(
    ("simplified", "traditional"),
    [
        ("焦干院的老师", "焦幹院的老師"),  # seed 000: the 焦裕禄干部学院, not 乾 (dry)
        ("好干部", "好幹部"),
        ("纪检监察干部", "紀檢監察幹部"),
        ("若干部门", "若干部門"),
        ("干净整洁", "乾淨整潔"),
        ("深入了解", "深入了解"),
        ("指明了方向", "指明了方向"),
        ("头发花白", "頭髮花白"),
        ("奖学金发放", "獎學金發放"),
        ("吃面条", "吃麵條"),
        ("者和面试官", "者和面試官"),
        ("今后的工作", "今後的工作"),
        ("看完这部电影后", "看完這部電影後"),
        ("在这里", "在這裡"),
        ("一公里", "一公里"),
        ("发挥着作用", "發揮著作用"),
    ],
)
def test_one_to_many_characters_to_traditional(simplified, traditional):
    assert convert_to(simplified, HANT) == traditional


def test_a_text_in_the_readers_script_is_left_as_written():
    """A Traditional original shown in 繁 keeps 了解 and 里 (OpenCC would give 瞭解, 裡)."""
    original = "我們深入了解鄰里的情況，發揮著作用。"

    assert show_in(original, HANT, "traditional") == original
    assert show_in("我们了解这里。", HANS, "simplified") == "我们了解这里。"


def test_a_text_in_the_other_script_is_converted():
    assert show_in("我們了解這裏，發揮著作用。", HANS, "traditional") == "我们了解这里，发挥着作用。"
    assert show_in("干部了解情况", HANT, "simplified") == "幹部了解情況"


def test_without_a_stored_script_the_characters_decide():
    assert show_in("這裏的幹部", HANT) == "這裏的幹部"
    assert show_in("这里的干部", HANT) == "這裡的幹部"


def test_project_corrections_keep_the_length():
    """Offsets into a text (search marks, paragraph anchors) stay valid after conversion."""
    for target, table in load_phrases().items():
        assert table, target
        assert all(len(wrong) == len(right) for wrong, right in table.items())


def test_a_malformed_correction_names_its_line(tmp_path):
    path = tmp_path / "phrases.tsv"
    path.write_text("# comment\n繁\t乾部\t幹部們\tlonger\n", encoding="utf-8")

    with pytest.raises(ValueError, match="第 2 行"):
        load_phrases(path)
