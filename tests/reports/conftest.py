"""The reports read the shrink tests' counted chain; and walks with a score, made directly."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from tests.shrink.conftest import chain, counted_chain_data, director  # noqa: F401
from vigil.audits.models import ChecklistVersion, FloorWalk, WalkStatus
from vigil.core.models import Store, User


def scored_walk(user: User, store: Store, score: int, day: dt.date) -> FloorWalk:
    return FloorWalk.objects.create(
        number=f"FW-R-{FloorWalk.objects.count() + 1}",
        store=store,
        checklist=ChecklistVersion.objects.filter(key="exits-alarms").latest("version"),
        walked_by=user,
        status=WalkStatus.COMPLETED,
        completed_at=timezone.make_aware(dt.datetime.combine(day, dt.time(10))),
        score=Decimal(score),
        passed=score >= 80,
    )
