"""The demo's month of floor walks."""

from __future__ import annotations

from typing import Any

from vigil.audits import demo as audits_demo
from vigil.audits.models import ActionStatus, CorrectiveAction, FloorWalk
from vigil.core import demo


def test_a_month_of_walks_with_fixed_open_and_one_overdue_finding(db: Any) -> None:
    demo.seed()
    made = audits_demo.seed()
    assert made == FloorWalk.objects.count() > 100
    assert audits_demo.seed() == 0
    assert FloorWalk.objects.filter(passed=False).exists()
    statuses = set(CorrectiveAction.objects.values_list("status", flat=True))
    assert statuses == {ActionStatus.OPEN, ActionStatus.VERIFIED}
    overdue = CorrectiveAction.objects.get(critical=True)
    assert overdue.status == ActionStatus.OPEN and overdue.finding_photo_sha256
    razors = CorrectiveAction.objects.filter(store__code="S102", item_key="tag-razors").count()
    assert (
        razors > CorrectiveAction.objects.filter(store__code="S101", item_key="tag-razors").count()
    )
