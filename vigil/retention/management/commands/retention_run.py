"""``vigil retention run``: purge what is past its retention period (``--dry-run`` to look)."""

from __future__ import annotations

from typing import IO, Any, cast

from django.core.management.base import BaseCommand
from rich.console import Console
from rich.table import Table

from vigil.retention import purge
from vigil.retention.models import RecordKind


class Command(BaseCommand):
    help = "Purge records past their retention period (run daily); --dry-run only says what."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be purged; change nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # Through Django's stdout, so call_command(stdout=...) captures it; wide enough that
        # a log file gets whole lines.
        console = Console(file=cast(IO[str], self.stdout), highlight=False, width=120)
        if options["dry_run"]:
            found = purge.plan()
            console.print(_table(found, "Would purge"))
            console.print(f"Would purge {found.summary()}.")
            _print_locked(console, found.locked)
            return
        record = purge.run()
        console.print(f"Purged {purge.describe_counts(record.purged)} (retention run {record.pk}).")
        _print_kept(console, record.kept)
        _print_locked(console, record.locked)


def _table(found: purge.Plan, title: str) -> Table:
    table = Table(title=title)
    table.add_column("Kind")
    table.add_column("Kept (days)", justify="right")
    table.add_column("Due", justify="right")
    table.add_column("Past its time but kept")
    for kind, due in found.due.items():
        kept = ", ".join(f"{count:,} {reason}" for reason, count in due.kept.items()) or "—"
        table.add_row(RecordKind(kind).label, f"{due.days:,}", f"{len(due.ids):,}", kept)
    return table


def _print_kept(console: Console, kept: dict[str, dict[str, int]]) -> None:
    for kind, reasons in kept.items():
        words = ", ".join(f"{count:,} {reason}" for reason, count in reasons.items())
        console.print(f"Kept past their time, {RecordKind(kind).label.lower()}: {words}.")


def _print_locked(console: Console, locked: list[dict[str, str]]) -> None:
    for entry in locked:
        console.print(f"Left in place: {entry['number']} is locked in S3 until {entry['until']}.")
