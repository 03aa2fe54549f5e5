"""Starting background work and reporting its progress where pages can show it.

``start`` records a :class:`TaskRun` and enqueues the task with the run's id; the task body
wraps its work in :func:`tracking`, which marks the run running (on which worker), lets it
report progress, and marks it succeeded or failed (with the error) however it ends. A run
whose worker dies is found by :mod:`vigil.core.recovery` through the worker's heartbeat.

A run owns files: its inputs (``temp_paths``, e.g. an unpacked upload), removed once the run
is over for good, and an attempt's scratch (``scratch_paths``, e.g. a half-written copy),
removed when that attempt ends however it ends. Both are kept relative to the data
directory, and nothing outside it is ever removed.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from vigil.core.context import acting_as, actor_for_user
from vigil.core.models import Store, TaskRun, TaskRunStatus

if TYPE_CHECKING:
    from django_tasks.base import Task

    from vigil.core.models import User

logger = logging.getLogger(__name__)
T = TypeVar("T")

# module_path -> attempts, for tasks that are safe to run again when their worker dies.
_RETRIED: dict[str, int] = {}
_current: contextvars.ContextVar[RunProgress | None] = contextvars.ContextVar(
    "vigil_task_run", default=None
)
# Set by ``vigil worker`` in its process; empty when tasks run in the web process or tests.
_worker_id = ""


def retried_when_worker_lost(attempts: int) -> Callable[[T], T]:
    """Declare a task idempotent: a run whose worker dies is run again, up to ``attempts``
    tries in all, instead of being left failed for a person to retry."""

    def declare(task: T) -> T:
        _RETRIED[task.module_path] = attempts  # type: ignore[attr-defined]
        return task

    return declare


def attempts_for(task_name: str) -> int:
    return _RETRIED.get(task_name, 1)


def set_worker_id(worker_id: str) -> None:
    """Name the worker this process is, so the runs it takes say where they run."""
    global _worker_id
    _worker_id = worker_id


def start(
    task: Task[..., Any],
    *,
    label: str,
    requested_by: User | None = None,
    store: Store | None = None,
    temp_paths: list[Path] | None = None,
    **kwargs: Any,
) -> TaskRun:
    """Queue ``task`` for the worker and return the run that tracks it (both or neither)."""
    with transaction.atomic():
        run = TaskRun.objects.create(
            task_name=task.module_path,
            label=label,
            requested_by=requested_by,
            store=store,
            max_attempts=attempts_for(task.module_path),
            arguments=kwargs,
            temp_paths=[_relative(path) for path in temp_paths or []],
        )
        enqueue(run)
    run.refresh_from_db()
    return run


def enqueue(run: TaskRun) -> None:
    """Put ``run`` (new, or being tried again) on the queue with the arguments it was given."""
    from django.utils.module_loading import import_string

    task: Task[..., Any] = import_string(run.task_name)
    result = task.enqueue(task_run_id=str(run.pk), **run.arguments)
    TaskRun.objects.filter(pk=run.pk).update(task_result_id=str(result.id))


def may_retry(user: User, run: TaskRun) -> bool:
    """A failed run may be started again by whoever asked for it, or an administrator."""
    from vigil.core.models import Role

    if run.status != TaskRunStatus.FAILED or not run.task_name:
        return False
    if not all(_present(relative) for relative in run.temp_paths):
        return False  # its input (an upload) went with the failure: it must be sent again
    return run.requested_by_id == user.pk or user.role == Role.ADMIN


def _present(relative: str) -> bool:
    target = _inside_data_dir(relative)
    return target is not None and target.exists()


def retry(user: User, run: TaskRun) -> TaskRun:
    """Queue a failed run again with the arguments it was first given."""
    from django.core.exceptions import ValidationError

    refused = ValidationError("Only a failed run can be tried again, by whoever started it.")
    if not may_retry(user, run):
        raise refused
    with transaction.atomic():
        claimed = TaskRun.objects.filter(
            pk=run.pk, status=TaskRunStatus.FAILED, attempt=run.attempt
        ).update(
            status=TaskRunStatus.QUEUED,
            attempt=run.attempt + 1,
            max_attempts=max(run.max_attempts, run.attempt + 1),
            progress=0,
            error="",
            finished_at=None,
            message=f"Tried again by {user.get_username()}.",
        )
        if not claimed:  # someone pressed the button a moment earlier
            raise refused
        run.refresh_from_db()
        enqueue(run)
    return run


class RunTaken(Exception):
    """This attempt's run was handed to another attempt (its worker was taken for dead):
    it must stop, and write nothing more."""


class RunProgress:
    """Handed to a running task to say how far it has got.

    Every write is fenced by the attempt: once recovery has given the run to a new attempt,
    the old one's writes match nothing, and its next progress report stops it."""

    def __init__(self, run: TaskRun) -> None:
        self.run = run

    def mine(self) -> QuerySet[TaskRun]:
        return TaskRun.objects.filter(pk=self.run.pk, attempt=self.run.attempt)

    def update(self, percent: int, message: str = "") -> None:
        percent = max(0, min(100, percent))
        if not self.mine().update(progress=percent, message=message[:300]):
            raise RunTaken(f"run {self.run.pk} attempt {self.run.attempt} was taken over")

    def count(self, done: int, total: int, message: str = "") -> None:
        self.update(100 * done // total if total else 100, message)


@contextlib.contextmanager
def tracking(task_run_id: str) -> Iterator[RunProgress]:
    """Run a task body as the run ``task_run_id``, acting as the person who asked for it."""
    run = TaskRun.objects.select_related("requested_by").get(pk=task_run_id)
    progress = RunProgress(run)
    progress.mine().update(
        status=TaskRunStatus.RUNNING, started_at=timezone.now(), worker_id=_worker_id
    )
    token = _current.set(progress)
    try:
        with acting_as(actor_for_user(run.requested_by, via="task")):
            yield progress
    except RunTaken:
        logger.warning("run %s: attempt %s stopped, another has the run", run.pk, run.attempt)
        raise
    except Exception as exc:
        logger.exception("task run %s (%s) failed", run.pk, run.label)
        _finish(progress, TaskRunStatus.FAILED, error=_error_text(exc))
        raise
    finally:
        _current.reset(token)
    _finish(progress, TaskRunStatus.SUCCEEDED)


def _error_text(exc: Exception) -> str:
    """What the run page says went wrong: the message the code wrote for a person, or the
    exception's name and message for an error nobody foresaw."""
    from django.core.exceptions import PermissionDenied, ValidationError

    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    if isinstance(exc, PermissionDenied):
        return str(exc) or "You are not allowed to do this."
    if getattr(exc, "user_message", False):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


def current_run_id() -> str | None:
    """The run the calling code works for, when it runs inside :func:`tracking`."""
    progress = _current.get()
    return str(progress.run.pk) if progress is not None else None


def own_scratch(path: Path) -> None:
    """Say that the current attempt is writing ``path``, which must go if the attempt dies.

    Written at once (outside any transaction the caller may be in), so a worker killed a
    moment later still leaves the path on record for the sweep."""
    _change_scratch(path, keep=True)


def disown_scratch(path: Path) -> None:
    """``path`` is done and kept (say, renamed into place and on record): no longer scratch."""
    _change_scratch(path, keep=False)


def _change_scratch(path: Path, *, keep: bool) -> None:
    progress = _current.get()
    if progress is None:
        return
    relative = _relative(path)
    found = progress.mine().values_list("scratch_paths", flat=True).first()
    paths = [entry for entry in found or [] if entry != relative] + ([relative] if keep else [])
    progress.mine().update(scratch_paths=paths)


def _finish(progress: RunProgress, status: TaskRunStatus, error: str = "") -> None:
    update: dict[str, Any] = {"status": status, "finished_at": timezone.now(), "error": error}
    if status == TaskRunStatus.SUCCEEDED:
        update["progress"] = 100
    if progress.mine().update(**update):
        remove_files(TaskRun.objects.get(pk=progress.run.pk), inputs=True)


def remove_files(run: TaskRun, *, inputs: bool) -> None:
    """Remove the run's scratch, and its inputs too when ``inputs`` (the run is over)."""
    paths = list(run.scratch_paths) + (list(run.temp_paths) if inputs else [])
    for relative in paths:
        target = _inside_data_dir(relative)
        if target is None:
            logger.warning("run %s: not removing %r, outside the data directory", run.pk, relative)
            continue
        if target.is_dir():
            shutil.rmtree(target, ignore_errors=True)
        else:
            target.unlink(missing_ok=True)
    # The inputs stay listed once removed: a run whose input is gone cannot be tried again.
    TaskRun.objects.filter(pk=run.pk).update(scratch_paths=[])


def _relative(path: Path) -> str:
    root = Path(settings.DATA_DIR).resolve()
    return str(Path(path).resolve().relative_to(root))


def _inside_data_dir(relative: str) -> Path | None:
    root = Path(settings.DATA_DIR).resolve()
    target = (root / relative).resolve()
    return target if target.is_relative_to(root) and target != root else None


def save_result(progress: RunProgress, result: dict[str, Any], message: str = "") -> None:
    """Keep a task's outcome on its run, for the page that shows it."""
    progress.mine().update(result=result, message=message[:300])
