"""The import preview says everything in Chinese: script, encoding, warnings, refusals."""

import re

import pytest

from .helpers import preview_url, upload


@pytest.fixture(autouse=True)
def parse_in_the_request(settings):
    """The page these tests read is the parsed preview, not the progress page a slow first
    parse in a background thread would show."""
    settings.ANTHOLOGY_IMPORT_IN_BACKGROUND = False


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    html = re.sub(r"<[^>]+>", " ", html)
    return html


def test_the_preview_names_script_encoding_and_warnings_in_chinese(editor_client):
    text = (
        "学习心得体会\n张静\n通过这次学习，我深刻认识到坚定理想信念的重要性。\n我们要立足岗位，认真学习，坚定"
    )
    response = upload(editor_client, ("心得.txt", text.encode("gb18030")))
    preview_url(response)
    shown = visible_text(response.text)
    assert "文末在句中截断" in shown
    assert "GB18030（国标）" in shown and "纯文本" in shown
    assert re.search(r"字体\s*简体", shown)
    for english in ("truncated", "simplified", "gb18030", "mid-sentence"):
        assert english not in shown


def test_a_refused_file_says_why_in_chinese(editor_client):
    response = upload(editor_client, ("旧文件.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600))
    preview_url(response)
    shown = visible_text(response.text)
    assert "不支持旧版 Word .doc 文件，请另存为 .docx 再导入" in shown
    assert "not supported" not in shown
