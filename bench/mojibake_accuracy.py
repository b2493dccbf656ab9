"""How well and how fast the GBK-shift repair works on damage it has never seen.

Seed 003's damage is real but finite (35 sites, most with a pinyin hint at the start of the
run). This bench makes new damage the way it happened there: clean seed lines are encoded as
GBK, one lead byte is lost at a random character, and the rest is decoded one byte over until
a trail byte in the ASCII range resynchronises the decoder (a pair GBK lacks shows as "?");
then full-width punctuation is folded to ASCII as in seed 003. No hint marks the run start,
so this is the harder case. Every document has DAMAGED_LINES damaged lines among clean ones.

Prints, per document script: sites fully restored, improved, unchanged, made worse, clean
lines changed (must be 0), and the repair time per damaged line.

    .venv/bin/python bench/mojibake_accuracy.py [--docs 40] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from essays.ingest.model import Report  # noqa: E402
from essays.ingest.mojibake import repair_mojibake  # noqa: E402
from essays.ingest.normalize import hygiene  # noqa: E402
from essays.ingest.pinyin import strip_pinyin  # noqa: E402

LINES_PER_DOC = 10
DAMAGED_LINES = 3
FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}


def seed_lines() -> dict[str, list[str]]:
    """Long lines of the clean seeds, by script (Traditional seeds are told by OpenCC)."""
    from essays.ingest.script import SIMPLIFIED, detect_script

    by_script: dict[str, list[str]] = {}
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        if path.name.startswith("003"):
            continue  # already damaged
        for line in path.read_text("utf-8").splitlines():
            line = line.strip()
            if len(line) < 40 or "?" in line:
                continue
            try:
                line.encode("gbk")
            except UnicodeEncodeError:
                continue
            script = "simplified" if detect_script(line) == SIMPLIFIED else "traditional"
            by_script.setdefault(script, []).append(line.translate(FOLD))
    return by_script


def damage(line: str, rng: random.Random) -> str | None:
    """Lose the lead byte of one Han character and decode the rest one byte over."""
    starts = [i for i, ch in enumerate(line[:-6]) if "\u4e00" <= ch <= "\u9fff" and i > 3]
    if not starts:
        return None
    start = rng.choice(starts)
    head, rest = line[:start], line[start:].encode("gbk")[1:]
    out, i = [], 0
    while i < len(rest):
        b = rest[i]
        if b < 0x80:  # ASCII, or a trail byte in the ASCII range: the decoder is in step again
            out.append(chr(b))
            i += 1
            break
        if i + 1 == len(rest):
            i += 1
            break
        if rest[i + 1] < 0x40:  # no trail byte: the lead alone is shown as "?"
            out.append("?")
            i += 1
            continue
        try:
            out.append(rest[i : i + 2].decode("gbk"))
        except UnicodeDecodeError:
            out.append("?")
        i += 2
    tail = rest[i:].decode("gbk", errors="replace")
    damaged = (head + "".join(out) + tail).translate(FOLD)
    return damaged if damaged != line else None


def edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def run(lines: list[str], docs: int, rng: random.Random) -> dict[str, float]:
    tally = {"fully": 0, "improved": 0, "unchanged": 0, "worse": 0, "clean changed": 0, "seconds": 0.0}
    for _ in range(docs):
        originals = rng.sample(lines, LINES_PER_DOC)
        damaged_at = set(rng.sample(range(LINES_PER_DOC), DAMAGED_LINES))
        shown = []
        for i, line in enumerate(originals):
            bad = damage(line, rng) if i in damaged_at else None
            if i in damaged_at and bad is None:
                damaged_at.discard(i)
            shown.append(bad or line)
        report = Report()
        text = strip_pinyin(hygiene("\n".join(shown), report), report)
        started = time.perf_counter()
        repaired = repair_mojibake(text, report).split("\n")
        tally["seconds"] += time.perf_counter() - started
        for i, (original, before, after) in enumerate(zip(originals, shown, repaired, strict=True)):
            if i not in damaged_at:
                tally["clean changed"] += after != original
            elif after == original:
                tally["fully"] += 1
            elif after == before:
                tally["unchanged"] += 1
            elif edit_distance(after, original) < edit_distance(before, original):
                tally["improved"] += 1
            else:
                tally["worse"] += 1
    return tally


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    repair_mojibake("預熱?模型F載入", Report())  # build the model outside the timing
    for script, lines in seed_lines().items():
        tally = run(lines, args.docs, random.Random(args.seed))
        sites = tally["fully"] + tally["improved"] + tally["unchanged"] + tally["worse"]
        print(
            f"{script}: {sites} damaged lines in {args.docs} documents: "
            f"{tally['fully']} fully restored ({tally['fully'] / sites:.0%}), {tally['improved']} improved, "
            f"{tally['unchanged']} unchanged, {tally['worse']} worse; "
            f"clean lines changed: {tally['clean changed']}; "
            f"{tally['seconds'] / sites * 1000:.0f} ms per damaged line"
        )


if __name__ == "__main__":
    main()
