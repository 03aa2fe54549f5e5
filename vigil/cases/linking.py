"""Linking to a case from the case page: find what to link by typing (subjects, vehicles,
incidents, evidence and POS leads the user may see), link the one chosen, or record a new
subject or vehicle and link it in one step; and the employee subject a POS lead brings.

Finding is the global search's (:mod:`vigil.search.finder`): the same words, the same
reference numbers, the same plate matching with look-alike characters (O/0, B/8, I/1), the
same store scope. This module only says which of the results are on the case already.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from vigil.cases import casework, lookups
from vigil.cases.models import (
    Case,
    CaseStatus,
    Incident,
    Subject,
    SubjectKind,
    TimelineEntry,
    TimelineKind,
    Vehicle,
)
from vigil.core.models import Person, User
from vigil.core.roles import Capability, require
from vigil.core.scoping import get_visible_or_404
from vigil.search import finder
from vigil.search.hits import Hit
from vigil.search.models import SearchKind

if TYPE_CHECKING:
    from vigil.evidence.models import EvidenceItem

# What a case can link, in the order the results list them when they match equally.
LINKABLE = (
    SearchKind.SUBJECT,
    SearchKind.VEHICLE,
    SearchKind.INCIDENT,
    SearchKind.EVIDENCE,
    SearchKind.LEAD,
)
MIN_CHARS = 2  # one letter matches half the records; the box waits for a second
PER_KIND = 6

Target = Any  # Incident | Subject | Vehicle | EvidenceItem | PosException


@dataclass(frozen=True)
class Candidate:
    """One search result offered for linking: what it is, and whether it is linked already."""

    hit: Hit
    ref: str  # what the "Link" button sends with the kind
    linked: bool


@dataclass(frozen=True)
class Offer:
    """The results of one kind, as the link box lists them."""

    kind: str
    label: str
    total: int
    candidates: list[Candidate]


def candidates(user: User, case: Case, typed: str) -> list[Offer]:
    """What ``user`` may link to ``case`` that matches ``typed``, grouped by kind."""
    if len(typed.strip()) < MIN_CHARS:
        return []
    found = finder.find(user, typed, kinds=LINKABLE, limit=PER_KIND)
    linked = linked_refs(case)
    offers = []
    for group in found.groups:
        offered = [
            Candidate(hit, ref, (group.kind, ref) in linked)
            for hit in group.hits
            if (ref := _ref_of(hit))
        ]
        offers.append(Offer(group.kind, group.label, group.total, offered))
    return offers


def _ref_of(hit: Hit) -> str:
    """Incidents and evidence are named by their number; the rest by their id."""
    if hit.kind in (SearchKind.INCIDENT, SearchKind.EVIDENCE):
        return hit.reference
    return str(hit.object_id) if hit.object_id is not None else ""


def linked_refs(case: Case) -> set[tuple[str, str]]:
    """(kind, ref) of everything on the case, as :func:`_ref_of` names them."""
    from vigil.evidence.models import EvidenceItem
    from vigil.pos.models import PosException

    refs: set[tuple[str, str]] = set()
    for incident, subject, vehicle in case.links.values_list(
        "incident__number", "subject_id", "vehicle_id"
    ):
        if incident:
            refs.add((SearchKind.INCIDENT, incident))
        if subject:
            refs.add((SearchKind.SUBJECT, str(subject)))
        if vehicle:
            refs.add((SearchKind.VEHICLE, str(vehicle)))
    for number in EvidenceItem.objects.filter(case=case).values_list("number", flat=True):
        refs.add((SearchKind.EVIDENCE, number))
    for pk in PosException.objects.filter(case=case).values_list("pk", flat=True):
        refs.add((SearchKind.LEAD, str(pk)))
    return refs


def target(user: User, kind: str, ref: str) -> Target:
    """The record a "Link" button names, as ``user`` may see it (404 otherwise)."""
    from vigil.evidence.models import EvidenceItem
    from vigil.pos.models import PosException

    ref = ref.strip()
    if kind == SearchKind.INCIDENT and ref:
        return lookups.incident(user, ref)
    if kind == SearchKind.EVIDENCE and ref:
        found = EvidenceItem.objects.filter(deleted_at__isnull=True)
        return get_visible_or_404(found, user, number=ref)
    if not ref.isdigit():
        raise ValidationError({"ref": "Choose what to link from the list."})
    if kind == SearchKind.SUBJECT:
        return lookups.subject(user, int(ref))
    if kind == SearchKind.VEHICLE:
        return lookups.vehicle(user, int(ref))
    if kind == SearchKind.LEAD:
        return get_visible_or_404(PosException.objects.select_related("store"), user, pk=ref)
    raise ValidationError({"kind": "Choose a subject, vehicle, incident, evidence or lead."})


def link(user: User, case: Case, found: Target) -> str:
    """Put ``found`` on the case (once); says what was linked, as the page confirms it."""
    from vigil.evidence.models import EvidenceItem
    from vigil.pos import reviews
    from vigil.pos.models import PosException

    require(user, Capability.INVESTIGATE)
    _refuse_if_closed(case)
    if isinstance(found, Incident | Subject | Vehicle):
        casework.link(user, case, found)
        return f"Linked {_kind_word(found)} {found}."
    if isinstance(found, EvidenceItem):
        attach_evidence(user, case, found)
        return f"Linked evidence {found.number}."
    if isinstance(found, PosException):
        reviews.link_to_case(user, found, case)
        return f"Linked POS lead {found.transaction_id}, with its employee and camera window."
    raise TypeError(f"{type(found).__name__} cannot be linked to a case")


def _refuse_if_closed(case: Case) -> None:
    if case.status == CaseStatus.CLOSED:
        raise ValidationError("This case is closed; reopen it before linking to it.")


def _kind_word(found: Incident | Subject | Vehicle) -> str:
    return str(found._meta.verbose_name)


def attach_evidence(user: User, case: Case, item: EvidenceItem) -> None:
    """Make ``item`` evidence of the case. An item already in another case stays there: an
    exhibit belongs to one case file, and moving it would change what that case holds."""
    require(user, Capability.INVESTIGATE)
    if item.case_id == case.pk:
        return
    if item.case_id is not None:
        raise ValidationError(
            {"ref": f"{item.number} is evidence in case {item.case}; it stays there."}
        )
    with transaction.atomic():
        item.case = case
        item.save(update_fields=["case"])
        note_change(user, case, f"Evidence {item.number} ({item.original_filename}) linked")


def note_change(user: User, case: Case, text: str) -> TimelineEntry:
    """A line on the case's timeline for a change made to another app's record."""
    from django.utils import timezone

    return TimelineEntry.objects.create(
        case=case,
        occurred_at=timezone.now(),
        kind=TimelineKind.CHANGE,
        actor=user,
        actor_name=user.get_username(),
        text=text,
    )


def create_and_link(user: User, case: Case, record: Subject | Vehicle) -> Subject | Vehicle:
    """Save a new subject or vehicle and link it to the case, both or neither."""
    require(user, Capability.INVESTIGATE)
    _refuse_if_closed(case)
    with transaction.atomic():
        record.full_clean()
        record.save()
        casework.link(user, case, record)
    return record


def employee_subject(
    user: User, case: Case, employee_id: str, store: Any, person: Person | None = None
) -> Subject:
    """The subject standing for the employee ``employee_id`` (found, or recorded at
    ``store`` the first time), linked to the case. Their people record names them."""
    require(user, Capability.INVESTIGATE)
    person = person or Person.objects.filter(employee_id=employee_id).first()
    with transaction.atomic():
        subject = _employee_subject(employee_id, store, person)
        casework.link(user, case, subject)
    return subject


def _employee_subject(employee_id: str, store: Any, person: Person | None) -> Subject:
    found = Subject.objects.filter(employee_id=employee_id).first()
    if found is None:
        try:
            with transaction.atomic():
                return Subject.objects.create(store=store, **_employee_fields(employee_id, person))
        except IntegrityError:  # recorded a moment ago by another escalation
            found = Subject.objects.get(employee_id=employee_id)
    if found.person_id is None and person is not None:
        found.person = person  # their people record arrived since (an HR import)
        if found.name in ("", _unnamed(employee_id)):
            found.name = person.name
        found.save(update_fields=["person", "name"])
    return found


def _employee_fields(employee_id: str, person: Person | None) -> Mapping[str, Any]:
    role = f"{person.get_role_display()}, " if person is not None else ""
    return {
        "kind": SubjectKind.EMPLOYEE,
        "employee_id": employee_id,
        "person": person,
        "name": person.name if person is not None else _unnamed(employee_id),
        "description": f"{role}employee id {employee_id} in the POS data",
    }


def _unnamed(employee_id: str) -> str:
    """What an employee is called until their people record is imported."""
    return f"Employee {employee_id}"
