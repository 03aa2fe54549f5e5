"""Incidents: what happened, where, when, to whom, and what it cost."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models

from vigil.core.changelog import AuditedModel
from vigil.core.limits import LONG_TEXT_CHARS, NOTE_CHARS, TextLimit, future_error
from vigil.core.scoping import Scoped, ScopedQuerySet

ZERO = Decimal("0.00")


class IncidentType(models.TextChoices):
    SHOPLIFTING = "shoplifting", "Shoplifting"
    ORGANISED_RETAIL_CRIME = "orc", "Organised retail crime"
    INTERNAL_THEFT = "internal_theft", "Internal theft"
    REFUND_FRAUD = "refund_fraud", "Refund fraud"
    GIFT_CARD_FRAUD = "gift_card_fraud", "Gift-card fraud"
    CREDIT_FRAUD = "credit_fraud", "Credit fraud"
    BURGLARY = "burglary", "Burglary"
    ROBBERY = "robbery", "Robbery"
    VANDALISM = "vandalism", "Vandalism"
    EAS_ALARM = "eas_alarm", "EAS alarm"
    SAFETY_HAZARD = "safety_hazard", "Safety hazard"
    MEDICAL_EMERGENCY = "medical_emergency", "Medical emergency"
    FIRE_ALARM = "fire_alarm", "Fire alarm / evacuation"
    OTHER = "other", "Other"


class IncidentStatus(models.TextChoices):
    OPEN = "open", "Open"
    UNDER_REVIEW = "under_review", "Under review"
    CLOSED = "closed", "Closed"


class Disposition(models.TextChoices):
    PENDING = "pending", "Pending"
    APPREHENDED = "apprehended", "Apprehended"
    MERCHANDISE_RECOVERED = "recovered", "Merchandise recovered, no apprehension"
    CIVIL_RECOVERY = "civil_recovery", "Civil recovery"
    REFERRED_TO_POLICE = "referred_to_police", "Referred to police"
    ARRESTED = "arrested", "Arrested by police"
    EMPLOYEE_TERMINATED = "employee_terminated", "Employee terminated"
    SUBJECT_FLED = "fled", "Subject fled"
    UNFOUNDED = "unfounded", "Unfounded"
    NO_ACTION = "no_action", "No further action"


class Incident(Scoped, AuditedModel):
    """One event at one store that loss prevention recorded: a theft, an alarm, an injury."""

    number = models.CharField(max_length=32, unique=True, editable=False)
    store = models.ForeignKey("core.Store", on_delete=models.PROTECT, related_name="incidents")
    kind = models.CharField("type", max_length=32, choices=IncidentType.choices)
    summary = models.CharField(max_length=200)
    location = models.CharField(
        "place in store", max_length=200, blank=True, help_text="e.g. aisle 7, fitting room 2"
    )
    occurred_at = models.DateTimeField(db_index=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="reported_incidents",
    )
    reported_at = models.DateTimeField(auto_now_add=True)
    narrative = models.TextField(blank=True, validators=[TextLimit(LONG_TEXT_CHARS)])
    merchandise_value = models.DecimalField(
        max_digits=12, decimal_places=2, default=ZERO, validators=[MinValueValidator(ZERO)]
    )
    recovered_value = models.DecimalField(
        max_digits=12, decimal_places=2, default=ZERO, validators=[MinValueValidator(ZERO)]
    )
    police_involved = models.BooleanField(default=False)
    police_agency = models.CharField(max_length=200, blank=True)
    police_report_number = models.CharField(max_length=100, blank=True)
    police_officer = models.CharField(max_length=200, blank=True, help_text="Name and badge")
    status = models.CharField(
        max_length=16, choices=IncidentStatus.choices, default=IncidentStatus.OPEN
    )
    disposition = models.CharField(
        max_length=32, choices=Disposition.choices, default=Disposition.PENDING
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet["Incident"].as_manager()

    audit_exclude: ClassVar[frozenset[str]] = frozenset({"updated_at", "reported_at"})

    class Meta:
        ordering = ["-occurred_at"]
        # The incident list: a user's stores, newest first, often narrowed to a status.
        indexes = [
            models.Index(fields=["store", "status", "occurred_at"]),
            models.Index(fields=["store", "occurred_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.summary}"

    @property
    def net_loss(self) -> Decimal:
        """What the store is out of pocket: merchandise value less what was recovered."""
        return Decimal(self.merchandise_value) - Decimal(self.recovered_value)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        recovered, value = self.recovered_value, self.merchandise_value
        if recovered and value is not None and Decimal(recovered) > Decimal(value):
            errors["recovered_value"] = "Recovered value cannot exceed the merchandise value."
        # An incident is recorded after it happened; a time ahead is a slip (often the year).
        later = future_error(self.occurred_at, self.store if self.store_id else None)
        if later:
            errors["occurred_at"] = later
        if errors:
            raise ValidationError(errors)


class PartyRole(models.TextChoices):
    SUSPECT = "suspect", "Suspect"
    WITNESS = "witness", "Witness"
    VICTIM = "victim", "Victim"
    EMPLOYEE = "employee", "Employee involved"
    RESPONDER = "responder", "First responder"
    OTHER = "other", "Other"


class IncidentParty(Scoped, AuditedModel):
    """A person involved in an incident: a subject, an employee, or a named member of public."""

    scope_path: ClassVar[str] = "incident__store"

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(max_length=16, choices=PartyRole.choices)
    subject = models.ForeignKey(
        "cases.Subject", null=True, blank=True, on_delete=models.PROTECT, related_name="parties"
    )
    person = models.ForeignKey(
        "core.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(max_length=200, blank=True)
    contact = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True, validators=[TextLimit(NOTE_CHARS)])

    objects = ScopedQuerySet["IncidentParty"].as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name_plural = "incident parties"

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.display_name}"

    @property
    def display_name(self) -> str:
        if self.subject_id is not None and self.subject is not None:
            return str(self.subject)
        if self.person_id is not None and self.person is not None:
            return str(self.person)
        return self.name
