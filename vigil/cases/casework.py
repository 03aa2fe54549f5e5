"""Working a case: open it from a template, assign it, link what belongs to it, add tasks and
notes, and close it once the template's required fields are filled.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from vigil.cases import notifications
from vigil.cases.models import (
    Case,
    CaseLink,
    CaseStatus,
    CaseTask,
    CaseTemplate,
    Incident,
    Note,
    NoteRevision,
    Subject,
    TaskStatus,
    Vehicle,
)
from vigil.core import clock
from vigil.core.models import User
from vigil.core.numbering import next_number
from vigil.core.records import apply_changes
from vigil.core.roles import Capability, require
from vigil.core.scoping import scope_of


def open_case(
    user: User,
    fields: Mapping[str, Any],
    incidents: Iterable[Incident] = (),
) -> Case:
    """Open a case of one incident type, with its template's first tasks."""
    require(user, Capability.INVESTIGATE)
    store = fields["store"]
    if not scope_of(user).allows(store.pk):
        raise PermissionDenied("You can only open cases for stores in your scope.")
    template = CaseTemplate.objects.filter(kind=fields["kind"], is_active=True).first()
    with transaction.atomic():
        case = Case(number=next_number("CASE", digits=5), opened_by=user, template=template)
        values = dict(fields)
        values.setdefault("assignee", user)
        if template is not None and template.due_in_days and not values.get("due_on"):
            values["due_on"] = clock.today_at(store) + datetime.timedelta(days=template.due_in_days)
        case = apply_changes(case, values)
        for incident in incidents:
            link(user, case, incident)
        for task in template.tasks if template else []:
            due = clock.today_at(store) + datetime.timedelta(days=int(task.get("due_in_days", 7)))
            add_task(user, case, str(task["title"]), due_on=due, assignee=case.assignee)
        if case.assignee is not None and case.assignee != user:
            notifications.case_assigned(case)
    return case


def update_case(user: User, case: Case, changes: Mapping[str, Any]) -> Case:
    """Change a case's fields (not its status: see close_case and reopen_case)."""
    require(user, Capability.INVESTIGATE)
    if case.status == CaseStatus.CLOSED:
        raise ValidationError("This case is closed; reopen it before changing it.")
    values = dict(changes)
    if "details" in values and values["details"] is not None:
        values["details"] = {**case.details, **values["details"]}
    before = case.assignee_id
    case = apply_changes(case, values)
    if case.assignee_id != before and case.assignee is not None and case.assignee != user:
        notifications.case_assigned(case)
    return case


def close_case(user: User, case: Case, outcome: str) -> Case:
    """Close the case; refused while any of its template's required fields is empty."""
    require(user, Capability.INVESTIGATE)
    missing = case.missing_fields()
    if missing:
        raise ValidationError(f"Fill these before closing the case: {', '.join(missing)}.")
    if not outcome.strip():
        raise ValidationError({"outcome": "Say how the case ended before closing it."})
    return apply_changes(
        case, {"status": CaseStatus.CLOSED, "outcome": outcome, "closed_at": timezone.now()}
    )


def reopen_case(user: User, case: Case) -> Case:
    require(user, Capability.INVESTIGATE)
    case.closed_at = None
    return apply_changes(case, {"status": CaseStatus.OPEN})


def link(user: User, case: Case, target: Incident | Subject | Vehicle) -> CaseLink:
    """Add an incident, subject or vehicle to the case (once)."""
    require(user, Capability.INVESTIGATE)
    field = _link_field(target)
    existing = CaseLink.objects.filter(case=case, **{field: target}).first()
    if existing is not None:
        return existing
    return CaseLink.objects.create(case=case, **{field: target})


def unlink(user: User, case: Case, target: Incident | Subject | Vehicle) -> None:
    require(user, Capability.INVESTIGATE)
    for found in CaseLink.objects.filter(case=case, **{_link_field(target): target}):
        found.delete()


def _link_field(target: Incident | Subject | Vehicle) -> str:
    return {Incident: "incident", Subject: "subject", Vehicle: "vehicle"}[type(target)]


def add_task(
    user: User,
    case: Case,
    title: str,
    *,
    due_on: datetime.date | None = None,
    assignee: User | None = None,
) -> CaseTask:
    require(user, Capability.INVESTIGATE)
    task = CaseTask(case=case, title=title.strip(), due_on=due_on, assignee=assignee)
    task.full_clean()
    task.save()
    if assignee is not None and assignee != user:
        notifications.task_assigned(task)
    return task


def update_task(
    user: User, task: CaseTask, *, due_on: datetime.date | None, assignee: User | None
) -> CaseTask:
    """Move a task's date or hand it to someone else; a new assignee is told, as on adding."""
    require(user, Capability.INVESTIGATE)
    handed_on = assignee is not None and assignee != task.assignee and assignee != user
    if due_on != task.due_on:
        task.reminded_on = None  # a new date earns a new reminder
    task.due_on, task.assignee = due_on, assignee  # None clears: "no date", "the lead's"
    task.full_clean()
    task.save()
    if handed_on:
        notifications.task_assigned(task)
    return task


def set_task_status(user: User, task: CaseTask, status: str) -> CaseTask:
    require(user, Capability.INVESTIGATE)
    done_at = timezone.now() if status == TaskStatus.DONE else None
    task.done_at = done_at
    return apply_changes(task, {"status": TaskStatus(status)})


def save_note(user: User, case: Case, body: str, note: Note | None = None, title: str = "") -> Note:
    """Save a note's text as a new revision; earlier revisions stay as they were."""
    require(user, Capability.INVESTIGATE)
    if not body.strip():
        raise ValidationError({"body": "A note needs some text."})
    with transaction.atomic():
        if note is None:
            note = Note.objects.create(case=case, title=title.strip(), created_by=user)
        last = note.revisions.order_by("-number").values_list("number", flat=True).first() or 0
        NoteRevision.objects.create(note=note, number=last + 1, body=body, author=user)
    return note
