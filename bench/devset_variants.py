"""Do the import's rules generalise? The dev set, rewritten the ways real copies differ, scored.

Each variant rewrites every dev-set document (and, where the script changes, its truth) into
a temporary folder and runs the scorer on it:
  script changes: Traditional as Big5, Simplified as GB18030 (OpenCC; truth converted too);
  encodings and layout: UTF-16, CRLF, a blank line after every line, full-width indents;
  a scraped page: every line a <p> in an HTML page with navigation, script and footer;
  hard-wrapped: body lines over 100 columns broken at 76 (as a PDF or a fixed-width
  editor would), chrome lines (from the truth) left whole.
A rule that fits only the file it was written for shows up as a variant below 1.000.

    .venv/bin/python bench/devset_variants.py [--devset tests/fixtures/devset] [--scorer ../shared/tools/score_ingest.py]
"""

from __future__ import annotations

import argparse
import html
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from essays.ingest.clean import display_width  # noqa: E402
from essays.ingest.decode import decode_bytes  # noqa: E402
from essays.ingest.script import to_simplified, to_traditional  # noqa: E402

WRAP_OVER, WRAP_AT = 100, 76  # columns
HAN = re.compile(r"[\u4e00-\u9fff]")


def wrapped(line: str) -> str:
    pieces, current = [], ""
    for ch in line:
        if display_width(current + ch) > WRAP_AT:
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
