"""Rank every essay's related essays again (after a large import, or on a schedule)."""

import time

from django.core.management.base import BaseCommand

from essays.services.related import refresh_all_related


class Command(BaseCommand):
    help = "重新计算每篇文章的相关文章。"

    def handle(self, *args, **options):
        started = time.perf_counter()
        count = refresh_all_related()
        self.stdout.write(
            self.style.SUCCESS(
                f"已重新计算 {count} 篇文章的相关文章，用时 {time.perf_counter() - started:.1f} 秒。"
            )
        )
