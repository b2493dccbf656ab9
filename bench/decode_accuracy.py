"""How well essays.ingest.decode.decode_bytes recognises the encoding of the seeds.

Every seed is encoded as UTF-8, GB18030, Big5 (after OpenCC s2t; characters Big5 lacks are
dropped), UTF-16 with a BOM and UTF-16-LE/BE without one, then decoded from the full file and
from 200- and 60-byte prefixes cut at a character boundary. A second table decodes every
title-sized line (6-60 characters) and every 6-20 character piece of body text on its own, as
GB18030 and as Big5. Correct = the decoded text equals the text that was encoded.

    .venv/bin/python bench/decode_accuracy.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from essays.ingest.decode import decode_bytes  # noqa: E402
from essays.ingest.model import IngestError  # noqa: E402
from essays.ingest.script import to_traditional  # noqa: E402

ENCODINGS = ("utf-8", "gb18030", "big5", "utf-16", "utf-16-le", "utf-16-be")
SIZES = (None, 200, 60)


def seed_texts() -> dict[str, str]:
    return {p.name[:3]: p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))}


def representable(text: str, encoding: str) -> str:
    """The text as it survives the encoding (Big5 lacks some characters; they are dropped)."""
    if encoding == "big5":
        text = to_traditional(text)
    return text.encode(encoding, errors="ignore").decode(encoding)


def prefix(text: str, encoding: str, size: int | None) -> str:
    """The longest prefix whose encoding fits in `size` bytes (a character boundary)."""
    if size is None:
        return text
    budget = size - (2 if encoding == "utf-16" else 0)  # the BOM
    bare = "utf-16-le" if encoding == "utf-16" else encoding
    used, out = 0, []
    for ch in text:
        n = len(ch.encode(bare))
        if used + n > budget:
            break
        used += n
        out.append(ch)
    return "".join(out)


def decodes_back(text: str, encoding: str) -> bool:
    try:
        decoded, _ = decode_bytes(text.encode(encoding), "sample")
    except IngestError:
        return False
    return decoded == text


def short_lines(texts: dict[str, str]) -> list[str]:
    lines = []
    for text in texts.values():
        for line in text.split("\n"):
            line = line.strip()
            if 6 <= len(line) <= 60:
                lines.append(line)
            elif len(line) > 60:
                lines.extend(line[i : i + 6 + i % 15] for i in range(0, len(line) - 20, 97))
    return lines


def main() -> int:
    texts = seed_texts()
    started = time.perf_counter()
    print("Whole seeds and prefixes (correct / samples)")
    print(f"{'encoding':<12}" + "".join(f"{'full' if s is None else f'{s} B':>10}" for s in SIZES))
    for encoding in ENCODINGS:
        cells = []
        for size in SIZES:
            ok = sum(
                decodes_back(prefix(representable(text, encoding), encoding, size), encoding)
                for text in texts.values()
            )
            cells.append(f"{ok}/{len(texts)}")
        print(f"{encoding:<12}" + "".join(f"{c:>10}" for c in cells))
    lines = short_lines(texts)
    print(f"\nShort lines ({len(lines)} lines of 6-60 characters)")
    for encoding in ("gb18030", "big5"):
        samples = [representable(line, encoding) for line in lines]
        samples = [s for s in samples if len(s) >= 6]
        ok = sum(decodes_back(s, encoding) for s in samples)
        print(f"{encoding:<12}{ok:>5}/{len(samples)}")
        for s in samples:
            if not decodes_back(s, encoding):
                print(f"    missed: {s}")
    print(f"\n{time.perf_counter() - started:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
