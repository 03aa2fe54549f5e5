"""Reporting a hazard: where, what, how bad, a photo; it raises a corrective action at once,
due by its severity, which is fixed and verified like any audit finding."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from vigil.audits.models import CorrectiveAction
from vigil.core.models import Store, User
from vigil.core.numbering import next_number
from vigil.core.roles import Capability, require
from vigil.safety.models import Hazard, Severity

DAYS_TO_FIX = {
    Severity.LOW: 14,
    Severity.MEDIUM: 7,
    Severity.HIGH: 2,
    Severity.CRITICAL: 0,
}


def report(user: User, store: Store, place: str, description: str, severity: str) -> Hazard:
    require(user, Capability.RECORD)
    if severity not in Severity.values:
        raise ValidationError({"severity": "Choose low, medium, high or critical."})
    if not place.strip() or not description.strip():
        raise ValidationError("Say where the hazard is and what it is.")
    due = timezone.localdate() + dt.timedelta(days=DAYS_TO_FIX[Severity(severity)])
    with transaction.atomic():
        action = CorrectiveAction.objects.create(
            number=next_number("CA"),
            store=store,
            title=f"Hazard at {place.strip()}: {description.strip()}"[:300],
            detail=f"Reported by {user} ({Severity(severity).label})",
            critical=severity in (Severity.HIGH, Severity.CRITICAL),
            owner=user,
            due_on=due,
        )
        return Hazard.objects.create(
            number=next_number("HZ"),
            store=store,
            place=place.strip()[:200],
            description=description.strip(),
            severity=severity,
            reported_by=user,
            action=action,
        )


def attach_photo(user: User, hazard: Hazard, sha256: str) -> Hazard:
    """The photo of the hazard; it is also the corrective action's "as found" photo."""
    require(user, Capability.RECORD)
    with transaction.atomic():
        hazard.photo_sha256 = sha256
        hazard.save()
        hazard.action.finding_photo_sha256 = sha256
        hazard.action.save()
    return hazard
