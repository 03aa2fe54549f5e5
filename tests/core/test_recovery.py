"""Jobs that recover: a run whose worker stopped beating is retried or failed, once, and the
files it owned are removed; scratch no live run owns is swept."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.conftest import World, make_user
from vigil.core import recovery, taskruns
from vigil.core.models import Role, TaskRun, TaskRunStatus, WorkerHeartbeat
from vigil.core.tasks import verify_audit_chain
from vigil.pos.models import DataSet, Scan, ScanStatus
from vigil.pos.tasks import scan_again

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(settings: Any) -> None:
    """The real database queue: enqueueing writes a row a worker would take."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _running(task: Any, worker: str, **fields: Any) -> TaskRun:
    """A run as a worker left it: claimed, running, maybe owning files."""
    run = taskruns.start(task, label="the job", **fields)
    DBTaskResult.objects.filter(pk=run.task_result_id).update(status=TaskResultStatus.RUNNING)
    TaskRun.objects.filter(pk=run.pk).update(status=TaskRunStatus.RUNNING, worker_id=worker)
    run.refresh_from_db()
    return run


def _beat(worker: str, seconds_ago: float, pid: int | None = None) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id=worker, host="elsewhere", pid=pid or 1, started_at=now,
        beat_at=now - dt.timedelta(seconds=seconds_ago),
    )  # fmt: skip


def test_a_run_whose_worker_stopped_beating_is_queued_again(queued: None, world: World) -> None:
    user = make_user(Role.LP_MANAGER, everything=True)
    data_set = DataSet.objects.create(name="d", folder="none", source="folder")
    run = _running(scan_again, "w-dead", requested_by=user, data_set_id=data_set.pk)
    _beat("w-dead", seconds_ago=120)
    (found,) = recovery.recover_lost_runs()
    assert found.retried
    run.refresh_from_db()
    assert run.status == TaskRunStatus.QUEUED and run.attempt == 2 and run.worker_id == ""
    assert "worker stopped" in run.message.lower() or "stopped" in run.message
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1
    assert DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count() == 1
    assert recovery.recover_lost_runs() == []  # once, not again


def test_a_run_not_declared_safe_to_repeat_is_failed_for_a_person(queued: None) -> None:
    run = _running(verify_audit_chain, "w-dead")
    _beat("w-dead", seconds_ago=120)
    (found,) = recovery.recover_lost_runs()
    assert not found.retried
    run.refresh_from_db()
    assert run.status == TaskRunStatus.FAILED and run.error.startswith("worker stopped")
    assert run.finished_at is not None


def test_a_run_of_a_live_worker_is_left_alone(queued: None) -> None:
    run = _running(verify_audit_chain, "w-alive")
    _beat("w-alive", seconds_ago=1)
    assert recovery.recover_lost_runs() == []
    run.refresh_from_db()
    assert run.status == TaskRunStatus.RUNNING


def test_a_worker_gone_from_this_host_is_dead_before_its_lease_runs_out(queued: None) -> None:
    import socket
    import subprocess
    import sys

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    run = _running(verify_audit_chain, "w-gone")
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id="w-gone", host=socket.gethostname(), pid=gone.pid, started_at=now,
        beat_at=now, pid_namespace=recovery._pid_namespace(),
    )  # fmt: skip
    (found,) = recovery.recover_lost_runs()
    assert found.run.pk == run.pk


def test_a_lost_run_fails_its_scan_and_loses_its_scratch(
    queued: None, settings: Any, world: World
) -> None:
    user = make_user(Role.LP_MANAGER, everything=True)
    data_set = DataSet.objects.create(name="d", folder="none", source="folder")
    upload = Path(settings.DATA_DIR) / "pos" / "uploads" / "abc"
    partial = Path(settings.DATA_DIR) / "pos" / "data-sets" / ".xyz.part"
    for folder in (upload, partial):
        folder.mkdir(parents=True)
        (folder / "transactions.csv").write_text("x")
    run = _running(
        scan_again, "w-dead", requested_by=user, temp_paths=[upload], data_set_id=data_set.pk
    )
    TaskRun.objects.filter(pk=run.pk).update(
        scratch_paths=["pos/data-sets/.xyz.part"], max_attempts=1
    )
    scan = Scan.objects.create(data_set=data_set, task_run=run)
    recovery.recover_lost_runs()
    scan.refresh_from_db()
    assert scan.status == ScanStatus.FAILED and "worker stopped" in scan.error
    assert not partial.exists() and not upload.exists()


def test_a_retried_run_keeps_its_input_for_the_next_attempt(queued: None, settings: Any) -> None:
    upload = Path(settings.DATA_DIR) / "pos" / "uploads" / "abc"
    upload.mkdir(parents=True)
    data_set = DataSet.objects.create(name="d", folder="none", source="folder")
    _running(scan_again, "w-dead", temp_paths=[upload], data_set_id=data_set.pk)
    recovery.recover_lost_runs()
    assert upload.exists()


def test_files_outside_the_data_directory_are_never_removed(
    queued: None, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("outside") / "keep.txt"
    outside.write_text("precious")
    run = _running(verify_audit_chain, "w-dead")
    TaskRun.objects.filter(pk=run.pk).update(temp_paths=["../" * 12 + str(outside)[1:]])
    recovery.recover_lost_runs()
    assert outside.read_text() == "precious"


def test_the_sweep_removes_old_scratch_that_no_live_run_owns(settings: Any) -> None:
    root = Path(settings.DATA_DIR)
    old, fresh, owned = (root / "pos" / "uploads" / name for name in ("old", "fresh", "owned"))
    for folder in (old, fresh, owned):
        folder.mkdir(parents=True)
    hours_ago = time.time() - 2 * 3600
    for folder in (old, owned):
        os.utime(folder, (hours_ago, hours_ago))
    TaskRun.objects.create(task_name="t", label="still queued", temp_paths=["pos/uploads/owned"])
    removed = recovery.sweep_orphans()
    assert removed == [old]
    assert fresh.exists() and owned.exists() and not old.exists()


def test_an_attempt_says_what_it_is_writing_while_it_writes(settings: Any) -> None:
    seen: list[list[str]] = []

    run = TaskRun.objects.create(task_name="t", label="scratch")
    with taskruns.tracking(str(run.pk)):
        taskruns.own_scratch(Path(settings.DATA_DIR) / "pos" / "data-sets" / ".a.part")
        seen.append(TaskRun.objects.get(pk=run.pk).scratch_paths)
    assert seen == [["pos/data-sets/.a.part"]]
    assert TaskRun.objects.get(pk=run.pk).scratch_paths == []


def test_a_failed_run_is_tried_again_by_whoever_started_it(queued: None, world: World) -> None:
    from tests.conftest import client_for

    owner = make_user(Role.LP_MANAGER, everything=True)
    other = make_user(Role.LP_MANAGER, everything=True)
    run = _running(verify_audit_chain, "w-dead", requested_by=owner)
    TaskRun.objects.filter(pk=run.pk).update(status=TaskRunStatus.FAILED, error="worker stopped")
    page = client_for(owner).get(f"/task-runs/{run.pk}/").content.decode()
    assert "Try it again" in page
    assert "Try it again" not in client_for(other).get(f"/task-runs/{run.pk}/").content.decode()
    client_for(other).post(f"/task-runs/{run.pk}/retry/")
    assert TaskRun.objects.get(pk=run.pk).status == TaskRunStatus.FAILED
    client_for(owner).post(f"/task-runs/{run.pk}/retry/")
    run.refresh_from_db()
    assert run.status == TaskRunStatus.QUEUED and run.attempt == 2 and run.error == ""
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1


def test_a_run_whose_upload_went_with_its_failure_cannot_be_tried_again(
    queued: None, settings: Any
) -> None:
    owner = make_user(Role.LP_MANAGER, everything=True)
    upload = Path(settings.DATA_DIR) / "pos" / "uploads" / "gone"
    upload.mkdir(parents=True)
    data_set = DataSet.objects.create(name="d", folder="none", source="folder")
    run = _running(
        scan_again, "w-dead", requested_by=owner, temp_paths=[upload], data_set_id=data_set.pk
    )
    TaskRun.objects.filter(pk=run.pk).update(max_attempts=1)
    recovery.recover_lost_runs()
    run.refresh_from_db()
    assert run.status == TaskRunStatus.FAILED and not upload.exists()
    assert not taskruns.may_retry(owner, run)


def _work_while_taken_for_dead(run: TaskRun) -> None:
    with taskruns.tracking(str(run.pk)) as progress:
        _beat("w-slow", seconds_ago=120)  # silent too long: taken for dead meanwhile
        TaskRun.objects.filter(pk=run.pk).update(worker_id="w-slow")
        recovery.recover_lost_runs()
        progress.update(50, "still going")


def test_an_attempt_taken_for_dead_cannot_write_to_its_run_again(
    queued: None, settings: Any
) -> None:
    upload = Path(settings.DATA_DIR) / "pos" / "uploads" / "still-needed"
    upload.mkdir(parents=True)
    data_set = DataSet.objects.create(name="d", folder="none", source="folder")
    run = _running(scan_again, "w-slow", temp_paths=[upload], data_set_id=data_set.pk)
    with pytest.raises(taskruns.RunTaken):
        _work_while_taken_for_dead(run)
    run.refresh_from_db()
    assert run.status == TaskRunStatus.QUEUED and run.attempt == 2
    assert run.message.startswith("The worker stopped") and upload.exists()


def test_a_run_claimed_by_a_worker_that_died_before_starting_it_is_recovered(
    queued: None,
) -> None:
    run = taskruns.start(verify_audit_chain, label="never started")
    DBTaskResult.objects.filter(pk=run.task_result_id).update(
        status=TaskResultStatus.RUNNING, worker_ids=["w-dead"]
    )
    _beat("w-dead", seconds_ago=120)
    (found,) = recovery.recover_lost_runs()
    assert found.run.pk == run.pk
    run.refresh_from_db()
    assert run.status == TaskRunStatus.FAILED
