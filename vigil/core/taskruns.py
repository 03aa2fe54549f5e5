"""Starting background work and reporting its progress where pages can show it.

``start`` records a :class:`TaskRun` and enqueues the task with the run's id; the task body
wraps its work in :func:`tracking`, which marks the run running, lets it report progress,
and marks it succeeded or failed (with the error) however it ends.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from vigil.core.context import acting_as, actor_for_user
from vigil.core.models import Store, TaskRun, TaskRunStatus

if TYPE_CHECKING:
    from django_tasks.base import Task

    from vigil.core.models import User

logger = logging.getLogger(__name__)


def start(
    task: Task[..., Any],
    *,
    label: str,
    requested_by: User | None = None,
    store: Store | None = None,
    **kwargs: Any,
) -> TaskRun:
    """Queue ``task`` for the worker and return the run that tracks it."""
    run = TaskRun.objects.create(
        task_name=task.module_path, label=label, requested_by=requested_by, store=store
    )
    result = task.enqueue(task_run_id=str(run.pk), **kwargs)
    TaskRun.objects.filter(pk=run.pk).update(task_result_id=str(result.id))
    run.refresh_from_db()
    return run


class RunProgress:
    """Handed to a running task to say how far it has got."""

    def __init__(self, run: TaskRun) -> None:
        self.run = run

    def update(self, percent: int, message: str = "") -> None:
        percent = max(0, min(100, percent))
        TaskRun.objects.filter(pk=self.run.pk).update(progress=percent, message=message[:300])

    def count(self, done: int, total: int, message: str = "") -> None:
        self.update(100 * done // total if total else 100, message)


@contextlib.contextmanager
def tracking(task_run_id: str) -> Iterator[RunProgress]:
    """Run a task body as the run ``task_run_id``, acting as the person who asked for it."""
    run = TaskRun.objects.select_related("requested_by").get(pk=task_run_id)
    TaskRun.objects.filter(pk=run.pk).update(
        status=TaskRunStatus.RUNNING, started_at=timezone.now()
    )
    progress = RunProgress(run)
    try:
        with acting_as(actor_for_user(run.requested_by, via="task")):
            yield progress
    except Exception as exc:
        logger.exception("task run %s (%s) failed", run.pk, run.label)
        _finish(run, TaskRunStatus.FAILED, error=f"{type(exc).__name__}: {exc}")
        raise
    _finish(run, TaskRunStatus.SUCCEEDED)


def _finish(run: TaskRun, status: TaskRunStatus, error: str = "") -> None:
    update: dict[str, Any] = {"status": status, "finished_at": timezone.now(), "error": error}
    if status == TaskRunStatus.SUCCEEDED:
        update["progress"] = 100
    TaskRun.objects.filter(pk=run.pk).update(**update)


def save_result(progress: RunProgress, result: dict[str, Any], message: str = "") -> None:
    """Keep a task's outcome on its run, for the page that shows it."""
    TaskRun.objects.filter(pk=progress.run.pk).update(result=result, message=message[:300])
