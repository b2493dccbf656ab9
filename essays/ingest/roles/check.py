"""Validate the annotated corpus: `python -m essays.ingest.roles.check [--corpus DIR]`.

Every span of a truth file must be found in its document and every chrome line must be a
whole line of it, so truth cannot drift from the text it describes; every document has one
manifest row and a truth file; no site gives more than MAX_PER_SITE documents.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

from .corpus import PINYIN_NOTE

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
DEVSET_MANIFEST = Path(__file__).resolve().parents[4] / "shared" / "devset" / "manifest.tsv"
MAX_PER_SITE = 5
FIELDS = ("file", "source", "site", "kind", "script", "features", "licence")
KINDS = {"page-excerpt", "full-doc"}
SCRIPTS = {"simplified", "traditional", "mixed"}


_PINYIN = "a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿɡ"
_CUT_START = re.compile(rf"[(（][{_PINYIN}]*$")  # "今天上午,在簡(jiǎn"
_CUT_END = re.compile(rf"^[{_PINYIN}]*[)）]")  # ")社的力量和資源,做好扶"


def read_text(path: Path) -> str:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030", "big5"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def squash(s: str) -> str:
    """Spaces and pinyin annotations (truth gives names and titles without them) removed."""
    return PINYIN_NOTE.sub("", "".join(unicodedata.normalize("NFKC", s).split()))


# The devset's truth came with the project; its chrome may be a page marker inside the title
# line or a hard-wrapped line (the scorer looks for chrome anywhere in the text).
DEVSET = ("00", "dev-", "web-")


def check_document(doc: Path, truth: dict) -> list[str]:
    text = read_text(doc)
    flat = squash(text)
    raw_flat = "".join(unicodedata.normalize("NFKC", text).split())
    lines = {line.strip() for line in text.replace("\r", "\n").split("\n")}
    problems = []

    def spans(label, value):
        raw = "".join(unicodedata.normalize("NFKC", value or "").split())
        if value and squash(value) not in flat and raw not in raw_flat:
            problems.append(f"{label} not in the text: {value!r}")

    for key in ("collection_title_raw",):
        spans(key, truth.get(key))
    if truth.get("collection_title_raw") is None:
        spans("collection_title", truth.get("collection_title"))
    for n, essay in enumerate(truth.get("essays") or [], 1):
        for key in ("starts_with", "ends_with", "byline_raw", "subtitle"):
            spans(f"essay {n} {key}", essay.get(key))
        for key in ("author", "organization"):
            spans(f"essay {n} {key}", essay.get(key))
        if not essay.get("starts_with"):
            problems.append(f"essay {n} has no starts_with")
        for key in ("starts_with", "ends_with"):
            # the scorer compares against the cleaned body, which has lost these notes (a span
            # may also cut one in two at its edge)
            cut = _CUT_START if key == "starts_with" else _CUT_END
            value = essay.get(key) or ""
            if (PINYIN_NOTE.search(value) or cut.search(value)) and not essay.get(f"{key}_clean"):
                problems.append(f"essay {n} {key} holds pinyin notes but has no {key}_clean")
    for line in truth.get("chrome_lines") or []:
        if line.strip() not in lines and not (doc.stem.startswith(DEVSET) and squash(line) in flat):
            problems.append(f"chrome line is not a whole line: {line!r}")
    if not truth.get("essays"):
        problems.append("no essays")
    return problems


def manifest_rows(corpus: Path) -> list[dict]:
    rows = []
    for path in sorted((corpus / "manifests").glob("*.tsv")):
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f, delimiter="\t"):
                row["_manifest"] = path.name
                rows.append(row)
    return rows


def devset_sites() -> Counter:
    sites: Counter = Counter()
    if DEVSET_MANIFEST.exists():
        with DEVSET_MANIFEST.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f, delimiter="\t"):
                source = row.get("source") or ""
                if "://" in source:
                    sites[source.split("/")[2].removeprefix("www.")] += 1
    return sites


def check_corpus(corpus: Path) -> list[str]:
    problems = []
    rows = manifest_rows(corpus)
    listed = {}
    sites = devset_sites()
    for row in rows:
        where = f"{row['_manifest']}: {row.get('file')}"
        missing = [f for f in FIELDS if not (row.get(f) or "").strip()]
        if missing:
            problems.append(f"{where}: empty {', '.join(missing)}")
        if row.get("kind") not in KINDS:
            problems.append(f"{where}: kind {row.get('kind')!r}")
        if row.get("script") not in SCRIPTS:
            problems.append(f"{where}: script {row.get('script')!r}")
        listed[row.get("file")] = row
        sites[(row.get("site") or "").removeprefix("www.")] += 1
    for site, n in sites.items():
        if n > MAX_PER_SITE and site:
            problems.append(f"site {site}: {n} documents (at most {MAX_PER_SITE})")
    for base in (corpus, corpus / "frozen"):
        for doc in sorted((base / "docs").glob("*")):
            rel = doc.relative_to(corpus).as_posix()
            truth_path = base / "truth" / (doc.stem + ".json")
            if rel not in listed and not doc.stem.startswith(("dev-", "web-", "00")):
                problems.append(f"{rel}: no manifest row")
            if not truth_path.exists():
                problems.append(f"{rel}: no truth file")
                continue
            try:
                truth = json.loads(truth_path.read_text(encoding="utf-8"))
            except ValueError as exc:
                problems.append(f"{truth_path.name}: not JSON ({exc})")
                continue
            problems += [f"{rel}: {p}" for p in check_document(doc, truth)]
    for file in listed:
        if file and not (corpus / file).exists():
            problems.append(f"{file}: listed but missing")
    return problems + duplicates(corpus, rows)


def duplicates(corpus: Path, rows: list[dict]) -> list[str]:
    """The same page twice (by address, or by its first 200 characters): one copy would be
    scored on what the model learnt from the other, and the frozen slice would leak."""
    problems = []
    seen: dict[str, str] = {}
    for row in rows:
        source = (row.get("source") or "").strip()
        if source in seen:
            problems.append(f"{row.get('file')}: same source as {seen[source]}")
        seen.setdefault(source, row.get("file") or "")
    heads: dict[str, str] = {}
    for doc in sorted([*(corpus / "docs").glob("*"), *(corpus / "frozen" / "docs").glob("*")]):
        head = hashlib.sha256(squash(read_text(doc))[:200].encode()).hexdigest()
        rel = doc.relative_to(corpus).as_posix()
        if head in heads:
            problems.append(f"{rel}: same first 200 characters as {heads[head]}")
        heads.setdefault(head, rel)
    return problems


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args(argv)
    problems = check_corpus(args.corpus)
    for p in problems:
        print(p)
    docs = len(list((args.corpus / "docs").glob("*"))) + len(list((args.corpus / "frozen/docs").glob("*")))
    print(f"{docs} documents, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
