"""Floor walks: checklist versions, each store's schedule, the walks, and the corrective
actions failed items raise.

A ``FloorWalk`` is one walk through one checklist version at one store. Its answers are
saved as the officer goes (a dropped connection loses nothing: the page keeps unsent answers
and sends them when it can); completing it scores it and raises a ``CorrectiveAction`` for
every failed item. Photos are kept by their SHA-256 (``vigil.audits.photos``).
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models

from vigil.core.changelog import AuditedModel
from vigil.core.scoping import Scoped, ScopedQuerySet


class Frequency(models.TextChoices):
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"
    MONTHLY = "monthly", "Monthly"


class ChecklistVersion(models.Model):
    """One version of a checklist, as shipped in ``vigil/audits/checklists/``."""

    key = models.CharField(max_length=48)
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    frequency = models.CharField(max_length=16, choices=Frequency.choices)
    definition = models.JSONField(help_text="The checklist's sections and items")
    installed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="one_checklist_version")
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"


class Schedule(Scoped, AuditedModel):
    """How often a store walks a checklist; due and overdue follow from its last walk."""

    store = models.ForeignKey("core.Store", on_delete=models.CASCADE, related_name="+")
    checklist_key = models.CharField(max_length=48)
    frequency = models.CharField(max_length=16, choices=Frequency.choices)
    active = models.BooleanField(default=True)

    objects = ScopedQuerySet["Schedule"].as_manager()

    class Meta:
        ordering = ["store__code", "checklist_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["store", "checklist_key"], name="one_schedule_per_checklist"
            )
        ]

    def __str__(self) -> str:
        return f"{self.checklist_key} {self.frequency} at {self.store.code}"


class WalkStatus(models.TextChoices):
    DRAFT = "draft", "In progress"
    COMPLETED = "completed", "Completed"


class FloorWalk(Scoped, AuditedModel):
    number = models.CharField(max_length=32, unique=True, editable=False)
    store = models.ForeignKey("core.Store", on_delete=models.PROTECT, related_name="floor_walks")
    checklist = models.ForeignKey(ChecklistVersion, on_delete=models.PROTECT, related_name="+")
    walked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=WalkStatus.choices, default=WalkStatus.DRAFT, db_index=True
    )
    score = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    passed = models.BooleanField(null=True)
    critical_failures = models.PositiveSmallIntegerField(default=0)
    notes = models.TextField(blank=True)

    objects = ScopedQuerySet["FloorWalk"].as_manager()

    audit_exclude: ClassVar[frozenset[str]] = frozenset({"started_at"})

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["store", "status", "completed_at"])]

    def __str__(self) -> str:
        return f"{self.number} {self.checklist.title}"


class Answer(Scoped, models.Model):
    """One item's answer on a walk (replaced, not appended, while the walk is a draft)."""

    scope_path: ClassVar[str] = "walk__store"

    walk = models.ForeignKey(FloorWalk, on_delete=models.CASCADE, related_name="answers")
    item_key = models.CharField(max_length=48)
    value = models.CharField(max_length=500, blank=True, help_text="yes, no, na, a number, text")
    note = models.CharField(max_length=500, blank=True)
    photo_sha256 = models.CharField(max_length=64, blank=True)
    answered_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet["Answer"].as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["walk", "item_key"], name="one_answer_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.walk.number} {self.item_key}: {self.value}"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    FIXED = "fixed", "Fixed, to be verified"
    VERIFIED = "verified", "Verified"


class CorrectiveAction(Scoped, AuditedModel):
    """What must be fixed after a failed item (or a reported hazard), by whom and by when."""

    number = models.CharField(max_length=32, unique=True, editable=False)
    store = models.ForeignKey("core.Store", on_delete=models.PROTECT, related_name="+")
    walk = models.ForeignKey(
        FloorWalk, null=True, blank=True, on_delete=models.PROTECT, related_name="actions"
    )
    item_key = models.CharField(max_length=48, blank=True)
    title = models.CharField(max_length=300)
    detail = models.TextField(blank=True)
    critical = models.BooleanField(default=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due_on = models.DateField()
    status = models.CharField(
        max_length=16, choices=ActionStatus.choices, default=ActionStatus.OPEN, db_index=True
    )
    finding_photo_sha256 = models.CharField(max_length=64, blank=True)
    fix_photo_sha256 = models.CharField(max_length=64, blank=True)
    fix_note = models.TextField(blank=True)
    fixed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    fixed_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet["CorrectiveAction"].as_manager()

    audit_exclude: ClassVar[frozenset[str]] = frozenset({"created_at"})

    class Meta:
        ordering = ["status", "due_on"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"
