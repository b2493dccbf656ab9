"""Themes are typed the way Chinese editors type lists."""

from essays.models import Theme
from essays.themes import join_theme_names, parse_theme_string


def test_full_width_commas_enumeration_commas_and_semicolons_separate_themes():
    """党建，理想信念、初心使命；廉洁 is four themes."""
    assert set(parse_theme_string("党建，理想信念、初心使命；廉洁")) == {
        "初心使命",
        "党建",
        "廉洁",
        "理想信念",
    }


def test_theme_names_join_into_a_string_that_parses_back():
    """Joining names for an edit box and parsing them again gives the same names."""
    names = ["党的建设", "初心 使命"]
    joined = join_theme_names([Theme(name=n) for n in names])

    assert sorted(parse_theme_string(joined)) == sorted(names)
