"""An operator reads `import_essays` in Chinese: receipts, warnings, refusals and the summary.

File names, paths and the names of commands and options are the only Latin words left."""

import re

import pytest

from tests.conftest import SEEDS
from tests.reliability.documents import run_import

pytestmark = pytest.mark.django_db

# A Latin word of three letters or more that is not part of a file name, a path or an option.
ENGLISH = re.compile(r"(?<![\w./-])[A-Za-z]{3,}(?![\w./-])")
ALLOWED = {"find_duplicates", "JSON", "MB"}


def english_words(text: str) -> list[str]:
    return [w for w in ENGLISH.findall(text) if w not in ALLOWED]


def test_receipts_and_summary_of_a_real_import_are_chinese(tmp_path):
    truncated = tmp_path / "truncated.txt"
    truncated.write_text(
        "一次学习的体会\n这次学习让我深刻认识到，理论学习必须和实际工作结合起来，才能真正", encoding="utf-8"
    )

    code, out, err = run_import(str(SEEDS), str(truncated))

    assert code == 0, err
    assert "truncated.txt：新建" in out
    assert "文末在句中截断" in out  # the pipeline's warning, said in Chinese
    assert "文档：6 个（失败 0 个，冲突 0 个）" in out
    assert english_words(out) == []


def test_refusals_and_dry_runs_are_chinese(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"\xef\xbb\xbf")
    fine = tmp_path / "fine.txt"
    fine.write_text(
        "学习体会\n通过学习，我对新时代的要求有了更深的认识，今后要在工作中落实。\n", encoding="utf-8"
    )

    code, out, err = run_import(str(empty), str(tmp_path / "missing.txt"), str(fine), "--dry-run")

    assert code == 1
    assert "empty.txt：文件是空的" in err
    assert "missing.txt：没有这个文件或文件夹" in err
    assert "试运行：没有写入任何内容。" in out
    assert "fine.txt：已解析" in out
    assert english_words(out + err) == []


def test_a_command_without_paths_says_so_in_chinese():
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="请至少给出一个要导入的文件或文件夹"):
        call_command("import_essays")
