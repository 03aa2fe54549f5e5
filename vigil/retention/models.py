"""Retention policies, legal holds and the runs of the purge.

A ``RetentionPolicy`` says how long one kind of record is kept (``vigil.retention.policies``
names the kinds, their bounds and what "past its time" means for each). A ``LegalHold``
keeps a case, an incident or a subject, and everything linked to it, out of every purge
while it is in force. A ``RetentionRun`` is one run of ``vigil retention run``: what it
purged (ids and reference numbers only) and what it kept back, and why.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from vigil.core.changelog import AuditedModel
from vigil.core.scoping import Scoped, ScopedQuerySet


class RecordKind(models.TextChoices):
    """The kinds of record a retention policy covers, in the order the purge takes them."""

    ALERTS = "alerts", "Video alerts and their clips"
    POS_DATA = "pos_data", "POS data sets and their leads"
    STATEMENTS = "statements", "Witness statements"
    CLOSED_CASES = "closed_cases", "Closed cases"
    SUBJECTS = "subjects", "Subjects and their photos"
    VEHICLES = "vehicles", "Vehicles"


class RetentionPolicy(AuditedModel):
    """How many days one kind of record is kept after its reference time."""

    kind = models.CharField(max_length=16, choices=RecordKind.choices, unique=True)
    days = models.PositiveIntegerField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    audit_exclude: ClassVar[frozenset[str]] = frozenset({"updated_at"})

    class Meta:
        ordering = ["kind"]
        verbose_name_plural = "retention policies"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.days} days"

    def audit_action_for(self, created: bool, changes: dict[str, Any]) -> str:
        from vigil.core.models.audit import AuditAction

        return AuditAction.RETENTION_POLICY


class HoldTarget(models.TextChoices):
    CASE = "case", "Case"
    INCIDENT = "incident", "Incident"
    SUBJECT = "subject", "Subject"


class LegalHoldQuerySet(ScopedQuerySet["LegalHold"]):
    def in_force(self, today: dt.date | None = None) -> LegalHoldQuerySet:
        """Holds not released whose end date (if any) has not passed."""
        today = today or timezone.localdate()
        return self.filter(released_at__isnull=True).filter(
            Q(until__isnull=True) | Q(until__gte=today)
        )


class LegalHold(Scoped, AuditedModel):
    """A case, an incident or a subject held for court: who placed it, why, until when.

    The foreign keys protect: while a hold row points at a record, nothing can delete that
    record. A released hold is detached from its record when the record is purged later;
    ``reference`` keeps what it held ("CASE-2026-0012", "subject #41"), never a name.
    """

    target = models.CharField(max_length=16, choices=HoldTarget.choices)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="legal_holds"
    )
    incident = models.ForeignKey(
        "cases.Incident",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="legal_holds",
    )
    subject = models.ForeignKey(
        "cases.Subject",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="legal_holds",
    )
    reference = models.CharField(max_length=64, help_text="What is held, by number or id")
    store = models.ForeignKey("core.Store", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(
        max_length=300, help_text="Why: the court, matter or request it is held for"
    )
    until = models.DateField(
        null=True, blank=True, help_text="Last day of the hold; blank: until released"
    )
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    placed_at = models.DateTimeField(auto_now_add=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    released_at = models.DateTimeField(null=True, blank=True)
    release_reason = models.CharField(max_length=300, blank=True)

    objects = LegalHoldQuerySet.as_manager()

    audit_exclude: ClassVar[frozenset[str]] = frozenset({"placed_at"})

    class Meta:
        ordering = ["-placed_at", "-pk"]
        indexes = [models.Index(fields=["released_at", "until"])]

    def __str__(self) -> str:
        return f"Legal hold on {self.reference}"

    def audit_action_for(self, created: bool, changes: dict[str, Any]) -> str:
        from vigil.core.models.audit import AuditAction

        if created:
            return AuditAction.LEGAL_HOLD
        if "released_at" in changes:
            return AuditAction.LEGAL_HOLD_RELEASE
        return AuditAction.UPDATE

    def is_in_force(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.released_at is None and (self.until is None or self.until >= today)


class RetentionRun(models.Model):
    """One real run of the purge: counts per kind, what was kept back and why. (A dry run
    changes nothing, so it leaves no row.)"""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    actor_username = models.CharField(max_length=150, blank=True)
    purged = models.JSONField(default=dict, help_text="Records purged (or due) per kind")
    kept = models.JSONField(default=dict, help_text="Records past their time kept, per reason")
    locked = models.JSONField(
        default=list, help_text="Stored objects under an S3 Object Lock retention, with dates"
    )
    audit_seq = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"retention run #{self.pk}"

    @property
    def total_purged(self) -> int:
        return sum(int(count) for count in self.purged.values())
