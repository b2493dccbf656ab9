"""mojibake.repair_mojibake: GBK one-byte-shift damage repaired, clean text untouched."""

import json
import re
from pathlib import Path

import pytest

from essays.ingest.model import Report
from essays.ingest.mojibake import LOST_MARK, _Model, repair_mojibake
from essays.ingest.normalize import hygiene
from essays.ingest.pinyin import LOST_HINT, READING_HINT, strip_pinyin

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
FIXTURES = ROOT / "tests" / "fixtures"
DEVSET = Path(__file__).resolve().parent.parent / "fixtures" / "devset" / "docs"
CLEAN_SEEDS = ["000", "001", "002", "004"]
PLACEHOLDERS = re.compile("[\ue000-\ue002]")


def seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text("utf-8")


def prepared(text: str, report: Report) -> str:
    """The text as the pipeline hands it to the mojibake stage."""
    return strip_pinyin(hygiene(text, report), report)


def repaired(text: str) -> tuple[str, str, Report]:
    report = Report()
    before = prepared(text, report)
    return before, repair_mojibake(before, report), report


def without_hints(text: str) -> str:
    text = re.sub(f"{LOST_HINT}([^\ue001]*)\ue001", r"?\1)", text)
    return re.sub(f"{READING_HINT}([^\ue001]*)\ue001", r"(\1)", text)


def edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


@pytest.fixture(scope="module")
def seed_003():
    before, after, report = repaired(seed("003"))
    return before, after, report


@pytest.fixture(scope="module")
def sites():
    return json.loads((FIXTURES / "mojibake_seed003_sites.json").read_text("utf-8"))["sites"]


def site_outcomes(before: str, after: str, sites) -> tuple[dict, list[str], list[str]]:
    """Classify every labelled site; return the outcomes and the lines with sites masked."""
    outcomes = {"fully": 0, "partly": 0, "unchanged": 0, "worse": 0}
    lines_before = without_hints(before).split("\n")
    lines_after = after.split("\n")
    for site in sites:
        number = site["line"] - 1
        line = lines_after[number]
        start = line.find(site["before"])
        end = line.find(site["after"], start + len(site["before"]))
        middle = line[start + len(site["before"]) : end] if start >= 0 and end >= 0 else None
        middle = middle.translate({0xFF0C: ",", 0xFF1F: "?", 0xFF01: "!"}) if middle is not None else None
        if middle == site["expected"]:
            outcomes["fully"] += 1
        elif middle == site["damaged"]:
            outcomes["unchanged"] += 1
        elif middle is not None and edit_distance(middle, site["expected"]) < edit_distance(
            site["damaged"], site["expected"]
        ):
            outcomes["partly"] += 1
        else:
            outcomes["worse"] += 1
        if middle is not None:
            lines_after[number] = line[: start + len(site["before"])] + "<site>" + line[end:]
        old = lines_before[number]
        at = old.find(site["before"] + site["damaged"] + site["after"]) + len(site["before"])
        lines_before[number] = old[:at] + "<site>" + old[at + len(site["damaged"]) :]
    return outcomes, lines_before, lines_after


@pytest.mark.parametrize("prefix", CLEAN_SEEDS)
def test_a_clean_seed_comes_out_byte_identical_with_no_repairs(prefix):
    before, after, report = repaired(seed(prefix))
    assert after == before
    assert report.repairs == []
    assert "mojibake sites repaired" not in report.counts


def test_a_genuine_question_mark_in_a_clean_document_is_never_touched():
    _, after, _ = repaired(seed("000"))
    assert "怎么做?焦书记" in after


def test_a_genuine_question_mark_survives_in_a_damaged_document_too():
    _, after, _ = repaired(seed("003") + "\n怎么做?焦书记说,要做到?")
    assert after.endswith("\n怎么做?焦书记说,要做到?")


def test_rare_characters_before_genuine_question_marks_are_not_rewritten():
    text = seed("000") + "\n饕餮纹样为何如此?鬯酒何用?龘字怎么读?\n他叫张犇?还是王淼?\n甲骨文嚞?鱻字?"
    before, after, report = repaired(text)
    assert after == before
    assert report.repairs == []


def test_seed_003_repairs_at_least_30_of_its_35_labelled_sites_fully_and_none_worse(seed_003, sites):
    before, after, _ = seed_003
    outcomes, _, _ = site_outcomes(before, after, sites)
    # 32 measured; the three partial ones are fluent but wrong (事業 for 事宜, 虛心/潛心...).
    assert outcomes["fully"] >= 30
    assert outcomes["worse"] == 0


def test_seed_003_is_changed_nowhere_outside_its_damaged_sites(seed_003, sites):
    before, after, _ = seed_003
    _, lines_before, lines_after = site_outcomes(before, after, sites)
    assert [i + 1 for i, (a, b) in enumerate(zip(lines_before, lines_after, strict=True)) if a != b] == []


@pytest.mark.parametrize(
    ("damaged", "expected"),
    [
        ("鍛煉?!皰炻殹笔且环N特殊", "鍛煉。“掛職”是一種特殊"),
        ("因?樽约悍止軋F市委", "因為自己分管團市委"),
        ("或?嵉亓私馇闆r,", "或實地了解情況,"),
        ("發展?摿Φ哪贻p干部們", "發展潛力的年輕干部們"),
        ("當?貓?刊", "當地報刊"),
        ("自身?勢", "自身優勢"),
        ("確?;顒拥捻樌M行", "確保活動的順利進行"),
        ("神話??傊ㄟ^學習", "神話。總之通過學習"),
        ("我非常^珍惜", "我非常珍惜"),
    ],
)
def test_seed_003_examples_from_the_research_are_repaired(seed_003, damaged, expected):
    _, after, _ = seed_003
    assert expected in after


def test_every_repair_is_recorded_with_before_after_and_its_line(seed_003):
    before, after, report = seed_003
    lines_before = without_hints(before).replace("?(", "?").split("\n")
    lines_after = after.split("\n")
    assert len(report.repairs) == report.counts["mojibake sites repaired"] >= 24
    for repair in report.repairs:
        assert repair.kind in ("mojibake", "unrecoverable")
        assert repair.before != repair.after
        assert repair.after in lines_after[repair.line - 1]
        assert repair.before.replace("?(", "?") in lines_before[repair.line - 1]


def test_seed_003_keeps_its_lines_and_no_placeholder_survives(seed_003):
    before, after, _ = seed_003
    assert after.count("\n") == before.count("\n")
    assert not PLACEHOLDERS.search(after)


def test_a_lost_character_that_cannot_be_recovered_becomes_a_geta_mark_with_a_warning():
    report = Report()
    text = repair_mojibake(f"我们{LOST_HINT}qqq\ue001好\n第二行", report)  # no such reading
    assert text == f"我们{LOST_MARK}好\n第二行"
    assert report.counts["mojibake characters not recovered (〓)"] == 1
    assert report.repairs[0].kind == "unrecoverable"
    assert any("could not be recovered" in warning for warning in report.warnings)


def test_private_use_characters_from_gbk_user_defined_glyphs_are_not_hints():
    report = Report()
    text = "造字\ue000與\ue001和\ue002留下"
    assert repair_mojibake(text, report) == text
    assert report.repairs == []


def test_a_reading_hint_alone_leaves_no_trace():
    report = Report()
    assert repair_mojibake(f"甲{READING_HINT}jìn\ue001乙", report) == "甲乙"
    assert report.repairs == []


@pytest.mark.parametrize(
    ("name", "damaged", "expected"),
    [
        ("web-002.txt", "時候?qū)W校", "時候學校"),
        ("web-005.txt", "做點事情!毕锣l(xiāng)其間", "做點事情!”下鄉其間"),
    ],
)
def test_devset_pages_have_their_damage_repaired(name, damaged, expected):
    path = DEVSET / name
    original = path.read_text("utf-8")
    assert damaged in original
    _, after, _ = repaired(original)
    assert expected in after


def test_text_without_any_damage_signal_costs_nothing_and_changes_nothing():
    report = Report()
    text = "学习心得体会。第二句话,第三句话。" * 1000
    assert repair_mojibake(text, report) == text
    assert not report.counts


def test_remembered_windows_read_as_a_new_search_would():
    """Windows are memoised across documents; a document penalising other characters of the
    other script must not reuse a reading its own search would not give."""
    lines = [line for line in seed("003").split("\n") if line.strip()]
    documents = ["\n".join(lines[::2]), "\n".join(lines[1::2]), "\n".join(lines[::3] + ["后来的业务"])]
    windows = _Model.get().windows
    for document in documents:
        before, remembered, remembered_report = repaired(document)
        saved = dict(windows)
        windows.clear()
        try:
            _, searched, searched_report = repaired(document)
        finally:
            windows.update(saved)
        assert remembered == searched
        assert remembered_report.repairs == searched_report.repairs


# Simplified text: GBK-shift damage without any pinyin hint -------------------------------------

# Made as seed 003's damage was (bench/mojibake_accuracy.py): the text encoded as GBK, the lead
# byte of one character lost, the rest read one byte over until a trail byte falls in ASCII
# (here "?", a pair GBK lacks). Simplified text misread this way yields GB2312's rarer
# characters, every one of them in the frequency table.
SIMPLIFIED_DAMAGE = [
    (
        "刚刚踏上兰考的土地时,谝桓芯跏呛臀矣∠笾星锾斓谋狈讲煌?,这里秋高气爽、蓝天白云",
        "刚刚踏上兰考的土地时,第一感觉是和我印象中秋天的北方不同,这里秋高气爽、蓝天白云",
    ),
    (
        "短短一周稍纵即逝,但是焦书堑母腥耸录?,已经深深印刻我心,难以忘怀。",
        "短短一周稍纵即逝,但是焦书记的感人事迹,已经深深印刻我心,难以忘怀。",
    ),
]


def test_gbk_shift_damage_in_a_simplified_document_is_found_and_repaired():
    clean = "我们要认真学习党的理论知识,加强党性修养,做一名合格的党员。"
    text = "\n".join([clean, SIMPLIFIED_DAMAGE[0][0], clean, SIMPLIFIED_DAMAGE[1][0], clean])

    _, after, report = repaired(text)

    assert after.split("\n") == [clean, SIMPLIFIED_DAMAGE[0][1], clean, SIMPLIFIED_DAMAGE[1][1], clean]
    assert {r.line for r in report.repairs} == {2, 4}
