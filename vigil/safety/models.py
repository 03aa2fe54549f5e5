"""Emergencies run from a playbook: each opens an incident and keeps a live timeline.

The timeline is append-only: every step ticked, first responder called or arrived, headcount
and note is an entry with its time and who made it, so the PDF afterwards is the record of
what happened when, not a reconstruction.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models

from vigil.core import clock
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
        return f"{clock.time_at_store_seconds(self.at, self.emergency.store)} {self.text}"


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


class Outcome(models.TextChoices):
    """Form 300 columns G-J: the most serious outcome of the case."""

    DEATH = "death", "Death (G)"
    DAYS_AWAY = "days_away", "Days away from work (H)"
    JOB_TRANSFER = "job_transfer", "Job transfer or restriction (I)"
    OTHER = "other", "Other recordable case (J)"


class InjuryType(models.TextChoices):
    """Form 300 column M."""

    INJURY = "injury", "Injury (M1)"
    SKIN = "skin", "Skin disorder (M2)"
    RESPIRATORY = "respiratory", "Respiratory condition (M3)"
    POISONING = "poisoning", "Poisoning (M4)"
    HEARING = "hearing", "Hearing loss (M5)"
    OTHER_ILLNESS = "other_illness", "All other illnesses (M6)"


class PrivacyReason(models.TextChoices):
    """29 CFR 1904.29(b)(7): the only cases whose name is left off the log."""

    NONE = "", "Not a privacy case"
    INTIMATE = "intimate", "Intimate body part or the reproductive system"
    SEXUAL_ASSAULT = "sexual_assault", "Injury or illness from a sexual assault"
    MENTAL = "mental", "Mental illness"
    INFECTION = "infection", "HIV infection, hepatitis or tuberculosis"
    NEEDLESTICK = "needlestick", "Needlestick or sharps cut, contaminated"
    REQUESTED = "requested", "Another illness, name kept off at the employee's request"


class InjuryCase(Scoped, AuditedModel):
    """One recordable case: the Form 301 incident report and its line on the Form 300 log."""

    store = models.ForeignKey("core.Store", on_delete=models.PROTECT, related_name="injury_cases")
    year = models.PositiveIntegerField(db_index=True)
    case_number = models.PositiveIntegerField(help_text="Form 300 column A, per store and year")
    employee = models.ForeignKey("core.Person", on_delete=models.PROTECT, related_name="+")
    job_title = models.CharField(max_length=100)
    date_of_injury = models.DateField()
    time_of_event = models.TimeField(null=True, blank=True)
    time_started_work = models.TimeField(null=True, blank=True)
    where_occurred = models.CharField(max_length=200, help_text="Where the event occurred")
    description = models.CharField(
        max_length=300, help_text="Injury or illness, parts of body, and object or substance"
    )
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    days_away = models.PositiveIntegerField(default=0, help_text="Column K")
    days_restricted = models.PositiveIntegerField(default=0, help_text="Column L")
    injury_type = models.CharField(max_length=16, choices=InjuryType.choices)
    privacy = models.CharField(max_length=16, choices=PrivacyReason.choices, blank=True)
    date_of_death = models.DateField(null=True, blank=True)
    # Form 301
    date_of_birth = models.DateField(null=True, blank=True)
    date_hired = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, choices=[("M", "Male"), ("F", "Female")], blank=True)
    physician = models.CharField(max_length=200, blank=True)
    treatment_facility = models.CharField(max_length=300, blank=True)
    emergency_room = models.BooleanField(default=False)
    hospitalized_overnight = models.BooleanField(default=False)
    before_incident = models.TextField(
        blank=True, help_text="What the employee was doing just before"
    )
    what_happened = models.TextField(blank=True)
    injury_illness = models.TextField(blank=True, help_text="The injury or illness, body part")
    object_substance = models.TextField(blank=True, help_text="What harmed the employee")
    incident = models.ForeignKey(
        "cases.Incident", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet["InjuryCase"].as_manager()

    audit_exclude: ClassVar[frozenset[str]] = frozenset({"created_at"})

    class Meta:
        ordering = ["store__code", "year", "case_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["store", "year", "case_number"], name="one_osha_case_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.store.code} {self.year}-{self.case_number}"

    @property
    def log_name(self) -> str:
        """Form 300 column B: the name, or "privacy case" (1904.29(b)(6))."""
        return "privacy case" if self.privacy else self.employee.name


class EstablishmentYear(Scoped, AuditedModel):
    """What the 300A needs beyond the log: the establishment's people and hours, its codes."""

    store = models.ForeignKey("core.Store", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField()
    company_name = models.CharField(max_length=100)
    ein = models.CharField(max_length=9, blank=True, help_text="9 digits, no dash")
    naics_code = models.CharField(max_length=6, default="452210")
    industry_description = models.CharField(max_length=300, blank=True)
    establishment_type = models.PositiveSmallIntegerField(
        default=1, choices=[(1, "Not a government entity"), (2, "State government"),
                            (3, "Local government")],
    )  # fmt: skip
    peak_employees = models.PositiveIntegerField(help_text="Most employees at any time this year")
    annual_average_employees = models.PositiveIntegerField()
    total_hours_worked = models.PositiveIntegerField()
    certified_by = models.CharField(max_length=200, blank=True)
    certified_at = models.DateField(null=True, blank=True)

    objects = ScopedQuerySet["EstablishmentYear"].as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["store", "year"], name="one_establishment_year")
        ]

    def __str__(self) -> str:
        return f"{self.store.code} {self.year}"

    @property
    def size_code(self) -> int:
        """ITA size: 1 (<20), 21 (20-99), 22 (100-249), 3 (250+), by peak employment."""
        if self.peak_employees < 20:
            return 1
        if self.peak_employees < 100:
            return 21
        if self.peak_employees < 250:
            return 22
        return 3
