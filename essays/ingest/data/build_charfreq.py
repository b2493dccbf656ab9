"""Build charfreq.txt: log-frequencies of the most common Chinese characters.

Source: jieba's dict.txt (word, count, tag), which is simplified Chinese. Every word is
converted with OpenCC t2s first (a few entries are traditional), each character gets the sum
of the counts of the words it occurs in, and every traditional form whose t2s conversion is
that character inherits the same count, so the table scores both scripts alike.

Output format, one line per score: "<score>\t<characters>", score = round(ln(count/total)*10),
highest first. Run from the repository root:

    .venv/bin/python essays/ingest/data/build_charfreq.py
"""

from __future__ import annotations

import math
import sys
from collections import Counter, defaultdict
from pathlib import Path

import jieba
import opencc

TOP = 8000  # simplified characters kept; traditional variants come on top
OUT = Path(__file__).with_name("charfreq.txt")


def is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def simplified_counts(dict_path: Path) -> Counter:
    t2s = opencc.OpenCC("t2s")
    words, counts = [], []
    for line in dict_path.read_text(encoding="utf-8").splitlines():
        parts = line.split(" ")
        if len(parts) >= 2 and parts[1].isdigit():
            words.append(parts[0])
            counts.append(int(parts[1]))
    # One conversion call for the whole list: OpenCC is fast on big inputs, slow per call.
    converted = t2s.convert("\n".join(words)).split("\n")
    chars: Counter = Counter()
    for word, count in zip(converted, counts, strict=True):
        for ch in word:
            if is_han(ch):
                chars[ch] += count
    return chars


def traditional_variants(keep: set[str]) -> dict[str, str]:
    """Every BMP Han character whose t2s form is a kept simplified character."""
    t2s = opencc.OpenCC("t2s")
    candidates = [chr(cp) for cp in range(0x3400, 0xA000)] + [chr(cp) for cp in range(0xF900, 0xFB00)]
    converted = t2s.convert("\n".join(candidates)).split("\n")
    return {
        orig: simp for orig, simp in zip(candidates, converted, strict=True) if orig != simp and simp in keep
    }


def main() -> int:
    dict_path = Path(jieba.__file__).with_name("dict.txt")
    counts = simplified_counts(dict_path)
    total = sum(counts.values())
    top = dict(counts.most_common(TOP))
    scores = {ch: round(math.log(n / total) * 10) for ch, n in top.items()}
    for trad, simp in traditional_variants(set(top)).items():
        scores.setdefault(trad, scores[simp])
    by_score: dict[int, list[str]] = defaultdict(list)
    for ch, score in scores.items():
        by_score[score].append(ch)
    lines = [f"{score}\t{''.join(sorted(chars))}" for score, chars in sorted(by_score.items(), reverse=True)]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(scores)} characters ({len(top)} simplified) -> {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
