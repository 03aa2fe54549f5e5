"""The POS tests' retailer: the generated data's stores in Vigil, and an investigator."""

from __future__ import annotations

import pytest

from tests.conftest import World, make_store, make_user
from vigil.core.models import Role, Store, User


@pytest.fixture
def chain(world: World) -> dict[str, Store]:
    """Vigil stores with the generated data's codes (S101 in region A, S102 in region B)."""
    return {
        "S101": make_store(world.region_a, "S101"),
        "S102": make_store(world.region_b, "S102"),
    }


@pytest.fixture
def investigator(chain: dict[str, Store]) -> User:
    return make_user(Role.LP_MANAGER, everything=True, username="investigator")
