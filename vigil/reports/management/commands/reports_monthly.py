"""``vigil reports monthly``: e-mail last month's executive summary to its readers, once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vigil.core.management.output import console_for
from vigil.reports.mailing import send_monthly
from vigil.reports.summary import Month


class Command(BaseCommand):
    help = "E-mail the monthly executive summary (PDF) to its readers; run it daily."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", help="YYYY-MM (default: last month)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            month = Month.parse(options["month"])
        except ValueError:
            raise CommandError(f"--month {options['month']!r}: give it as YYYY-MM") from None
        console_for(self).print(f"{send_monthly(month)} summary e-mail(s) sent for {month.label}")
