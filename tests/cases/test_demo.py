"""The demo investigations: open and closed cases, evidence that verifies, seeded once."""

from __future__ import annotations

import io
from typing import Any

from django.core.management import call_command

from vigil.cases import demo as investigations_demo
from vigil.cases.models import Case, CaseStatus, Incident, Statement
from vigil.core import demo
from vigil.evidence.models import EvidenceItem


def test_the_demo_has_open_and_closed_cases_with_evidence_in_several_stores(db: Any) -> None:
    demo.seed()
    assert investigations_demo.seed() == 2
    assert investigations_demo.seed() == 0
    assert set(Case.objects.values_list("status", flat=True)) == {
        CaseStatus.OPEN,
        CaseStatus.CLOSED,
    }
    assert Incident.objects.values("store").distinct().count() >= 3
    media = set(EvidenceItem.objects.values_list("media_type", flat=True))
    assert {"video/mp4", "image/jpeg"} <= media
    assert Statement.objects.filter(status="signed").exists()
    out = io.StringIO()
    call_command("evidence_verify", stdout=out)
    assert "Evidence intact" in out.getvalue()
