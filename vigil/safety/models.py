"""Emergencies run from a playbook: each opens an incident and keeps a live timeline.

The timeline is append-only: every step ticked, first responder called or arrived, headcount
and note is an entry with its time and who made it, so the PDF afterwards is the record of
what happened when, not a reconstruction.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models

from vigil.core.changelog import AuditedModel
from vigil.core.scoping import Scoped, ScopedQuerySet


class EmergencyStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    ENDED = "ended", "Ended"


class Emergency(Scoped, AuditedModel):
    number = models.CharField(max_length=32, unique=True, editable=False)
    store = models.ForeignKey("core.Store", on_delete=models.PROTECT, related_name="emergencies")
    playbook_key = models.CharField(max_length=48)
    title = models.CharField(max_length=200)
    incident = models.OneToOneField(
        "cases.Incident", on_delete=models.PROTECT, related_name="emergency"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=EmergencyStatus.choices, default=EmergencyStatus.ACTIVE
    )
    headcount = models.PositiveIntegerField(null=True, blank=True)
    headcount_expected = models.PositiveIntegerField(null=True, blank=True)
    went_well = models.TextField(blank=True)
    to_change = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet["Emergency"].as_manager()

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class EntryKind(models.TextChoices):
    STARTED = "started", "Started"
    STEP = "step", "Step done"
    RESPONDER_CALLED = "called", "Responders called"
    RESPONDER_ARRIVED = "arrived", "Responders arrived"
    HEADCOUNT = "headcount", "Headcount"
    NOTE = "note", "Note"
    ENDED = "ended", "Ended"


class TimelineEntry(Scoped, models.Model):
    scope_path: ClassVar[str] = "emergency__store"

    emergency = models.ForeignKey(Emergency, on_delete=models.CASCADE, related_name="timeline")
    at = models.DateTimeField()
    kind = models.CharField(max_length=16, choices=EntryKind.choices)
    step_key = models.CharField(max_length=48, blank=True)
    text = models.CharField(max_length=500)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = ScopedQuerySet["TimelineEntry"].as_manager()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%H:%M:%S} {self.text}"


class Responder(Scoped, models.Model):
    """A first-responder unit: who, when called, when arrived."""

    scope_path: ClassVar[str] = "emergency__store"

    emergency = models.ForeignKey(Emergency, on_delete=models.CASCADE, related_name="responders")
    agency = models.CharField(max_length=100, help_text="Fire department, EMS, police…")
    unit = models.CharField(max_length=100, blank=True, help_text="Engine 12, Medic 4…")
    called_at = models.DateTimeField()
    arrived_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet["Responder"].as_manager()

    class Meta:
        ordering = ["called_at"]

    def __str__(self) -> str:
        return f"{self.agency} {self.unit}".strip()


class Severity(models.TextChoices):
    LOW = "low", "Low (fix within two weeks)"
    MEDIUM = "medium", "Medium (fix within a week)"
    HIGH = "high", "High (fix within two days)"
    CRITICAL = "critical", "Critical (fix today; keep people away)"


class Hazard(Scoped, AuditedModel):
    """A hazard someone saw on the floor: where, what, how bad; it raises a corrective action."""

    number = models.CharField(max_length=32, unique=True, editable=False)
    store = models.ForeignKey("core.Store", on_delete=models.PROTECT, related_name="hazards")
    place = models.CharField(max_length=200, help_text="Where in the store")
    description = models.TextField()
    severity = models.CharField(max_length=16, choices=Severity.choices)
    photo_sha256 = models.CharField(max_length=64, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(auto_now_add=True)
    action = models.OneToOneField(
        "audits.CorrectiveAction", on_delete=models.PROTECT, related_name="hazard"
    )

    objects = ScopedQuerySet["Hazard"].as_manager()

    audit_exclude: ClassVar[frozenset[str]] = frozenset({"reported_at"})

    class Meta:
        ordering = ["-reported_at"]

    def __str__(self) -> str:
        return f"{self.number} {self.place}"
