"""Collection metadata, titles, bylines, boundaries and fragments: essays.ingest.segment."""

import pytest

from essays.ingest import parse_document
from essays.ingest.bylines import parse_bio, parse_byline
from essays.ingest.essay_parts import generated_title
from essays.ingest.names import is_name

from .helpers import fixture_text, parsed


def test_dash_byline_gives_author_and_organisation():
    b = parse_byline("—— 杏花嶺法院政治部張靜", "—— 杏花岭法院政治部张静")
    assert (b.author, b.organization) == ("張靜", "杏花嶺法院政治部")


def test_unit_and_name_glued_without_space_are_split():
    b = parse_byline("政府办综合办公室葛广磊", "政府办综合办公室葛广磊", bare=True)
    assert (b.author, b.organization) == ("葛广磊", "政府办综合办公室")


def test_job_title_is_left_out_of_the_organisation():
    b = parse_byline("市信访局局长  任立忱", "市信访局局长  任立忱", bare=True)
    assert (b.author, b.organization) == ("任立忱", "市信访局")


def test_dash_line_without_a_person_is_not_a_byline():
    assert parse_byline("——庆祝建党100周年", "——庆祝建党100周年") is None
    assert parse_byline("——赴兰考学习心得体会", "——赴兰考学习心得体会") is None


def test_closing_bio_gives_author_and_unit_without_job_title():
    line = "作者:邓学东,男,78岁,中国好人、全国离退休干部先进个人、长沙市开福区关工委副主任。"
    b = parse_bio(line, line)
    assert (b.author, b.organization) == ("邓学东", "长沙市开福区关工委")


def test_names_need_a_known_surname():
    assert is_name("张静") and is_name("欧阳修文") and is_name("葛广磊")
    assert not is_name("员额法官") and not is_name("三水老师") and not is_name("周年")


def test_court_column_essay_has_title_and_byline():
    doc = parsed("segment_court_column.txt")
    first = doc.essays[0]
    assert (first.title, first.author, first.organization) == (
        "牢守初心 篤定前行",
        "張靜",
        "杏花嶺法院政治部",
    )
    assert first.body.startswith("作為一名政工幹部")


def test_intro_of_a_column_is_the_collection_description():
    doc = parsed("segment_court_column.txt")
    assert doc.collection.description.startswith("為進一步深化")
    assert not any("為進一步深化" in e.body for e in doc.essays)


def test_page_title_repeated_as_an_essay_title_starts_that_essay():
    doc = parsed("segment_court_column.txt")
    assert [e.title for e in doc.essays] == ["牢守初心 篤定前行", "畫準政工幹部的“初心”像"]
    assert doc.essays[1].body.startswith("●政工幹部在工作中發揮的作用●")


def test_section_headings_with_bullets_stay_inside_the_essay():
    doc = parsed("segment_court_column.txt")
    assert "●政工幹部應當堅守四個牢記●" in doc.essays[1].body


def test_page_two_starts_with_a_fragment_of_an_earlier_essay():
    doc = parsed("segment_page_two.txt")
    fragment = doc.essays[0]
    assert fragment.is_fragment and fragment.title is None
    assert fragment.body.startswith("总之")
    assert doc.collection.page == (2, 2)


def test_titles_of_a_compilation_split_its_essays():
    doc = parsed("segment_page_two.txt")
    titles = [e.title for e in doc.essays[1:]]
    assert titles[1] == "焦桐下的思雨"
    assert titles[0].startswith("坚持做") and titles[2].startswith("追寻初心不改")


def test_verse_couplets_after_a_title_are_body_not_titles():
    doc = parsed("segment_page_two.txt")
    assert doc.essays[-1].body.split("\n")[0].startswith("初秋微风拂学院")
    assert len(doc.essays) == 4


def test_subtitle_after_dashes_is_not_an_author():
    doc = parsed("segment_poem_with_bio.txt")
    essay = doc.essays[0]
    assert essay.title == "颂党功 感党恩 跟党走"
    assert essay.subtitle == "——庆祝建党100周年"


def test_closing_bio_signs_the_poem_and_leaves_the_body():
    doc = parsed("segment_poem_with_bio.txt")
    essay = doc.essays[0]
    assert (essay.author, essay.organization) == ("邓学东", "长沙市开福区关工委")
    assert essay.body.endswith("誓为逐梦献人生")
    assert not essay.is_fragment


def test_a_closing_bio_hard_wrapped_onto_two_lines_still_signs_the_poem():
    text = fixture_text("segment_poem_with_bio.txt").replace("全国关心下一代工", "全国关心下一代工\n")
    doc = parse_document(text.encode(), "poem.txt")
    essay = doc.essays[0]
    assert (essay.author, essay.organization) == ("邓学东", "长沙市开福区关工委")
    assert essay.body.endswith("誓为逐梦献人生")


def test_stanza_headings_of_a_poem_do_not_split_it():
    doc = parsed("segment_poem_with_bio.txt")
    assert len(doc.essays) == 1
    assert doc.essays[0].body.startswith("颂党功")


def test_byline_split_over_a_label_line_and_a_name_line():
    doc = parsed("segment_split_author_line.txt")
    essay = doc.essays[0]
    assert (essay.title, essay.author, essay.organization) == ("教育培训心得体会", "窦智", "民事审判一庭")
    assert essay.body.startswith("在反法西斯胜利80周年之际")


def test_untitled_fanwen_compilation_splits_where_numbering_restarts():
    doc = parsed("segment_untitled_fanwen.txt")
    assert [e.body[:5] for e in doc.essays] == ["1、珍惜機", "一、初步了", "一、主要工", "不知不覺掛"]


def test_fanwen_compilation_is_named_by_the_editors_preface():
    doc = parsed("segment_untitled_fanwen.txt")
    assert doc.collection.title == "個人掛職總結"
    assert not any("本站小編" in e.body for e in doc.essays)


def test_untitled_essays_get_a_generated_title():
    doc = parsed("segment_untitled_fanwen.txt")
    assert all(e.title_generated and e.title for e in doc.essays)
    assert doc.essays[0].title == "珍惜機會、虛心學習"


def test_generated_title_is_the_first_clause_without_numbering():
    assert generated_title("一、主要工作回顧") == "主要工作回顧"
    assert generated_title("不知不覺掛職工作已過半,半年來,我自加壓力") == "不知不覺掛職工作已過半"
    # a clause of up to 30 characters whole; a longer one cut where a word surely ends, marked
    whole = "今天區委在這里召開二十年掛職干部座談會主要是為了總結"
    assert generated_title(whole) == whole
    long = "我们要把学到的理论知识和工作实际结合起来真正做到学以致用知行合一不断提高自己的本领"
    assert generated_title(long) == "我们要把学到的理论知识…"


def test_table_of_contents_anchors_titles_and_is_dropped():
    doc = parsed("segment_toc_compilation.txt")
    assert [e.title for e in doc.essays] == [
        "xx新区的见证者与建设者",
        "和农民交友与群众交心",
        "在基层增长才干提升为民办事服务本领",
    ]
    assert not any("目录" in e.body for e in doc.essays)
    assert doc.collection.declared_essay_count == 3


def test_unsigned_headings_inside_a_signed_essay_are_not_essays():
    doc = parsed("segment_signed_essay_headings.txt")
    assert len(doc.essays) == 1
    essay = doc.essays[0]
    assert (essay.title, essay.author) == ("怀赤子之心 践青衿之志", "林毅")
    assert essay.organization == "科技部中国科学技术信息研究所"
    assert "知识是翅膀" in essay.body


def test_decorated_page_titles_give_one_collection_title():
    doc = parsed("segment_signed_essay_headings.txt")
    assert doc.collection.title == "干部挂职锻炼体会"
    assert doc.collection.declared_essay_count == 2


def test_closing_signature_and_date_give_author_and_unit_and_leave_the_body():
    doc = parsed("segment_closing_signature.txt")
    [essay] = doc.essays
    assert (essay.author, essay.organization) == ("赵六", "某某局办公室")
    assert essay.body.endswith("一是加强理论学习。二是强化责任担当。")
    assert "2023年12月20日" not in essay.body
    assert not essay.is_fragment  # a date line last is not a sentence cut off
    assert "2023年12月20日" in doc.text  # kept with the source, as every removed line


def test_name_with_its_unit_in_brackets_after_a_label_is_a_byline():
    doc = parsed("segment_byline_name_and_unit.txt")
    [essay] = doc.essays
    assert (essay.author, essay.organization) == ("陳美玲", "臺北市某某協會")
    assert essay.body.startswith("參加這次研習營")
    assert essay.body.endswith("不斷提升自己。")  # the closing author note leaves the body
    assert not essay.is_fragment


def test_a_closing_line_is_a_signature_only_when_it_names_someone():
    # (a bare name is a signature when the line-role model reads it as a byline: its call)
    for closing, author in (("某某局办公室 赵六", "赵六"), ("共勉", None)):
        text = f"学习体会\n今天我们学习了党章，收获很大。\n{closing}\n"
        [essay] = parse_document(text.encode(), "closing.txt").essays
        assert essay.author == author, closing
        assert essay.body.endswith(closing if author is None else "收获很大。"), closing


def _compilation_docx(with_toc: bool, with_bylines: bool) -> bytes:
    import io

    import docx

    document = docx.Document()
    document.add_paragraph("青年干部培训班学员心得体会汇编", style="Title")
    document.add_paragraph("（2023年9月）")
    if with_toc:
        document.add_paragraph("目  录")
        document.add_paragraph("1. 在学习中成长 ……………………… 1")
        document.add_paragraph("2. 青春须奋斗 ………………………… 3")
    for title, byline, paragraphs in (
        (
            "在学习中成长",
            "县财政局  王明",
            ["这次培训内容丰富、形式多样，使我受益匪浅。", "通过学习，我更加深刻地认识到理论武装的重要性。"],
        ),
        (
            "青春须奋斗",
            "县教育局  李红",
            ["青年是国家的希望，民族的未来。", "我们要珍惜韶华，在奋斗中实现人生价值。"],
        ),
    ):
        document.add_heading(title, level=1)
        if with_bylines:
            document.add_paragraph(byline)
        for text in paragraphs:
            document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_word_headings_listed_in_the_contents_or_signed_are_essay_titles():
    for with_toc, with_bylines in ((True, False), (False, True), (True, True)):
        doc = parse_document(_compilation_docx(with_toc, with_bylines), "汇编.docx")
        assert [e.title for e in doc.essays] == ["在学习中成长", "青春须奋斗"], (with_toc, with_bylines)
        assert doc.essays[1].body == "青年是国家的希望，民族的未来。\n我们要珍惜韶华，在奋斗中实现人生价值。"
        assert str(doc.collection.date) == "2023-09"  # the date line under the title


def test_unlisted_unsigned_word_headings_stay_section_headings():
    doc = parse_document(_compilation_docx(with_toc=False, with_bylines=False), "汇编.docx")
    assert len(doc.essays) == 1
    assert "在学习中成长\n这次培训内容丰富" in doc.essays[0].body


def test_a_date_line_after_the_byline_leaves_the_body():
    text = "主题教育读书班学习体会\n市委党校 刘洋\n（2023年6月）\n按照主题教育安排，我参加了读书班。\n"
    [essay] = parse_document(text.encode(), "dated.txt").essays
    assert (essay.author, essay.organization) == ("刘洋", "市委党校")
    assert essay.body == "按照主题教育安排，我参加了读书班。"


def test_a_bare_essay_number_line_starts_an_essay_but_is_not_its_text():
    text = (
        "范文一\n当前，我们正处在实现中华民族伟大复兴的关键时期，我深感责任重大。\n"
        "范文二\n为期一周的培训转瞬即逝，回顾这几天的学习，我收获满满。\n"
    )
    doc = parse_document(text.encode(), "fanwen.txt")
    assert [e.body.split("\n")[0][:4] for e in doc.essays] == ["当前，我", "为期一周"]
    assert all(e.title_generated for e in doc.essays)
    assert doc.essays[1].title == "为期一周的培训转瞬即逝"


@pytest.mark.parametrize(
    ("line", "author", "organization"),
    [
        ("县财政局 王明 2023年9月", "王明", "县财政局"),  # the date it was signed
        ("作者：王明 单位：县财政局", "王明", "县财政局"),  # two labelled fields
        ("王明（县财政局）", "王明", "县财政局"),  # the unit in brackets after the name
        ("县财政局 王 明", "王明", "县财政局"),  # a two-character name spaced to three
        ("县委常委、组织部部长 王明", "王明", "组织部"),  # posts listed: the unit of the last
        ("县委常委、副县长 王明", "王明", "县委"),
        ("◎王明", "王明", None),  # a decoration before the name
        ("作者 王明", "王明", None),  # a label without its colon
        ("撰稿：王明", "王明", None),
        ("文／林志明（某某協會理事）", "林志明", "某某協會"),  # a post in the unit's bracket
    ],
)
def test_byline_forms_under_a_title(line, author, organization):
    text = f"学习体会\n{line}\n今天我们学习了党章，收获很大，我们要认真贯彻落实，做好各项工作。\n"
    [essay] = parse_document(text.encode(), "byline.txt").essays
    assert (essay.author, essay.organization) == (author, organization)
    assert essay.body.startswith("今天我们学习了党章")


@pytest.mark.parametrize(
    ("lines", "author", "organization"),
    [
        ("县财政局\n王明", "王明", "县财政局"),
        ("王明\n县财政局", "王明", "县财政局"),
        ("县财政局\n王 明", "王明", "县财政局"),
        ("作者：王明\n单位：县财政局", "王明", "县财政局"),
        ("县财政局", None, "县财政局"),  # a unit signs for itself
    ],
)
def test_a_byline_over_two_lines_under_a_title(lines, author, organization):
    """Short lines under a short title: a unit and a name, never a column of keyword tiles."""
    text = f"学习体会\n{lines}\n今天我们学习了党章，收获很大，我们要认真贯彻落实，做好各项工作。\n"
    doc = parse_document(text.encode(), "byline.txt")
    [essay] = doc.essays
    assert (doc.collection.title, essay.title) == ("学习体会", "学习体会")
    assert (essay.author, essay.organization) == (author, organization)
    assert essay.body.startswith("今天我们学习了党章")


def test_numbered_titles_above_their_own_sections_split_a_compilation():
    doc = parsed("segment_numbered_compilation.txt")
    assert [e.title for e in doc.essays] == ["读书让我更坚定", "在阅读中成长", "做新时代的读书人"]
    first, second, third = doc.essays
    assert "一、坚定理想信念" in first.body  # its sections stay inside it
    assert first.organization == "县委组织部"  # （作者系县委组织部干部）
    assert (second.author, second.organization) == ("李红", "县教育局")  # a closing signature
    assert third.organization == "县发改局"
    assert not any("县教育局" in e.body or "作者" in e.body for e in doc.essays)


def test_numbered_points_under_sections_do_not_split_a_collection_essay():
    text = (
        "学习心得汇编\n学习体会\n一、提高认识\n1.理论学习有深度\n我们要认真学习党的创新理论，不断提高认识。\n"
        "2.实践锻炼有温度\n我们要深入基层，在实践中增长才干。\n二、狠抓落实\n1.工作落实有力度\n"
        "我们要抓好各项工作的落实，确保取得实效。\n"
    )
    doc = parse_document(text.encode(), "points.txt")
    assert [e.title for e in doc.essays] == ["学习体会"]


def test_separator_lines_split_an_untitled_collection_and_the_page_title_names_none_of_it():
    doc = parsed("segment_separated_pieces.txt")
    assert doc.collection.title == "主题教育学习体会三则"
    assert [e.body[:6] for e in doc.essays] == ["通过参加主题", "调查研究是谋", "检视问题要真"]
    assert all(e.title_generated for e in doc.essays)


def test_separator_lines_inside_a_single_essay_do_not_split_it():
    text = (
        "学习体会\n通过学习，我深刻认识到理论学习的重要性。\n***\n"
        "调查研究是谋事之基、成事之道，这次我深入基层开展调研。\n"
    )
    assert len(parse_document(text.encode(), "one.txt").essays) == 1


def test_a_column_label_before_the_page_title_is_removed():
    text = "【心得体会】青年干部要在基层一线经风雨见世面\n基层是最好的课堂，群众是最好的老师。\n"
    doc = parse_document(text.encode(), "label.txt")
    assert doc.collection.title == "青年干部要在基层一线经风雨见世面"
    assert doc.essays[0].title == "青年干部要在基层一线经风雨见世面"


def test_a_word_heading_first_titles_the_document_and_its_subheadings_stay_inside():
    import io

    import docx

    document = docx.Document()
    document.add_heading("坚守初心 勇担使命", level=1)
    document.add_paragraph("——参加县委党校中青班学习心得")
    document.add_paragraph("县农业农村局  赵敏")
    document.add_paragraph("按照县委组织部安排，我参加了县委党校中青年干部培训班的学习。")
    document.add_heading("一、提升了理论素养", level=2)
    document.add_paragraph("通过系统学习，我的理论水平有了明显提高。")
    document.add_paragraph("2023年6月20日")
    out = io.BytesIO()
    document.save(out)
    doc = parse_document(out.getvalue(), "heading.docx")
    assert doc.collection.title == "坚守初心 勇担使命"
    [essay] = doc.essays
    assert (essay.title, essay.subtitle) == ("坚守初心 勇担使命", "——参加县委党校中青班学习心得")
    assert (essay.author, essay.organization) == ("赵敏", "县农业农村局")
    assert essay.body.split("\n")[1] == "一、提升了理论素养"
    assert essay.body.endswith("明显提高。")


def test_signed_speeches_opening_with_a_salutation_are_split_even_under_one_title():
    doc = parsed("segment_speeches_with_salutations.txt")
    assert [(e.title, e.author, e.organization) for e in doc.essays] == [
        ("在青年干部座谈会上的发言", "孙丽", "县发改局"),
        ("在青年干部座谈会上的发言", "周强", "县住建局"),
    ]
    assert [e.body.split("\n")[0] for e in doc.essays] == ["尊敬的各位领导、同事们：", "各位领导、各位同事："]


@pytest.mark.parametrize("subtitle", ["（在全县青年干部座谈会上的发言）", "（根据录音整理）"])
def test_a_bracketed_line_under_the_title_is_its_subtitle(subtitle):
    text = f"坚定理想信念 勇于担当作为\n{subtitle}\n县财政局 王明\n今天我们学习了党章，收获很大，我们要认真落实。\n"
    [essay] = parse_document(text.encode(), "sub.txt").essays
    assert (essay.title, essay.subtitle) == ("坚定理想信念 勇于担当作为", subtitle)
    assert (essay.author, essay.organization) == ("王明", "县财政局")
    assert essay.body == "今天我们学习了党章，收获很大，我们要认真落实。"


def test_a_title_loses_the_marks_a_page_puts_before_it():
    for decorated in ("## 感念一中师恩，弘扬河海精神", "|感念一中师恩，弘扬河海精神"):
        text = f"{decorated}\n今天我们学习了党章，收获很大，我们要认真贯彻落实。\n"
        [essay] = parse_document(text.encode(), "decorated.txt").essays
        assert essay.title == "感念一中师恩，弘扬河海精神", decorated


def test_a_writers_name_before_the_title_is_the_byline():
    doc = parse_document(
        "陈超：我们铁检人\n今年是我参加工作的第十年，我一直在铁路检察院工作，感触很深。\n我们要继续努力。".encode(),
        "a.txt",
    )
    [essay] = doc.essays
    assert (essay.title, essay.author) == ("我们铁检人", "陈超")


def test_a_label_before_the_title_is_no_name():
    doc = parse_document(
        "题目：我们铁检人\n今年是我参加工作的第十年，我一直在铁路检察院工作，感触很深。\n我们要继续努力。".encode(),
        "a.txt",
    )
    assert doc.essays[0].author is None


def test_markdown_emphasis_around_a_title_is_not_part_of_it():
    doc = parse_document(
        "**心得体会**\n\n看过两篇文章后，让我觉得上课认真听讲很重要。\n\n我们要继续努力。".encode(), "a.md"
    )
    assert doc.essays[0].title == "心得体会"


def test_a_page_of_one_titled_essay_is_titled_by_it_without_its_number():
    text = "1、小学生的读书心得\n读书使我快乐，我每天都要读一会儿书，从书里学到了很多知识。\n我爱读书。"
    doc = parse_document(text.encode(), "a.txt")
    assert doc.collection.title == "小学生的读书心得"
    assert doc.report.counts["collection titled by its one essay"] == 1


def test_a_tables_bars_after_a_title_are_not_part_of_it():
    text = "我是一名护士. | ||\n护理工作是一步一脚印，不断学习及经验累积而来的。\n我会继续努力。\n"
    [essay] = parse_document(text.encode(), "table.txt").essays
    assert essay.title == "我是一名护士."


COMPILATION_WITH_LEAD_IN = """社会实践心得体会
前言：想要写出一篇令人眼前一亮的文章吗？我们特意为您整理了{n}篇社会实践心得体会范文，相信会为您的写作带来帮助。
社会实践心得体会篇一
这个暑假，我参加了社区的志愿服务活动，学到了很多书本上学不到的东西。
我会继续努力，做一个对社会有用的人。
社会实践心得体会篇二
今年夏天，我来到一家工厂实习，体会到了工作的辛苦。
我明白了劳动的意义。
"""


def test_the_count_of_essays_an_editors_lead_in_gives_is_the_collections():
    doc = parse_document(COMPILATION_WITH_LEAD_IN.format(n=5).encode(), "lead-in.txt")
    assert doc.collection.description.startswith("前言")
    assert doc.collection.declared_essay_count == 5  # "一篇令人眼前一亮的文章" counts nothing
    # a contest's count of entries is no count of the page's essays
    doc = parse_document(COMPILATION_WITH_LEAD_IN.format(n=400).encode(), "lead-in.txt")
    assert doc.collection.declared_essay_count is None


def test_a_markdown_headings_hashes_are_no_part_of_the_collections_title():
    text = "## 关于实践课程的个人报告\n\n非常开心能在大一第一学期选修这门课程，我学到了很多。\n\n感谢老师的指导。\n"
    doc = parse_document(text.encode(), "report.md")
    assert doc.collection.title == "关于实践课程的个人报告"
