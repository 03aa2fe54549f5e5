"""Query budgets of the safety pages and API: the same number of queries for 3 hazards or
emergencies as for 30 (see ``tests.budgets``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from tests.budgets import assert_flat
from tests.conftest import World, make_person
from vigil.core.models import User
from vigil.safety import emergencies, hazards, osha
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


def test_the_osha_log_runs_the_same_queries_for_30_cases_as_for_3(
    world: World, owner: User, owner_client: Client
) -> None:
    def grow(count: int) -> None:
        for _ in range(count):
            osha.record_case(
                owner,
                world.store_a,
                {
                    "employee": make_person(world.store_a),
                    "job_title": "Stocker",
                    "date_of_injury": dt.date(2026, 3, 2),
                    "where_occurred": "Receiving dock",
                    "description": "Cut finger on a box cutter",
                    "injury_type": "injury",
                    "outcome": "days_away",
                    "days_away": 3,
                },
            )

    assert_flat(owner_client, "/safety/osha/SA1/2026/", grow, budget=20)
