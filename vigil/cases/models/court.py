"""Court and civil recovery of a case: its hearings, what the court decided, and the civil
demand made of the person who took the goods, with the letters sent and the payments received.

A hearing is a date an investigator (or a witness from the store) must attend; the one named
is reminded once, a set number of days before. A civil demand follows the store's state
statute (shipped as data: ``vigil/cases/data/civil_recovery.yaml``): the amount is computed by
that statute's rule and kept with the reasoning, so a letter always says how it was reached.
A letter sent is kept as the exact PDF that went out, with its SHA-256; it is never changed.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from vigil.cases.models.cases import AppendOnlyModel
from vigil.core import clock
from vigil.core.changelog import AuditedModel
from vigil.core.limits import NOTE_CHARS, TextLimit
from vigil.core.scoping import Scoped, ScopedQuerySet

NOT_NEGATIVE = MinValueValidator(Decimal("0"))


class HearingKind(models.TextChoices):
    ARRAIGNMENT = "arraignment", "Arraignment"
    PRE_TRIAL = "pre_trial", "Pre-trial"
    TRIAL = "trial", "Trial"
    SENTENCING = "sentencing", "Sentencing"
    OTHER = "other", "Other"


class HearingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class Hearing(Scoped, AuditedModel):
    """A court date of a case: what kind, when (the store's clock), where, and who attends."""

    scope_path: ClassVar[str] = "case__store"

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="hearings")
    kind = models.CharField(max_length=16, choices=HearingKind.choices)
    starts_at = models.DateTimeField("when")
    court = models.CharField("court", max_length=200)
    docket_number = models.CharField("docket / case number", max_length=64, blank=True)
    attendee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hearings",
        verbose_name="who must attend",
    )
    notes = models.TextField(blank=True, validators=[TextLimit(NOTE_CHARS)])
    status = models.CharField(
        max_length=16, choices=HearingStatus.choices, default=HearingStatus.SCHEDULED
    )
    remind_days_before = models.PositiveSmallIntegerField(
        default=3,
        validators=[MaxValueValidator(60)],
        help_text="Days before the hearing its attendee is reminded (0: on the day)",
    )
    reminded_at = models.DateTimeField(null=True, blank=True, help_text="Reminder sent")

    objects = ScopedQuerySet["Hearing"].as_manager()

    audit_exclude: ClassVar[frozenset[str]] = frozenset({"reminded_at"})

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["status", "starts_at"])]

    def __str__(self) -> str:
        when = clock.at_store(self.starts_at, self.case.store)
        return f"Court date ({self.get_kind_display()}) {when}"

    def after_audit(self, event: Any) -> None:
        from vigil.cases.timeline import record_change

        record_change(self.case, event, about=self)


class CourtDisposition(models.TextChoices):
    PENDING = "pending", "Pending"
    CONVICTED = "convicted", "Convicted / pleaded guilty"
    DISMISSED = "dismissed", "Dismissed"
    DIVERTED = "diverted", "Diverted"
    ACQUITTED = "acquitted", "Acquitted"
    OTHER = "other", "Other"


class CourtOutcome(Scoped, AuditedModel):
    """What the court decided on a case: the charges, the disposition, restitution ordered."""

    scope_path: ClassVar[str] = "case__store"

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="court_outcome"
    )
    charges = models.TextField(
        blank=True,
        validators=[TextLimit(NOTE_CHARS)],
        help_text="One charge a line, as the court wrote it",
    )
    disposition = models.CharField(
        max_length=16, choices=CourtDisposition.choices, default=CourtDisposition.PENDING
    )
    disposed_on = models.DateField("date of disposition", null=True, blank=True)
    restitution_ordered = models.DecimalField(
        max_digits=12, decimal_places=2, default=Decimal("0"), validators=[NOT_NEGATIVE]
    )
    notes = models.TextField(blank=True, validators=[TextLimit(NOTE_CHARS)])

    objects = ScopedQuerySet["CourtOutcome"].as_manager()

    def __str__(self) -> str:
        return f"Court outcome: {self.get_disposition_display()}"

    @property
    def charge_list(self) -> list[str]:
        return [line.strip() for line in self.charges.splitlines() if line.strip()]

    def after_audit(self, event: Any) -> None:
        from vigil.cases.timeline import record_change

        record_change(self.case, event, about=self)


class DemandStatus(models.TextChoices):
    OPEN = "open", "Open"
    PAID = "paid", "Paid in full"


class CivilDemand(Scoped, AuditedModel):
    """A civil demand of a case under one state's civil recovery statute.

    ``amount`` is what the statute's rule gave for the values entered; ``computation`` says
    how, line by line, as the letter says it.
    """

    scope_path: ClassVar[str] = "case__store"

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="civil_demands")
    state = models.CharField(max_length=2, help_text="The statute's state (postal code)")
    citation = models.CharField(max_length=200)
    addressee = models.CharField(max_length=200, help_text="Whom the demand is made of")
    address = models.TextField(validators=[TextLimit(1_000)])
    retail_value = models.DecimalField(
        "retail value taken", max_digits=12, decimal_places=2, validators=[NOT_NEGATIVE]
    )
    recovered_value = models.DecimalField(
        "value recovered in sellable condition",
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[NOT_NEGATIVE],
    )
    penalty = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))
    amount = models.DecimalField("amount demanded", max_digits=12, decimal_places=2)
    computation = models.JSONField(default=list, help_text="How the amount was reached")
    deadline_days = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=8, choices=DemandStatus.choices, default=DemandStatus.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet["CivilDemand"].as_manager()

    audit_exclude: ClassVar[frozenset[str]] = frozenset({"created_at", "computation"})

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Civil demand of {self.addressee} ({self.citation})"

    def after_audit(self, event: Any) -> None:
        from vigil.cases.timeline import record_change

        record_change(self.case, event, about=self)


class CivilLetter(Scoped, AppendOnlyModel, AuditedModel):
    """A demand letter as sent: the PDF exactly as it went out, hashed, never changed."""

    scope_path: ClassVar[str] = "demand__case__store"

    demand = models.ForeignKey(CivilDemand, on_delete=models.CASCADE, related_name="letters")
    number = models.PositiveSmallIntegerField(help_text="1 for the first letter, then 2, …")
    sent_on = models.DateField()
    due_on = models.DateField(help_text="The date the letter asks payment by")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    pdf = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedQuerySet["CivilLetter"].as_manager()

    audit_exclude: ClassVar[frozenset[str]] = frozenset({"pdf"})

    class Meta:
        ordering = ["demand", "number"]
        constraints = [
            models.UniqueConstraint(fields=["demand", "number"], name="one_letter_number")
        ]

    def __str__(self) -> str:
        return f"Demand letter {self.number} to {self.demand.addressee}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.sha256 = hashlib.sha256(bytes(self.pdf)).hexdigest()
        super().save(*args, **kwargs)

    def after_audit(self, event: Any) -> None:
        from vigil.cases.timeline import record_change

        record_change(self.demand.case, event, about=self)


class PaymentMethod(models.TextChoices):
    CHECK = "check", "Check"
    CARD = "card", "Card"
    CASH = "cash", "Cash"
    TRANSFER = "transfer", "Bank transfer"
    OTHER = "other", "Other"


class CivilPayment(Scoped, AuditedModel):
    """Money received against a civil demand."""

    scope_path: ClassVar[str] = "demand__case__store"

    demand = models.ForeignKey(CivilDemand, on_delete=models.CASCADE, related_name="payments")
    amount = models.DecimalField(
        max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    received_on = models.DateField()
    method = models.CharField(max_length=8, choices=PaymentMethod.choices)
    reference = models.CharField(max_length=100, blank=True, help_text="Check number, receipt")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedQuerySet["CivilPayment"].as_manager()

    class Meta:
        ordering = ["received_on", "pk"]

    def __str__(self) -> str:
        return f"Payment of ${self.amount:,.2f} received {self.received_on}"

    def after_audit(self, event: Any) -> None:
        from vigil.cases.timeline import record_change

        record_change(self.demand.case, event, about=self)
