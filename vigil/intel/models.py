"""ORC intelligence: who is the same person, which car is the same car, which crew is one crew.

A linking run (``vigil.intel.runs``) reads the incidents, subjects and vehicles of a region
(or of everything), asks the engine (``vigil.engines.intel``) which records belong together,
and stores what it says here: person-of-interest profiles, vehicle clusters, networks of
incidents, and link suggestions an investigator has not decided yet. A run replaces what the
previous run said about the same stores; the investigators' decisions and ignored values are
kept for ever and handed to every later run.

No field here describes race, ethnicity, religion or any other protected class.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models

from vigil.core.scoping import Scoped, ScopedQuerySet

if TYPE_CHECKING:
    from vigil.cases.models import Subject, Vehicle


class RecordKind(models.TextChoices):
    PERSON = "person", "Person"
    VEHICLE = "vehicle", "Vehicle"


class Verdict(models.TextChoices):
    SAME = "same", "Confirmed: the same"
    DIFFERENT = "different", "Rejected: not the same"


class IgnoredField(models.TextChoices):
    """The values an investigator may take out of matching (a placeholder, a courtesy car)."""

    FIRST_NAME = "first_name", "First name"
    LAST_NAME = "last_name", "Last name"
    ALIAS = "aliases", "Alias"
    DATE_OF_BIRTH = "date_of_birth", "Date of birth"
    PLATE = "plate", "Plate"


class IntelRun(models.Model):
    """One linking run: for one region or everything, with which engine, what it found."""

    region = models.ForeignKey(
        "core.Region", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    task_run = models.ForeignKey(
        "core.TaskRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    engine = models.CharField(max_length=16, default="duckdb")
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    counts = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        where = self.region.name if self.region else "all regions"
        return f"Linking run {self.pk} ({where})"


class Profile(Scoped):
    """A person of interest: the subject records of several incidents that are one person."""

    scope_path: ClassVar[str] = "stores"

    run = models.ForeignKey(IntelRun, on_delete=models.CASCADE, related_name="profiles")
    key = models.CharField(max_length=32, help_text="The engine's person id in that run")
    name = models.CharField(max_length=200, blank=True)
    aliases = models.JSONField(default=list, blank=True)
    match_probability = models.FloatField(default=0.0)
    reasons = models.JSONField(default=list, blank=True)
    records = models.JSONField(default=list, blank=True, help_text="Subject record ids")
    subjects = models.ManyToManyField("cases.Subject", related_name="intel_profiles")
    stores = models.ManyToManyField("core.Store", related_name="+")

    objects = ScopedQuerySet["Profile"].as_manager()

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name or f"Person of interest {self.pk}"


class VehicleCluster(Scoped):
    """One vehicle, as the vehicle records of several incidents describe it."""

    scope_path: ClassVar[str] = "stores"

    run = models.ForeignKey(IntelRun, on_delete=models.CASCADE, related_name="vehicle_clusters")
    key = models.CharField(max_length=32)
    plate = models.CharField(max_length=20, blank=True)
    make = models.CharField(max_length=60, blank=True)
    model = models.CharField(max_length=60, blank=True)
    colour = models.CharField(max_length=40, blank=True)
    match_probability = models.FloatField(default=0.0)
    reasons = models.JSONField(default=list, blank=True)
    records = models.JSONField(default=list, blank=True, help_text="Vehicle record ids")
    vehicles = models.ManyToManyField("cases.Vehicle", related_name="intel_clusters")
    stores = models.ManyToManyField("core.Store", related_name="+")

    objects = ScopedQuerySet["VehicleCluster"].as_manager()

    class Meta:
        ordering = ["plate", "pk"]

    def __str__(self) -> str:
        words = " ".join(part for part in (self.colour, self.make, self.model) if part)
        return " ".join(part for part in (self.plate, words) if part) or f"Vehicle {self.pk}"


class Network(Scoped):
    """Incidents joined by a shared person or vehicle: a crew, or one repeat offender."""

    scope_path: ClassVar[str] = "stores"

    run = models.ForeignKey(IntelRun, on_delete=models.CASCADE, related_name="networks")
    key = models.CharField(max_length=32)
    incidents = models.ManyToManyField("cases.Incident", related_name="intel_networks")
    profiles = models.ManyToManyField(Profile, blank=True, related_name="networks")
    vehicle_clusters = models.ManyToManyField(VehicleCluster, blank=True, related_name="networks")
    stores = models.ManyToManyField("core.Store", related_name="+")
    total_loss = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0.00"))
    first_seen = models.DateTimeField(null=True, blank=True)
    last_seen = models.DateTimeField(null=True, blank=True)
    reasons = models.JSONField(default=list, blank=True)

    objects = ScopedQuerySet["Network"].as_manager()

    class Meta:
        ordering = ["-total_loss", "pk"]

    def __str__(self) -> str:
        return f"Network {self.key}"


class Suggestion(Scoped):
    """The engine thinks two records are one person (or one vehicle); nobody decided yet."""

    scope_path: ClassVar[str] = "stores"

    run = models.ForeignKey(IntelRun, on_delete=models.CASCADE, related_name="suggestions")
    kind = models.CharField(max_length=16, choices=RecordKind.choices)
    subject_a = models.ForeignKey(
        "cases.Subject", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    subject_b = models.ForeignKey(
        "cases.Subject", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    vehicle_a = models.ForeignKey(
        "cases.Vehicle", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    vehicle_b = models.ForeignKey(
        "cases.Vehicle", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    probability = models.FloatField()
    reasons = models.JSONField(default=list, blank=True)
    profile = models.ForeignKey(
        Profile, null=True, blank=True, on_delete=models.CASCADE, related_name="suggestions"
    )
    vehicle_cluster = models.ForeignKey(
        VehicleCluster, null=True, blank=True, on_delete=models.CASCADE, related_name="suggestions"
    )
    stores = models.ManyToManyField("core.Store", related_name="+")

    objects = ScopedQuerySet["Suggestion"].as_manager()

    class Meta:
        ordering = ["-probability", "pk"]

    def __str__(self) -> str:
        a, b = self.pair
        return f"{a} ~ {b} ({self.probability:.2f})"

    @property
    def pair(self) -> tuple[Subject | Vehicle | None, Subject | Vehicle | None]:
        if self.kind == RecordKind.PERSON:
            return self.subject_a, self.subject_b
        return self.vehicle_a, self.vehicle_b


class Decision(models.Model):
    """An investigator's word on a pair: the same (always linked) or not (never suggested).

    Rows are only added: a later decision on the same pair is the one that counts."""

    kind = models.CharField(max_length=16, choices=RecordKind.choices)
    subject_a = models.ForeignKey(
        "cases.Subject", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    subject_b = models.ForeignKey(
        "cases.Subject", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    vehicle_a = models.ForeignKey(
        "cases.Vehicle", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    vehicle_b = models.ForeignKey(
        "cases.Vehicle", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    verdict = models.CharField(max_length=16, choices=Verdict.choices)
    probability = models.FloatField(null=True, blank=True, help_text="What the engine said")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_verdict_display()} ({self.kind})"

    @property
    def pair_ids(self) -> tuple[int, int]:
        if self.kind == RecordKind.PERSON:
            return int(self.subject_a_id or 0), int(self.subject_b_id or 0)
        return int(self.vehicle_a_id or 0), int(self.vehicle_b_id or 0)


class IgnoredValue(models.Model):
    """A value that says nothing about who someone is: "Unknown", a store's courtesy car."""

    field = models.CharField(max_length=32, choices=IgnoredField.choices)
    value = models.CharField(max_length=200)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["field", "value"]
        constraints = [
            models.UniqueConstraint(fields=["field", "value"], name="intel_ignored_value_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_field_display()} {self.value!r}"
