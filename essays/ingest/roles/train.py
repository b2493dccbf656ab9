"""`python -m essays.ingest.roles.train`: the corpus -> the line-role model file.

Deterministic: the same corpus and settings give the same file (L-BFGS over documents in name
order). Training on the whole corpus takes well under a minute on 2 cores.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pycrfsuite

from . import corpus
from .features import document_features

MODEL = Path(__file__).resolve().parent / "model.crfsuite"
CLEAN_COPIES = True
SHORT_COPY = 4  # lines (4 to 7) in the short copy of each document
EXTRA_COPIES = 3  # an --extra document (an editor's correction) counts as this many scraped pages
PARAMS = {"c1": 0.01, "c2": 0.1, "max_iterations": 200, "feature.possible_transitions": True}


def sequences(docs: list[corpus.Document], rules: bool | None = None, clean_copies: bool = CLEAN_COPIES):
    """(items, labels) per document, over its non-blank lines; with `clean_copies`, also each
    page without its chrome lines: the text an editor pastes or saves as Word, which the
    corpus of scraped pages shows too rarely (a title on the first line is not a menu)."""
    for doc in docs:
        lines, roles = corpus.cleaned_roles(doc)
        variants = [(lines, roles)]
        if clean_copies:
            kept = [(line, role) for line, role in zip(lines, roles, strict=True) if role != corpus.CHROME]
            if len(kept) < len(roles):
                variants.append(([line for line, _r in kept], [r for _line, r in kept]))
            # and its opening alone: a short paste (title, byline, a paragraph or two)
            short = [(line, role) for line, role in kept if role is not None][
                : SHORT_COPY + len(doc.name) % 4
            ]
            variants.append(([line for line, _r in short], [r for _line, r in short]))
        for view, view_roles in variants:
            labels = [r for r in view_roles if r is not None]
            items = document_features(view, rules)
            if len(items) == len(labels) and labels:
                yield items, labels


def train(docs: list[corpus.Document], path: Path, rules: bool | None = None) -> Path:
    trainer = pycrfsuite.Trainer(verbose=False)
    for items, labels in sequences(docs, rules):
        trainer.append(items, labels)
    trainer.set_params(PARAMS)
    trainer.train(str(path))
    return path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=corpus.CORPUS)
    parser.add_argument("--out", type=Path, default=MODEL)
    parser.add_argument(
        "--extra",
        type=Path,
        action="append",
        default=[],
        help="another corpus directory (docs/, truth/), e.g. manage.py export_training's; repeatable",
    )
    parser.add_argument(
        "--extra-copies", type=int, default=EXTRA_COPIES, help="times each extra document counts"
    )
    args = parser.parse_args(argv)
    started = time.monotonic()
    docs = corpus.load(args.corpus)
    extra = [doc for path in args.extra for doc in corpus.load(path)]
    train(docs + extra * args.extra_copies, args.out)
    print(
        f"{len(docs)} documents + {len(extra)} extra x {args.extra_copies} -> {args.out} in {time.monotonic() - started:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
