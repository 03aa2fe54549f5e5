"""Background work that survives its worker: heartbeats, leases, and the sweep.

Every ``vigil worker`` beats a :class:`WorkerHeartbeat` row every few seconds. A worker whose
beat is older than the lease (``VIGIL_TASK_LEASE_SECONDS``), or whose process is gone from
this host, is dead, and so are the runs it had: the next beat of any other worker, or the
next worker to start, marks each such run "worker stopped" and either queues it again (a task
declared :func:`~vigil.core.taskruns.retried_when_worker_lost`, safe because it is
idempotent) or leaves it failed for a person to retry. Either way the attempt's scratch files
go, and apps hear of it through :data:`run_lost` (the POS app fails the scan the run had
started). A sweep at start also removes scratch files that no live run owns.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import socket
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import DateTimeField, ExpressionWrapper
from django.db.models.functions import Now
from django.dispatch import Signal
from django.utils import timezone

from vigil.core import taskruns
from vigil.core.models import TaskRun, TaskRunStatus, WorkerHeartbeat

logger = logging.getLogger(__name__)

# Sent once for each run found without a live worker; ``retried`` says if it was queued again.
run_lost = Signal()
# Scratch files left by a crash are removed once they are this old and no live run owns them.
ORPHAN_AGE = dt.timedelta(hours=1)
_scratch_patterns: list[str] = []


def lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.TASK_LEASE_SECONDS)


def beat_interval() -> float:
    """How often a worker beats: six times a lease, so a slow beat or two is no death."""
    return max(1.0, lease().total_seconds() / 6)


def scratch_pattern(pattern: str) -> None:
    """Declare where an app leaves scratch files (a glob under the data directory)."""
    if pattern not in _scratch_patterns:
        _scratch_patterns.append(pattern)


def beat(worker_id: str, started_at: dt.datetime) -> None:
    """Say that ``worker_id`` (this process) is alive, by the database's clock: hosts whose
    clocks disagree still agree on how old a beat is."""
    if WorkerHeartbeat.objects.filter(worker_id=worker_id).update(beat_at=Now()):
        return
    WorkerHeartbeat.objects.create(
        worker_id=worker_id,
        host=socket.gethostname(),
        pid=os.getpid(),
        pid_namespace=_pid_namespace(),
        started_at=started_at,
        beat_at=timezone.now(),
    )
    WorkerHeartbeat.objects.filter(worker_id=worker_id).update(beat_at=Now())


def _pid_namespace() -> int:
    """Which process numbering this process lives in: containers sharing a host name have
    their own, and a pid means nothing across them."""
    try:
        return os.stat("/proc/self/ns/pid").st_ino
    except OSError:
        return 0


def leave(worker_id: str) -> None:
    """A worker that stops cleanly says so, rather than waiting for its lease to run out."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


@dataclass(frozen=True)
class Recovered:
    run: TaskRun
    retried: bool


def recover_lost_runs() -> list[Recovered]:
    """Find the runs whose worker is dead, and fail or retry each one, once."""
    dead = _dead_workers()
    known = set(WorkerHeartbeat.objects.values_list("worker_id", flat=True))
    running = TaskRun.objects.filter(status=TaskRunStatus.RUNNING).exclude(worker_id="")
    lost = [run for run in running if run.worker_id in dead or run.worker_id not in known]
    lost += _claimed_but_not_started(dead, known)
    return [found for run in lost if (found := _recover(run)) is not None]


def _claimed_but_not_started(dead: set[str], known: set[str]) -> list[TaskRun]:
    """Runs still queued whose queue entry a worker claimed and then died with: the task
    never reached :func:`~vigil.core.taskruns.tracking`, so nothing else would find them."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    queued = TaskRun.objects.filter(status=TaskRunStatus.QUEUED).exclude(task_result_id="")
    entries = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, pk__in=[run.task_result_id for run in queued]
    )
    taken = {
        str(entry.pk)
        for entry in entries
        if entry.worker_ids and (entry.worker_ids[-1] in dead or entry.worker_ids[-1] not in known)
    }
    return [run for run in queued if run.task_result_id in taken]


def _dead_workers() -> set[str]:
    """Workers whose lease ran out, or whose process is gone from this very host."""
    stale_before = ExpressionWrapper(Now() - lease(), output_field=DateTimeField())
    dead = set(
        WorkerHeartbeat.objects.filter(beat_at__lt=stale_before).values_list("worker_id", flat=True)
    )
    here = WorkerHeartbeat.objects.filter(
        host=socket.gethostname(), pid_namespace=_pid_namespace()
    ).exclude(pid=os.getpid())
    dead.update(row.worker_id for row in here if not process_alive(row.pid))
    return dead


def process_alive(pid: int) -> bool:
    """Whether a process of this host (and pid namespace) with this pid is running."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _recover(run: TaskRun) -> Recovered | None:
    """Claim the lost run (another worker may be sweeping too) and fail or requeue it; the
    claim and the new queue entry are written together."""
    retry = run.attempt < run.max_attempts
    said = f"The worker stopped during attempt {run.attempt} (no heartbeat)"
    claim = TaskRun.objects.filter(
        pk=run.pk, status=run.status, attempt=run.attempt, worker_id=run.worker_id
    )
    with transaction.atomic():
        if retry:
            claimed = claim.update(
                status=TaskRunStatus.QUEUED,
                attempt=run.attempt + 1,
                progress=0,
                message=f"{said}; trying again (attempt {run.attempt + 1} of {run.max_attempts}).",
                worker_id="",
            )
        else:
            claimed = claim.update(
                status=TaskRunStatus.FAILED,
                finished_at=timezone.now(),
                error=f"worker stopped: {said}. Nothing it had half done was kept; "
                "retry it when the cause is fixed.",
            )
        if not claimed:
            return None
        _fail_queue_entry(run.task_result_id)
        run.refresh_from_db()
        if retry:
            taskruns.enqueue(run)
    logger.warning("task run %s (%s) lost its worker %s", run.pk, run.label, run.worker_id)
    taskruns.remove_files(run, inputs=not retry)
    run_lost.send(sender=TaskRun, run=run, retried=retry)
    return Recovered(run=run, retried=retry)


def _fail_queue_entry(task_result_id: str) -> None:
    """The queue's own row of the dead attempt still says RUNNING; it is not."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    if task_result_id:
        DBTaskResult.objects.filter(pk=task_result_id, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED, finished_at=timezone.now()
        )


def sweep_orphans(now: float | None = None) -> list[Path]:
    """Remove scratch files no unfinished run owns, once older than :data:`ORPHAN_AGE`."""
    root = Path(settings.DATA_DIR)
    owned = _owned_paths()
    cutoff = (now or time.time()) - ORPHAN_AGE.total_seconds()
    removed = []
    for pattern in _scratch_patterns:
        for path in root.glob(pattern):
            relative = str(path.relative_to(root))
            if relative in owned or path.lstat().st_mtime > cutoff:
                continue
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            removed.append(path)
    if removed:
        logger.info("removed %d orphaned scratch file(s)", len(removed))
    return removed


def _owned_paths() -> set[str]:
    unfinished = TaskRun.objects.filter(status__in=[TaskRunStatus.QUEUED, TaskRunStatus.RUNNING])
    owned: set[str] = set()
    for inputs, scratch in unfinished.values_list("temp_paths", "scratch_paths"):
        owned.update(inputs or [])
        owned.update(scratch or [])
    return owned
