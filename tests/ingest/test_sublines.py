"""A line holding two parts of an essay's opening is split so that each gets its own role."""

import pytest

from essays.ingest.cleaned import Line
from essays.ingest.model import Report
from essays.ingest.sublines import split_lines


def pieces(*texts: str) -> list[str]:
    lines = [Line(t, i, i, raw=t) for i, t in enumerate(texts)]
    return [line.text for line in split_lines(lines, simplified=False, report=Report())]


@pytest.mark.parametrize(
    ("line", "head", "rest"),
    [
        ("罗小明：观看长津湖电影后，深刻体会到我们今天的幸福生活来之不易。", "罗小明", "观看长津湖电影后"),
        (
            "【某某银行芜湖支行团支部李浩】：聆听了报告，我深受鼓舞，倍感振奋。",
            "【某某银行芜湖支行团支部李浩】",
            "聆听了报告",
        ),
        (
            "在挂职干部轮换座谈会上的发言秦岭巴山一水间，两汉三国品先贤。",
            "在挂职干部轮换座谈会上的发言",
            "秦岭巴山一水间",
        ),
        (
            "小学班主任培训学习心得体会1不知不觉中，为期半个多月的培训结束了。",
            "小学班主任培训学习心得体会1",
            "不知不觉中",
        ),
        ("挂职心得 ◇邢慰卿", "挂职心得", "邢慰卿"),
        ("畢業感言                      六年六班24號", "畢業感言", "六年六班24號"),
        ("108年【第一梯次】服務台組 / 許資穎", "108年【第一梯次】服務台組", "許資穎"),
        ("2017年度参政议政培训班会员发言——宋林", "2017年度参政议政培训班会员发言", "——宋林"),
        ("圖書館的寶藏--許藝馨(94級)", "圖書館的寶藏", "--許藝馨"),
        ("夏令营所思所感----山东大学 任萌萌 |", "夏令营所思所感", "----山东大学 任萌萌"),
        ("義工活動感想 (Kenny Chan)", "義工活動感想", "(Kenny Chan)"),
        ("遊學團感想（梁諾恒同學）", "遊學團感想", "（梁諾恒同學）"),  # a name and its form of address
        ("96年傑出校友感言：（唐婉如校友）", "96年傑出校友感言：", "（唐婉如校友）"),
        (
            "魏勇军：《平安中国之守护者》观后感",
            "魏勇军",
            "《平安中国之守护者》观后感",
        ),  # a writer, then the title
        (
            "跟师心得(一) 中医的理论体系发展至今大多是在前人总结的经验基础上，而如今在临床中。",
            "跟师心得(一)",
            "中医的理论体系",
        ),  # a counter closes the title, whatever word starts the sentence
        ("读《活着》有感（王明）", "读《活着》有感", "（王明）"),
        (
            "【我身边的清廉故事获奖文章-11】我的“廉政故事”二三事",
            "【我身边的清廉故事获奖文章-11】",
            "我的“廉政故事”",
        ),
        (
            "高三家长会发言稿4篇 在这里，我很荣幸代表各位家长，为孩子们壮行！",
            "高三家长会发言稿4篇",
            "在这里",
        ),  # a compilation's count closes the title, 篇 with it
        ("◎羅榮光 4月10日赴義光教會，參加設立30週年感恩禮拜。", "◎羅榮光", "4月10日赴義光教會"),
        (
            "禹州管理处 刘伟 10 月 21 日管理处组织处内党员收看了专题片。",
            "禹州管理处 刘伟",
            "10 月 21 日",
        ),  # a byline ending in the writer's name, a space, the first sentence
        ("天津消防网讯 2019年伊始，作为消防大队的实习学员，我来到了这里。", "天津消防网讯", "2019年伊始"),
        (
            "2023 年 義工分享   每個人做每件事都有一個原因，做義工也不例外。",
            "2023 年 義工分享",
            "每個人做每件事",
        ),
        ("天主教新民書院 四丙  那是一件發生在四年級的事，那時我還小。", "天主教新民書院 四丙", "那是一件"),
    ],  # a short head, a wide gap or a news wire's 讯, then the first sentence
)
def test_an_opening_glued_together_is_split_in_two(line, head, rest):
    got = pieces(line)
    assert len(got) == 2
    assert got[0] == head
    assert got[1].startswith(rest)


@pytest.mark.parametrize(
    "line",
    [
        "通过这次学习体会到了理论武装的重要性，我们要学以致用。",  # the genre word runs on in a sentence
        "主题教育研讨交流会发言材料在学习贯彻主题教育工作会议精神中，我们……",  # 发言材料: one term
        "请欣赏小学班主任培训心得体会(精选7篇)，由某某网整理，希望能够帮助到大家。",  # a counter follows
        "这些外出调研心得学习精神心得，有特色、有亮点！",  # one title run on
        "很多人在看完电影或者活动之后都喜欢写一些读后感，这样能够让我们印象更深。",  # a clause follows
        "上一篇 回创作列表 下一篇   字体:",  # what follows the gap is no signature
        "【篇一】学习党章的体会",  # an essay's number, read by segment
        "学习体会 / 第二部分",  # what follows the slash names no one
        "作者/龍潭國小六年孝班王廉智        指導老師/陳穎川",  # a byline and its adviser's credit
        "读《红岩》有感——庆祝建党100周年",  # a subtitle after the dash, no one's name
        "乡村振兴——县财政局",  # a unit alone signs no essay here
        "我的梦想(上)",  # a part, not a person
        "学习心得（2023年）",
        "单位：云南省人力资源和社会保障厅",  # a form's label, not a person named 单位
        "时间：2020年5月8日，我们来到了这里参观学习。",
        "指导老师: 段怀丽 教师评语: 文章语言流畅、平实自然，引用到位。",  # a form's fields
        "今天 我们去了公园，玩得很开心。",  # no one named before the space
        "今天我们  去了公园，玩得很开心。",  # a gap inside the first sentence: no head before it
        "第一天  天气很好",  # no sentence after the gap
        "班主任培训心得体会：淬炼教育初心，赋能学生成长",  # a title's second half after the colon
    ],
)
def test_a_line_that_reads_as_one_thing_is_left_whole(line):
    assert pieces(line) == [line]


def test_a_line_inside_running_text_is_never_split():
    before = "我们一定要认真学习，做好本职工作。"
    line = "王明：这是他在会上说的话，大家都记住了。"
    assert pieces(before, line) == [before, line]
    assert pieces("学习体会", line) == ["学习体会", "王明", "这是他在会上说的话，大家都记住了。"]


def test_both_pieces_keep_the_source_line_they_came_from():
    lines = [Line("罗小明：观看长津湖电影后，深刻体会到幸福来之不易。", 4, 5, raw="x")]
    got = split_lines(lines, simplified=True, report=Report())
    assert [(p.start, p.end) for p in got] == [(4, 5), (4, 5)]
    assert "".join(p.text for p in got) == "罗小明观看长津湖电影后，深刻体会到幸福来之不易。"


def test_a_title_the_page_doubled_before_the_first_sentence_gives_three_pieces():
    # a heading and its hidden copy, glued to the text: each copy is a piece of its own
    title = "学习中小学教师职业道德规范心得体会"
    line = title + title + "近期，学校组织我们认真学习了中小学教师职业道德规范，感触颇多。"
    assert pieces(line) == [title, title, "近期，学校组织我们认真学习了中小学教师职业道德规范，感触颇多。"]


def test_a_title_a_byline_and_the_first_sentence_on_one_line_give_three_pieces():
    line = "三下乡个人心得体会汕头棉城三下乡服务队 周韵莹 在这个硕果累累的暑期，我们响应号召。"
    assert pieces(line) == [
        "三下乡个人心得体会",
        "汕头棉城三下乡服务队 周韵莹",
        "在这个硕果累累的暑期，我们响应号召。",
    ]


def test_one_title_run_on_is_not_cut_at_its_second_genre_word():
    line = "学习心得体会交流会上的发言心得，我们都认真听了，收获很大。"
    assert pieces(line)[0] != "学习心得体会"


def test_speakers_taking_turns_each_open_a_piece_though_the_line_before_ends_a_sentence():
    got = pieces(
        "10月16日下午，市中院举办分享会，六位青年干警分享了思想感悟。",
        "陈汉武：我们法律人对西方的思想并不陌生。然而，我们应当清醒地认识到。",
        "浙江传媒学院团委书记应广兴：我发现，受到用人单位欢迎的毕业生，往往乐于参与。",
    )
    assert got[1:] == [
        "陈汉武",
        "我们法律人对西方的思想并不陌生。然而，我们应当清醒地认识到。",
        "浙江传媒学院团委书记应广兴",
        "我发现，受到用人单位欢迎的毕业生，往往乐于参与。",
    ]


def test_one_name_and_colon_inside_running_text_is_left_whole():
    line = "陈汉武：我们法律人对西方的思想并不陌生。然而，我们应当清醒地认识到。"
    assert pieces("会上，大家纷纷发言，气氛热烈。", line)[1:] == [line]
