"""Rebuild the full-text search index from the essays (after a tokenizer change, or to repair)."""

import time

from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS

from essays.search.backends import get_backend
from essays.search.index import rebuild_index


class Command(BaseCommand):
    help = "重建全文检索索引（全部文章，含草稿）。"

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, database, **options):
        backend = get_backend(database)
        started = time.perf_counter()

        def progress(done, total):
            if done == total or done % 5000 == 0:
                self.stdout.write(f"  {done}/{total}")

        count = rebuild_index(using=database, progress=progress if options["verbosity"] > 1 else None)
        size = backend.size_bytes()
        size_text = f"，索引 {size / 1e6:.1f} MB" if size else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"已重建检索索引（{backend.name}）：{count} 篇，用时 {time.perf_counter() - started:.1f} 秒{size_text}。"
            )
        )
