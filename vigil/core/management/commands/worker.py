"""``vigil worker``: the background-task worker, on every queue by default.

Besides running tasks, each worker keeps a heartbeat and looks after the others: at start
and on every beat it recovers the runs of workers that died (see :mod:`vigil.core.recovery`),
and at start it removes scratch files that no live run owns.
"""

from __future__ import annotations

import logging
import threading
import uuid
from typing import Any

from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from vigil.core import recovery, taskruns

logger = logging.getLogger(__name__)


class Command(DatabaseWorkerCommand):
    help = "Run the background-task worker (database queue). Stop with Ctrl-C."

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        # Every queue, and no auto-reload: a worker should finish what it started.
        parser.set_defaults(queue_name="*", reload=False)

    def handle(self, *args: Any, **options: Any) -> None:
        worker_id = options.get("worker_id") or f"vigil-{uuid.uuid4().hex[:12]}"
        options["worker_id"] = worker_id
        taskruns.set_worker_id(worker_id)
        started_at = timezone.now()
        recovery.beat(worker_id, started_at)
        _look_after_others()
        try:
            recovery.sweep_orphans()
        except OSError as error:
            logger.warning("could not sweep orphaned scratch files: %s", error)
        stop = threading.Event()
        beating = threading.Thread(
            target=_beat_until, args=(stop, worker_id, started_at), name="heartbeat", daemon=True
        )
        beating.start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
            beating.join(timeout=recovery.beat_interval() + 5)
            recovery.leave(worker_id)


def _beat_until(stop: threading.Event, worker_id: str, started_at: Any) -> None:
    """The heartbeat thread: beat, recover the dead, sleep; on its own database connection.

    It must outlive any one failure: a worker whose beat stopped while it takes tasks would
    have its runs taken from it. So each step catches what it can hit and tries again next
    time round."""
    try:
        while not stop.wait(recovery.beat_interval()):
            close_old_connections()
            try:
                recovery.beat(worker_id, started_at)
            except DatabaseError as error:  # SQLite busy with a long write, a dropped link
                logger.warning("heartbeat of %s skipped: %s", worker_id, error)
                continue
            _look_after_others()
    finally:
        connection.close()


def _look_after_others() -> None:
    """Recover the runs of dead workers; a failure here is logged and left for next time."""
    try:
        found = recovery.recover_lost_runs()
    except Exception:
        # Whatever went wrong (a task renamed in a deploy, a file that will not go), this
        # worker's own heartbeat must go on; the run stays lost until the next look.
        logger.exception("recovering the runs of stopped workers failed; trying again later")
        return
    for each in found:
        logger.warning(
            "run %s (%s): worker stopped; %s",
            each.run.pk,
            each.run.label,
            "queued again" if each.retried else "marked failed",
        )
