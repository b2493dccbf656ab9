"""The shipped mode's last step: where the line-role model is sure that a line segment put in an
essay's text is no text, or that the text starts a few short lines further down, its reading
wins; everywhere else segment's essays stay as they were."""

from essays.ingest import prepare
from essays.ingest.clean import clean
from essays.ingest.model import Report
from essays.ingest.roles.overrides import OVERRULE, START_BAR, overrule
from essays.ingest.segment import segment
from essays.ingest.sublines import split_lines

TITLE = "無聲的一堂課"
LEAD = "本文閱讀約需兩分鐘"  # furniture the rules do not know
FIRST = "今天上課時，老師規定我們一整節課都不能說話，大家都覺得很奇怪，也很好奇。"
SECOND = "下課以後，我才明白老師的用意：安靜下來，才聽得見別人的聲音，也聽得見自己的心。"


def parse(lines: list[str], labels: dict[int, tuple[str, float]], report: Report | None = None):
    """segment's essays for the text, then overruled by the given model roles (by source line)."""
    report = Report() if report is None else report
    extraction, text, widths = prepare("\n".join(lines).encode(), "page.txt", report)
    cleaned = clean(text, report, extraction.hints, widths)
    structure = segment(cleaned.lines, cleaned, report)
    by_start = {line.start: [(*labels.get(line.start, ("body", 0.99)), line.end)] for line in cleaned.lines}
    before = [[structure.lines[i].text for i in e.body] for e in structure.essays]
    after = overrule(structure, cleaned, by_start, report)
    return before, [[after.lines[i].text for i in e.body] for e in after.essays], after


def test_short_lines_above_where_the_model_sees_the_text_start_leave_the_essay():
    before, after, structure = parse([TITLE, LEAD, FIRST, SECOND], {2: ("start", START_BAR)})
    assert before == [[LEAD, FIRST, SECOND]]  # what segment alone makes of it
    assert after == [[FIRST, SECOND]]
    assert structure.essays[0].title == TITLE


def test_a_sentence_above_the_models_start_stays_in_the_text():
    lines = [TITLE, "那天的事，我到現在還記得很清楚。", FIRST, SECOND]
    before, after, _ = parse(lines, {2: ("start", 0.99)})
    assert after == before == [[lines[1], FIRST, SECOND]]


def test_a_line_the_model_is_sure_is_no_text_leaves_the_body_and_an_unsure_one_stays():
    lines = [TITLE, FIRST, LEAD, SECOND]
    _, sure, _ = parse(lines, {2: ("chrome", OVERRULE)})
    _, unsure, _ = parse(lines, {2: ("chrome", OVERRULE - 0.05)})
    assert sure == [[FIRST, SECOND]]
    assert unsure == [[FIRST, LEAD, SECOND]]


def test_a_line_the_model_reads_as_a_byline_leaves_the_text_and_stays_the_essays():
    lines = [TITLE, "林芯悟 新興國小四年級", FIRST, SECOND]
    before, after, structure = parse(lines, {1: ("byline", 0.9), 2: ("start", 0.9)})
    assert before == [lines[1:]]
    assert after == [[FIRST, SECOND]]
    essay = structure.essays[0]
    assert [structure.lines[i].text for i in essay.lines] == lines  # its title and byline with it


def test_a_reading_that_leaves_a_title_over_no_text_is_not_taken():
    lines = [TITLE, FIRST, SECOND]
    before, after, _ = parse(lines, {1: ("title", 0.95), 2: ("title", 0.95)})
    assert after == before


def test_the_rest_of_a_reading_stands_without_the_titles_that_leave_a_title_over_no_text():
    lines = [TITLE, FIRST, LEAD, SECOND]
    _, after, structure = parse(lines, {1: ("title", 0.95), 2: ("chrome", 0.95)})
    assert after == [[FIRST, SECOND]]
    assert structure.essays[0].title == TITLE


def test_the_model_overrules_the_piece_of_a_split_line_it_reads_as_a_byline():
    # "畢業感言      六年六班24號": the sub-line pass makes it a title and a byline piece, each
    # with its own label under the one source line
    report = Report()
    text = "\n".join(["畢業感言                      六年六班24號", FIRST, SECOND])
    extraction, text, widths = prepare(text.encode(), "page.txt", report)
    cleaned = clean(text, report, extraction.hints, widths)
    cleaned.lines = split_lines(cleaned.lines, cleaned.simplified, report)
    assert [line.start for line in cleaned.lines] == [0, 0, 1, 2]
    roles = [("title", 0.9), ("byline", 0.6), ("start", 0.9), ("body", 0.99)]
    by_start = {}
    for line, got in zip(cleaned.lines, roles, strict=True):
        by_start.setdefault(line.start, []).append((*got, line.end))
    structure = overrule(segment(cleaned.lines, cleaned, report), cleaned, by_start, report)
    [essay] = structure.essays
    assert essay.title == "畢業感言"
    assert [structure.lines[i].text for i in essay.body] == [FIRST, SECOND]


def test_the_page_title_over_its_one_untitled_essay_is_the_essays_title_where_the_model_is_sure():
    lines = ["开学第一课学生代表发言稿范文", "尊敬的老师、亲爱的同学们：", FIRST, SECOND]
    _, _, unsure = parse(lines, {0: ("title", OVERRULE - 0.05)})
    assert unsure.collection.title == lines[0]  # what segment alone makes of it
    assert unsure.essays[0].title_generated
    _, body, sure = parse(lines, {0: ("title", OVERRULE)})
    [essay] = sure.essays
    assert (essay.title, essay.title_generated) == (lines[0], False)
    assert sure.collection.title == lines[0]
    assert body == [lines[1:]]


def test_a_compilations_title_is_not_given_to_the_one_essay_the_page_shows():
    lines = ["新进员工入职培训心得（精选8篇）", "尊敬的老师、亲爱的同学们：", FIRST, SECOND]
    _, _, structure = parse(lines, {0: ("title", 0.99)})
    assert structure.essays[0].title != "新进员工入职培训心得（精选8篇）"
    assert structure.essays[0].title_generated


def test_short_lines_opening_the_text_before_its_first_paragraph_are_its_header():
    # the model reads them as body text too: their shape says they are not
    before, after, structure = parse([TITLE, LEAD, "心得分享", FIRST, SECOND], {})
    assert before == [[LEAD, "心得分享", FIRST, SECOND]]  # what segment alone makes of it
    assert after == [[FIRST, SECOND]]
    assert structure.essays[0].title == TITLE


def test_the_texts_own_opening_lines_stay_in_it():
    for opening in (
        "親愛的老師們：",  # a salutation
        "一、前言",  # a section heading
        "第一段：引言",  # an outline's part
        "9月23日 星期五 晴",  # a diary's date
        "今天上課時，老師規定我們，",  # a clause going on below (a hard-wrapped paragraph)
    ):
        before, after, _ = parse([TITLE, opening, FIRST, SECOND], {})
        assert after == before == [[opening, FIRST, SECOND]], opening


def test_a_title_the_model_is_sure_of_above_the_text_is_the_essays():
    lines = ["臺灣護理教育學會", "參與培訓之心得與感想", "孫凡軻 護理系副教授", FIRST, SECOND]
    labels = {1: ("title", 0.95), 2: ("byline", 0.9)}
    before, after, structure = parse(lines, labels)
    assert before == [lines[1:]]  # segment took the site's name for the essay's title
    assert after == [[FIRST, SECOND]]
    [essay] = structure.essays
    assert (essay.title, essay.author) == ("參與培訓之心得與感想", "孫凡軻")
    # one it is unsure of is a subtitle under the title segment gave the essay
    _, after, structure = parse(lines, labels | {1: ("title", OVERRULE - 0.05)})
    assert after == [[FIRST, SECOND]]
    assert structure.essays[0].title == lines[0]


def test_the_report_tells_the_lines_shape_from_the_models_reading():
    report = Report()
    _, after, _ = parse([TITLE, LEAD, "心得分享", FIRST, SECOND], {}, report)
    assert after == [[FIRST, SECOND]]
    assert report.counts["header lines above the text"] == 2
    assert "line roles overruled by the model" not in report.counts
    report = Report()
    parse([TITLE, FIRST, LEAD, SECOND], {2: ("chrome", OVERRULE)}, report)
    assert report.counts["line roles overruled by the model"] == 1
    assert "header lines above the text" not in report.counts


def test_an_essay_whose_text_the_model_changed_keeps_segments_reading_of_its_title():
    # segment cuts the subtitle off the title line; the essay rebuilt around the model's chrome
    # would read the whole line as its title
    lines = ["苔花如米小 也学牡丹开——班主任工作点滴谈", FIRST, LEAD, SECOND]
    report = Report()
    extraction, text, widths = prepare("\n".join(lines).encode(), "page.txt", report)
    cleaned = clean(text, report, extraction.hints, widths)
    before = segment(cleaned.lines, cleaned, report)
    assert (before.essays[0].title, before.essays[0].subtitle) == (
        "苔花如米小 也学牡丹开",
        "——班主任工作点滴谈",
    )
    _, after, structure = parse(lines, {2: ("chrome", 0.95)})
    assert after == [[FIRST, SECOND]]
    assert (structure.essays[0].title, structure.essays[0].subtitle) == (
        "苔花如米小 也学牡丹开",
        "——班主任工作点滴谈",
    )
