"""The stop record: how an apprehension met the elements loss prevention is taught to require.

Before approaching a shoplifter an officer should have seen the approach, the selection, the
concealment or carrying away, kept continuous observation, seen the failure to pay, and
approached outside (past the last point of sale). Each element is recorded as observed, not
observed or not applicable, with who observed it and when; a missing one is a warning on the
record and in the report, because that is what a court or a civil claim will ask about.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models

from vigil.core import clock
from vigil.core.changelog import AuditedModel
from vigil.core.scoping import Scoped, ScopedQuerySet


class StopElement(models.TextChoices):
    APPROACH = "approach", "Saw the approach"
    SELECTION = "selection", "Saw the selection"
    CONCEALMENT = "concealment", "Saw the concealment or carrying away"
    CONTINUOUS_OBSERVATION = "continuous_observation", "Kept continuous observation"
    FAILURE_TO_PAY = "failure_to_pay", "Saw the failure to pay"
    APPROACHED_OUTSIDE = "approached_outside", "Approached outside the store"


class ElementStatus(models.TextChoices):
    UNRECORDED = "unrecorded", "Not recorded"
    OBSERVED = "observed", "Observed"
    NOT_OBSERVED = "not_observed", "Not observed"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class StopOutcome(models.TextChoices):
    RELEASED = "released", "Released"
    RELEASED_TO_POLICE = "released_to_police", "Released to police"
    CIVIL_DEMAND = "civil_demand", "Civil demand issued"
    TRESPASSED = "trespassed", "Trespass notice issued"
    FLED = "fled", "Fled"
    REFUSED_TO_STOP = "refused_to_stop", "Refused to stop (not pursued)"
    OTHER = "other", "Other"


class StopRecord(Scoped, AuditedModel):
    """One apprehension (stop) of a subject during an incident."""

    scope_path: ClassVar[str] = "incident__store"

    incident = models.ForeignKey(
        "cases.Incident", on_delete=models.PROTECT, related_name="stop_records"
    )
    subject = models.ForeignKey(
        "cases.Subject", null=True, blank=True, on_delete=models.PROTECT, related_name="stops"
    )
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    use_of_force = models.BooleanField(default=False)
    force_description = models.TextField(blank=True)
    present = models.TextField(blank=True, help_text="Everyone present during the stop")
    outcome = models.CharField(max_length=32, choices=StopOutcome.choices, blank=True)
    outcome_notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedQuerySet["StopRecord"].as_manager()

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        when = clock.at_store(self.started_at, self.incident.store)
        return f"Stop at {when} ({self.incident.number})"

    @property
    def duration_minutes(self) -> int | None:
        if self.ended_at is None:
            return None
        return int((self.ended_at - self.started_at).total_seconds() // 60)

    def warnings(self) -> list[str]:
        """Plain words for every element not shown to have been observed."""
        found = {obs.element: obs for obs in self.observations.all()}
        problems = []
        for element in StopElement:
            obs = found.get(element.value)
            if obs is None or obs.status == ElementStatus.UNRECORDED:
                problems.append(f"{element.label}: not recorded.")
            elif obs.status == ElementStatus.NOT_OBSERVED:
                problems.append(f"{element.label}: NOT observed.")
            elif obs.status == ElementStatus.OBSERVED and not obs.observed_by:
                problems.append(f"{element.label}: observed, but by whom is not recorded.")
        if self.use_of_force and not self.force_description.strip():
            problems.append("Force was used but is not described.")
        return problems


class StopObservation(Scoped, AuditedModel):
    """One element of a stop: observed or not, by whom and when."""

    scope_path: ClassVar[str] = "stop__incident__store"

    stop = models.ForeignKey(StopRecord, on_delete=models.CASCADE, related_name="observations")
    element = models.CharField(max_length=32, choices=StopElement.choices)
    status = models.CharField(
        max_length=16, choices=ElementStatus.choices, default=ElementStatus.UNRECORDED
    )
    observed_by = models.CharField(max_length=200, blank=True)
    observed_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(blank=True)

    objects = ScopedQuerySet["StopObservation"].as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["stop", "element"], name="one_observation_per_element")
        ]

    def __str__(self) -> str:
        return f"{self.get_element_display()}: {self.get_status_display()}"
