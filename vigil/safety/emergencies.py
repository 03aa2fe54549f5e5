"""Running an emergency playbook: start it (which files an incident), tick steps, log first
responders, headcount and notes as they happen, end it, review it afterwards.

Every action appends a timeline entry with the time and who; nothing on the timeline is
edited or removed. The incident's narrative is written from the timeline when the
emergency ends, so the incident record and the timeline say the same thing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from vigil.cases.filing import file_incident, update_incident
from vigil.core import clock
from vigil.core.limits import LONG_TEXT_CHARS, NOTE_CHARS, too_long
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


@dataclass(frozen=True)
class StillOpen:
    """What an emergency leaves undone if it ends now: steps not ticked, people not counted."""

    open_steps: list[playbooks.Step]
    step_count: int
    unaccounted: int  # on shift but not counted at the assembly point

    def __bool__(self) -> bool:
        return bool(self.open_steps or self.unaccounted)

    def phrase(self) -> str:
        """``5 of 8 steps still open and 2 people unaccounted for``."""
        parts = []
        if self.open_steps:
            steps = "step" if self.step_count == 1 else "steps"
            parts.append(f"{len(self.open_steps)} of {self.step_count} {steps} still open")
        if self.unaccounted:
            people = "person" if self.unaccounted == 1 else "people"
            parts.append(f"{self.unaccounted:,} {people} unaccounted for")
        return " and ".join(parts)

    def confirmation(self) -> str:
        """What the person in charge is asked before ending, every open step named."""
        named = "; ".join(step.text for step in self.open_steps)
        return (
            f"Ending now leaves {self.phrase()}"
            + (f" (open: {named})" if named else "")
            + ". Confirm to end the emergency anyway."
        )


def still_open(emergency: Emergency) -> StillOpen:
    """The steps not yet ticked and the people the last headcount did not find."""
    steps = steps_with_state(emergency)
    counted, expected = emergency.headcount, emergency.headcount_expected
    missing = expected - counted if counted is not None and expected is not None else 0
    return StillOpen([step for step, done in steps if done is None], len(steps), max(0, missing))


def end(user: User, emergency: Emergency, confirmed: bool = False) -> Emergency:
    """Close the timeline and write it into the incident's narrative. With steps still open or
    people unaccounted for, the person in charge confirms first, having been told what."""
    _active(user, emergency)
    left = still_open(emergency)
    if left and not confirmed:
        raise ValidationError({"confirm": left.confirmation()})
    now = timezone.now()
    with transaction.atomic():
        if left:  # the record says what was left open when it was ended
            _entry(emergency, user, EntryKind.NOTE, f"Ended with {left.phrase()} (confirmed)", now)
        _entry(emergency, user, EntryKind.ENDED, "Emergency ended", now)
        emergency.status = EmergencyStatus.ENDED
        emergency.ended_at = now
        emergency.save()
        update_incident(user, emergency.incident, {"narrative": narrative(emergency)})
    return emergency


def narrative(emergency: Emergency) -> str:
    """The timeline as the incident's narrative: one line per entry, store time first. A
    timeline longer than a narrative may be ends with where the rest is kept."""
    store = emergency.store
    lines = [
        f"{clock.time_at_store_seconds(entry.at, store)} {entry.text} ({entry.by})"
        for entry in emergency.timeline.select_related("by")
    ]
    text = "\n".join(lines)
    if not too_long(text, LONG_TEXT_CHARS):
        return text
    kept: list[str] = []
    room = LONG_TEXT_CHARS - 200  # the closing line's share
    for line in lines:
        room -= len(line) + 1
        if room < 0:
            break
        kept.append(line)
    rest = len(lines) - len(kept)
    kept.append(f"… {rest:,} more timeline entries: see {emergency.number} for all of them.")
    return "\n".join(kept)


def review(user: User, emergency: Emergency, went_well: str, to_change: str) -> Emergency:
    """The after-action review: what went well, what to change."""
    require(user, Capability.RECORD)
    if emergency.status != EmergencyStatus.ENDED:
        raise ValidationError("End the emergency before reviewing it.")
    if not (went_well.strip() and to_change.strip()):
        raise ValidationError("Say what went well and what to change (both).")
    errors = {
        name: message
        for name, text in (("went_well", went_well), ("to_change", to_change))
        if (message := too_long(text.strip(), NOTE_CHARS))
    }
    if errors:
        raise ValidationError(errors)
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
