"""Every seed parses, with the facts an editor checked by hand; the CLI prints the same JSON."""

import json
import subprocess
import sys
from functools import cache

import pytest

from essays.ingest import IngestError, parse_document
from essays.ingest.script import to_simplified

from .helpers import ROOT

SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


@cache
def seed(prefix: str):
    path = next(p for p in SEEDS if p.name.startswith(prefix))
    return parse_document(path.read_bytes(), path.name)


def plain(s: str | None) -> str:
    """Compare titles whatever the punctuation width and quote style."""
    table = str.maketrans({"，": ",", "“": '"', "”": '"'})
    return (s or "").translate(table)


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_every_seed_parses_into_essays_with_bodies(path):
    doc = parse_document(path.read_bytes(), path.name)
    assert doc.essays and all(e.body for e in doc.essays)
    assert doc.text == path.read_bytes().decode("utf-8")
    json.dumps(doc.as_json(), ensure_ascii=False)


def test_seed_000_is_page_two_of_a_declared_compilation():
    doc = seed("000")
    assert doc.collection.page == (2, 2)
    assert doc.collection.declared_essay_count == 7
    assert doc.collection.title == "2024年在焦裕禄干部学院的学习体会汇编7篇"


def test_seed_000_first_essay_is_a_fragment_then_three_titles():
    doc = seed("000")
    assert doc.essays[0].is_fragment and doc.essays[0].title is None
    assert [plain(e.title) for e in doc.essays[1:]] == [
        '坚持做"难而正确"的事',
        "焦桐下的思雨",
        "追寻初心不改,信仰砥砺前行",
    ]


def test_seed_001_byline_date_and_description():
    doc = seed("001")
    first = doc.essays[0]
    assert (first.author, first.organization) == ("張靜", "杏花嶺法院政治部")
    assert str(doc.collection.date) == "--03-06"
    assert doc.collection.description.startswith("為進一步深化")
    assert not any("分享到" in e.body or "相關文章" in e.body for e in doc.essays)


def test_seed_002_has_no_document_site_chrome_and_is_truncated():
    doc = seed("002")
    text = "\n".join([e.body for e in doc.essays] + [e.title or "" for e in doc.essays])
    for chrome in ("docxVIP", "千字", "发布于", "举报", "文档评论", "VIP精品文档", "相关文档"):
        assert chrome not in text
    assert doc.essays[-1].is_fragment
    assert any("truncated" in w for w in doc.essays[-1].warnings)
    assert any("truncated" in w for w in doc.report.warnings)


def test_seed_002_sections_stay_in_one_essay():
    doc = seed("002")
    assert len(doc.essays) == 1
    assert doc.essays[0].title == "政工工作心得体会范文合集"


def test_seed_003_is_many_untitled_essays_without_pinyin():
    doc = seed("003")
    assert len(doc.essays) >= 8
    untitled = [e for e in doc.essays if e.title_generated]
    assert len(untitled) >= 7
    assert "個人掛職總結" == doc.collection.title
    body = "\n".join(e.body for e in doc.essays)
    assert "(guān)" not in body and "(jié)" not in body
    assert "文秘站" not in body


def test_seed_003_keeps_the_one_real_title():
    assert "掛職收獲" in [e.title for e in seed("003").essays if not e.title_generated]


def test_seed_004_title_once_and_no_breadcrumb():
    doc = seed("004")
    assert len(doc.essays) == 1
    essay = doc.essays[0]
    assert essay.title == "中小学基层党组织书记培训班学习心得"
    assert "中小学基层党组织书记培训班学习心得" not in essay.body
    assert "首页" not in essay.body
    assert essay.body.startswith("当科学发展的理念")


def test_essays_carry_script_and_themes():
    doc = seed("001")
    assert {e.script for e in doc.essays} == {"traditional"}
    assert "初心使命" in doc.essays[0].themes
    assert all(t == to_simplified(t) for e in doc.essays for t in e.themes)


def test_source_text_of_an_essay_is_its_span_of_the_raw_text():
    doc = seed("001")
    assert doc.essays[0].source_text.startswith("牢守初心 篤定前行")
    assert "張靜" in doc.essays[0].source_text
    assert doc.essays[0].source_text in doc.text


def test_empty_file_is_refused_with_the_file_name():
    with pytest.raises(IngestError) as err:
        parse_document(b"", "empty.txt")
    assert "empty.txt" in str(err.value)


def test_command_line_prints_json_and_fails_on_a_bad_file(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    good = next(p for p in SEEDS if p.name.startswith("004"))
    run = subprocess.run(
        [sys.executable, "-m", "essays.ingest", str(good), str(empty)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert run.returncode == 1
    assert run.stderr.startswith(f"{empty}: ")
    out = json.loads(run.stdout)
    assert [d["source"] for d in out] == [str(good)]
    assert out[0]["essays"][0]["title"] == "中小学基层党组织书记培训班学习心得"
