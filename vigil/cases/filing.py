"""Filing and updating incidents, and naming the people involved in them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from vigil.cases.models import Incident, IncidentParty, IncidentStatus, Subject
from vigil.core.models import Person, Store, User
from vigil.core.numbering import next_number
from vigil.core.records import apply_changes
from vigil.core.roles import Capability, require


def file_incident(reporter: User, store: Store, fields: Mapping[str, Any]) -> Incident:
    """Record a new incident at ``store``; the reporter is the one filing it."""
    require(reporter, Capability.RECORD)
    with transaction.atomic():
        incident = Incident(store=store, reported_by=reporter, number=next_number("INC"))
        return apply_changes(incident, fields)


def update_incident(user: User, incident: Incident, changes: Mapping[str, Any]) -> Incident:
    """Change an incident's facts; a closed incident must be reopened first."""
    require(user, Capability.RECORD)
    reopening = changes.get("status") not in (None, IncidentStatus.CLOSED)
    if incident.status == IncidentStatus.CLOSED and not reopening:
        raise ValidationError("This incident is closed; reopen it (status) before changing it.")
    return apply_changes(incident, changes)


def add_party(
    user: User,
    incident: Incident,
    role: str,
    *,
    subject: Subject | None = None,
    person: Person | None = None,
    name: str = "",
    contact: str = "",
    notes: str = "",
) -> IncidentParty:
    """Name someone involved: a subject, an employee, or a member of the public by name."""
    require(user, Capability.RECORD)
    if not (subject or person or name.strip()):
        raise ValidationError("Name the person, or pick a subject or an employee.")
    party = IncidentParty(
        incident=incident,
        role=role,
        subject=subject,
        person=person,
        name=name.strip(),
        contact=contact,
        notes=notes,
    )
    party.full_clean()
    party.save()
    return party
