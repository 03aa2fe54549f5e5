"""Query budgets of the safety pages and API: the same number of queries for 3 hazards or
emergencies as for 30 (see ``tests.budgets``)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.budgets import assert_flat
from tests.conftest import World
from vigil.core.models import User
from vigil.safety import emergencies, hazards
from vigil.safety.models import Severity

pytestmark = pytest.mark.django_db


def _hazards(world: World, owner: User) -> Any:
    """Hazards as associates report them; a high one raises a corrective action."""

    def grow(count: int) -> None:
        for number in range(count):
            hazards.report(owner, world.store_a, f"Aisle {number}", "Spilled water", Severity.HIGH)

    return grow


def _emergencies(world: World, owner: User) -> Any:
    def grow(count: int) -> None:
        for _ in range(count):
            emergency = emergencies.start(owner, world.store_a, "fire-alarm", "Garden centre")
            emergencies.responder_called(owner, emergency, "Fire department")

    return grow


@pytest.mark.parametrize("url", ["/safety/hazards/", "/api/v1/safety/hazards", "/safety/"])
def test_a_hazard_list_runs_the_same_queries_for_30_hazards_as_for_3(
    world: World, owner: User, owner_client: Client, url: str
) -> None:
    assert_flat(owner_client, url, _hazards(world, owner), budget=20)


@pytest.mark.parametrize("url", ["/api/v1/safety/emergencies", "/safety/"])
def test_an_emergency_list_runs_the_same_queries_for_30_emergencies_as_for_3(
    world: World, owner: User, owner_client: Client, url: str
) -> None:
    assert_flat(owner_client, url, _emergencies(world, owner), budget=20)
