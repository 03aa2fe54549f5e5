"""A case shared with a police officer, beside an incident and a subject that are not."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.conftest import World, add_evidence, make_case, make_incident, make_subject, make_user
from vigil.cases.models import Case, CaseLink, Incident, Subject
from vigil.core.models import Agency, Role, User


@dataclass
class Sharing:
    world: World
    investigator: User
    officer: User
    colleague: User
    agency: Agency
    case: Case
    incident: Incident
    subject: Subject
    evidence: Any


@pytest.fixture
def sharing(world: World, owner: User) -> Sharing:
    agency = Agency.objects.create(name="Metro Police Department", kind="police")
    officer = make_user(Role.EXTERNAL, username="det.rivera")
    officer.first_name, officer.last_name = "Dana", "Rivera"
    officer.agency = agency
    officer.save()
    colleague = make_user(Role.EXTERNAL, username="det.chen")
    colleague.agency = agency
    colleague.save()
    incident = make_incident(
        world.store_a, owner, summary="Razor packs taken by a regular", narrative="Aisle 7."
    )
    subject = make_subject(world.store_a, name="Jordan Example")
    case = make_case(world.store_a, owner, summary="Three thefts of razors in a week")
    CaseLink.objects.create(case=case, incident=incident)
    CaseLink.objects.create(case=case, subject=subject)
    evidence = add_evidence(owner, b"clip bytes", filename="cam7.mp4", case=case.number)
    return Sharing(world, owner, officer, colleague, agency, case, incident, subject, evidence)


def in_days(days: int) -> Any:
    return timezone.now() + timedelta(days=days)
