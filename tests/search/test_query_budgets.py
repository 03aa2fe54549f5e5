"""The search page and API answer in a fixed number of queries, however many records match:
one on the index for every kind at once, one per kind to read its records, two for leads."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.test import Client

from tests.budgets import assert_flat
from tests.conftest import (
    World,
    add_evidence,
    make_case,
    make_incident,
    make_person,
    make_subject,
)
from tests.search.test_finder import make_lead, make_vehicle
from vigil.core.models import User

pytestmark = pytest.mark.django_db
_numbers = itertools.count(1)


def _of_every_kind(world: World, owner: User) -> Any:
    """Records of each kind that "kestrel" finds: by their words, or their transaction id."""

    def grow(count: int) -> None:
        for number in itertools.islice(_numbers, count):
            make_incident(world.store_a, owner, summary=f"Kestrel sighting {number}")
            make_case(world.store_a, owner, title=f"Kestrel ring {number}")
            make_subject(world.store_a, name=f"Kestrel {number}")
            make_vehicle(world.store_a, f"KV{number:05d}", description="Kestrel's van")
            add_evidence(owner, f"clip {number}".encode(), filename=f"kestrel-{number}.mp4",
                         store=world.store_a.code)  # fmt: skip
            make_person(world.store_a, name=f"Kestrel Employee {number}")
            make_lead(world.store_a, f"KESTREL-{number:06d}")

    return grow


def test_the_search_page_has_a_fixed_budget(
    world: World, owner: User, owner_client: Client
) -> None:
    # 9 of its own (the index, six kinds, leads and their count), the rest the shell's.
    assert_flat(owner_client, "/search/?q=kestrel", _of_every_kind(world, owner), budget=20)


def test_the_search_api_has_a_fixed_budget(world: World, owner: User, owner_client: Client) -> None:
    assert_flat(owner_client, "/api/v1/search?q=kestrel", _of_every_kind(world, owner), budget=16)


def test_a_plate_search_has_a_fixed_budget(world: World, owner: User, owner_client: Client) -> None:
    def grow(count: int) -> None:
        for number in itertools.islice(_numbers, count):
            make_vehicle(world.store_a, f"KDL{number:04d}")

    # The near-plate look-up is one query more, whatever the number of plates.
    assert_flat(owner_client, "/search/?q=KDL0001", grow, budget=15)
