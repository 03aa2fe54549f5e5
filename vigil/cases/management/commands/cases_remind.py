"""``vigil cases remind``: tell assignees about case tasks due today or overdue, and attendees
about coming court dates (run daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from vigil.cases.court import remind_hearings
from vigil.cases.notifications import remind_due_tasks
from vigil.core.management.output import console_for


class Command(BaseCommand):
    help = (
        "Send one reminder per open case task that is due or overdue (at most once a day), "
        "and one per coming court date to whoever must attend."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = remind_due_tasks()
        console_for(self).print(f"{sent} task reminder(s) sent")
        console_for(self).print(f"{remind_hearings()} hearing reminder(s) sent")
