"""A small chain with counts: four stores, five weeks of generated POS data (seed 4 plants the
shrink hot spot in razors at S102), imported and scanned the way a retailer's data is."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from tests.conftest import World, make_store, make_user
from vigil.audits.models import Answer, ChecklistVersion, FloorWalk, WalkStatus
from vigil.core.models import Role, Store, User
from vigil.engines.pos.generator import generate
from vigil.pos import imports
from vigil.pos.models import DataSet

CODES = ("S101", "S102", "S103", "S104")


@pytest.fixture(scope="session")
def counted_chain_data(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    folder = tmp_path_factory.mktemp("shrink") / "data"
    truth = generate(folder, stores=4, days=35, seed=4, transactions_per_register_day=6)
    return folder, truth


@pytest.fixture
def chain(world: World) -> dict[str, Store]:
    """S101 and S102 in region A, S103 and S104 in region B."""
    regions = {"S101": world.region_a, "S102": world.region_a}
    return {code: make_store(regions.get(code, world.region_b), code) for code in CODES}


@pytest.fixture
def director(chain: dict[str, Store]) -> User:
    return make_user(Role.LP_MANAGER, everything=True, username="director")


def import_counts(user: User, folder: Path) -> DataSet:
    data_set = imports.import_data_set(user, folder, "Counted", "generated")
    imports.scan_data_set(data_set, user)
    return data_set


def tagging_walk(user: User, store: Store, item_key: str, value: str, day: dt.date) -> FloorWalk:
    """A completed EAS walk with one tagging answer, on ``day``."""
    version = ChecklistVersion.objects.filter(key="eas").latest("version")
    walk = FloorWalk.objects.create(
        number=f"FW-T-{FloorWalk.objects.count() + 1}",
        store=store,
        checklist=version,
        walked_by=user,
        status=WalkStatus.COMPLETED,
        completed_at=timezone.make_aware(dt.datetime.combine(day, dt.time(9))),
        score=90,
        passed=True,
    )
    Answer.objects.create(walk=walk, item_key=item_key, value=value)
    return walk
