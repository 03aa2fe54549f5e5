"""Query budgets of the training overview and API: the same number of queries for 3
assignments as for 30 (see ``tests.budgets``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.budgets import assert_flat
from tests.conftest import World, make_person
from vigil.core.models import EmployeeRole, User
from vigil.training import courses

pytestmark = pytest.mark.django_db


def _assignments(world: World, owner: User) -> Any:
    """Cashiers assigned every shipped module."""

    def grow(count: int) -> None:
        people = [make_person(world.store_a, EmployeeRole.CASHIER) for _ in range(count)]
        due = timezone.localdate() + dt.timedelta(days=14)
        for module in courses.current_modules():
            made = courses.assign(owner, module, [world.store_a], [EmployeeRole.CASHIER], due)
            assert {assignment.person for assignment in made} == set(people)

    return grow


@pytest.mark.parametrize("url", ["/training/", "/api/v1/training/assignments"])
def test_a_training_list_runs_the_same_queries_for_30_assignments_as_for_3(
    world: World, owner: User, owner_client: Client, url: str
) -> None:
    assert_flat(owner_client, url, _assignments(world, owner), budget=20)
