"""The demo's emergency and hazards."""

from __future__ import annotations

from typing import Any

from vigil.core import demo
from vigil.safety import demo as safety_demo
from vigil.safety.models import Emergency, Hazard


def test_the_demo_emergency_has_its_timeline_review_and_hazards(db: Any) -> None:
    demo.seed()
    assert safety_demo.seed() == 1
    assert safety_demo.seed() == 0
    emergency = Emergency.objects.get()
    times = list(emergency.timeline.values_list("at", flat=True))
    assert times == sorted(times) and (times[-1] - times[0]).total_seconds() == 900
    assert emergency.reviewed_at is not None and emergency.responders.get().arrived_at
    assert emergency.incident.kind == "medical_emergency"
    assert Hazard.objects.count() == 2
