"""Training: modules (Markdown with a quiz), assignments to associates, attempts.

Associates are people (``core.Person``), who may have no login: a quiz is taken by the
associate's own login, or administered by a manager or LP officer of their store on a store
device, and the attempt records who recorded it.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models

from vigil.core.changelog import AuditedModel
from vigil.core.scoping import Scoped, ScopedQuerySet


class Module(models.Model):
    """One version of a training module, as shipped in ``vigil/training/modules/``."""

    key = models.CharField(max_length=48)
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    minutes = models.PositiveIntegerField()
    pass_mark = models.PositiveIntegerField(help_text="Percent of questions right to pass")
    body = models.TextField(help_text="Markdown")
    questions = models.JSONField()
    installed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="one_module_version")
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"


class Assignment(Scoped, AuditedModel):
    store = models.ForeignKey("core.Store", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("core.Person", on_delete=models.PROTECT, related_name="+")
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="assignments")
    due_on = models.DateField()
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    best_score = models.PositiveIntegerField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet["Assignment"].as_manager()

    audit_exclude: ClassVar[frozenset[str]] = frozenset({"assigned_at", "reminded_at"})

    class Meta:
        ordering = ["completed_at", "due_on"]
        indexes = [models.Index(fields=["store", "completed_at", "due_on"])]

    def __str__(self) -> str:
        return f"{self.module.title} for {self.person}"


class Attempt(Scoped, models.Model):
    scope_path: ClassVar[str] = "assignment__store"

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="attempts")
    taken_at = models.DateTimeField(auto_now_add=True)
    score = models.PositiveIntegerField(help_text="Percent right")
    passed = models.BooleanField()
    answers = models.JSONField(help_text="The choice given for each question, in order")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedQuerySet["Attempt"].as_manager()

    class Meta:
        ordering = ["-taken_at"]

    def __str__(self) -> str:
        return f"{self.assignment}: {self.score}%"
