"""Parsing theme (tag) input the way Chinese editors type it.

taggit splits only on ASCII commas and spaces; editors write 党建，理想信念、初心使命.
"""

import re

from taggit.utils import _edit_string_for_tags, _parse_tags

_CHINESE_SEPARATORS = re.compile(r"[，、；;]")


def parse_theme_string(value: str) -> list[str]:
    """Split on full-width commas, enumeration commas and semicolons as well as taggit's own."""
    if not value:
        return []
    return _parse_tags(_CHINESE_SEPARATORS.sub(",", value))


def join_theme_names(tags) -> str:
    # taggit's public edit_string_for_tags dispatches back to this setting; call its default.
    return _edit_string_for_tags(tags)
