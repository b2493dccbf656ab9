"""Theme suggestions from the lexicon and keyword lines: essays.ingest.themes."""

from essays.ingest.themes import MAX_THEMES, lexicon, suggest_themes


def test_lexicon_is_loaded_from_data_with_a_few_dozen_themes():
    names = [name for name, _triggers in lexicon()]
    assert 25 <= len(names) <= 40
    assert "焦裕禄精神" in names and "挂职锻炼" in names


def test_trigger_words_suggest_their_theme():
    body = "我们来到兰考,瞻仰焦裕禄同志工作过的地方。焦裕禄精神激励着我们。"
    assert suggest_themes("焦桐下的思雨", body)[0] == "焦裕禄精神"


def test_matching_is_script_blind_and_names_are_simplified():
    body = "掛職鍛煉是難得的學習機會,掛職干部要虛心向基層學習。"
    assert "挂职锻炼" in suggest_themes("掛職收獲", body)


def test_title_counts_more_than_the_body():
    themes = suggest_themes("廉洁自律心得", "我们要加强学习,提高为民服务的本领,做好为民服务。")
    assert themes[0] == "廉洁自律"


def test_a_single_passing_mention_is_not_enough():
    assert suggest_themes("", "他曾在法院门口等车。") == []


def test_keyword_line_adds_themes():
    body = "關鍵詞:高校年輕干部 鄉鎮掛職鍛煉\n我國是一個農業人口占絕大多數的社會主義國家。"
    assert {"青年干部", "挂职锻炼"} <= set(suggest_themes("", body))


def test_document_keywords_are_used():
    assert "党史学习教育" in suggest_themes("", "我们认真学习。", keywords=["党史", "建党100周年"])


def test_only_a_few_themes_are_suggested():
    body = "焦裕禄 兰考 初心 使命 廉洁 法院 审判 培训 党校 挂职 调研 红旗渠 延安 长征 党性 党支部" * 3
    assert len(suggest_themes("", body)) == MAX_THEMES


def test_a_word_mentioned_in_passing_does_not_tag_a_long_essay():
    """Two mentions of 学校 in a long essay about 挂职锻炼 do not make it a 学校教育 essay."""
    paragraph = "挂职锻炼期间，我深入社区走访群众，参与基层治理，向社区干部学习工作方法。" * 12
    body = "\n".join([paragraph, "我曾在学校工作多年。", paragraph, "回到学校后我将继续努力。", paragraph])

    themes = suggest_themes("挂职锻炼心得", body)

    assert themes[0] == "挂职锻炼"
    assert "学校教育" not in themes
