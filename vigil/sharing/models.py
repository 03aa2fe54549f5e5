"""Requests from outside the company for footage or documents, and how each was answered.

A subpoena or a records request arrives with a due date; the answer is what was shared in
reply (access grants, read in the requester's portal) or a reason it was declined.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from vigil.core.changelog import AuditedModel
from vigil.core.scoping import Scoped, ScopedQuerySet


class RequestKind(models.TextChoices):
    SUBPOENA = "subpoena", "Subpoena"
    COURT_ORDER = "court_order", "Court order or warrant"
    RECORDS_REQUEST = "records_request", "Records request"
    PRESERVATION = "preservation", "Preservation request"
    OTHER = "other", "Other request"


class RequestStatus(models.TextChoices):
    OPEN = "open", "Open"
    ANSWERED = "answered", "Answered"
    DECLINED = "declined", "Declined"


class InformationRequestQuerySet(ScopedQuerySet["InformationRequest"]):
    def made_by(self, user: object) -> InformationRequestQuerySet:
        """Requests an external user may follow: their own, and their agency's."""
        condition = models.Q(requested_by_id=getattr(user, "pk", None))
        agency_id = getattr(user, "agency_id", None)
        if agency_id is not None:
            condition |= models.Q(agency_id=agency_id)
        return self.filter(condition)


class InformationRequest(Scoped, AuditedModel):
    """One request for records of one store, from an agency or an external user."""

    number = models.CharField(max_length=32, unique=True, editable=False)
    store = models.ForeignKey(
        "core.Store", on_delete=models.PROTECT, related_name="information_requests"
    )
    agency = models.ForeignKey(
        "core.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="information_requests",
        help_text="The external user who sent it through the portal",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who entered it, when it came on paper or by e-mail",
    )
    kind = models.CharField(max_length=20, choices=RequestKind.choices)
    their_reference = models.CharField(
        "their reference", max_length=100, help_text="Report, subpoena or claim number"
    )
    sought = models.TextField(help_text="What is asked for: footage, receipts, reports")
    period_start = models.DateTimeField(null=True, blank=True)
    period_end = models.DateTimeField(null=True, blank=True)
    due_on = models.DateField()
    received_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=16, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    response = models.TextField(blank=True)
    grants = models.ManyToManyField("core.AccessGrant", blank=True, related_name="requests")

    objects = InformationRequestQuerySet.as_manager()

    class Meta:
        ordering = ["status", "due_on", "-received_at"]
        indexes = [models.Index(fields=["store", "status", "due_on"])]

    def __str__(self) -> str:
        return f"{self.number} {self.get_kind_display()} {self.their_reference}"

    def audit_action_for(self, created: bool, changes: dict[str, Any]) -> str:
        from vigil.core.models.audit import AuditAction

        if created:
            return AuditAction.REQUEST_RECEIVED
        if "status" in changes and self.status != RequestStatus.OPEN:
            return AuditAction.REQUEST_ANSWERED
        return AuditAction.UPDATE

    @property
    def requester(self) -> str:
        if self.agency_id is not None:
            return str(self.agency)
        user = self.requested_by
        if user is None:
            return "—"
        return user.organisation_name or user.get_full_name() or user.username

    @property
    def is_overdue(self) -> bool:
        return self.status == RequestStatus.OPEN and self.due_on < timezone.localdate()
