"""What the investigations app puts in a person's My work: their cases, tasks, statements.

A case is due by its type's target (``CaseTemplate.due_in_days``), so the most pressing case
is the most overdue, then the one due soonest, then (no date) the highest priority open
longest; tasks are ordered by due date, overdue first. A task with no
assignee belongs to whoever leads its case (the template's first tasks start that way).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Case as When_
from django.db.models import F, IntegerField, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone

from vigil.cases.models import (
    Case,
    CasePriority,
    CaseStatus,
    CaseTask,
    Statement,
    StatementStatus,
    TaskStatus,
)
from vigil.core.models import Store, User
from vigil.core.roles import Capability, can
from vigil.core.work import WorkItem, WorkSource, bounded_count, in_store, register

_PRIORITY_RANK = When_(
    When(priority=CasePriority.HIGH, then=Value(0)),
    When(priority=CasePriority.NORMAL, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)
_ON_HOLD_LAST = When_(
    When(status=CaseStatus.ON_HOLD, then=Value(1)), default=Value(0), output_field=IntegerField()
)


def assigned_cases(user: User, store: Store | None) -> QuerySet[Case]:
    """Open and on-hold cases the user leads, in their stores."""
    found = Case.objects.visible_to(user).filter(assignee=user).exclude(status=CaseStatus.CLOSED)
    return in_store(found, store)


def open_tasks(user: User, store: Store | None) -> QuerySet[CaseTask]:
    """Open tasks of open cases that are the user's: assigned to them, or unassigned on a
    case they lead."""
    mine = Q(assignee=user) | Q(assignee__isnull=True, case__assignee=user)
    found = (
        CaseTask.objects.visible_to(user)
        .filter(mine, status=TaskStatus.OPEN)
        .exclude(case__status=CaseStatus.CLOSED)
    )
    return in_store(found, store, "case__store")


def statements_to_sign(user: User, store: Store | None) -> QuerySet[Statement]:
    """Statements the user took that the witness has not signed yet."""
    found = Statement.objects.visible_to(user).filter(taken_by=user, status=StatementStatus.DRAFT)
    return in_store(found, store)


def case_items(user: User, store: Store | None, limit: int) -> list[WorkItem]:
    found = (
        assigned_cases(user, store)
        .select_related("store")
        .order_by(_ON_HOLD_LAST, F("due_on").asc(nulls_last=True), _PRIORITY_RANK, "opened_at")[
            :limit
        ]
    )
    now = timezone.now()
    return [
        WorkItem(
            title=f"{case.number} {case.title}",
            url=reverse("cases:case-detail", args=[case.number]),
            store=case.store,
            detail=" · ".join(
                part
                for part in (
                    case.get_kind_display(),
                    f"{case.get_priority_display()} priority"
                    if case.priority != CasePriority.HIGH
                    else "",
                    _age(case, now),
                    case.get_status_display() if case.status != CaseStatus.OPEN else "",
                )
                if part
            ),
            at=case.opened_at,
            at_label="opened",
            due_on=case.due_on,
            urgent="High priority" if case.priority == CasePriority.HIGH else "",
        )
        for case in found
    ]


def _age(case: Case, now: dt.datetime) -> str:
    days = (now - case.opened_at).days
    return "opened today" if days < 1 else f"open {days:,} day{'s' if days != 1 else ''}"


def task_items(user: User, store: Store | None, limit: int) -> list[WorkItem]:
    found = (
        open_tasks(user, store)
        .select_related("case__store")
        .order_by(F("due_on").asc(nulls_last=True), "pk")[:limit]
    )
    return [
        WorkItem(
            title=task.title,
            url=reverse("cases:case-detail", args=[task.case.number]) + "#tasks",
            store=task.case.store,
            detail=f"{task.case.number} {task.case.title}",
            due_on=task.due_on,
        )
        for task in found
    ]


def statement_items(user: User, store: Store | None, limit: int) -> list[WorkItem]:
    found = (
        statements_to_sign(user, store)
        .select_related("store", "incident", "case")
        .order_by("started_at")[:limit]
    )
    return [
        WorkItem(
            title=f"Statement of {statement.witness_name}",
            url=reverse("cases:statement-detail", args=[statement.pk]),
            store=statement.store,
            detail=_statement_about(statement),
            at=statement.started_at,
            at_label="taken",
        )
        for statement in found
    ]


def _statement_about(statement: Statement) -> str:
    parts = []
    if statement.incident is not None:
        parts.append(f"{statement.incident.number} {statement.incident.summary}")
    if statement.case is not None:
        parts.append(f"{statement.case.number} {statement.case.title}")
    return " · ".join(parts) or statement.get_method_display()


def _investigates(user: User) -> bool:
    return can(user, Capability.INVESTIGATE)


def _records(user: User) -> bool:
    return can(user, Capability.RECORD)


register(
    WorkSource(
        key="cases",
        label="Cases assigned to you",
        order=10,
        applies=_investigates,
        count=lambda user, store: bounded_count(assigned_cases(user, store)),
        items=case_items,
        see_all=lambda: reverse("cases:case-list") + "?mine=1",
        next_step=("Open the case list", "cases:case-list"),
    ),
    WorkSource(
        key="case-tasks",
        label="Case tasks for you",
        order=20,
        applies=_investigates,
        count=lambda user, store: bounded_count(open_tasks(user, store)),
        items=task_items,
        see_all=lambda: reverse("cases:case-list") + "?mine=1",
    ),
    WorkSource(
        key="statements",
        label="Statements to sign",
        order=60,
        applies=_records,
        count=lambda user, store: bounded_count(statements_to_sign(user, store)),
        items=statement_items,
    ),
)
