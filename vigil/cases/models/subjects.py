"""Subjects (persons of interest) and vehicles.

There is deliberately no field for race, ethnicity, religion, sexual orientation, political
views or any other protected class: an LP record describes what was seen, not who someone is.
"""

from __future__ import annotations

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models

from vigil.core.changelog import AuditedModel
from vigil.core.scoping import Scoped, ScopedQuerySet


class BoloStatus(models.TextChoices):
    NONE = "none", "No BOLO"
    ACTIVE = "active", "Active BOLO"
    INACTIVE = "inactive", "Inactive"
    ARRESTED = "arrested", "Arrested"
    TRESPASSED = "trespassed", "Trespassed"


class SubjectKind(models.TextChoices):
    """Who the subject is to the retailer: an employee's conduct is investigated under other
    rules (HR, union, interview policy) than a member of the public's."""

    PUBLIC = "public", "Member of the public"
    EMPLOYEE = "employee", "Employee"


class Subject(Scoped, AuditedModel):
    """A person of interest, described by what can be seen and what is known.

    An employee subject names the POS employee id it stands for (and their people record,
    when Vigil holds one): one subject per employee, however many cases they are in.
    """

    store = models.ForeignKey(
        "core.Store", on_delete=models.PROTECT, related_name="subjects", help_text="Recorded at"
    )
    kind = models.CharField(max_length=16, choices=SubjectKind.choices, default=SubjectKind.PUBLIC)
    employee_id = models.CharField(
        max_length=64, blank=True, help_text="The POS employee id, for an employee subject"
    )
    person = models.ForeignKey(
        "core.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="subjects",
        help_text="Their people record, when Vigil holds one",
    )
    name = models.CharField(max_length=200, blank=True, help_text="Blank while unidentified")
    aliases = models.CharField(max_length=400, blank=True, help_text="Comma-separated")
    date_of_birth = models.DateField(null=True, blank=True)
    approximate_age = models.CharField(max_length=40, blank=True, help_text="e.g. 25-30")
    height = models.CharField(max_length=40, blank=True)
    build = models.CharField(max_length=80, blank=True)
    hair = models.CharField(max_length=80, blank=True)
    eyes = models.CharField(max_length=80, blank=True)
    identifying_marks = models.TextField(blank=True, help_text="Scars, tattoos, piercings")
    clothing = models.TextField(blank=True, help_text="As last seen")
    description = models.TextField(blank=True)
    bolo_status = models.CharField(
        "BOLO status", max_length=16, choices=BoloStatus.choices, default=BoloStatus.NONE
    )
    bolo_instructions = models.TextField("BOLO instructions", blank=True)
    trespass_notice_on = models.DateField(null=True, blank=True)
    trespass_expires_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet["Subject"].as_manager()

    audit_exclude: ClassVar[frozenset[str]] = frozenset({"created_at"})

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee_id"],
                condition=~models.Q(employee_id=""),
                name="one_subject_per_employee",
            ),
        ]

    def __str__(self) -> str:
        return self.name or f"Unidentified subject #{self.pk}"

    def clean(self) -> None:
        if (
            self.trespass_notice_on
            and self.trespass_expires_on
            and self.trespass_expires_on < self.trespass_notice_on
        ):
            raise ValidationError(
                {"trespass_expires_on": "The trespass notice cannot expire before it was given."}
            )


class Vehicle(Scoped, AuditedModel):
    """A vehicle seen with a subject or at an incident."""

    store = models.ForeignKey("core.Store", on_delete=models.PROTECT, related_name="vehicles")
    plate = models.CharField(max_length=20, blank=True, db_index=True)
    plate_state = models.CharField("state", max_length=40, blank=True)
    make = models.CharField(max_length=60, blank=True)
    model = models.CharField(max_length=60, blank=True)
    colour = models.CharField(max_length=40, blank=True)
    year = models.CharField(max_length=4, blank=True)
    description = models.TextField(blank=True)
    # A vehicle can be watched on its own (a crew's car whose driver is not known yet); an
    # active BOLO makes plate reads of it alert (vigil.video.platereads).
    bolo_status = models.CharField(
        "BOLO status", max_length=16, choices=BoloStatus.choices, default=BoloStatus.NONE
    )
    bolo_instructions = models.TextField("BOLO instructions", blank=True)
    subjects = models.ManyToManyField(Subject, blank=True, related_name="vehicles")
    incidents = models.ManyToManyField("cases.Incident", blank=True, related_name="vehicles")

    objects = ScopedQuerySet["Vehicle"].as_manager()

    class Meta:
        ordering = ["plate", "pk"]

    def __str__(self) -> str:
        words = " ".join(part for part in (self.colour, self.make, self.model) if part)
        plate = f"{self.plate} ({self.plate_state})" if self.plate_state else self.plate
        return " ".join(part for part in (plate, words) if part) or f"Vehicle #{self.pk}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.plate = self.plate.upper().replace(" ", "")
        super().save(*args, **kwargs)
