"""The demo's training: the EAS-alarm and shoplifting modules assigned to the cashiers and
service-desk associates of S101-S104 a month ago, about two in three done (some at the second
attempt) on days spread over that month, the rest open, some overdue. Idempotent.

The dates are real history, so last month's executive summary and the training page "as at"
that month's last day show the same, earlier completion as the page shows today's.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from vigil.core.context import acting_as, actor_for_user
from vigil.core.models import EmployeeRole, Store, User
from vigil.training import courses
from vigil.training.models import Assignment, Attempt, Module

MODULES = (("eas-alarm-response", -5), ("shoplifting-awareness", 10))  # key, due in days
ROLES = (EmployeeRole.CASHIER, EmployeeRole.SERVICE_DESK)
DONE_SHARE = 0.65
ASSIGNED_DAYS_AGO = 30


def seed() -> int:
    if Assignment.objects.exists():
        return 0
    manager = User.objects.get(username="lp.manager")
    stores = list(Store.objects.filter(code__in=("S101", "S102", "S103", "S104")))
    rng = random.Random(11)  # noqa: S311 (demo data, not secrets)
    today = timezone.localdate()
    made = 0
    with transaction.atomic(), acting_as(actor_for_user(manager, via="demo")):
        for key, due_in in MODULES:
            module = Module.objects.filter(key=key).order_by("-version").first()
            assert module is not None
            due = today + dt.timedelta(days=max(due_in, 1))
            assignments = courses.assign(manager, module, stores, list(ROLES), due)
            answers = [q.answer for q in courses.questions_of(module)]
            for assignment in assignments:
                if rng.random() < DONE_SHARE:
                    if rng.random() < 0.2:  # some pass at the second attempt
                        courses.take_quiz(manager, assignment, [(a + 1) % 2 for a in answers])
                    courses.take_quiz(manager, assignment, answers)
            _backdate(assignments, today + dt.timedelta(days=due_in), rng)
            made += len(assignments)
    return made


def _backdate(assignments: list[Assignment], due_on: dt.date, rng: random.Random) -> None:
    """Give ``assignments`` a month of history: assigned a month ago, due on ``due_on``
    (in the past for a module assigned long ago), each pass on a day since."""
    now = timezone.now()
    assigned_at = now - dt.timedelta(days=ASSIGNED_DAYS_AGO)
    for assignment in assignments:
        fields: dict[str, object] = {"assigned_at": assigned_at, "due_on": due_on}
        if assignment.completed_at is not None:  # take_quiz passed it
            passed_at = now - dt.timedelta(days=rng.randint(0, ASSIGNED_DAYS_AGO - 2), hours=2)
            fields["completed_at"] = passed_at
            Attempt.objects.filter(assignment=assignment).update(taken_at=passed_at)
        Assignment.objects.filter(pk=assignment.pk).update(**fields)
