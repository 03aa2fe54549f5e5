"""``vigil training remind``: one reminder a day per overdue training assignment."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from vigil.core.management.output import console_for
from vigil.training.courses import remind_overdue


class Command(BaseCommand):
    help = "Remind associates (or whoever assigned it) of overdue training, once a day."

    def handle(self, *args: Any, **options: Any) -> None:
        console_for(self).print(f"{remind_overdue()} training reminder(s) sent")
