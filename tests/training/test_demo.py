"""The demo's training assignments."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from vigil.core import demo
from vigil.training import courses
from vigil.training import demo as training_demo
from vigil.training.models import Assignment


def test_training_is_part_complete_with_some_overdue(db: Any) -> None:
    demo.seed()
    made = training_demo.seed()
    assert made == Assignment.objects.count() > 20
    assert training_demo.seed() == 0
    rows = courses.compliance(Assignment.objects.all())
    assert any(0 < row.percent < 100 for row in rows)
    assert courses.overdue(Assignment.objects.all()).exists()


def test_the_demos_training_has_a_month_of_history(db: Any) -> None:
    demo.seed()
    training_demo.seed()
    today = timezone.localdate()
    found = Assignment.objects.all()
    eas = found.filter(module__key="eas-alarm-response")
    assert not eas.filter(due_on__gte=today).exists()  # passed ones keep their due date too
    two_weeks_ago = courses.completion(found, today - dt.timedelta(days=14))
    now = courses.completion(found)
    assert two_weeks_ago.assigned == now.assigned
    assert 0 < two_weeks_ago.completed < now.completed
