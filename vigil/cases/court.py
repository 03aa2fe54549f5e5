"""Taking a case to court: hearings with a reminder to whoever must attend, the outcome, and
the testimony pack the witness takes into the courtroom.

A hearing's attendee is told when it is given to them and reminded once, ``remind_days_before``
days ahead on the store's calendar (``vigil cases remind`` runs daily); moving the hearing or
handing it to someone else earns a new reminder. The testimony pack is one PDF of what a
witness is asked about: the case summary, a chronology of the facts, every stop's elements,
the statements with their hashes, and the evidence with SHA-256 and its custody log. Each
download of it is written to the audit log.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from vigil.cases import notifications
from vigil.cases.models import Case, CourtOutcome, Hearing, HearingStatus
from vigil.core import audit, clock
from vigil.core.models import AuditAction, User
from vigil.core.pdf import render_pdf
from vigil.core.roles import Capability, require
from vigil.core.scoping import scope_of

# The most days ahead a reminder may be set: the reminder job looks this far.
REMIND_HORIZON_DAYS = 60
# A hearing's reminder is re-earned when one of these changes.
_RESCHEDULING = ("starts_at", "attendee_id", "remind_days_before")


def schedule_hearing(user: User, case: Case, fields: Mapping[str, Any]) -> Hearing:
    """A court date of ``case``; its attendee (someone who can see the case) is told."""
    require(user, Capability.INVESTIGATE)
    hearing = Hearing(case=case, **dict(fields))
    _check(hearing)
    hearing.save()
    _tell_attendee(user, hearing)
    return hearing


def update_hearing(user: User, hearing: Hearing, changes: Mapping[str, Any]) -> Hearing:
    """Move, hand on, or mark a hearing held or cancelled; a moved one is reminded anew."""
    require(user, Capability.INVESTIGATE)
    before = {name: getattr(hearing, name) for name in _RESCHEDULING}
    for name, value in changes.items():
        setattr(hearing, name, value)
    _check(hearing)
    if any(getattr(hearing, name) != value for name, value in before.items()):
        hearing.reminded_at = None
    hearing.save()
    if hearing.attendee_id != before["attendee_id"]:
        _tell_attendee(user, hearing)
    return hearing


def _check(hearing: Hearing) -> None:
    errors: dict[str, str] = {}
    attendee = hearing.attendee
    if attendee is not None and not scope_of(attendee).allows(hearing.case.store_id):
        errors["attendee"] = f"{attendee} cannot see store {hearing.case.store.code}."
    try:
        hearing.full_clean()
    except ValidationError as error:
        errors.update({name: " ".join(texts) for name, texts in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)


def _tell_attendee(user: User, hearing: Hearing) -> None:
    if hearing.attendee is not None and hearing.attendee != user:
        notifications.notify(
            hearing.attendee,
            "hearing.scheduled",
            f"{hearing} on {hearing.case.number}: you are to attend",
            _payload(hearing),
        )


def remind_hearings(now: dt.datetime | None = None) -> int:
    """Remind each attendee of a coming hearing once, when its reminder day (the store's
    calendar) has come; the count sent."""
    now = now or timezone.now()
    coming = Hearing.objects.filter(
        status=HearingStatus.SCHEDULED,
        attendee__isnull=False,
        reminded_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + dt.timedelta(days=REMIND_HORIZON_DAYS + 1),
    ).select_related("case__store", "attendee")
    sent = 0
    for hearing in coming:
        if not _reminder_due(hearing, now):
            continue
        assert hearing.attendee is not None
        notifications.notify(
            hearing.attendee,
            "hearing.reminder",
            f"Reminder: {hearing} on {hearing.case.number}",
            _payload(hearing),
        )
        Hearing.objects.filter(pk=hearing.pk).update(reminded_at=now)
        sent += 1
    return sent


def _reminder_due(hearing: Hearing, now: dt.datetime) -> bool:
    store = hearing.case.store
    day = clock.local(hearing.starts_at, store).date()
    today = clock.local(now, store).date()
    return today >= day - dt.timedelta(days=hearing.remind_days_before)


def _payload(hearing: Hearing) -> dict[str, Any]:
    store = hearing.case.store
    return {
        "case": hearing.case.number,
        "hearing": hearing.get_kind_display(),
        "when": clock.at_store(hearing.starts_at, store),
        "court": hearing.court,
        "docket": hearing.docket_number,
    }


def record_outcome(user: User, case: Case, fields: Mapping[str, Any]) -> CourtOutcome:
    """Set what the court decided on ``case`` (one outcome per case, changed as it moves)."""
    require(user, Capability.INVESTIGATE)
    outcome = CourtOutcome.objects.filter(case=case).first() or CourtOutcome(case=case)
    for name, value in fields.items():
        setattr(outcome, name, value)
    today = clock.today_at(case.store)
    if outcome.disposed_on is not None and outcome.disposed_on > today:
        raise ValidationError({"disposed_on": "A disposition cannot be dated after today."})
    outcome.full_clean()
    outcome.save()
    return outcome


@dataclass(frozen=True)
class Moment:
    """One line of the chronology: when, and what happened (facts, not case admin)."""

    at: dt.datetime
    what: str


def chronology(context: Mapping[str, Any]) -> list[Moment]:
    """The facts of the case in time order: incidents, stops and their elements, statements,
    evidence acquired, hearings."""
    moments: list[Moment] = []
    for section in context["incidents"]:
        incident = section["incident"]
        moments.append(
            Moment(incident.occurred_at, f"Incident {incident.number}: {incident.summary}")
        )
        for stop in section["stops"]:
            moments.extend(_stop_moments(stop))
    for statement in context["statements"]:
        moments.append(Moment(statement.started_at, f"Statement of {statement.witness_name}"))
    for row in context["evidence"]:
        item = row["item"]
        acquired = f"Evidence {item.number} acquired by {item.acquired_by}"
        moments.append(Moment(item.acquired_at, acquired))
    for hearing in context["hearings"]:
        status = hearing.get_status_display().lower()
        listed = f"{hearing.get_kind_display()} at {hearing.court} ({status})"
        moments.append(Moment(hearing.starts_at, listed))
    return sorted(moments, key=lambda moment: moment.at)


def _stop_moments(stop: Any) -> list[Moment]:
    found = [Moment(stop.started_at, f"Stop began ({stop.subject or 'subject not identified'})")]
    for observation in stop.observations.all():
        if observation.observed_at is not None:
            found.append(
                Moment(
                    observation.observed_at,
                    f"{observation.get_element_display()}: {observation.get_status_display()}"
                    f"{' by ' + observation.observed_by if observation.observed_by else ''}",
                )
            )
    if stop.ended_at is not None:
        found.append(Moment(stop.ended_at, "Stop ended"))
    return found


def pack_context(case: Case, viewer: Any = None) -> dict[str, Any]:
    from vigil.cases.reports import case_context

    context = case_context(case, viewer)
    context["hearings"] = list(case.hearings.select_related("attendee"))
    context["outcome"] = CourtOutcome.objects.filter(case=case).first()
    context["chronology"] = chronology(context)
    return context


def testimony_pack(user: User, case: Case) -> bytes:
    """The testimony pack of ``case`` as ``user`` may see it; the download is audited."""
    pdf = render_pdf("cases/court_testimony.html", pack_context(case, user), case.store)
    audit.record(
        AuditAction.EXPORT,
        obj=case,
        store_id=case.store_id,
        changes={"document": "testimony pack", "sha256": hashlib.sha256(pdf).hexdigest()},
    )
    return pdf
