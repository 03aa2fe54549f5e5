"""``vigil evidence verify [--case ID]``: prove the vault holds what was put in it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

from vigil.core import audit
from vigil.core.management.output import console_for
from vigil.core.models.audit import AuditAction
from vigil.evidence.storage import human_size, store_from_settings
from vigil.evidence.verification import items_of_case, verify


class Command(BaseCommand):
    help = (
        "Re-hash every stored evidence file and check every custody chain; "
        "exit 1 naming each item that fails."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--case", metavar="ID", help="Only the evidence of this case (number or id)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        console = console_for(self)
        store = store_from_settings()
        items = items_of_case(options["case"])
        total = items.count()
        if options["case"] and total == 0:
            raise CommandError(f"no evidence found for case {options['case']!r}", returncode=1)
        columns = (TextColumn("{task.description}"), BarColumn(), TimeRemainingColumn())
        with Progress(*columns, console=console, transient=True) as progress:
            bar = progress.add_task(f"Verifying evidence in {store.describe()}", total=total)
            report = verify(
                items.iterator(chunk_size=200),
                total,
                store,
                progress=lambda done, _total: progress.update(bar, completed=done),
            )
        audit.record(
            AuditAction.EVIDENCE_VERIFY,
            object_type="evidence.evidenceitem",
            changes={
                "ok": report.ok,
                "checked": report.checked,
                "case": options["case"] or "",
                "failures": [str(failure) for failure in report.failures],
            },
        )
        if not report.ok:
            for failure in report.failures:
                console.print(f"[red]FAILED[/red] {failure}")
            raise CommandError(
                f"{len(report.failures)} problem(s) in {report.checked} evidence items",
                returncode=1,
            )
        console.print(
            f"[green]Evidence intact[/green]: {report.checked} items, "
            f"{human_size(report.bytes_checked)} re-hashed, every custody chain unbroken"
        )
