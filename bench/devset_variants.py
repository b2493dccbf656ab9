"""Do the import's rules generalise? The dev set, rewritten the ways real copies differ, scored.

Each variant rewrites every dev-set document (and, where the script changes, its truth) into
a temporary folder and runs the scorer on it:
  script changes: Traditional as Big5, Simplified as GB18030 (OpenCC; truth converted too);
  encodings and layout: UTF-16, CRLF, a blank line after every line, full-width indents;
  a scraped page: every line a <p> in an HTML page with navigation, script and footer;
  hard-wrapped: body lines over 100 columns broken at 76 (as a PDF or a fixed-width
  editor would), chrome lines (from the truth) left whole;
  a Word file (a paragraph per line); a government site's menu, page tools and footer and
  a WeChat article's furniture around the text; a printed document: lines over 60 columns
  broken, 30 lines a page, a running header atop each page and its number below (the added
  furniture is checked as chrome); the UTF-8 text once read as Latin-1 and saved again.
A rule that fits only the file it was written for shows up as a variant below 1.000.

    .venv/bin/python bench/devset_variants.py [--devset tests/fixtures/devset] [--scorer ../shared/tools/score_ingest.py]
"""

from __future__ import annotations

import argparse
import html
import io
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from essays.ingest.decode import decode_bytes  # noqa: E402
from essays.ingest.prose import display_width  # noqa: E402
from essays.ingest.script import to_simplified, to_traditional  # noqa: E402

WRAP_OVER, WRAP_AT = 100, 76  # columns
HAN = re.compile(r"[\u4e00-\u9fff]")


# page furniture the rules must remove wherever a document is found in it (lines the scorer
# then checks as chrome)
GOVERNMENT_HEAD = [
    "中共某某县委组织部",
    "首页 | 机构概况 | 工作动态 | 党建工作 | 学习园地",
    "当前位置：首页 >> 学习园地 >> 正文",
    "【字体：大 中 小】 打印本页 关闭窗口",
]
GOVERNMENT_TAIL = ["[打印本页] [关闭窗口]", "主办单位：中共某某县委组织部 技术支持：某某网络科技有限公司"]
WECHAT_HEAD = ["收录于合集", "#学习体会 12个"]
WECHAT_TAIL = ["END", "点击“在看”，分享给更多朋友", "阅读原文"]
PRINT_AT, PAGE_LINES = 60, 30  # a printed page: lines of 60 columns, 30 lines a page
RUNNING_HEAD = "某某单位干部学习资料汇编"


def with_chrome(truth: dict, lines: list[str]) -> dict:
    return {**truth, "chrome_lines": [*(truth.get("chrome_lines") or []), *lines]}


def docx_bytes(text: str) -> bytes:
    import docx

    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def wrapped(line: str, at: int = 0) -> str:
    at = at or WRAP_AT
    pieces, current = [], ""
    for ch in line:
        if display_width(current + ch) > at:
            pieces.append(current)
            current = ""
        current += ch
    return "\n".join([*pieces, current])


def han_key(text: str) -> str:
    return "".join(HAN.findall(to_simplified(text)))[:8]


def page(text: str) -> str:
    body = "".join(f"<p>{html.escape(line)}</p>\n" for line in text.split("\n") if line.strip())
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>文章</title>"
        "<script>var a = 1;</script><style>p {}</style></head><body>"
        "<nav><a href='/'>首页</a> <a href='/fanwen'>范文</a></nav>"
        f"<div class='content'>{body}</div><footer>版权所有 © 2024 某某网 备案号</footer></body></html>"
    )


def encoded(text: str, codec: str) -> bytes:
    try:
        return text.encode(codec)
    except UnicodeEncodeError:  # a character the legacy codec lacks: the file stays UTF-8
        return text.encode("utf-8")


def variant(name: str, text: str, truth: dict) -> tuple[bytes, str, dict]:
    """(bytes, file suffix, truth) of one document in one variant."""
    if name == "traditional-big5":
        return encoded(to_traditional(text), "big5"), ".txt", convert(truth, to_traditional)
    if name == "simplified-gb18030":
        return encoded(to_simplified(text), "gb18030"), ".txt", convert(truth, to_simplified)
    if name == "utf-16":
        return text.encode("utf-16"), ".txt", truth
    if name == "crlf":
        return text.replace("\n", "\r\n").encode(), ".txt", truth
    if name == "blank-lines":
        return "\n\n".join(text.split("\n")).encode(), ".txt", truth
    if name == "indented":
        return (
            "\n".join("\u3000\u3000" + line if line.strip() else line for line in text.split("\n")).encode(),
            ".txt",
            truth,
        )
    if name == "html-page":
        return page(text).encode(), ".html", truth
    if name == "latin-1-mojibake":  # once read as Latin-1 and saved again as UTF-8
        return text.encode("utf-8").decode("latin-1").encode("utf-8"), ".txt", truth
    if name == "word-docx":
        return docx_bytes(text), ".docx", truth
    if name == "government-site":
        head, tail = GOVERNMENT_HEAD, GOVERNMENT_TAIL
        if text.lstrip().startswith("---"):  # front matter opens its file: nothing goes above it
            head = []
        return "\n".join([*head, text.rstrip("\n"), *tail]).encode(), ".txt", with_chrome(truth, head + tail)
    if name == "wechat":
        lines = text.split("\n")
        at = next((i for i, line in enumerate(lines) if line.strip()), 0) + 1  # after the title
        lines[at:at] = WECHAT_HEAD
        lines.extend(WECHAT_TAIL)
        return "\n".join(lines).encode(), ".txt", with_chrome(truth, WECHAT_HEAD + WECHAT_TAIL)
    if name == "printed":
        chrome = {han_key(c) for c in truth.get("chrome_lines") or [] if han_key(c)}
        lines = []
        for line in text.split("\n"):
            long = display_width(line) > PRINT_AT and han_key(line) not in chrome
            lines.extend(wrapped(line, PRINT_AT).split("\n") if long else [line])
        # the header tops every page, the number ends it (a one-page text has neither, and
        # front matter opens its file)
        several = len(lines) > PAGE_LINES and not text.lstrip().startswith("---")
        paged = [RUNNING_HEAD, ""] if several else []
        for number, start in enumerate(range(0, len(lines), PAGE_LINES), 1):
            paged.extend(lines[start : start + PAGE_LINES])
            if start + PAGE_LINES < len(lines) and several:
                paged.extend(["", f"— {number} —", "", RUNNING_HEAD, ""])
        return "\n".join(paged).encode(), ".txt", with_chrome(truth, [RUNNING_HEAD])
    if name == "hard-wrapped":
        chrome = {han_key(c) for c in truth.get("chrome_lines") or [] if han_key(c)}
        lines = [
            wrapped(line) if display_width(line) > WRAP_OVER and han_key(line) not in chrome else line
            for line in text.split("\n")
        ]
        return "\n".join(lines).encode(), ".txt", truth
    return text.encode(), ".txt", truth


VARIANTS = (
    "as-is",
    "traditional-big5",
    "simplified-gb18030",
    "utf-16",
    "crlf",
    "blank-lines",
    "indented",
    "html-page",
    "hard-wrapped",
    "word-docx",
    "government-site",
    "wechat",
    "printed",
    "latin-1-mojibake",
)


def convert(value, conversion):
    if isinstance(value, str):
        return conversion(value)
    if isinstance(value, list):
        return [convert(v, conversion) for v in value]
    if isinstance(value, dict):
        return {k: convert(v, conversion) for k, v in value.items()}
    return value


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--devset", type=Path, default=ROOT / "tests/fixtures/devset")
    parser.add_argument("--scorer", type=Path, default=ROOT.parent / "shared/tools/score_ingest.py")
    args = parser.parse_args()
    if not args.scorer.exists():
        sys.exit(f"{args.scorer}: no such scorer (give --scorer)")
    with tempfile.TemporaryDirectory(prefix="anthology-variants-") as tmp:
        for name in VARIANTS:
            docs, truths = Path(tmp, name, "docs"), Path(tmp, name, "truth")
            docs.mkdir(parents=True)
            truths.mkdir()
            for path in sorted((args.devset / "docs").iterdir()):
                text, _ = decode_bytes(path.read_bytes(), path.name)
                truth = json.loads((args.devset / "truth" / f"{path.stem}.json").read_text("utf-8"))
                data, suffix, truth = variant(name, text, truth)
                (docs / f"{path.stem}{suffix}").write_bytes(data)
                (truths / f"{path.stem}.json").write_text(json.dumps(truth, ensure_ascii=False), "utf-8")
            scored = subprocess.run(
                [sys.executable, str(args.scorer), "--docs", str(docs), "--truth", str(truths)],
                capture_output=True,
                text=True,
                cwd=ROOT,
                check=False,
            )
            lines = scored.stdout.strip().splitlines()
            below = [line.split()[0] for line in lines[1:-1] if line.split() and line.split()[-1] != "1.00"]
            last = lines[-1] if lines else scored.stderr.strip().splitlines()[-1]
            print(f"{name:20} {last}" + (f"   below 1.00: {', '.join(below)}" if below else ""))


if __name__ == "__main__":
    main()
