"""python manage.py import_essays PATH... — arguments, one service call per file, a receipt."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from essays.ingest import sandbox
from essays.ingest.files import MAX_SOURCE_BYTES, display
from essays.labels import IMPORT_STATUS, say
from essays.models import SourceDocument, Status
from essays.services import import_paths, reparse_documents
from essays.services.duplicates import check_unchecked
from essays.services.importing import STORED


class Command(BaseCommand):
    help = "导入文章源文件（.txt、.docx、.html、.md）；文件夹逐层查找。"

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="文件或文件夹")
        parser.add_argument("--dry-run", action="store_true", help="只解析并报告，不写入")
        parser.add_argument("--json", action="store_true", help="把解析结果以 JSON 输出到标准输出")
        conflicts = parser.add_mutually_exclusive_group()
        conflicts.add_argument(
            "--replace",
            action="store_true",
            help="内容不同却声称是已存网页的文件替换它（原网页的字节仍保留）",
        )
        conflicts.add_argument(
            "--keep-both",
            action="store_true",
            help="内容不同却声称是已存网页的文件另存为一个文集",
        )
        parser.add_argument(
            "--max-size",
            type=float,
            default=MAX_SOURCE_BYTES / 2**20,
            metavar="MB",
            help=f"拒绝大于此值的文件，不读取（默认 {MAX_SOURCE_BYTES // 2**20}）",
        )
        parser.add_argument(
            "--parse-timeout",
            type=float,
            default=None,
            metavar="SECONDS",
            help=f"解析一份文档可用的 CPU 秒数（默认 {sandbox.limits().cpu_seconds:g}；"
            f"环境变量 {sandbox.CPU_ENV}）；0 表示不限",
        )
        parser.add_argument(
            "--parse-memory",
            type=float,
            default=None,
            metavar="MB",
            help=f"解析一份文档可用的内存（默认 {sandbox.limits().memory_mb:g}；"
            f"环境变量 {sandbox.MEMORY_ENV}）；0 表示不限",
        )
        parser.add_argument(
            "--status",
            choices=[Status.DRAFT.value, Status.PUBLISHED.value],
            default=Status.DRAFT,
            help="新文章的状态（默认 draft，草稿）",
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=None,
            help="解析用的工作进程数（默认：文件较多时每个核一个）",
        )
        parser.add_argument(
            "--reparse",
            action="store_true",
            help="对已存的每份源文件（或名称与 PATHS 相符的）重新解析",
        )

    def handle(self, *args, **options):
        previous = sandbox.set_limits(cpu_seconds=options["parse_timeout"], memory_mb=options["parse_memory"])
        try:
            self._handle(options)
        finally:
            sandbox.set_limits(previous.cpu_seconds, previous.memory_mb)

    def _handle(self, options):
        paths = options["paths"]
        if options["reparse"]:
            return self._reparse(paths, options)
        if not paths:
            raise CommandError("请至少给出一个要导入的文件或文件夹。")
        if not options["dry_run"]:
            # An import killed between storing and checking left essays unchecked.
            caught_up = check_unchecked()
            if caught_up.checked:
                self.stderr.write(f"上次中断的导入留下 {caught_up.checked} 篇未查重的文章，已补查。")
        outcomes = []
        on_conflict = "replace" if options["replace"] else "separate" if options["keep_both"] else "refuse"
        for outcome in import_paths(
            paths,
            status=options["status"],
            dry_run=options["dry_run"],
            jobs=options["jobs"],
            max_bytes=int(options["max_size"] * 2**20),
            on_conflict=on_conflict,
        ):
            outcomes.append(outcome)
            if not options["json"]:
                self._print_outcome(outcome)
                # Only --json needs the parse once its line is out: kept, every document's
                # text would stay in memory to the end of a bulk import.
                outcome.parsed = None
            elif not outcome.ok:
                self.stderr.write(say(display(outcome.error)))
        if options["json"]:
            # stdout carries the JSON and nothing else; the score tool reads it.
            payload = [o.parsed.as_json() | {"source": o.source} for o in outcomes if o.parsed]
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=1))
        else:
            self._print_summary(outcomes, dry_run=options["dry_run"])
        for outcome in outcomes:
            for step in outcome.failed_steps:
                self.stderr.write(self.style.ERROR(f"✗ {display(outcome.source)}：{step}"))
        if any(not o.ok or o.failed_steps for o in outcomes):
            sys.exit(1)

    def _reparse(self, paths, options):
        documents = SourceDocument.objects.select_related("collection").order_by("id")
        if paths:
            documents = [d for d in documents if any(p in d.name for p in paths)]
        outcomes = reparse_documents(documents)
        for outcome in outcomes:
            self._print_outcome(outcome)
        self._print_summary(outcomes, dry_run=False)
        if any(not o.ok for o in outcomes):
            sys.exit(1)

    def _print_outcome(self, outcome):
        if not outcome.ok:
            self.stderr.write(self.style.ERROR(f"✗ {say(display(outcome.error))}"))
            return
        parsed = outcome.parsed
        title = (parsed.collection.title if parsed else None) or (
            outcome.collection and str(outcome.collection)
        )
        if outcome.status == "parsed":
            counts = f"{len(parsed.essays)} 篇"
        else:
            counts = (
                f"新增 {outcome.essays_created} 篇，更新 {outcome.essays_updated} 篇，"
                f"未变 {outcome.essays_unchanged} 篇，保留 {outcome.essays_kept} 篇（编辑改过）"
            )
        status = IMPORT_STATUS.get(outcome.status, outcome.status)
        self.stdout.write(f"✓ {display(outcome.source)}：{status} — 「{title or '未命名'}」 {counts}")
        for warning in outcome.warnings:
            self.stdout.write(f"    ！{say(warning)}")

    def _print_summary(self, outcomes, *, dry_run):
        ok = [o for o in outcomes if o.ok]
        total = lambda attr: sum(getattr(o, attr) for o in ok)  # noqa: E731
        collections_created = sum(1 for o in ok if o.collection_created)
        collections_updated = sum(1 for o in ok if o.status in STORED and not o.collection_created)
        conflicts = sum(1 for o in outcomes if o.status == "conflict")
        failed = len(outcomes) - len(ok) - conflicts
        lines = [
            f"文档：{len(outcomes)} 个（失败 {failed} 个，冲突 {conflicts} 个）",
            f"文集：新建 {collections_created} 个，更新 {collections_updated} 个",
            f"文章：新增 {total('essays_created')} 篇，更新 {total('essays_updated')} 篇，"
            f"未变 {total('essays_unchanged')} 篇，因编辑改过而保留 {total('essays_kept')} 篇，"
            f"因已发布而保留 {total('essays_kept_published')} 篇，删除 {total('essays_removed')} 篇",
            f"警告：{sum(len(o.warnings) for o in ok)} 条",
            f"与已存文章重合：近似重复 {total('near_duplicates')} 篇，"
            f"共有 50 字以上段落 {total('shared_passages')} 篇（find_duplicates 列出）",
        ]
        if dry_run:
            lines.insert(0, "试运行：没有写入任何内容。")
        self.stdout.write("\n".join(lines))
