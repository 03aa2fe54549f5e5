"""A crew seen at two stores of region A, and the engine's answer about it (hand-made, in the
contract's shape, so these tests do not wait on the engine)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.conftest import World, make_incident, make_store, make_subject, make_user
from vigil.cases import filing
from vigil.cases.models import Incident, Subject, Vehicle
from vigil.core.models import Role, Store, User
from vigil.intel.extract import subject_record_id, vehicle_record_id


@dataclass
class Crew:
    investigator: User
    store_a: Store
    store_a2: Store
    first: Incident
    second: Incident
    bob: Subject
    robert: Subject
    van: Vehicle
    van_again: Vehicle


@pytest.fixture
def crew(world: World) -> Crew:
    world.store_a.state = "MN"
    world.store_a.save()
    store_a2 = make_store(world.region_a, "SA2")
    store_a2.state = "WI"
    store_a2.save()
    investigator = make_user(Role.LP_MANAGER, regions=(world.region_a,), username="investigator")
    now = timezone.now()
    first = make_incident(
        world.store_a, investigator, occurred_at=now - timedelta(days=9), merchandise_value="700.00"
    )
    second = make_incident(
        store_a2, investigator, occurred_at=now - timedelta(days=2), merchandise_value="650.00"
    )
    bob = make_subject(world.store_a, name="Bob Kowalczyk", aliases="Smoke")
    robert = make_subject(store_a2, name="Robert Kowalcyzk")
    filing.add_party(investigator, first, "suspect", subject=bob)
    filing.add_party(investigator, second, "suspect", subject=robert)
    van = Vehicle.objects.create(store=world.store_a, plate="KXH1783", make="Toyota")
    van_again = Vehicle.objects.create(store=store_a2, plate="KXHI783", make="Toyota")
    van.incidents.add(first)
    van_again.incidents.add(second)
    return Crew(investigator, world.store_a, store_a2, first, second, bob, robert, van, van_again)


def engine_result(crew: Crew) -> dict[str, Any]:
    """What the engine says of the crew: Bob is Robert, the van is one van, one network."""
    bob = subject_record_id(crew.bob.pk, crew.first.pk)
    robert = subject_record_id(crew.robert.pk, crew.second.pk)
    van = vehicle_record_id(crew.van.pk, crew.first.pk)
    van_again = vehicle_record_id(crew.van_again.pk, crew.second.pk)
    reasons = ["same last name", "Bob ~ Robert", "same car"]
    return {
        "engine": "duckdb",
        "people": [
            {
                "person_id": "P-0001",
                "subject_record_ids": [bob, robert],
                "name": "Robert Kowalczyk",
                "aliases": ["Smoke"],
                "incidents": 2,
                "stores": [crew.store_a.code, crew.store_a2.code],
                "match_probability": 0.96,
                "reasons": reasons,
                "links": [{"a": bob, "b": robert, "probability": 0.96, "reasons": reasons}],
            }
        ],
        "vehicles": [
            {
                "vehicle_id": "V-0001",
                "vehicle_record_ids": [van, van_again],
                "plate": "KXH1783",
                "make": "Toyota",
                "model": "Sienna",
                "colour": "silver",
                "match_probability": 0.99,
                "reasons": ["plates differ only by I/1"],
            }
        ],
        "networks": [
            {
                "network_id": "N-001",
                "incident_ids": [crew.first.number, crew.second.number],
                "people": ["P-0001"],
                "vehicles": ["V-0001"],
                "stores": [crew.store_a.code, crew.store_a2.code],
                "total_loss": "1350.00",
                "first_seen": crew.first.occurred_at.isoformat(),
                "last_seen": crew.second.occurred_at.isoformat(),
                "reasons": ["P-0001 in 2 incidents", "V-0001 at 2 incidents"],
            }
        ],
    }


@pytest.fixture
def imported(crew: Crew) -> Any:
    from vigil.intel.models import IntelRun
    from vigil.intel.runs import import_result

    return import_result(IntelRun.objects.create(), engine_result(crew))
