"""Legal holds: placing and releasing them, and what a hold in force keeps.

A hold reaches past the record it names: a held case keeps its incidents, subjects and
vehicles, its statements and evidence, and its incidents' alerts, statements and evidence;
a held incident keeps the cases that link it and its parties' subjects; a held subject keeps
its photos, vehicles and the cases that link it. :func:`held_records` works that out once
for a purge; :func:`refuse_if_held` guards every way evidence can be withdrawn.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from vigil.cases.models import Case, CaseLink, Incident, IncidentParty, Statement, Subject, Vehicle
from vigil.cases.models.stops import StopRecord
from vigil.core.roles import Capability, can
from vigil.evidence.models import EvidenceItem
from vigil.retention.models import HoldTarget, LegalHold


class EvidenceUnderHold(ValidationError):
    """Evidence linked to a record under legal hold was to be withdrawn, disposed or deleted."""


def may_hold(user: object) -> bool:
    """Investigators (and administrators) place and release holds."""
    return can(user, Capability.INVESTIGATE)


def place(
    user: object,
    record: Case | Incident | Subject,
    *,
    reason: str,
    until: dt.date | None = None,
) -> LegalHold:
    """Hold ``record`` for court: nothing it keeps is purged while the hold is in force."""
    if not may_hold(user):
        raise PermissionDenied("Your role may not place legal holds.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why it is held: the court, matter or request."})
    if until is not None and until < timezone.localdate():
        raise ValidationError({"until": "A hold cannot end before today."})
    hold = LegalHold(reason=reason.strip(), until=until, store_id=record.store_id)
    hold.placed_by = user  # type: ignore[assignment]
    if isinstance(record, Case):
        hold.target, hold.case, hold.reference = HoldTarget.CASE, record, record.number
    elif isinstance(record, Incident):
        hold.target, hold.incident, hold.reference = HoldTarget.INCIDENT, record, record.number
    else:
        hold.target, hold.subject, hold.reference = HoldTarget.SUBJECT, record, subject_ref(record)
    hold.save()
    return hold


def release(user: object, hold: LegalHold, *, reason: str) -> LegalHold:
    """End a hold, saying why; the record goes back under its retention policy."""
    if not may_hold(user):
        raise PermissionDenied("Your role may not release legal holds.")
    if hold.released_at is not None:
        raise ValidationError("This hold is already released.")
    if not reason.strip():
        raise ValidationError({"release_reason": "Say why the hold is released."})
    with transaction.atomic():
        hold.released_at = timezone.now()
        hold.released_by = user  # type: ignore[assignment]
        hold.release_reason = reason.strip()
        hold.save()
    return hold


def subject_ref(subject: Subject) -> str:
    """How holds and the purge name a subject: by id, never by name."""
    return f"subject #{subject.pk}"


def holds_on(record: Case | Incident | Subject) -> list[LegalHold]:
    """Every hold ever placed on ``record``, newest first."""
    return list(record.legal_holds.select_related("placed_by", "released_by").all())


@dataclass
class HeldRecords:
    """Ids of everything a hold in force keeps, directly or through a link."""

    cases: set[int] = field(default_factory=set)
    incidents: set[int] = field(default_factory=set)
    subjects: set[int] = field(default_factory=set)
    vehicles: set[int] = field(default_factory=set)
    statements: set[int] = field(default_factory=set)
    evidence: set[int] = field(default_factory=set)

    def keeps_evidence(self, item: EvidenceItem) -> bool:
        return (
            item.pk in self.evidence
            or item.case_id in self.cases
            or item.incident_id in self.incidents
            or item.subject_id in self.subjects
        )


def held_records(
    today: dt.date | None = None, holds: QuerySet[LegalHold] | None = None
) -> HeldRecords:
    """What the holds in force (or ``holds``) keep; the module docstring says how far a hold
    reaches."""
    holds = LegalHold.objects.in_force(today) if holds is None else holds
    cases = set(holds.exclude(case=None).values_list("case_id", flat=True))
    incidents = set(holds.exclude(incident=None).values_list("incident_id", flat=True))
    subjects = set(holds.exclude(subject=None).values_list("subject_id", flat=True))
    held = HeldRecords()
    if not (cases or incidents or subjects):
        return held
    links = CaseLink.objects.all()
    held.cases = cases | _ids(links.filter(Q(incident__in=incidents) | Q(subject__in=subjects)))
    case_links = links.filter(case__in=cases)
    held.incidents = incidents | _ids(case_links.exclude(incident=None), "incident_id")
    held.subjects = (
        subjects
        | _ids(case_links.exclude(subject=None), "subject_id")
        | _ids(IncidentParty.objects.filter(incident__in=held.incidents), "subject_id")
        | _ids(StopRecord.objects.filter(incident__in=held.incidents), "subject_id")
    )
    held.vehicles = (
        _ids(case_links.exclude(vehicle=None), "vehicle_id")
        | _ids(Vehicle.objects.filter(incidents__in=held.incidents), "pk")
        | _ids(Vehicle.objects.filter(subjects__in=held.subjects), "pk")
    )
    held.statements = _ids(
        Statement.objects.filter(Q(case__in=held.cases) | Q(incident__in=held.incidents)), "pk"
    )
    held.evidence = _ids(
        EvidenceItem.objects.filter(
            Q(case__in=held.cases) | Q(incident__in=held.incidents) | Q(subject__in=held.subjects)
        ),
        "pk",
    )
    return held


def reaching(record: Case | Incident | Subject) -> list[LegalHold]:
    """Holds in force on *other* records that keep ``record`` through a link (a held case
    keeps its subject): shown on the record's page, so nobody thinks it is free to go.

    :func:`held_records` read backwards, from the record to the holds that would keep it, in
    one query however many holds are in force (asking it hold by hold cost a dozen queries
    per hold on every case, incident and subject page)."""
    others = LegalHold.objects.in_force().exclude(pk__in=record.legal_holds.values("pk"))
    return list(others.filter(_holds_that_keep(record)).select_related("store"))


def _holds_that_keep(record: Case | Incident | Subject) -> Q:
    """Which holds keep ``record``, by what they hold; mirrors :func:`held_records`."""
    links = CaseLink.objects.all()
    if isinstance(record, Case):
        # A held incident or subject keeps the cases that link it.
        mine = links.filter(case=record)
        return Q(incident__in=mine.exclude(incident=None).values("incident_id")) | Q(
            subject__in=mine.exclude(subject=None).values("subject_id")
        )
    if isinstance(record, Incident):
        # A held case keeps its incidents.
        return Q(case__in=links.filter(incident=record).values("case_id"))
    # A held case keeps its subjects; a held incident (or a held case's incident) keeps the
    # subjects who are its parties or were stopped in it.
    in_incidents = Q(
        incident__in=IncidentParty.objects.filter(subject=record).values("incident_id")
    ) | Q(incident__in=StopRecord.objects.filter(subject=record).values("incident_id"))
    return (
        Q(case__in=links.filter(subject=record).values("case_id"))
        | in_incidents
        | Q(case__in=links.filter(in_incidents).values("case_id"))
    )


def _ids(queryset: object, column: str = "case_id") -> set[int]:
    values = queryset.values_list(column, flat=True)  # type: ignore[attr-defined]
    return {int(value) for value in values if value is not None}


def refuse_if_held(item: EvidenceItem) -> None:
    """Raise :class:`EvidenceUnderHold` if a hold in force keeps ``item``: nobody, an
    administrator included, may withdraw, dispose of or delete it until the hold ends."""
    if not LegalHold.objects.in_force().exists():
        return
    if held_records().keeps_evidence(item):
        raise EvidenceUnderHold(
            f"{item.number} is under a legal hold: it cannot be deleted or disposed of until "
            "the hold is released."
        )
