"""python manage.py import_essays PATH... — arguments, one service call per file, a receipt."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from essays.ingest import sandbox
from essays.ingest.files import MAX_SOURCE_BYTES, display
from essays.models import SourceDocument, Status
from essays.services import import_paths, reparse_documents
from essays.services.duplicates import check_unchecked
from essays.services.importing import STORED


class Command(BaseCommand):
    help = "Import essay source documents (.txt, .docx, .html); folders are searched recursively."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="files or folders")
        parser.add_argument("--dry-run", action="store_true", help="parse and report; write nothing")
        parser.add_argument("--json", action="store_true", help="print the parse as JSON on stdout")
        conflicts = parser.add_mutually_exclusive_group()
        conflicts.add_argument(
            "--replace",
            action="store_true",
            help="a file that claims a stored page with other content replaces it (the page's bytes are kept)",
        )
        conflicts.add_argument(
            "--keep-both",
            action="store_true",
            help="a file that claims a stored page with other content is stored as a collection of its own",
        )
        parser.add_argument(
            "--max-size",
            type=float,
            default=MAX_SOURCE_BYTES / 2**20,
            metavar="MB",
            help=f"refuse files larger than this, unread (default: {MAX_SOURCE_BYTES // 2**20})",
        )
        parser.add_argument(
            "--parse-timeout",
            type=float,
            default=None,
            metavar="SECONDS",
            help=f"CPU seconds one document's parse may take (default {sandbox.limits().cpu_seconds:g}; "
            f"{sandbox.CPU_ENV}); 0: no limit",
        )
        parser.add_argument(
            "--parse-memory",
            type=float,
            default=None,
            metavar="MB",
            help=f"memory one document's parse may take (default {sandbox.limits().memory_mb:g}; "
            f"{sandbox.MEMORY_ENV}); 0: no limit",
        )
        parser.add_argument(
            "--status",
            choices=[Status.DRAFT.value, Status.PUBLISHED.value],
            default=Status.DRAFT,
            help="status of new essays (default: draft)",
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=None,
            help="worker processes that parse (default: one per core for more than a few dozen files)",
        )
        parser.add_argument(
            "--reparse",
            action="store_true",
            help="re-run the pipeline over every stored source (or those whose name matches PATHS)",
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
            raise CommandError("Give at least one file or folder to import.")
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
                self.stderr.write(display(outcome.error))
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
            self.stderr.write(self.style.ERROR(f"✗ {display(outcome.error)}"))
            return
        parsed = outcome.parsed
        title = (parsed.collection.title if parsed else None) or (
            outcome.collection and str(outcome.collection)
        )
        counts = (
            f"{len(parsed.essays)} essays"
            if outcome.status == "parsed"
            else f"{outcome.essays_created} new, {outcome.essays_updated} updated, "
            f"{outcome.essays_unchanged} unchanged, {outcome.essays_kept} kept (edited)"
        )
        self.stdout.write(f"✓ {display(outcome.source)}: {outcome.status} — 「{title or '未命名'}」 {counts}")
        for warning in outcome.warnings:
            self.stdout.write(f"    ! {warning}")

    def _print_summary(self, outcomes, *, dry_run):
        ok = [o for o in outcomes if o.ok]
        total = lambda attr: sum(getattr(o, attr) for o in ok)  # noqa: E731
        collections_created = sum(1 for o in ok if o.collection_created)
        collections_updated = sum(1 for o in ok if o.status in STORED and not o.collection_created)
        conflicts = sum(1 for o in outcomes if o.status == "conflict")
        lines = [
            f"Documents: {len(outcomes)} ({len(outcomes) - len(ok) - conflicts} failed, {conflicts} in conflict)",
            f"Collections: {collections_created} created, {collections_updated} updated",
            f"Essays: {total('essays_created')} created, {total('essays_updated')} updated, "
            f"{total('essays_unchanged')} unchanged, {total('essays_kept')} kept because edited, "
            f"{total('essays_kept_published')} kept because published, "
            f"{total('essays_removed')} removed",
            f"Warnings: {sum(len(o.warnings) for o in ok)}",
            f"Overlaps with stored essays: {total('near_duplicates')} near-duplicates, "
            f"{total('shared_passages')} sharing a passage of 50+ characters (find_duplicates lists them)",
        ]
        if dry_run:
            lines.insert(0, "Dry run: nothing was written.")
        self.stdout.write("\n".join(lines))
