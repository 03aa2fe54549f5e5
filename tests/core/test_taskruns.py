"""Background work: a queued task runs in the real database worker and reports progress."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from tests.conftest import World, client_for
from vigil.core import audit, taskruns
from vigil.core.models import TaskRun, TaskRunStatus, User
from vigil.core.models.audit import AuditAction
from vigil.core.tasks import verify_audit_chain

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_a_queued_verification(
    settings: Any, world: World, admin_user: User
) -> None:
    settings.TASKS = DATABASE_QUEUE
    audit.record(AuditAction.UPDATE, object_type="test.thing")
    run = taskruns.start(verify_audit_chain, label="Verify audit chain", requested_by=admin_user)
    assert run.status == TaskRunStatus.QUEUED
    call_command("worker", "--batch", "--no-startup-delay", verbosity=0)
    run.refresh_from_db()
    assert run.status == TaskRunStatus.SUCCEEDED
    assert run.progress == 100
    assert run.result["ok"] is True
    assert run.message == "Chain intact"


def test_the_audit_page_starts_a_verification_and_shows_its_progress(admin_user: User) -> None:
    client = client_for(admin_user)
    response = client.post("/audit-log/verifications/")
    assert response.status_code == 302
    run = TaskRun.objects.get()
    page = client.get(response["Location"], HTTP_HX_REQUEST="true")
    assert page.status_code == 200
    assert "Chain intact" in page.content.decode()
    assert run.requested_by == admin_user


def test_a_failing_task_is_marked_failed_with_its_error(world: World, admin_user: User) -> None:
    run = TaskRun.objects.create(task_name="t", label="doomed", requested_by=admin_user)
    with pytest.raises(ValueError, match="row 3"), taskruns.tracking(str(run.pk)):
        raise ValueError("bad input in row 3")
    run.refresh_from_db()
    assert run.status == TaskRunStatus.FAILED
    assert "bad input in row 3" in run.error


def test_someone_elses_run_without_a_store_is_not_found(
    world: World, owner: User, admin_user: User
) -> None:
    run = TaskRun.objects.create(task_name="t", label="private", requested_by=admin_user)
    assert client_for(owner).get(f"/task-runs/{run.pk}/").status_code == 404
    assert Client().get(f"/task-runs/{run.pk}/").status_code == 302
