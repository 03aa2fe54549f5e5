"""``vigil audit verify``: prove the audit log is the log that was written."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from rich.progress import Progress

from vigil.core import audit
from vigil.core.management.output import console_for
from vigil.core.models.audit import AuditAction


class Command(BaseCommand):
    help = "Re-compute the audit log's SHA-256 chain; exit 1 naming the first bad row."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--no-record",
            action="store_true",
            help="Do not append a 'verified' event for this check",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        console = console_for(self)
        with Progress(console=console, transient=True) as progress:
            bar = progress.add_task("Verifying audit chain", total=None)
            report = audit.verify_chain(
                progress=lambda done, total: progress.update(bar, completed=done, total=total)
            )
        if report.problem is not None:
            raise CommandError(
                f"audit chain broken at row {report.problem.seq}: {report.problem.message} "
                f"({report.checked} rows verified before it)",
                returncode=1,
            )
        if not options["no_record"]:
            audit.record(AuditAction.VERIFY, changes={"ok": True, "checked": report.checked})
        console.print(
            f"[green]Audit chain intact[/green]: {report.checked} rows, "
            f"head #{report.head_seq} {report.head_hash}"
        )
