"""The demo's training: the EAS-alarm and shoplifting modules assigned to the cashiers and
service-desk associates of S101-S104 a month ago, about two in three done (some at the second
attempt), the rest open, some overdue. Idempotent."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from vigil.core.context import acting_as, actor_for_user
from vigil.core.models import EmployeeRole, Store, User
from vigil.training import courses
from vigil.training.models import Assignment, Module

MODULES = (("eas-alarm-response", -5), ("shoplifting-awareness", 10))  # key, due in days
ROLES = (EmployeeRole.CASHIER, EmployeeRole.SERVICE_DESK)
DONE_SHARE = 0.65


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
            if due_in < 0:  # assigned long ago: its due date has passed
                Assignment.objects.filter(pk__in=[a.pk for a in assignments]).update(
                    due_on=today + dt.timedelta(days=due_in)
                )
            answers = [q.answer for q in courses.questions_of(module)]
            for assignment in assignments:
                if rng.random() < DONE_SHARE:
                    if rng.random() < 0.2:  # some pass at the second attempt
                        courses.take_quiz(manager, assignment, [(a + 1) % 2 for a in answers])
                    courses.take_quiz(manager, assignment, answers)
            made += len(assignments)
    return made
