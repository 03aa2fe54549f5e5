"""Cases: an investigation that groups incidents, subjects and vehicles, with its work.

A case's timeline gets an entry for every change to the case, its tasks, notes and links,
written by the audit log's ``after_audit`` hook in the same transaction as the change; people
add manual entries beside them. Notes are never overwritten: each save is a new revision.
"""

from __future__ import annotations

import datetime
import hashlib
from typing import Any, ClassVar, NoReturn

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from vigil.cases.models.incidents import IncidentType
from vigil.core.changelog import AuditedModel
from vigil.core.clock import local
from vigil.core.scoping import Scoped, ScopedQuerySet


class CaseStatus(models.TextChoices):
    OPEN = "open", "Open"
    ON_HOLD = "on_hold", "On hold"
    CLOSED = "closed", "Closed"


class CasePriority(models.TextChoices):
    LOW = "low", "Low"
    NORMAL = "normal", "Normal"
    HIGH = "high", "High"


class CaseTemplate(AuditedModel):
    """What a case of one incident type must record before it can close, and its first tasks.

    ``fields`` is a list of ``{"key", "label", "help"}``; ``tasks`` a list of
    ``{"title", "due_in_days"}`` created when a case of this type is opened.
    """

    kind = models.CharField("incident type", max_length=32, choices=IncidentType.choices)
    name = models.CharField(max_length=200)
    fields = models.JSONField(default=list, blank=True)
    tasks = models.JSONField(default=list, blank=True)
    due_in_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Days from opening by which a case of this type should be closed (empty: none)",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"], condition=Q(is_active=True), name="one_active_template_per_kind"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def field_keys(self) -> list[str]:
        return [str(field["key"]) for field in self.fields]


class Case(Scoped, AuditedModel):
    """An investigation, led from one store, that may reach incidents in others."""

    number = models.CharField(max_length=32, unique=True, editable=False)
    store = models.ForeignKey(
        "core.Store", on_delete=models.PROTECT, related_name="cases", help_text="Lead store"
    )
    title = models.CharField(max_length=200)
    kind = models.CharField("type", max_length=32, choices=IncidentType.choices)
    summary = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    priority = models.CharField(
        max_length=16, choices=CasePriority.choices, default=CasePriority.NORMAL
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
    )
    team = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="case_teams")
    template = models.ForeignKey(
        CaseTemplate, null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    details = models.JSONField(
        default=dict, blank=True, help_text="Values of the template's fields, by key"
    )
    outcome = models.TextField(blank=True)
    recovered_amount = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    due_on = models.DateField(
        null=True, blank=True, help_text="When the case should be closed: its type's, or as set"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet["Case"].as_manager()

    audit_exclude: ClassVar[frozenset[str]] = frozenset({"opened_at"})

    class Meta:
        ordering = ["-opened_at"]
        # The case list: a user's stores, newest first, often narrowed to a status.
        indexes = [
            models.Index(fields=["store", "opened_at"]),
            models.Index(fields=["store", "status", "opened_at"]),
            # Newest first across many stores (a region's manager, the API): read in order
            # and stop at a page, instead of sorting every case in scope (issue 15's bench).
            models.Index(fields=["-opened_at"], name="case_newest_first"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def after_audit(self, event: Any) -> None:
        from vigil.cases.timeline import record_change

        record_change(self, event)

    def age_days(self) -> int:
        """Whole days the case has been open (to its closing, once closed): its ageing."""
        end = self.closed_at or timezone.now()
        return max(0, (end - self.opened_at).days) if self.opened_at else 0

    def days_overdue(self, today: datetime.date | None = None) -> int:
        """Days past its due date while still open; 0 when not overdue or not due."""
        if self.due_on is None or self.status == CaseStatus.CLOSED:
            return 0
        today = today or local(timezone.now(), self.store).date()  # the store's calendar
        return max(0, (today - self.due_on).days)

    def missing_fields(self) -> list[str]:
        """Labels of the template's fields still empty: the case cannot close with any."""
        if self.template is None:
            return []
        return [
            str(field["label"])
            for field in self.template.fields
            if not str(self.details.get(field["key"], "")).strip()
        ]


class CaseLink(Scoped, AuditedModel):
    """An incident, subject or vehicle that belongs to a case (exactly one of the three)."""

    scope_path: ClassVar[str] = "case__store"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links")
    incident = models.ForeignKey(
        "cases.Incident", null=True, blank=True, on_delete=models.CASCADE, related_name="case_links"
    )
    subject = models.ForeignKey(
        "cases.Subject", null=True, blank=True, on_delete=models.CASCADE, related_name="case_links"
    )
    vehicle = models.ForeignKey(
        "cases.Vehicle", null=True, blank=True, on_delete=models.CASCADE, related_name="case_links"
    )
    linked_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet["CaseLink"].as_manager()

    audit_exclude: ClassVar[frozenset[str]] = frozenset({"linked_at"})

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(incident__isnull=False, subject__isnull=True, vehicle__isnull=True)
                    | Q(incident__isnull=True, subject__isnull=False, vehicle__isnull=True)
                    | Q(incident__isnull=True, subject__isnull=True, vehicle__isnull=False)
                ),
                name="case_link_names_exactly_one_thing",
            ),
            models.UniqueConstraint(fields=["case", "incident"], name="incident_linked_once"),
            models.UniqueConstraint(fields=["case", "subject"], name="subject_linked_once"),
            models.UniqueConstraint(fields=["case", "vehicle"], name="vehicle_linked_once"),
        ]

    def __str__(self) -> str:
        return f"{self.case.number} ↔ {self.target}"

    @property
    def target(self) -> models.Model:
        target = self.incident or self.subject or self.vehicle
        assert target is not None
        return target

    def after_audit(self, event: Any) -> None:
        from vigil.cases.timeline import record_change

        record_change(self.case, event, about=self)


class TaskStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"


class CaseTask(Scoped, AuditedModel):
    """A piece of work on a case, with an owner and a due date."""

    scope_path: ClassVar[str] = "case__store"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(max_length=200)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="case_tasks",
    )
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    done_at = models.DateTimeField(null=True, blank=True)
    reminded_on = models.DateField(null=True, blank=True, help_text="Last due reminder sent")

    objects = ScopedQuerySet["CaseTask"].as_manager()

    audit_exclude: ClassVar[frozenset[str]] = frozenset({"reminded_on"})

    class Meta:
        ordering = ["status", "due_on", "pk"]

    def __str__(self) -> str:
        return self.title

    def after_audit(self, event: Any) -> None:
        from vigil.cases.timeline import record_change

        record_change(self.case, event, about=self)


class TimelineKind(models.TextChoices):
    CHANGE = "change", "Change"
    MANUAL = "manual", "Entry"


class AppendOnly(Exception):
    """Raised on an attempt to rewrite history kept append-only (timeline, note revisions)."""


class AppendOnlyModel(models.Model):
    """Rows are inserted, never updated or deleted, through the ORM."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnly(f"{self._meta.verbose_name} {self.pk} cannot be changed")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnly(f"{self._meta.verbose_name} {self.pk} cannot be deleted")


class TimelineEntry(Scoped, AppendOnlyModel):
    """One line in a case's history: an automatic record of a change, or a manual entry."""

    scope_path: ClassVar[str] = "case__store"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="timeline")
    occurred_at = models.DateTimeField(db_index=True)
    kind = models.CharField(max_length=8, choices=TimelineKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    text = models.TextField()
    audit_seq = models.PositiveBigIntegerField(null=True, blank=True)

    objects = ScopedQuerySet["TimelineEntry"].as_manager()

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name_plural = "timeline entries"

    def __str__(self) -> str:
        return self.text[:80]


class Note(Scoped, models.Model):
    """A case note. Its text lives in revisions; the newest revision is what it says now."""

    scope_path: ClassVar[str] = "case__store"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    title = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet["Note"].as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title or f"Note #{self.pk}"

    @property
    def current(self) -> NoteRevision | None:
        if "revisions" in getattr(self, "_prefetched_objects_cache", {}):
            # A list of notes prefetched their revisions: pick from those, no query per note.
            return max(self.revisions.all(), key=lambda revision: revision.number, default=None)
        return self.revisions.order_by("-number").first()


class NoteRevision(Scoped, AppendOnlyModel, AuditedModel):
    """One saved version of a note: kept for ever, hashed, never overwritten."""

    scope_path: ClassVar[str] = "note__case__store"

    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    body = models.TextField()
    sha256 = models.CharField(max_length=64)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    saved_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet["NoteRevision"].as_manager()

    audit_exclude: ClassVar[frozenset[str]] = frozenset({"body", "saved_at"})

    class Meta:
        ordering = ["note", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["note", "number"], name="one_revision_number_per_note")
        ]

    def __str__(self) -> str:
        return f"{self.note} revision {self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.sha256 = hashlib.sha256(self.body.encode("utf-8")).hexdigest()
        super().save(*args, **kwargs)

    def after_audit(self, event: Any) -> None:
        from vigil.cases.timeline import record_change

        record_change(self.note.case, event, about=self)
