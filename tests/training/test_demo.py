"""The demo's training assignments."""

from __future__ import annotations

from typing import Any

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
