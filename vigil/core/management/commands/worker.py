"""``vigil worker``: the background-task worker, on every queue by default."""

from __future__ import annotations

from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand


class Command(DatabaseWorkerCommand):
    help = "Run the background-task worker (database queue). Stop with Ctrl-C."

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        # Every queue, and no auto-reload: a worker should finish what it started.
        parser.set_defaults(queue_name="*", reload=False)
