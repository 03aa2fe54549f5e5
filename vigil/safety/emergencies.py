"""Running an emergency playbook: start it (which files an incident), tick steps, log first
responders, headcount and notes as they happen, end it, review it afterwards.

Every action appends a timeline entry with the time and who; nothing on the timeline is
edited or removed. The incident's narrative is written from the timeline when the
emergency ends, so the incident record and the timeline say the same thing.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from vigil.cases.filing import file_incident, update_incident
from vigil.core import clock
from vigil.core.models import Store, User
from vigil.core.numbering import next_number
from vigil.core.roles import Capability, require
from vigil.safety import playbooks
from vigil.safety.models import Emergency, EmergencyStatus, EntryKind, Responder, TimelineEntry


def start(user: User, store: Store, playbook_key: str, where: str = "") -> Emergency:
    require(user, Capability.RECORD)
    playbook = playbooks.get(playbook_key)
    if playbook is None:
        raise ValidationError({"playbook": f"No playbook {playbook_key!r}."})
    now = timezone.now()
    with transaction.atomic():
        incident = file_incident(
            user,
            store,
            {
                "kind": playbook.incident_type,
                "summary": f"{playbook.title}: emergency playbook run",
                "location": where.strip()[:200],
                "occurred_at": now,
                "narrative": "",
            },
        )
        emergency = Emergency.objects.create(
            number=next_number("EM"),
            store=store,
            playbook_key=playbook.key,
            title=playbook.title,
            incident=incident,
            started_by=user,
            started_at=now,
        )
        _entry(emergency, user, EntryKind.STARTED, f"{playbook.title} playbook started", now)
    return emergency


def _entry(
    emergency: Emergency,
    user: User,
    kind: str,
    text: str,
    at: dt.datetime | None = None,
    step_key: str = "",
) -> TimelineEntry:
    return TimelineEntry.objects.create(
        emergency=emergency, at=at or timezone.now(), kind=kind, text=text[:500], by=user,
        step_key=step_key,
    )  # fmt: skip


def _active(user: User, emergency: Emergency) -> None:
    require(user, Capability.RECORD)
    if emergency.status != EmergencyStatus.ACTIVE:
        raise ValidationError("This emergency has ended; its timeline is closed.")


def tick(user: User, emergency: Emergency, step_key: str) -> TimelineEntry:
    """A playbook step done, now, by ``user`` (once: a second tick is refused)."""
    _active(user, emergency)
    playbook = playbooks.get(emergency.playbook_key)
    step = playbook.step(step_key) if playbook else None
    if step is None:
        raise ValidationError({"step": f"No step {step_key!r} in this playbook."})
    if emergency.timeline.filter(kind=EntryKind.STEP, step_key=step_key).exists():
        raise ValidationError({"step": "That step is already done."})
    return _entry(emergency, user, EntryKind.STEP, step.text, step_key=step_key)


def responder_called(user: User, emergency: Emergency, agency: str, unit: str = "") -> Responder:
    _active(user, emergency)
    if not agency.strip():
        raise ValidationError({"agency": "Name the agency (fire, EMS, police…)."})
    now = timezone.now()
    with transaction.atomic():
        responder = Responder.objects.create(
            emergency=emergency, agency=agency.strip()[:100], unit=unit.strip()[:100],
            called_at=now,
        )  # fmt: skip
        _entry(emergency, user, EntryKind.RESPONDER_CALLED, f"{responder} called", now)
    return responder


def responder_arrived(user: User, emergency: Emergency, responder: Responder) -> Responder:
    _active(user, emergency)
    if responder.emergency_id != emergency.pk:
        raise ValidationError("That responder belongs to another emergency.")
    if responder.arrived_at is not None:
        raise ValidationError("Already recorded as arrived.")
    now = timezone.now()
    with transaction.atomic():
        responder.arrived_at = now
        responder.save()
        minutes = (now - responder.called_at).total_seconds() / 60
        _entry(
            emergency, user, EntryKind.RESPONDER_ARRIVED,
            f"{responder} arrived ({minutes:.0f} min after the call)", now,
        )  # fmt: skip
    return responder


def record_headcount(
    user: User, emergency: Emergency, counted: int, expected: int | None = None
) -> TimelineEntry:
    _active(user, emergency)
    if counted < 0 or (expected is not None and expected < 0):
        raise ValidationError({"headcount": "A headcount is zero or more."})
    emergency.headcount, emergency.headcount_expected = counted, expected
    emergency.save()
    text = f"Headcount at the assembly point: {counted}"
    if expected is not None:
        text += f" of {expected} on shift" + (
            f" ({expected - counted} missing)" if counted < expected else ""
        )
    return _entry(emergency, user, EntryKind.HEADCOUNT, text)


def add_note(user: User, emergency: Emergency, text: str) -> TimelineEntry:
    _active(user, emergency)
    if not text.strip():
        raise ValidationError({"note": "Write the note."})
    return _entry(emergency, user, EntryKind.NOTE, text.strip())


def end(user: User, emergency: Emergency) -> Emergency:
    """Close the timeline and write it into the incident's narrative."""
    _active(user, emergency)
    now = timezone.now()
    with transaction.atomic():
        _entry(emergency, user, EntryKind.ENDED, "Emergency ended", now)
        emergency.status = EmergencyStatus.ENDED
        emergency.ended_at = now
        emergency.save()
        update_incident(user, emergency.incident, {"narrative": narrative(emergency)})
    return emergency


def narrative(emergency: Emergency) -> str:
    """The timeline as the incident's narrative: one line per entry, store time first."""
    store = emergency.store
    return "\n".join(
        f"{clock.time_at_store_seconds(entry.at, store)} {entry.text} ({entry.by})"
        for entry in emergency.timeline.select_related("by")
    )


def review(user: User, emergency: Emergency, went_well: str, to_change: str) -> Emergency:
    """The after-action review: what went well, what to change."""
    require(user, Capability.RECORD)
    if emergency.status != EmergencyStatus.ENDED:
        raise ValidationError("End the emergency before reviewing it.")
    if not (went_well.strip() and to_change.strip()):
        raise ValidationError("Say what went well and what to change (both).")
    emergency.went_well, emergency.to_change = went_well.strip(), to_change.strip()
    emergency.reviewed_by, emergency.reviewed_at = user, timezone.now()
    emergency.save()
    return emergency


def steps_with_state(emergency: Emergency) -> list[tuple[playbooks.Step, TimelineEntry | None]]:
    """Each playbook step with the entry that ticked it, if any."""
    playbook = playbooks.get(emergency.playbook_key)
    done = {
        e.step_key: e for e in emergency.timeline.filter(kind=EntryKind.STEP).select_related("by")
    }
    return [(step, done.get(step.key)) for step in (playbook.steps if playbook else [])]
