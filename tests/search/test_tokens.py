"""The shared tokenizer: what gets indexed and how queries are cut (pure Python)."""

import ast
from pathlib import Path

import pytest

import essays.search.highlight
import essays.search.tokens
from essays.search.tokens import (
    _RUN,
    _run_tokens,
    index_string,
    index_tokens,
    normalize,
    normalize_aligned,
    parse_query,
)


def test_chinese_runs_become_overlapping_bigrams_plus_the_last_character():
    assert index_tokens("不忘初心，牢记使命") == ["不忘", "忘初", "初心", "心", "牢记", "记使", "使命", "命"]


def test_traditional_text_gives_the_simplified_tokens():
    assert index_tokens("幹部學習") == index_tokens("干部学习") == ["干部", "部学", "学习", "习"]


def test_latin_words_and_numbers_are_whole_lowercased_words_fullwidth_folded():
    assert index_tokens("G20峰会在２０２３年召开，ＡＩ与Python") == [
        "g20", "峰会", "会在", "在", "2023", "年召", "召开", "开", "ai", "与", "python",
    ]  # fmt: skip


def test_single_character_runs_and_extension_b_characters_are_kept():
    assert index_tokens("党") == ["党"]
    assert index_tokens("𠀀𠀁") == ["𠀀𠀁", "𠀁"]


def test_normalize_aligned_keeps_one_character_per_character():
    text = "幹部們在這裡學習ＡＢＣ"
    assert len(normalize_aligned(text)) == len(text)
    assert normalize_aligned(text) == "干部们在这里学习abc"


def test_two_character_query_is_one_token():
    (term,) = parse_query("初心").terms
    assert term.tokens == ("初心",) and not term.prefix


def test_longer_query_is_the_phrase_of_its_bigrams():
    (term,) = parse_query("焦裕禄精神").terms
    assert term.tokens == ("焦裕", "裕禄", "禄精", "精神")
    assert parse_query("党建工").terms[0].tokens == ("党建", "建工")


def test_single_character_query_is_a_prefix():
    (term,) = parse_query("黨").terms
    assert term.tokens == ("党",) and term.prefix


def test_several_words_must_all_occur():
    query = parse_query("初心  使命　干部")  # ideographic space too
    assert [t.tokens for t in query.terms] == [("初心",), ("使命",), ("干部",)]


def test_unquoted_punctuation_separates_words():
    assert [t.tokens for t in parse_query("初心，使命").terms] == [("初心",), ("使命",)]


def test_quoted_phrase_spans_punctuation_like_the_index_does():
    (term,) = parse_query('"不忘初心，牢记使命"').terms
    assert term.tokens == ("不忘", "忘初", "初心", "心", "牢记", "记使", "使命")
    # The tokens are a contiguous run of the indexed tokens.
    indexed = index_tokens("我们要不忘初心，牢记使命担当")
    n = len(term.tokens)
    assert any(tuple(indexed[i : i + n]) == term.tokens for i in range(len(indexed)))


def test_chinese_quotes_work_too_and_phrases_mix_with_words():
    query = parse_query("“焦裕禄精神” 干部")
    assert [t.tokens for t in query.terms] == [("焦裕", "裕禄", "禄精", "精神"), ("干部",)]


def test_quoted_phrase_ending_in_one_character_ends_in_a_prefix():
    (term,) = parse_query('"初心，使"').terms
    assert term.tokens == ("初心", "心", "使") and term.prefix


def test_empty_and_punctuation_only_queries_have_no_terms():
    assert not parse_query("")
    assert not parse_query("  ，。！")
    assert not parse_query('""')


def test_needles_for_marking_are_normalised_runs():
    assert parse_query('幹部 "初心，使命"').needles == ("干部", "初心", "使命")


def test_tokens_and_highlight_never_import_django():
    for module in (essays.search.tokens, essays.search.highlight):
        tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
        imported = {
            alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
        } | {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert not any(name.startswith("django") for name in imported), module.__name__


def test_normalize_is_simplified_lowercase():
    assert normalize("黨建ABC") == "党建abc"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "党",
        "不忘初心，牢记使命",
        "G20峰会在２０２３年召开，ＡＩ与Python",
        "學" * 25_001 + "，ab" + "习" * 3,  # runs longer than a stretch, Latin between
        "初心" * 10_000,  # a run exactly two stretches long
    ],
)
def test_the_index_cuts_runs_as_a_query_does_however_long_the_runs(text):
    """Every run's two-character tokens and its last character, as parse_query cuts a final
    run: the index string is made a stretch at a time, which must change nothing."""
    expected = [
        token
        for han, latin in _RUN.findall(normalize(text))
        for token in _run_tokens(han or latin, is_han=bool(han), final_unigram=True)
    ]

    assert index_string(text) == " ".join(expected)
    assert index_tokens(text) == expected
