"""Query budgets of the evidence pages and API: the same number of queries for 3 items or
packages as for 30 (see ``tests.budgets``)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.budgets import assert_flat
from tests.conftest import World, add_evidence, make_case, make_incident
from vigil.core.models import User
from vigil.evidence import custody, packages
from vigil.evidence.models import EvidenceItem

pytestmark = pytest.mark.django_db


def _items(world: World, owner: User) -> Any:
    """Evidence for an incident and a case each, as officers upload it."""

    def grow(count: int) -> None:
        incident = make_incident(world.store_a, owner)
        case = make_case(world.store_a, owner)
        for number in range(count):
            data = f"CCTV export {number}".encode()
            anchor = {"incident": incident.number} if number % 2 else {"case": case.number}
            add_evidence(owner, data, filename=f"cam{number}.mp4", **anchor)

    return grow


def _packages(world: World, owner: User) -> Any:
    """Packages built for incidents, each holding one item."""

    def grow(count: int) -> None:
        for number in range(count):
            incident = make_incident(world.store_a, owner)
            add_evidence(owner, f"photo {number}".encode(), incident=incident.number)
            packages.build_package(owner, purpose="For the police", incident=incident)

    return grow


def test_the_evidence_list_page_has_a_fixed_budget(
    world: World, owner: User, owner_client: Client
) -> None:
    assert_flat(owner_client, "/evidence/", _items(world, owner), budget=16)


def test_the_evidence_list_api_has_a_fixed_budget(
    world: World, owner: User, owner_client: Client
) -> None:
    assert_flat(owner_client, "/api/v1/evidence", _items(world, owner), budget=10)


def test_the_package_list_api_has_a_fixed_budget(
    world: World, owner: User, owner_client: Client
) -> None:
    assert_flat(owner_client, "/api/v1/packages", _packages(world, owner), budget=10)


def test_an_items_page_has_a_fixed_budget_however_long_its_custody_chain(
    world: World, owner: User, owner_client: Client
) -> None:
    _items(world, owner)(1)
    item = EvidenceItem.objects.get()

    def grow(count: int) -> None:
        for _ in range(count):
            custody.transfer(
                owner,
                item,
                from_party="Pat",
                to_party="Sam",
                purpose="Review",
                location="LP office",
            )

    assert_flat(owner_client, f"/evidence/{item.number}/", grow, budget=20)
    assert_flat(owner_client, f"/api/v1/evidence/{item.number}/custody", grow, budget=12)
