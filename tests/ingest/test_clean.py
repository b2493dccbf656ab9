"""Chrome and boilerplate removal, counters, hard wraps: essays.ingest.clean."""

import pytest

from essays.ingest import parse_document
from essays.ingest.chrome import chrome_reason
from essays.ingest.clean import clean
from essays.ingest.model import Report
from essays.ingest.prose import display_width

from .helpers import cleaned, parsed


def texts(result):
    return [line.text for line in result.lines]


def test_breadcrumb_line_is_removed():
    result, _ = cleaned("clean_breadcrumb_duplicate_title.txt")
    assert "首页 > 文章中心 > 正文" not in texts(result)
    assert any(why == "breadcrumb" for _i, _t, why in result.removed)


def test_title_repeated_in_the_head_is_kept_once():
    result, report = cleaned("clean_breadcrumb_duplicate_title.txt")
    assert texts(result).count("中小学基层党组织书记培训班学习心得") == 1
    assert report.counts["duplicate title removed"] == 1


def test_document_site_metadata_and_file_name_are_removed():
    result, _ = cleaned("clean_docsite_page.txt")
    kept = "\n".join(texts(result))
    for chrome in (
        "docxVIP",
        "约2.49千字",
        "约 6页",
        "发布于云南",
        "举报",
        "文档评论",
        "VIP精品文档",
        "相关文档",
    ):
        assert chrome not in kept
    assert result.file_title == "政工工作心得体会范文合集"


def test_upload_date_of_a_document_site_becomes_the_date():
    result, _ = cleaned("clean_docsite_page.txt")
    assert str(result.date) == "2026-01-15"


def test_every_removed_line_is_recorded_with_a_reason():
    result, report = cleaned("clean_docsite_page.txt")
    removed = {text for _i, text, _why in result.removed}
    assert "• 约2.49千字" in removed
    assert sum(n for action, n in report.counts.items() if action.startswith("chrome line removed")) == len(
        result.removed
    )


def test_newspaper_footer_after_the_editor_line_is_removed():
    result, _ = cleaned("clean_newspaper_footer.txt")
    kept = texts(result)
    for chrome in (
        "【作者:邓学东】 【编辑:李盾】",
        "晚报网友",
        "长沙晚报数字报",
        "热点新闻",
        "回顶部 到底部",
    ):
        assert chrome not in kept
    assert kept[-1].startswith("作者:邓学东")


def test_hard_wrapped_paragraphs_are_rejoined():
    result, report = cleaned("clean_hard_wrapped.txt")
    kept = texts(result)
    assert kept[0] == "关于在全省机关事业单位团干部培训班学习的研讨发言材料"
    assert any("交流学习心得" in t for t in kept)
    assert "一、思想的再洗礼:从“知道”到“深信”,校准工作的“定盘星”" in kept
    assert report.counts["hard wrap joined"] > 10


def test_short_lines_of_a_speech_are_not_joined_to_the_text():
    result, _ = cleaned("clean_hard_wrapped.txt")
    kept = texts(result)
    assert "尊敬的各位领导、各位同仁:" in kept
    assert "大家下午好。" in kept


def test_joined_paragraph_spans_its_source_lines():
    result, _ = cleaned("clean_hard_wrapped.txt")
    para = next(line for line in result.lines if line.text.startswith("非常荣幸"))
    assert (para.start, para.end) == (4, 13)


def test_seo_keyword_pasted_before_full_stops_is_removed():
    result, report = cleaned("clean_seo_keyword.txt")
    kept = "\n".join(texts(result))
    assert "历久弥新。" in kept and "艰苦卓绝的斗争。" in kept
    assert "教育培训心得体会" in kept  # the title keeps the word
    assert report.counts["SEO keyword removed"] >= 3


def test_read_more_button_inside_the_text_is_removed():
    result, _ = cleaned("clean_seo_keyword.txt")
    assert "展开全文" not in texts(result)


def test_collection_counter_gives_the_declared_count():
    result, _ = cleaned("clean_content_farm_counters.txt")
    assert result.declared == 15
    assert "中国天眼心得体会" in texts(result)


@pytest.mark.parametrize(
    ("title", "left", "count"),
    [
        ("参观红色教育基地感想10篇", "参观红色教育基地感想", 10),
        ("观看演讲观后感实用20篇", "观看演讲观后感", 20),
        ("电影观后感【热门20篇】", "电影观后感", 20),
        ("2023年对援疆工作的认识心得（五篇）", "2023年对援疆工作的认识心得", 5),
        ("2024年学习体会汇编7篇", "2024年学习体会汇编7篇", 7),  # the compilation's name: its title
        ("主题教育心得体会范文5篇", "主题教育心得体会范文", 5),
        ("我的第一篇", "我的第一篇", None),
    ],
)
def test_a_compilations_count_after_its_title_is_the_declared_count(title, left, count):
    result = clean(f"{title}\n这次学习让我受益匪浅，我要把学到的知识用到工作中去。\n", Report())
    assert (result.front_title or result.lines[0].text) == left
    assert result.declared == count


def test_like_counter_and_word_count_lines_are_removed():
    result, _ = cleaned("clean_content_farm_counters.txt")
    assert "0" not in texts(result)
    assert not any("全文约" in t for t in texts(result))


def test_page_marker_gives_page_and_total():
    result = clean("2024年在焦裕禄干部学院的学习体会汇编7篇(第2/2页)\n总之,通过学习,我收获很大。", Report())
    assert result.page == (2, 2)
    assert result.declared == 7
    assert result.lines[0].text == "2024年在焦裕禄干部学院的学习体会汇编7篇"


def test_date_prefix_of_the_title_becomes_a_partial_date():
    result = clean(
        "03.06 畫準政工幹部的“初心”像\n\n為進一步深化主題教育成效,太原法院開展了徵文活動。", Report()
    )
    assert result.lines[0].text == "畫準政工幹部的“初心”像"
    assert (result.date.month, result.date.day, result.date.year) == (3, 6, None)


def test_source_watermark_inside_a_sentence_is_removed():
    report = Report()
    result = clean("城區的部署,掛職(來源:文秘站 )單位的安排,腳踏實地,真抓實干。", report)
    assert result.lines[0].text == "城區的部署,掛職單位的安排,腳踏實地,真抓實干。"
    assert report.counts["watermark removed"] == 1


def test_anonymisation_blanks_are_kept_verbatim():
    result = clean("今天,區委在這里召開20__年__區掛職干部座談會,XX同志出席。", Report())
    assert result.lines[0].text == "今天,區委在這里召開20__年__區掛職干部座談會,XX同志出席。"


def test_editors_preface_is_removed_and_names_the_topic():
    text = "前言:一篇好文章的誕生,需要你不斷地搜集資料、整理思路,本站小編為你收集了豐富的個人掛職總結主題范文,僅供參考,歡迎閱讀并收藏。\n關于掛職收獲我個人總結如下幾點:"
    result = clean(text, Report())
    assert result.preface_topic == "個人掛職總結"
    assert result.declared is None
    assert [line.text for line in result.lines] == ["關于掛職收獲我個人總結如下幾點:"]


def test_numbered_site_notice_is_removed():
    assert chrome_reason("- 4、该文档为VIP文档,如果想要下载,成为VIP会员后,下载免费。") == "site notice"
    assert chrome_reason("4月29日, 我们来到兰考,瞻仰了焦裕禄同志工作过的地方。") is None


def test_ordinary_sentences_are_not_chrome():
    for line in (
        "政工工作,是我们党联系群众、组织群众、动员群众的生命线。",
        "一、对中小学基层党组织的重要作用有了新认识",
        "假如我是一只鸟,",
        "......",
        "2022年10月28日,习近平总书记在红旗渠考察时强调“红旗渠很有教育意义。”",
    ):
        assert chrome_reason(line) is None, line


def test_front_matter_title_is_taken_and_the_block_removed():
    text = "---\ntitle: '学习读后感 My Thoughts'\ntags:\n- cn\n---\n\n一、履职尽责\n\n习主席讲，要把“两个维护”体现在履职尽责上。"
    result = clean(text, Report())
    assert result.front_title == "学习读后感 My Thoughts"
    assert [line.text for line in result.lines][0] == "一、履职尽责"


def test_width_counts_chinese_and_ascii_punctuation_as_two_columns():
    assert display_width("学习,") == 6
    assert display_width("ab") == 2


def test_an_image_address_hard_wrapped_over_two_lines_goes_whole():
    text = (
        "![24105357gckf.JPG](https://cdn.steemitimages.com/DQmPEqwc3RZS3TXKTE2SauQ\n"
        "dEHuLsV5GwrbFr5ZLkLe54ku/24105357gckf.JPG)\n"
        "一、履职尽责、做好本职工作，就是做好“两个维护”\n"
        "v2/index.html\n"
    )
    result = clean(text, Report())
    assert texts(result) == ["一、履职尽责、做好本职工作，就是做好“两个维护”", "v2/index.html"]
    assert [why for _i, _t, why in result.removed] == ["link", "link"]


def test_government_site_menu_metadata_tools_and_footer_are_removed():
    doc = parsed("clean_government_site_page.txt")
    assert doc.collection.title == "以案促改警示教育心得体会"
    [essay] = doc.essays
    assert essay.title == "以案促改警示教育心得体会"
    assert essay.body.startswith("近期，我参加了全县以案促改警示教育大会")
    assert essay.body.endswith("守住底线、不碰红线。")
    for chrome in ("机构概况", "信息来源", "打印本页", "技术支持", "中共某某县委组织部"):
        assert chrome not in essay.body, chrome
    assert str(doc.collection.date) == "2022-08-03"  # 发布日期：2022年8月3日
    assert not doc.report.warnings  # the footer no longer makes the text look truncated


def test_wechat_furniture_around_the_article_is_removed():
    doc = parsed("clean_wechat_article.txt")
    [essay] = doc.essays
    assert essay.body.splitlines() == [
        "百年党史是一部波澜壮阔的奋斗史。通过学习，我深刻认识到中国共产党为什么能、马克思主义为什么行。",
        "我们要从党史中汲取智慧和力量，不忘初心、牢记使命，把学习成果转化为干事创业的强大动力。",
    ]


def test_page_tool_and_menu_lines_are_chrome_but_lists_of_names_are_not():
    assert chrome_reason("【字体：大 中 小】 打印本页 关闭窗口") == "widget"
    assert chrome_reason("[打印本页] [关闭窗口]") == "widget"
    assert chrome_reason("首页 | 机构概况 | 工作动态 | 党建工作") == "navigation"
    assert chrome_reason("首页 机构概况 工作动态 党建工作") == "navigation"
    assert chrome_reason("主办单位：中共某某县委组织部 技术支持：某某网络公司") == "site footer"
    assert chrome_reason("审核：王五") == "article metadata"
    for line in (
        "张三 李四 王五 赵六",
        "作者：张三 单位：某某局",
        "在看到群众的困难时，我们要主动帮助",
        "学习心得 | 在百年党史中汲取力量",
        "2021年7月1日，全体党员集中阅读了党章",
        "打印机旁，大家正在关闭窗口准备下班。",
    ):
        assert chrome_reason(line) is None, line


def test_running_header_beside_page_markers_goes_and_paragraphs_join_across_the_break():
    doc = parsed("clean_printed_pages.txt")
    [essay] = doc.essays
    assert "学习材料汇编" not in essay.body
    # the paragraph broken by the page break is whole again, and nothing of it is lost
    assert "以优良作风凝心聚力。" in essay.body
    assert (
        essay.body.count(
            "我们要持之以恒落实中央八项规定精神，坚决反对形式主义、官僚主义，以优良作风凝心聚力。"
        )
        == 2
    )
    assert not essay.is_fragment  # （完） closes the text


def test_a_repeated_line_is_a_running_header_only_beside_page_markers():
    prose = "通过这次学习，我对党的创新理论有了更加系统的认识，进一步坚定了理想信念。"
    text = (
        f"学习体会\n{prose}\n\n— 1 —\n\n材料汇编\n{prose}\n\n— 2 —\n\n材料汇编\n{prose}\n材料汇编\n{prose}\n"
    )
    kept = texts(clean(text, Report()))
    assert kept.count("材料汇编") == 3  # also stands away from a page break: not a header
    text = f"学习体会\n{prose}\n\n— 1 —\n\n材料汇编\n{prose}\n\n— 2 —\n\n材料汇编\n{prose}\n"
    kept = texts(clean(text, Report()))
    assert "材料汇编" not in kept
    assert kept.count(prose) == 3


def test_end_marks_are_chrome():
    for line in ("（完）", "【全文完】", "—完—", "(本文完)"):
        assert chrome_reason(line) == "end mark", line
    assert chrome_reason("完") is None


def test_a_refrain_ending_the_first_sentence_of_short_paragraphs_is_not_a_seo_keyword():
    refrain = "通过这次学习，我对党的创新理论有了更加系统的认识，进一步坚定了理想信念。"
    text = "学习体会\n" + "\n".join([refrain] * 3) + "\n"
    assert texts(clean(text, Report())) == ["学习体会", refrain, refrain, refrain]


def test_page_tools_above_a_hard_wrapped_text_do_not_end_it():
    """A wrapped text has no long line of prose; the tools above it once counted as its footer
    and took the whole text with them."""
    text = "【字体：大 中 小】 打印本页 关闭窗口\n学习体会\n" + "".join(
        f"这是第{n}行被硬换行的正文，句子在行尾断开没有结\n" for n in range(12)
    )
    result = clean(text, Report())
    assert [why for _i, _t, why in result.removed] == ["widget"]
    assert len(texts(result)) >= 2


def test_the_running_header_atop_the_first_page_goes_with_the_others():
    prose = "通过这次学习，我对党的创新理论有了更加系统的认识，进一步坚定了理想信念。"
    text = f"材料汇编\n学习体会\n{prose}\n\n— 1 —\n\n材料汇编\n{prose}\n"
    kept = texts(clean(text, Report()))
    assert kept == ["学习体会", prose, prose]


def test_download_and_mobile_buttons_and_first_publication_notes_are_chrome():
    assert chrome_reason("下载Word文档") == "widget"
    assert chrome_reason("手机扫码阅读") == "widget"
    assert chrome_reason("（本文原载于某某月刊第25期）") == "source note"
    assert chrome_reason("（摘自《人民日报》2021年7月1日）") == "source note"
    assert chrome_reason("（一）提高认识") is None
    text = "學習心得\n這次參加研習，讓我獲益良多。\n總之，這是一次難忘的學習經歷。\n（本文原載於某某月刊第25期）\n"
    [essay] = parse_document(text.encode(), "note.txt").essays
    assert essay.body.endswith("難忘的學習經歷。")
    assert not essay.is_fragment


def test_character_references_left_in_a_text_read_as_what_they_stand_for():
    text = "电影《弱点》观后感\n&emsp;&emsp;《弱点》是2009年上映的一部电影，讲的是&ldquo;家&rdquo;。\n&nbsp;\n最后一段。"
    report = Report()
    lines = [line.text for line in clean(text, report).lines]
    assert lines == ["电影《弱点》观后感", "《弱点》是2009年上映的一部电影，讲的是“家”。", "最后一段。"]
    assert report.counts["HTML character references decoded"] == 5


def test_an_ampersand_that_is_no_reference_is_kept():
    text = "标题\nAT&T 和 R&D;部门的同事&朋友们都来了。"
    assert clean(text, Report()).lines[1].text == "AT&T 和 R&D;部门的同事&朋友们都来了。"


def test_the_author_a_metadata_line_names_ends_where_the_next_field_is_glued_on():
    text = "标题\n单位:物资供应作者:雷小竞发布时间:2018-05-24 点击数:6002\n正文第一段写得很长，讲了很多道理。"
    assert clean(text, Report()).meta_authors == ["雷小竞"]


def test_a_posts_view_count_and_time_stamp_are_cut_from_its_title():
    text = (
        "志工服務心得 9809 2013-09-20 23:32:32\n"
        "剛開始聽到要做志工，覺得很煩，麻煩死了幹麻要出那麼麻煩的作業，放暑假那麼久。\n"
        "我開始尋找要去哪做志工，決定去門諾醫院做志工，因為離家裡很遠。\n"
    )
    doc = parse_document(text.encode(), "post.txt")
    assert [(e.title, e.title_generated) for e in doc.essays] == [("志工服務心得", False)]
    assert str(doc.collection.date) == "2013-09-20"


def test_a_meta_line_that_opens_with_a_field_is_removed_whole():
    text = (
        "书记员日记：穿上法官服的那一刻\n"
        "编辑:张勇   作者:    发布时间:2019-06-26 22:28:11    来源:汉滨人大   点击次数:1161\n"
        "盼望着，盼望着，期盼已久的法官服终于配发下来了。\n"
    )
    kept = texts(clean(text, Report()))
    assert not any("编辑" in line for line in kept)
    assert kept[-1].startswith("盼望着")


def test_a_table_bar_after_a_paragraphs_last_sentence_is_cut():
    kept = texts(clean("学习体会\n我们要珍惜今天的幸福生活。 |\n这是第二段，我们要努力。\n", Report()))
    assert "我们要珍惜今天的幸福生活。" in kept
    assert not any(line.endswith("|") for line in kept)


def test_a_cut_off_pages_own_truncation_mark_is_left_as_it_stood():
    text = "学习体会\n我们要珍惜今天的幸福生活...真的。\n在这个时代，教师被赋予了新的使命—\n"
    body = parse_document(text.encode(), "cut.txt").essays[0].body
    assert "生活……真的" in body  # an ellipsis inside the text is normalised
    assert body.endswith("使命—")  # the page's cut is not made a dash of two
    text = "学习体会\n能够远离故土到千里之外的他乡参与这样一场轰轰烈...\n"
    assert parse_document(text.encode(), "cut.txt").essays[0].body.endswith("轰轰烈...")


def test_a_labelled_breadcrumb_is_chrome_whatever_separates_its_steps():
    assert chrome_reason("您当前的位置：首页 企业文化 工投文苑") == "breadcrumb"
    assert chrome_reason("当前位置：首页 > 心得体会") == "breadcrumb"
    assert chrome_reason("我们的位置首页") is None
