"""Query budgets of the floor-walk pages and API: the same number of queries for 3 walks or
corrective actions as for 30 (see ``tests.budgets``)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.audits.conftest import completed_walk
from tests.budgets import assert_flat
from tests.conftest import World
from vigil.audits.models import CorrectiveAction
from vigil.core.models import User

pytestmark = pytest.mark.django_db


def _walks(world: World, owner: User) -> Any:
    """Completed EAS walks, each with a failed item and so a corrective action."""

    def grow(count: int) -> None:
        for _ in range(count):
            completed_walk(owner, world.store_a, **{"detacher-secured": "no"})

    return grow


@pytest.mark.parametrize(
    "url",
    [
        "/audits/",
        "/audits/walks/",
        "/audits/actions/",
        "/audits/actions/?status=all",
        "/audits/history/",
        "/api/v1/audits/walks",
    ],
)
def test_a_walk_list_runs_the_same_queries_for_30_walks_as_for_3(
    world: World, owner: User, owner_client: Client, url: str
) -> None:
    assert_flat(owner_client, url, _walks(world, owner), budget=20)


def test_the_corrective_action_api_has_a_fixed_budget(
    world: World, owner: User, owner_client: Client
) -> None:
    assert_flat(owner_client, "/api/v1/audits/actions", _walks(world, owner), budget=10)
    assert CorrectiveAction.objects.count() >= 30
