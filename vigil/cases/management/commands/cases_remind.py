"""``vigil cases remind``: tell assignees about case tasks due today or overdue (run daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from vigil.cases.notifications import remind_due_tasks
from vigil.core.management.output import console_for


class Command(BaseCommand):
    help = "Send one reminder per open case task that is due or overdue (at most once a day)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = remind_due_tasks()
        console_for(self).print(f"{sent} task reminder(s) sent")
