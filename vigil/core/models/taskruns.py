"""Task runs: what pages show of background work (status and progress), and the workers'
heartbeats that tell a run still being worked on from one whose worker died."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, ClassVar, Self

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import Q

from vigil.core.scoping import ScopedQuerySet, scope_of

if TYPE_CHECKING:
    from vigil.core.models.users import User


class TaskRunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class TaskRunQuerySet(ScopedQuerySet["TaskRun"]):
    def visible_to(self, user: User | AnonymousUser | None) -> Self:
        """Runs of stores the viewer may see, and the viewer's own runs."""
        scope = scope_of(user)
        if scope.everything:
            return self.all()
        own = Q(requested_by_id=user.pk) if user is not None and user.is_authenticated else Q()
        in_scope = Q(store_id__in=scope.store_ids)
        return self.filter(in_scope | own) if own else self.filter(in_scope)


class TaskRun(models.Model):
    """One piece of background work a person asked for, with its progress in percent."""

    scope_path: ClassVar[str] = "store"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    task_name = models.CharField(max_length=200)
    label = models.CharField(max_length=200)
    status = models.CharField(
        max_length=16, choices=TaskRunStatus.choices, default=TaskRunStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="task_runs"
    )
    store = models.ForeignKey(
        "core.Store", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    task_result_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    worker_id = models.CharField(
        max_length=64, blank=True, help_text="The worker running (or that last ran) it"
    )
    attempt = models.PositiveSmallIntegerField(default=1)
    max_attempts = models.PositiveSmallIntegerField(
        default=1, help_text="Tries before a run whose worker died is left for a person to retry"
    )
    arguments = models.JSONField(
        default=dict, blank=True, editable=False, help_text="What the task was queued with"
    )
    temp_paths = models.JSONField(
        default=list, blank=True, editable=False,
        help_text="Files under the data directory the run owns, removed once it is over",
    )  # fmt: skip
    scratch_paths = models.JSONField(
        default=list, blank=True, editable=False,
        help_text="Files the current attempt is writing, removed when the attempt ends",
    )  # fmt: skip

    objects = TaskRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.label} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in {TaskRunStatus.SUCCEEDED, TaskRunStatus.FAILED}


class WorkerHeartbeat(models.Model):
    """A task worker saying it is alive, every few seconds. A worker whose beat is older than
    the lease is taken for dead, and so are the runs it had."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    pid_namespace = models.BigIntegerField(default=0, help_text="Whose pids these are")
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"worker {self.worker_id} on {self.host} (pid {self.pid})"
