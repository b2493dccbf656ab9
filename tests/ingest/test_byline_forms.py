"""How a byline names a person and a unit: the shapes of essays.ingest.segment's byline readers.

The examples are invented; each is a shape bylines take in real pages (a unit before or after
the name, a colon between them, a post or a pupil's class after the unit, labels spaced to width,
a form of address after a name)."""

import pytest

from essays.ingest import parse_document
from essays.ingest.bylines import Byline, marked_byline, parse_bio, parse_byline, read_byline
from essays.ingest.names import unit_of
from essays.ingest.script import to_simplified

BODY = "今天我们学习了党章，收获很大，我们要认真贯彻落实，做好各项工作。\n"


def _read(line: str):
    b = read_byline(line, to_simplified(line))
    return (b.author, b.organization) if b else None


@pytest.mark.parametrize(
    ("line", "author", "organization"),
    [
        ("县财政局：王明", "王明", "县财政局"),  # a colon between the unit and the name
        ("作  者：王明", "王明", None),  # a label spaced to the width of three characters
        ("文稿：王明", "王明", None),
        ("讲述者：县人民医院急诊科护士长 王明", "王明", "县人民医院急诊科"),  # the post left out
        ("县第一小学六二班 王明", "王明", "县第一小学"),  # a pupil's class is not the unit
        ("县第一小学2021届3班 王明", "王明", "县第一小学"),
        ("王明 县财政局", "王明", "县财政局"),  # the name before the unit
        ("某某大学进修学院112级MBA学生 王明", "王明", "某某大学进修学院"),  # a cohort and a post
        ("王明，2023年5月4日", "王明", None),  # the date it was signed, after a comma
        ("文／王明 李红", "王明 李红", None),  # two authors
        ("作者：王明、李红", "王明、李红", None),
    ],
)
def test_byline_shapes_under_a_title(line, author, organization):
    [essay] = parse_document(f"学习体会\n{line}\n{BODY}".encode(), "byline.txt").essays
    assert (essay.author, essay.organization) == (author, organization)
    assert essay.body == BODY.strip()


def test_a_teachers_post_is_left_out_of_a_traditional_units_name():
    line = "彰化縣實驗國小教師 王明"
    assert _read(line) == ("王明", "彰化縣實驗國小")


@pytest.mark.parametrize(
    ("line", "author", "organization"),
    [
        ("王明同学", "王明", None),  # a form of address after the name
        ("王明校长", "王明", None),
        ("王明校友", "王明", None),  # an alumnus, as a school's page signs its old pupils
        ("王明：", "王明", None),  # a name over its own text
        ("王明（江苏）", "王明", None),  # where the author is from is not a unit
        ("本文作者：（王明）", "王明", None),
        ("通讯员 王明", "王明", None),  # a post alone names no unit
        ("助理研究员 王明", "王明", None),
        ("某某大学 中文系 王明", "王明", "某某大学中文系"),  # every word of the unit
        ("王明 李红", "王明 李红", None),  # two authors, not a unit and a name
        ("王明、李红", "王明、李红", None),
        ("（供稿人：王明）", "王明", None),  # a credit in brackets, the whole line
        ("【文/王明(某某大学中文系研二生)】", "王明", "某某大学中文系"),  # a student's year is no unit
        ("【文、圖/王明/某某大學中文系三年級】", "王明", "某某大學中文系"),  # text and photos, one credit
        ("【文、圖∕王明∕某某大學中文系】", "王明", "某某大學中文系"),  # a division slash
        ("文/王明 图/李红", "王明", None),  # the photos' credit is someone else's
        ("县财政局——王明", "王明", "县财政局"),  # the unit, a dash, the name
        ("杭州海关所属钱江海关——王明", "王明", "杭州海关所属钱江海关"),
        ("王明[县财政局局长]", "王明", "县财政局"),  # the unit and post in square brackets
        ("文字/田 颖", "田颖", None),  # 文字 labels the text's credit
    ],
)
def test_a_line_known_to_be_a_byline_is_read_in_its_usual_shapes(line, author, organization):
    assert _read(line) == (author, organization)


@pytest.mark.parametrize(
    "line",
    ["加强联系", "学习体会：", "今天天气很好", "会议纪要（一）", "责任编辑：王明"],
)
def test_lines_that_name_no_unit_and_person_are_not_signatures(line):
    assert parse_byline(line, line, bare=True) is None


def test_a_unit_keeps_a_class_without_a_school_before_it():
    assert unit_of("高一（7）班", "高一（7）班") == "高一（7）班"
    assert unit_of("某某中学高一班", "某某中学高一班") == "某某中学高一班"  # no class number
    assert unit_of("某某中学三（2）班", "某某中学三（2）班") == "某某中学"


def test_a_labelled_signature_over_two_lines_closes_the_essay():
    text = f"学习体会\n{BODY}姓名：王明\n单位：县财政局\n"
    [essay] = parse_document(text.encode(), "closing.txt").essays
    assert (essay.author, essay.organization) == ("王明", "县财政局")
    assert essay.body == BODY.strip()


def test_a_byline_above_the_title_signs_the_essay_under_it():
    text = (
        "编者按：今年本院开展了征文活动，现将部分文章刊发如下。\n"
        "政治部 王明\n铭记历史守初心——学习体会\n"
        "今年是抗日战争胜利八十周年，回望那段烽火岁月，我们深受教育。\n"
        "我们要以史为鉴，做好各项工作。\n"
    )
    [essay] = parse_document(text.encode(), "above.txt").essays
    assert (essay.author, essay.organization) == ("王明", "政治部")
    assert essay.body.startswith("今年是抗日战争胜利八十周年")


PARAGRAPHS = [
    "观看影片后，我深刻体会到今天的幸福生活来之不易，我们要倍加珍惜。",
    "先辈们用鲜血换来了和平，我们青年一代要接过接力棒，努力学习，报效祖国。",
    "作为一名学生党员，我要在学习和生活中起到模范带头作用，不负青春。",
    "影片中志愿军战士在冰天雪地里坚守阵地的场景，让我久久不能平静。",
    "我们要把这份感动化为前进的动力，在各自的岗位上做出应有的贡献。",
    "历史不会忘记，人民不会忘记，那些为了国家和民族献出生命的英雄。",
]


def _text(*parts: str) -> str:
    return "\n".join(parts) + "\n"


def test_untitled_essays_each_under_its_authors_name_are_split_at_the_names():
    p = PARAGRAPHS
    text = _text("观后感汇编", "王明：", p[0], p[1], "李红：", p[2], p[3], "赵强：", p[4], p[5])
    doc = parse_document(text.encode(), "names.txt")
    assert [e.author for e in doc.essays] == ["王明", "李红", "赵强"]
    assert [e.body.split("\n")[0] for e in doc.essays] == [p[0], p[2], p[4]]


def test_untitled_essays_each_signed_under_its_text_are_split_after_the_signatures():
    p = PARAGRAPHS
    text = _text("观后感汇编", p[0], p[1], "——县第一中学 王明", p[2], p[3], "——县第二中学 李红")
    doc = parse_document(text.encode(), "signed.txt")
    assert [(e.author, e.organization) for e in doc.essays] == [
        ("王明", "县第一中学"),
        ("李红", "县第二中学"),
    ]
    assert [e.body.split("\n")[-1] for e in doc.essays] == [p[1], p[3]]


def test_a_line_quoted_inside_an_essay_does_not_split_it():
    p = PARAGRAPHS
    text = _text("学习体会", "县财政局 王明", p[0], "我想起了一句话：", "“幸福都是奋斗出来的。”", p[1], p[2])
    [essay] = parse_document(text.encode(), "one.txt").essays
    assert (essay.author, essay.organization) == ("王明", "县财政局")
    assert essay.body.split("\n")[-1] == p[2]


def test_a_bio_naming_the_unit_and_post_the_author_holds_signs_the_essay():
    line = "作者简介：王明，某某县第一小学教师"
    assert parse_bio(line, line) == Byline("王明", "某某县第一小学")
    assert parse_bio("作者简介：王明，喜欢读书", "作者简介：王明，喜欢读书") is None  # no unit, no bio words


def test_a_class_numbered_in_brackets_is_a_unit():
    [essay] = parse_document(f"学习体会\n高一（7）班 王明\n{BODY}".encode(), "class.txt").essays
    assert (essay.author, essay.organization) == ("王明", "高一（7）班")


def test_a_labelled_byline_on_the_first_line_is_not_the_documents_title():
    p = PARAGRAPHS
    text = _text("文／王明（县第一中学）", "我爱读书", p[0], p[1])
    doc = parse_document(text.encode(), "first.txt")
    assert doc.collection.title != "文／王明（县第一中学）"
    [essay] = doc.essays
    assert (essay.author, essay.organization) == ("王明", "县第一中学")
    assert essay.body.startswith(p[0])


def test_a_credit_in_brackets_before_the_first_sentence_is_the_byline():
    p = PARAGRAPHS
    text = _text("青年干部读书班侧记", "（通讯员 王明）" + p[0], p[1])
    [essay] = parse_document(text.encode(), "credit.txt").essays
    assert essay.author == "王明"
    assert essay.body.startswith(p[0])


def test_a_bracketed_aside_before_a_sentence_stays_in_it():
    p = PARAGRAPHS
    text = _text("学习体会", "（一）" + p[0], "（节选）" + p[1])
    [essay] = parse_document(text.encode(), "aside.txt").essays
    assert essay.author is None
    assert essay.body.startswith("（一）" + p[0])


@pytest.mark.parametrize("line", ["1月28日 武汉", "2023年5月 黄山", "2020-02-15 武汉"])
def test_a_date_and_a_place_are_not_a_unit_and_a_person(line):
    assert _read(line) is None


@pytest.mark.parametrize("paragraphs", [2, 4, 6])
def test_a_closing_bio_stays_to_be_read_however_long_the_essay_above(paragraphs):
    text = _text("读书有感", *PARAGRAPHS[:paragraphs], "作者简介：王明，某某县第一小学学生", "指导教师：李红")
    [essay] = parse_document(text.encode(), "bio.txt").essays
    assert (essay.author, essay.organization) == ("王明", "某某县第一小学")
    assert essay.body.split("\n")[-1] == PARAGRAPHS[paragraphs - 1]


def test_the_teacher_named_under_a_pupils_signature_is_not_the_essays_text():
    p = PARAGRAPHS
    text = _text("读书有感", p[0], p[1], "作者简介：王明，某某县第一小学学生", "指导教师：李红")
    [essay] = parse_document(text.encode(), "pupil.txt").essays
    assert (essay.author, essay.organization) == ("王明", "某某县第一小学")
    assert essay.body.split("\n")[-1] == p[1]


def test_a_page_opening_with_its_signature_is_signed_by_it_not_titled_by_it():
    p = PARAGRAPHS
    text = _text("县第一中学 王明", p[0], p[1], p[2])
    doc = parse_document(text.encode(), "signed_first.txt")
    assert doc.collection.title != "县第一中学 王明"
    [essay] = doc.essays
    assert (essay.author, essay.organization) == ("王明", "县第一中学")
    assert essay.body.startswith(p[0])


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("王明 某某国小 四年级", ("王明", "某某国小")),  # the name first, then the unit and the class
        ("王明 某某小学(海滨道) 5C", ("王明", "某某小学(海滨道)")),  # a branch in brackets, a class code
        ("王 明 县财政局", ("王明", "县财政局")),  # a name spaced to width, then the unit
        ("作者：王明 县财政局", ("王明", "县财政局")),
        ("——某某系2班王 明", ("王明", "某某系2班")),  # a spaced name glued to its unit
        ("作者/王明；图/某某电影节", ("王明", None)),  # another credit after the author's
        ("（作者|第五支部 王明 编辑|宣传处 李红）", ("王明", "第五支部")),
        ("王明 Marvin", ("王明", None)),  # an English given name after the name
        ("高一", None),  # a school year, not a person
        ("18行管王明 中共党员", ("王明", "18行管")),  # a student's year and subject; a member's standing
        ("2018级护理 王明", ("王明", "2018级护理")),
        ("5A 王明", ("王明", None)),  # a class code is no unit
        ("506.王明", ("王明", None)),  # a seat number
        ("Ms. Chan Tai Man", ("Chan Tai Man", None)),  # a name in Latin letters after an address
        ("5E CHAN TAI MAN", ("CHAN TAI MAN", None)),
        ("Student Voices", None),
        ("某某学院运修系二A 王明同学", ("王明", "某某学院运修系二A")),  # a form of address after the name
        ("某某村“第一书记” 王明", ("王明", "某某村")),  # a post in quotation marks
        ("作者：王明 上一篇 下一篇", ("王明", None)),  # the page's links run into the byline
        ("责任编辑：王明", None),
    ],
)
def test_names_before_their_units_and_other_credits(line, expected):
    assert _read(line) == expected


def test_a_units_line_with_the_pupils_year_under_a_name():
    p = PARAGRAPHS
    text = _text("无声的一堂课", "作者：王明", "某某国小 四年级", p[0], p[1])
    [essay] = parse_document(text.encode(), "year.txt").essays
    assert (essay.author, essay.organization) == ("王明", "某某国小")
    assert essay.body.startswith(p[0])


@pytest.mark.parametrize(
    ("line", "author"),
    [
        ("作者: 阮文琦 上一篇 下一篇", "阮文琦"),  # the page's links glued after it
        ("本文作者: (杨若熙)", "杨若熙"),
        ("學生姓名:連玉秀", "連玉秀"),
        ("撰寫人:曹宗鼎(79484101)", "曹宗鼎"),  # a student number
        ("分享人：王明", "王明"),
    ],
)
def test_labelled_bylines_of_forms_and_pages(line, author):
    got = parse_byline(line, to_simplified(line))
    assert got is not None and got.author == author


@pytest.mark.parametrize(
    ("line", "author"),
    [("※劉純惠", "劉純惠"), ("学员韩艳红：", "韩艳红"), ("22501班曹晶：", "曹晶"), ("同学们：", None)],
)
def test_a_participant_named_over_what_they_say(line, author):
    got = parse_byline(line, to_simplified(line), bare=True)
    assert (got.author if got else None) == author


@pytest.mark.parametrize(
    ("line", "author", "organization"),
    [
        (
            "作者/龍潭國小六年孝班王廉智        指導老師/陳穎川",
            "王廉智",
            "龍潭國小",
        ),  # not the adviser, and the school without the pupil's class
        ("--By林芸竹", "林芸竹", None),
        ("by 王明", "王明", None),
    ],
)
def test_bylines_of_school_and_blog_pages(line, author, organization):
    got = parse_byline(line, to_simplified(line))
    assert got is not None and (got.author, got.organization) == (author, organization)


def test_a_church_members_address_is_not_part_of_her_name():
    got = read_byline("平安小組   蕭惠嬿姐妹", to_simplified("平安小組   蕭惠嬿姐妹"))
    assert (got.author, got.organization) == ("蕭惠嬿", "平安小組")


@pytest.mark.parametrize(
    ("line", "organization"),
    [
        ("師資培育中心專任教授  胡憶蓓", "師資培育中心"),  # the post's modifier goes with it
        ("輔仁大學醒新港安原住民友團團員 歐羿吟", "輔仁大學醒新港安原住民友團"),
    ],
)
def test_a_members_or_a_posts_word_is_not_part_of_the_unit(line, organization):
    assert read_byline(line, to_simplified(line)).organization == organization


@pytest.mark.parametrize(
    ("line", "author", "organization"),
    [
        ("學校名稱: 內埔國小 作者: 林心薇(五年孝班) 指導老師: 蕭桂英 人氣:294", "林心薇", "內埔國小"),
        ("学校:相桥小学 姓名:冯进 时间:2016.9", "冯进", "相桥小学"),
        ("单位：县财政局 作者：王明", "王明", "县财政局"),
    ],
)
def test_a_forms_fields_on_one_line_name_the_author_and_the_unit(line, author, organization):
    got = parse_byline(line, to_simplified(line), bare=True)
    assert (got.author, got.organization) == (author, organization)


def test_fields_that_name_no_author_are_no_byline():
    line = "校对: 责编: 终审: 时间:2006-12-06 阅读:"
    got = parse_byline(line, to_simplified(line), bare=True)
    assert got is None or got.author is None


def test_a_traditional_byline_keeps_its_script_after_punctuation_is_made_full_width():
    # "作者: 黎靜文" becomes "作者：黎靜文": the line's Simplified form is kept aligned with it,
    # so the name is read from the text as written, not from its Simplified copy
    text = "實習心得\n作者: 黎靜文\n這次實習讓我學到很多，也認識了很多朋友。\n我會繼續努力。\n"
    [essay] = parse_document(text.encode(), "traditional.txt").essays
    assert essay.author == "黎靜文"


@pytest.mark.parametrize(
    ("line", "author", "organization"),
    [
        ("文 / 過河卒", "過河卒", None),  # a pen name: the label says it is the author
        ("文章作者:卫晋芳", "卫晋芳", None),
        ("撰文: Holly Lam", "Holly Lam", None),
        ("作者: candyfang", "candyfang", None),
        ("文、圖/郭元祺 慈濟大學護理學系二年級", "郭元祺", "慈濟大學護理學系"),
        ("——应用数学学院 12级数学与应用数学 宋义君", "宋义君", "应用数学学院"),
        ("教育学院 2015级教育学专业  熊润泽", "熊润泽", "教育学院"),
        ("文 2017药学班 黄唯一", "黄唯一", "2017药学班"),
        ("单位:物资供应作者:雷小竞发布时间:2018-05-24 点击数:6002", "雷小竞", "物资供应"),
        ("劉芊雨/高雄市梓官區蚵寮國小", "劉芊雨", "高雄市梓官區蚵寮國小"),  # the name, a mark, the unit
        ("楊惠婷◎社區組義工", "楊惠婷", "社區組"),
        (
            "2019-06-22◎劉芊雨/高雄市梓官區蚵寮國小4年2班(指導老師:林淑芬)",
            "劉芊雨",
            "高雄市梓官區蚵寮國小",
        ),  # a date before, the class and the adviser after, all left out
        ("至善志工 李宛儒", "李宛儒", "至善"),
        ("(Pencil Wong)", "Pencil Wong", None),
        ("文——丁韦", "丁韦", None),  # the label, then a dash
        ("孫凡軻 義守大學護理系副教授", "孫凡軻", "義守大學護理系"),  # a deputy's post left out
        ("義守大學護理系副教授 孫凡軻", "孫凡軻", "義守大學護理系"),
        ("(撰稿人/袁玉欣)", "袁玉欣", None),  # a labelled credit in brackets
        ("吴奕锦通讯员", "吴奕锦", None),  # a news credit after the name
        ("政治部 四级法官助理何敏芬", "何敏芬", "政治部"),  # the post run into the name
    ],
)
def test_a_line_the_model_calls_a_byline_is_read_in_its_many_forms(line, author, organization):
    got = read_byline(line, to_simplified(line))
    assert got is not None and (got.author, got.organization) == (author, organization)


@pytest.mark.parametrize("line", ["作者：佚名", "作者：上一篇", "作者：通讯员", "作者：县财政局局长"])
def test_a_label_naming_nobody_gives_no_author(line):
    got = read_byline(line, to_simplified(line))
    assert got is None or got.author is None


def test_a_post_after_a_word_that_starts_with_a_surname_makes_no_name():
    assert read_byline("宣传干部", "宣传干部") is None  # 宣 is a surname, 干部 a post


def test_a_genre_word_after_a_surname_is_no_given_name():
    assert read_byline("服务新农村建设之大学生村官体验", "服务新农村建设之大学生村官体验") is None


def test_a_unit_on_its_own_line_above_a_closing_name_is_the_writers():
    text = (
        "我是一名护士\n叮叮叮，一阵铃声将我叫醒，原来是护士长的电话，通知科室开会。\n"
        "有人说我们是英雄，我想说，我不是，我只是一名普通的护士。\n儿科二病区\n赵明星\n"
    )
    [essay] = parse_document(text.encode(), "signed.txt").essays
    assert (essay.author, essay.organization) == ("赵明星", "儿科二病区")
    assert essay.body.endswith("我只是一名普通的护士。")


@pytest.mark.parametrize(
    ("signature", "author"),
    [("吴奕锦通讯员", "吴奕锦"), ("（供稿人：王明）", "王明"), ("撰文：Holly Lam", "Holly Lam")],
)
def test_a_name_signed_with_a_mark_under_the_text_closes_it(signature, author):
    # a news credit, brackets or a label say a lone name is a signature, with no unit beside it
    text = f"读书分享会\n{BODY}{signature}\n"
    [essay] = parse_document(text.encode(), "signed.txt").essays
    assert essay.author == author
    assert essay.body == BODY.strip()


def test_a_last_line_with_no_mark_of_a_signature_stays_the_texts():
    text = f"毕业感言\n{BODY}我们会很想你的 想你的笨 哈哈哈\n"
    [essay] = parse_document(text.encode(), "ending.txt").essays
    assert essay.author is None
    assert essay.body.endswith("哈哈哈")


@pytest.mark.parametrize(
    ("line", "author"),
    [
        ("吴奕锦通讯员", "吴奕锦"),
        ("（供稿人：王明）", "王明"),
        ("（王明同学）", "王明"),
        ("文：王明", "王明"),
        ("我们会很想你的 想你的笨 哈哈哈", None),  # no mark: the text's own last words
        ("王明", None),  # a name alone may be a line of the text (the model's to say)
    ],
)
def test_a_signature_is_marked_by_brackets_a_label_or_a_credit(line, author):
    got = marked_byline(line, line)
    assert (got.author if got else None) == author
