"""Cross-validated import score: the figure to improve and to report (issue 15).

    .venv/bin/python bench/ingest_cv.py                 # 10-fold CV, rules / model / hinted / combined
    .venv/bin/python bench/ingest_cv.py --modes combined --curve
    .venv/bin/python bench/ingest_cv.py --frozen        # the frozen slice: only when work is done

Folds are by document. For each fold a line-role model is trained on the other nine and the
fold's documents go through the real pipeline (essays.ingest.parse_document) with it; each
parse is scored with the columns of ../shared/tools/score_ingest.py. "rules" is the hand
rules alone (no training; the same in every fold), "model" the model without the rules'
features, "combined" the model weighing them (essays assembled from its roles), "hinted" the
shipped mode (the model's chrome and titles given to the rules' segmentation, which the model
then overrules where it is sure). --curve adds the learning curve: the same
folds trained on 25 / 50 / 100 % of the training documents.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COLUMNS = ["boundaries", "titles", "authors", "ends", "chrome", "artifacts", "collection", "score"]
SCORER = ROOT.parent / "shared" / "tools" / "score_ingest.py"


def _scorer(path: Path):
    spec = importlib.util.spec_from_file_location("score_ingest", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _score(mode: str, model: Path | None, docs, scorer_path: Path) -> list[dict]:
    from essays.ingest import IngestError, parse_document

    score_doc = _scorer(scorer_path).score_doc
    out = []
    for doc in docs:
        try:
            got = parse_document(doc.path.read_bytes(), doc.path.name, roles=mode, model=model).as_json()
        except IngestError:
            got = {"essays": []}
        parts, detail = score_doc(doc.truth, got)
        collection = {k: (got.get("collection") or {}).get(k) for k in ("title", "declared_essay_count")}
        detail |= {"got": _gist(got), "collection": collection}
        out.append(parts | {"document": doc.name, "detail": detail})
    return out


def _gist(got: dict) -> list[dict]:
    """What the parse made of a document, short enough to read beside the scorer's detail."""
    return [
        {
            "title": e.get("title"),
            "generated": bool(e.get("title_generated")),
            "starts": (e.get("body") or "")[:24],
            "author": e.get("author"),
            "organization": e.get("organization"),
        }
        for e in got.get("essays") or []
    ]


def _fold(job) -> list[dict]:
    mode, fold, train_names, test_names, fraction, scorer_path, corpus_dir = job
    from essays.ingest.roles import corpus, train

    docs = {d.name: d for d in corpus.load(corpus_dir)}
    test = [docs[n] for n in test_names]
    if mode == "rules":
        return _score(mode, None, test, scorer_path)
    chosen = train_names[: max(1, round(len(train_names) * fraction))]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"fold{fold}.crfsuite"
        train.train([docs[n] for n in chosen], path, rules=mode != "model")
        return _score(mode, path, test, scorer_path)


def _frozen(job) -> list[dict]:
    mode, scorer_path, corpus_dir = job
    from essays.ingest.roles import corpus, train

    docs = corpus.load(corpus_dir)
    frozen = corpus.load(corpus_dir, frozen=True)
    if mode == "rules":
        return _score(mode, None, frozen, scorer_path)
    with tempfile.TemporaryDirectory() as tmp:
        path = train.train(docs, Path(tmp) / "all.crfsuite", rules=mode != "model")
        return _score(mode, path, frozen, scorer_path)


def _means(rows: list[dict]) -> dict[str, float]:
    means = {}
    for c in COLUMNS:
        values = [r[c] for r in rows if r.get(c) is not None]
        means[c] = sum(values) / len(values) if values else 0.0
    return means


def _line(label: str, rows: list[dict]) -> str:
    m = _means(rows)
    return f"{label:28}" + "".join(f"{m[c]:>11.3f}" for c in COLUMNS) + f"{len(rows):>6}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modes", default="rules,model,hinted,combined")
    parser.add_argument("--folds", type=int, default=10)
    parser.add_argument("--curve", action="store_true", help="learning curve at 25/50/100 %%")
    parser.add_argument("--frozen", action="store_true", help="score the frozen slice instead")
    parser.add_argument("--scorer", type=Path, default=SCORER)
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--seed",
        type=int,
        default=15,
        help="how documents are dealt into folds; another seed gives another estimate of the same figure",
    )
    parser.add_argument(
        "--dump",
        type=Path,
        help="write each document's scores, the scorer's detail and the parse's essays per mode (JSON)",
    )
    args = parser.parse_args(argv)

    from essays.ingest.roles import corpus

    corpus_dir = args.corpus or corpus.CORPUS
    modes = args.modes.split(",")
    print(f"{'':28}" + "".join(f"{c[:10]:>11}" for c in COLUMNS) + f"{'docs':>6}")
    with ProcessPoolExecutor(args.workers) as pool:
        if args.frozen:
            for mode, rows in zip(
                modes, pool.map(_frozen, [(m, args.scorer, corpus_dir) for m in modes]), strict=True
            ):
                print(_line(f"frozen slice, {mode}", rows))
            return 0
        names = [d.name for d in corpus.load(corpus_dir)]
        random.Random(args.seed).shuffle(names)
        folds = [names[i :: args.folds] for i in range(args.folds)]
        fractions = (0.25, 0.5, 1.0) if args.curve else (1.0,)
        dump = {}
        for mode in modes:
            for fraction in fractions if mode != "rules" else (1.0,):
                jobs = [
                    (
                        mode,
                        k,
                        [n for j, f in enumerate(folds) if j != k for n in f],
                        folds[k],
                        fraction,
                        args.scorer,
                        corpus_dir,
                    )
                    for k in range(args.folds)
                ]
                rows = [r for fold in pool.map(_fold, jobs) for r in fold]
                label = f"{args.folds}-fold CV, {mode}" + (f" {fraction:.0%}" if fraction < 1 else "")
                print(_line(label, rows), flush=True)
                dump[label] = rows
    if args.dump:
        args.dump.write_text(json.dumps(dump, ensure_ascii=False, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
