"""A page's title kept where the model calls every line above the text chrome: the title line
between a site's furniture and the first sentence is chrome to it as often as a title, and
losing it leaves the page and its one essay untitled."""

from essays.ingest import PAGE_TITLE_ODDS, _keep_page_title, prepare
from essays.ingest.clean import clean
from essays.ingest.model import Report
from essays.ingest.roles.tag import MODEL, cleaned_odds

SITE = "乡村干部报网"
TITLE = "愿做一颗小草，点缀这一方沃土"
DATE = "微信公众号"
FIRST = "2023年盛夏时节，我踏上了前往靖安村的旅程，担任村书记助理，开始了为期两年的任职生涯。"
SECOND = "初抵靖安村，映入眼帘的是一幅幅充满田园风光的画卷，这乡村的美让我久久难忘。"


def cleaned_lines(lines: list[str]):
    report = Report()
    extraction, text, widths = prepare("\n".join(lines).encode(), "page.txt", report)
    return clean(text, report, extraction.hints, widths).lines


def roles_after(lines: list[str], roles: list[str]) -> tuple[list[str], list]:
    """The roles after the step, given the model's (confidence 0.8 each), and the lines."""
    cleaned = cleaned_lines(lines)
    assert [line.text for line in cleaned] == lines  # nothing here is the rules' chrome
    labels = [(role, 0.8) for role in roles]
    _keep_page_title(cleaned, labels, MODEL, True)
    return [label[0] for label in labels], cleaned


def test_the_likeliest_title_among_the_chrome_above_the_text_is_kept_as_the_title():
    lines = [SITE, TITLE, DATE, FIRST, SECOND]
    odds = cleaned_odds(cleaned_lines(lines), ("title", "collection"))
    assert odds[1] >= PAGE_TITLE_ODDS and odds[1] == max(odds[:3])
    roles, cleaned = roles_after(lines, ["chrome", "chrome", "chrome", "start", "body"])
    assert roles == ["chrome", "title", "chrome", "start", "body"]
    assert cleaned[1].hint == "title"  # segment then reads it as the title, not as text


def test_a_page_the_model_gives_a_title_is_left_as_it_is():
    roles, _ = roles_after([SITE, TITLE, DATE, FIRST, SECOND], ["chrome", "title", "chrome", "start", "body"])
    assert roles == ["chrome", "title", "chrome", "start", "body"]
    roles, _ = roles_after(
        [SITE, TITLE, DATE, FIRST, SECOND], ["chrome", "collection", "chrome", "start", "body"]
    )
    assert roles == ["chrome", "collection", "chrome", "start", "body"]


def test_nothing_is_kept_over_a_line_the_model_keeps_between_the_chrome_and_the_text():
    # the line it keeps may be the title segment will take: the chrome above it stays chrome
    lines = [SITE, TITLE, DATE, "读后感", FIRST, SECOND]
    roles, _ = roles_after(lines, ["chrome", "chrome", "chrome", "subtitle", "start", "body"])
    assert roles == ["chrome", "chrome", "chrome", "subtitle", "start", "body"]


def test_a_byline_is_never_taken_for_the_title():
    lines = ["作者：高淑丽 家管", FIRST, SECOND]
    roles, _ = roles_after(lines, ["chrome", "start", "body"])
    assert roles == ["chrome", "start", "body"]
    lines = ["◎关怀计划负责人 朱俐珊", FIRST, SECOND]
    roles, _ = roles_after(lines, ["chrome", "start", "body"])
    assert roles == ["chrome", "start", "body"]


def test_segment_then_titles_the_page_and_its_essay_with_it():
    from essays.ingest.segment import segment

    report = Report()
    lines = [SITE, TITLE, DATE, FIRST, SECOND]
    extraction, text, widths = prepare("\n".join(lines).encode(), "page.txt", report)
    cleaned = clean(text, report, extraction.hints, widths)
    labels = [("chrome", 0.8)] * 3 + [("start", 0.9), ("body", 0.9)]
    _keep_page_title(cleaned.lines, labels, MODEL, True)
    # the model's chrome leaves the page, as the import takes it out
    cleaned.lines = [line for line, got in zip(cleaned.lines, labels, strict=True) if got[0] != "chrome"]
    structure = segment(cleaned.lines, cleaned, report)
    assert structure.collection.title == TITLE
    assert [e.title for e in structure.essays] == [TITLE]
