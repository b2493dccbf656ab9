"""Compare the kept published-essay counts (essays.counts) with a recount; --fix sets them."""

from django.core.management.base import BaseCommand, CommandError

from essays.counts import AUTHOR, COLLECTION, ESSAY_YEAR, THEME, YEAR, differences
from essays.services.counts import fix_counts

KIND_NAMES = {THEME: "主题", COLLECTION: "文集", AUTHOR: "作者", YEAR: "年份"}


class Command(BaseCommand):
    help = "核对各主题、文集、作者、年份的已发布篇数与重新统计的结果；--fix 按重新统计的结果改正。"

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="把记录的篇数改为重新统计的结果。")

    def handle(self, *args, fix, **options):
        wrong = fix_counts() if fix else differences()
        for (kind, key), (kept, recounted) in sorted(wrong.items()):
            if kind == ESSAY_YEAR:
                self.stdout.write(f"文章 #{key} 的年份：记录 {kept or '无'}，文集为 {recounted or '无'}")
            else:
                self.stdout.write(f"{KIND_NAMES[kind]} #{key}：记录 {kept} 篇，实际 {recounted} 篇")
        if not wrong:
            self.stdout.write(self.style.SUCCESS("篇数一致。"))
        elif fix:
            self.stdout.write(self.style.SUCCESS(f"已改正 {len(wrong)} 处篇数。"))
        else:
            raise CommandError(f"{len(wrong)} 处篇数与重新统计不符；可用 --fix 改正。", returncode=1)
