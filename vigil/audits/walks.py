"""Doing a floor walk: start it, answer items as you go, complete it (score, pass or fail,
corrective actions), and see what is due at each store.

**Scoring.** Each scored item (yes / no, or a number with a minimum or maximum) carries a
weight. The score is the weight of the items that passed over the weight of the items that
apply (n.a. and unanswered optional items leave both sides), as a percentage. A walk passes
when the score reaches the checklist's pass mark *and* no critical item failed.

**Due.** A schedule is due once its period has passed since the store's last completed walk
of that checklist (a day, a week, a month); overdue once a further grace (the same period
for daily checks, two days otherwise) has passed, or when nothing was ever walked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone

from vigil.audits import checklists
from vigil.audits.checklists import Checklist, Item
from vigil.audits.models import (
    Answer,
    ChecklistVersion,
    CorrectiveAction,
    FloorWalk,
    Frequency,
    Schedule,
    WalkStatus,
)
from vigil.core.limits import NOTE_CHARS, too_long
from vigil.core.models import Store, User
from vigil.core.numbering import next_number
from vigil.core.roles import Capability, require

PERIOD = {
    Frequency.DAILY: dt.timedelta(days=1),
    Frequency.WEEKLY: dt.timedelta(days=7),
    Frequency.MONTHLY: dt.timedelta(days=30),
}
GRACE = {
    Frequency.DAILY: dt.timedelta(days=1),
    Frequency.WEEKLY: dt.timedelta(days=2),
    Frequency.MONTHLY: dt.timedelta(days=2),
}
ACTION_DAYS = 7  # days to fix a failed item
CRITICAL_ACTION_DAYS = 1  # days to fix a failed critical item
YES, NO, NOT_APPLICABLE = "yes", "no", "na"


def install_checklists(using: str = "default") -> int:
    """Add every shipped checklist version the database lacks; how many were added."""
    added = 0
    for checklist in checklists.shipped():
        _, created = ChecklistVersion.objects.using(using).get_or_create(
            key=checklist.key,
            version=checklist.version,
            defaults={
                "title": checklist.title,
                "frequency": checklist.frequency,
                "definition": checklist.model_dump(mode="json"),
            },
        )
        added += int(created)
    return added


def current_versions() -> list[ChecklistVersion]:
    """The newest version of each checklist."""
    newest: dict[str, ChecklistVersion] = {}
    for version in ChecklistVersion.objects.order_by("key", "-version"):
        newest.setdefault(version.key, version)
    return sorted(newest.values(), key=lambda v: v.title)


def checklist_of(version: ChecklistVersion) -> Checklist:
    return Checklist.model_validate(version.definition)


def start_walk(user: User, store: Store, key: str) -> FloorWalk:
    """A new draft walk of the newest version of checklist ``key`` at ``store``."""
    require(user, Capability.RECORD)
    version = ChecklistVersion.objects.filter(key=key).order_by("-version").first()
    if version is None:
        raise ValidationError({"checklist": f"No checklist {key!r}."})
    with transaction.atomic():
        return FloorWalk.objects.create(
            number=next_number("FW"), store=store, checklist=version, walked_by=user
        )


def save_answer(
    user: User,
    walk: FloorWalk,
    item_key: str,
    value: str,
    note: str = "",
    photo_sha256: str | None = None,
) -> Answer:
    """Record (or replace) one item's answer on a draft walk; checked against the item."""
    require(user, Capability.RECORD)
    if walk.status != WalkStatus.DRAFT:
        raise ValidationError("This walk is completed; its answers no longer change.")
    item = checklist_of(walk.checklist).item(item_key)
    if item is None:
        raise ValidationError({"item": f"No item {item_key!r} on this checklist."})
    value = _checked_value(item, value.strip())
    try:
        answer, _ = Answer.objects.get_or_create(walk=walk, item_key=item_key)
    except IntegrityError:  # the phone sent the same item twice at once; the other one won
        answer = Answer.objects.get(walk=walk, item_key=item_key)
    answer.value = value
    answer.note = note.strip()[:500]
    # Only the fields this call is about: an answer and its photo arrive in separate requests
    # from the phone, often at the same moment, and neither may undo the other.
    fields = ["value", "note", "answered_at"]
    if photo_sha256 is not None:
        answer.photo_sha256 = photo_sha256
        fields.append("photo_sha256")
    answer.save(update_fields=fields)
    return answer


def attach_photo(user: User, walk: FloorWalk, item_key: str, sha256: str) -> Answer:
    """An item's photo, on its own: the item's answer, sent separately, is left alone."""
    require(user, Capability.RECORD)
    if walk.status != WalkStatus.DRAFT:
        raise ValidationError("This walk is completed; its answers no longer change.")
    if checklist_of(walk.checklist).item(item_key) is None:
        raise ValidationError({"item": f"No item {item_key!r} on this checklist."})
    try:
        answer, _ = Answer.objects.get_or_create(walk=walk, item_key=item_key)
    except IntegrityError:
        answer = Answer.objects.get(walk=walk, item_key=item_key)
    answer.photo_sha256 = sha256
    answer.save(update_fields=["photo_sha256", "answered_at"])
    return answer


def _checked_value(item: Item, value: str) -> str:
    if item.kind == "yes_no":
        allowed = {YES, NO} | ({NOT_APPLICABLE} if item.allow_na else set())
        if value not in allowed | {""}:
            raise ValidationError({item.key: f"Answer {' / '.join(sorted(allowed))}."})
    elif item.kind == "number" and value:
        try:
            Decimal(value)
        except ArithmeticError:
            raise ValidationError({item.key: f"{value!r} is not a number."}) from None
    return value[:500]


@dataclass(frozen=True)
class ItemResult:
    item: Item
    answer: Answer | None
    outcome: str  # passed, failed, na, unanswered, recorded (text and photos)


def results(walk: FloorWalk) -> list[tuple[str, list[ItemResult]]]:
    """Every section's items with their answers and outcomes."""
    checklist = checklist_of(walk.checklist)
    answers = {answer.item_key: answer for answer in walk.answers.all()}
    return [
        (section.title, [_result(item, answers.get(item.key)) for item in section.items])
        for section in checklist.sections
    ]


def _result(item: Item, answer: Answer | None) -> ItemResult:
    value = answer.value if answer else ""
    photo = bool(answer and answer.photo_sha256)
    if item.kind == "photo":  # only a photo records a photo item; a note alone does not
        return ItemResult(item, answer, "recorded" if photo else "unanswered")
    if item.kind == "text":
        return ItemResult(item, answer, "recorded" if value or photo else "unanswered")
    if not value:
        return ItemResult(item, answer, "unanswered")
    if value == NOT_APPLICABLE:
        return ItemResult(item, answer, "na")
    if item.kind == "yes_no":
        return ItemResult(item, answer, "passed" if value == YES else "failed")
    number = Decimal(value)
    low = item.minimum is not None and number < Decimal(str(item.minimum))
    high = item.maximum is not None and number > Decimal(str(item.maximum))
    return ItemResult(item, answer, "failed" if low or high else "passed")


def score(walk: FloorWalk) -> tuple[Decimal, int]:
    """(score 0-100, critical items failed) from the walk's answers."""
    possible = earned = 0
    critical = 0
    for _, items in results(walk):
        for result in items:
            if not result.item.scored or result.outcome not in ("passed", "failed"):
                continue
            possible += result.item.weight
            if result.outcome == "passed":
                earned += result.item.weight
            elif result.item.critical:
                critical += 1
    value = Decimal(100) if possible == 0 else Decimal(earned * 100) / Decimal(possible)
    return value.quantize(Decimal("0.1")), critical


def still_to_record(sections: list[tuple[str, list[ItemResult]]]) -> dict[str, str]:
    """What each item still needs before the walk can be completed, by item key: every scored
    item answered, every required photo taken (also one that a failed item calls for)."""
    outcomes = {r.item.key: r for _, items in sections for r in items}
    missing: dict[str, str] = {}
    for key, result in outcomes.items():
        item = result.item
        if result.outcome != "unanswered":
            continue
        trigger = outcomes.get(item.required_if_failed or "")
        if item.scored:
            missing[key] = "Answer this item" + (" (or n.a.)." if item.allow_na else ".")
        elif item.required or (trigger is not None and trigger.outcome == "failed"):
            needed = "Take the photo" if item.kind == "photo" else "Write this down"
            because = f", because this failed: {trigger.item.text}" if trigger else ""
            missing[key] = f"{needed}; the checklist requires it{because}."
    return missing


def complete_walk(user: User, walk: FloorWalk, notes: str = "") -> FloorWalk:
    """Score the walk and raise a corrective action for each failed item. Every scored item
    must be answered first (n.a. where the checklist allows it), and every required photo
    taken: each one missing is an error on its item."""
    require(user, Capability.RECORD)
    if walk.status == WalkStatus.COMPLETED:
        return walk
    longer = too_long(notes.strip(), NOTE_CHARS)
    if longer:
        raise ValidationError({"notes": longer})
    sections = results(walk)
    missing = still_to_record(sections)
    if missing:
        first = next(r.item.text for _, items in sections for r in items if r.item.key in missing)
        summary = f"{len(missing)} item(s) still to answer, first: {first}"
        raise ValidationError({NON_FIELD_ERRORS: [summary], **missing})
    checklist = checklist_of(walk.checklist)
    value, critical = score(walk)
    today = timezone.localdate()
    with transaction.atomic():
        walk.score, walk.critical_failures = value, critical
        walk.passed = value >= checklist.pass_mark and critical == 0
        walk.status = WalkStatus.COMPLETED
        walk.completed_at = timezone.now()
        walk.notes = notes.strip()
        walk.save()
        for _, items in sections:
            for result in items:
                if result.outcome == "failed":
                    _raise_action(walk, result, today)
    return walk


def _raise_action(walk: FloorWalk, result: ItemResult, today: dt.date) -> CorrectiveAction:
    item, answer = result.item, result.answer
    days = CRITICAL_ACTION_DAYS if item.critical else ACTION_DAYS
    answered = answer.value if answer else ""
    detail = f"Found on {walk.number} ({walk.checklist.title}): answered {answered}"
    if item.unit:
        detail += f" {item.unit}"
    if answer and answer.note:
        detail += f". {answer.note}"
    return CorrectiveAction.objects.create(
        number=next_number("CA"),
        store=walk.store,
        walk=walk,
        item_key=item.key,
        title=item.text[:300],
        detail=detail,
        critical=item.critical,
        owner=walk.walked_by,
        due_on=today + dt.timedelta(days=days),
        finding_photo_sha256=answer.photo_sha256 if answer else "",
    )


@dataclass(frozen=True)
class DueState:
    schedule: Schedule
    title: str
    last_walk: FloorWalk | None
    due_at: dt.datetime | None  # None: never walked, due now
    state: str  # ok, due, overdue


def due_states(schedules: Any, now: dt.datetime | None = None) -> list[DueState]:
    """Each active schedule with its last walk and whether it is due or overdue."""
    now = now or timezone.now()
    titles = {v.key: v.title for v in current_versions()}
    active = list(schedules.filter(active=True).select_related("store"))
    last = _last_walks({s.store_id for s in active})
    states = [
        _state(s, titles.get(s.checklist_key, ""), last.get((s.store_id, s.checklist_key)), now)
        for s in active
    ]
    return sorted(states, key=lambda s: ({"overdue": 0, "due": 1, "ok": 2}[s.state], s.title))


def _last_walks(store_ids: set[int]) -> dict[tuple[int, str], FloorWalk]:
    """The newest completed walk per (store, checklist), in two queries for any number of
    schedules: the newest times, then those walks."""
    completed = FloorWalk.objects.filter(store_id__in=store_ids, status=WalkStatus.COMPLETED)
    newest = completed.values("store_id", "checklist__key").annotate(at=Max("completed_at"))
    if not newest:
        return {}
    match = Q()
    for row in newest:
        match |= Q(store_id=row["store_id"], checklist__key=row["checklist__key"],
                   completed_at=row["at"])  # fmt: skip
    return {
        (walk.store_id, walk.checklist.key): walk
        for walk in completed.filter(match).select_related("checklist")
    }


def _state(schedule: Schedule, title: str, last: FloorWalk | None, now: dt.datetime) -> DueState:
    if last is None or last.completed_at is None:
        return DueState(schedule, title, None, None, "overdue")
    frequency = Frequency(schedule.frequency)
    due_at = last.completed_at + PERIOD[frequency]
    if now >= due_at + GRACE[frequency]:
        state = "overdue"
    elif now >= due_at:
        state = "due"
    else:
        state = "ok"
    return DueState(schedule, title, last, due_at, state)


def schedule_defaults(user: User, store: Store) -> int:
    """Give a store the shipped schedule (each checklist at its own frequency) where it has
    none; how many schedules were added."""
    require(user, Capability.RECORD)
    added = 0
    for version in current_versions():
        _, created = Schedule.objects.get_or_create(
            store=store, checklist_key=version.key, defaults={"frequency": version.frequency}
        )
        added += int(created)
    return added
