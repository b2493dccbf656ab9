"""`manage.py export_training [--since DATE] [--out DIR]`: the documents whose line roles an
editor corrected in the import preview, in the corpus format (essays/ingest/corpus/README.md),
for `python -m essays.ingest.roles.train --extra DIR`.

Each becomes docs/ed-NNNNNN.txt (the source's decoded text, whose lines the roles number)
and truth/ed-NNNNNN.json (essays.ingest.roles.export.truth_from_roles), with a row in
manifests/editor.tsv. A document whose truth would not pass the corpus check (a span not in
its text, a chrome line that is not a whole line) is left out and named.
"""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from essays.ingest.roles.check import FIELDS, check_document
from essays.ingest.roles.export import truth_from_roles
from essays.models import SourceLineRoles

SCRIPTS = {"simplified", "traditional", "mixed"}


def corrected(since: date | None = None):
    rows = SourceLineRoles.objects.select_related("document__collection", "corrected_by").defer(
        "document__raw"
    )
    if since is not None:
        rows = rows.filter(corrected_at__date__gte=since)
    return [r for r in rows.order_by("document_id") if r.corrections]


def truth_of(record: SourceLineRoles) -> dict:
    document, collection = record.document, record.document.collection
    who = record.corrected_by.get_username() if record.corrected_by else "编辑"
    return truth_from_roles(
        document.text,
        [{"start": s, "end": e, "role": role} for s, e, role in record.roles],
        authors=[tuple(a) for a in record.authors],
        declared_essay_count=collection.declared_essay_count,
        page=[document.page_number, document.page_total or document.page_number]
        if document.page_number
        else None,
        source_site=collection.site,
        notes=(
            f"{who} 于 {record.corrected_at:%Y-%m-%d} 在导入预览中改定 {len(record.corrections)} 行的角色；"
            "真值由改定后的各行角色生成（essays.ingest.roles.export）。"
        ),
    )


class Command(BaseCommand):
    help = "把编辑在导入预览中改定过行角色的文档按标注语料的格式导出（docs/、truth/、manifests/），供训练行角色模型。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--since", type=date.fromisoformat, help="只导出此日期（YYYY-MM-DD）及以后改定的。"
        )
        parser.add_argument("--out", type=Path, default=settings.VAR_DIR / "training", help="导出到的目录。")

    def handle(self, *args, since, out, **options):
        (out / "docs").mkdir(parents=True, exist_ok=True)
        (out / "truth").mkdir(exist_ok=True)
        (out / "manifests").mkdir(exist_ok=True)
        rows, refused = [], []
        for record in corrected(since):
            name = f"ed-{record.document_id:06d}"
            doc, truth_path = out / "docs" / f"{name}.txt", out / "truth" / f"{name}.json"
            truth = truth_of(record)
            doc.write_text(record.document.text, encoding="utf-8")
            problems = check_document(doc, truth) if truth["essays"] else ["没有文章"]
            if problems:
                doc.unlink()
                truth_path.unlink(missing_ok=True)
                refused.append(f"{record.document.name}（#{record.document_id}）：{'；'.join(problems)}")
                continue
            truth_path.write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            rows.append(self._manifest_row(record, f"docs/{name}.txt"))
        self._write_manifest(out, rows)
        for line in refused:
            self.stderr.write(f"未导出 {line}")
        self.stdout.write(f"已导出 {len(rows)} 份改定的文档到 {out}")
        if refused:
            raise CommandError(f"{len(refused)} 份文档未能导出（见上）", returncode=1)

    def _manifest_row(self, record: SourceLineRoles, file: str) -> dict:
        document, collection = record.document, record.document.collection
        return {
            "file": file,
            "source": document.source_url or f"anthology:source/{document.pk}@{document.sha256[:12]}",
            "site": collection.site or f"anthology-import-{document.pk}",
            "kind": "full-doc",
            "script": collection.script if collection.script in SCRIPTS else "mixed",
            "features": "editor-corrected",
            "licence": "unstated (imported by an editor, internal training use)",
        }

    def _write_manifest(self, out: Path, rows: list[dict]) -> None:
        """This export's rows, and the rows of earlier exports to the same directory whose
        documents are still there (an export --since a later date keeps the earlier ones)."""
        path = out / "manifests" / "editor.tsv"
        new = {row["file"] for row in rows}
        kept = []
        if path.exists():
            with path.open(encoding="utf-8", newline="") as f:
                kept = [
                    r
                    for r in csv.DictReader(f, delimiter="\t")
                    if r["file"] not in new and (out / r["file"]).exists()
                ]
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, FIELDS, delimiter="\t", lineterminator="\n", extrasaction="ignore")
            writer.writeheader()
            writer.writerows(sorted([*kept, *rows], key=lambda r: r["file"]))
