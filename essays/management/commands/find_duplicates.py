"""python manage.py find_duplicates [--json] [--rescan] — near-duplicate essays and shared passages."""

import json

from django.core.management.base import BaseCommand

from essays.models import DuplicatePair
from essays.services import duplicates


class Command(BaseCommand):
    help = (
        "List essays that are near-duplicates (Jaccard of 5-character shingles >= 0.8, script- and "
        "punctuation-blind) or share a passage of 50+ characters. Essays changed since their last "
        "check are checked first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print the pairs as JSON on stdout")
        parser.add_argument(
            "--rescan", action="store_true", help="recompute every signature and every pair from scratch"
        )
        parser.add_argument(
            "--jobs", type=int, default=1, help="processes that sketch the essays during --rescan (default 1)"
        )

    def handle(self, *args, **options):
        result = duplicates.rescan(workers=options["jobs"]) if options["rescan"] else duplicates.refresh()
        # Progress goes to stderr so that stdout carries nothing but the JSON.
        self.stderr.write(f"已查重 {result.checked} 篇文章。")
        pairs = list(DuplicatePair.objects.for_listing())
        if options["json"]:
            self.stdout.write(json.dumps([_as_json(p) for p in pairs], ensure_ascii=False, indent=1))
            return
        near = sum(1 for p in pairs if p.near_duplicate)
        self.stdout.write(f"{len(pairs)} 对：近似重复 {near} 对，仅有共同段落 {len(pairs) - near} 对")
        for pair in pairs:
            kind = "近似重复" if pair.near_duplicate else "共同段落"
            self.stdout.write(
                f"#{pair.essay_a_id} 「{pair.essay_a.title}」 ~ #{pair.essay_b_id} 「{pair.essay_b.title}」\n"
                f"    相似度 {pair.similarity:.3f}（{kind}）；50 字以上的共同段落 {pair.passage_count} 处，"
                f"共 {_shared(pair)} 字，最长 {pair.longest_passage} 字"
            )


def _shared(pair) -> int:
    return sum(p["length"] for p in pair.passages)


def _as_json(pair) -> dict:
    return {
        "essay_a": {"id": pair.essay_a_id, "title": pair.essay_a.title},
        "essay_b": {"id": pair.essay_b_id, "title": pair.essay_b.title},
        "similarity": pair.similarity,
        "near_duplicate": pair.near_duplicate,
        "passage_count": pair.passage_count,
        "shared_characters": _shared(pair),
        "longest_passage": pair.longest_passage,
        "passages": pair.passages,
    }
