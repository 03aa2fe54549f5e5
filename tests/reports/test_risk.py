"""Store risk: each signal judged against the median store, weighed, with reasons; a user
sees the stores they may see, with the same scores as anyone else."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.conftest import World, client_for, make_incident, make_store, make_user
from tests.reports.conftest import scored_walk
from vigil.core.models import Role
from vigil.reports import risk


@pytest.fixture
def three_stores(world: World) -> dict[str, object]:
    """SA1 with three thefts and a poor walk; SB1 and SC1 typical."""
    stores = {"SA1": world.store_a, "SB1": world.store_b, "SC1": make_store(world.region_b, "SC1")}
    chief = make_user(Role.ADMIN, everything=True, username="chief")
    recently = timezone.now() - dt.timedelta(days=5)
    for code, thefts in (("SA1", 3), ("SB1", 1), ("SC1", 1)):
        for _ in range(thefts):
            make_incident(stores[code], chief, occurred_at=recently)
    make_incident(stores["SA1"], chief, kind="medical_emergency", occurred_at=recently)
    today = timezone.localdate()
    for code, score in (("SA1", 70), ("SB1", 95), ("SC1", 90)):
        scored_walk(chief, stores[code], score, today - dt.timedelta(days=3))
    return stores


def test_the_store_above_the_median_on_everything_ranks_first_with_its_reasons(
    three_stores: dict[str, object], world: World
) -> None:
    chief = make_user(Role.EXECUTIVE, everything=True)
    ranked = risk.ranking(chief)
    assert [(r.store.code, r.score) for r in ranked] == [
        ("SA1", 100.0),
        ("SC1", 33.3),
        ("SB1", 25.0),
    ]
    first = ranked[0]
    assert first.reasons == [
        "3 theft incidents in 90 days (3.0x the median store)",
        "floor walks scored 70 % on average (1 walks) (3.0x the median store)",
    ]  # no counts, POS scans or training yet: those signals are left out
    assert {s.name for s in first.signals} == {"incidents", "audits"}


def test_a_store_user_sees_their_store_with_the_chain_wide_score(
    three_stores: dict[str, object], world: World, owner
) -> None:
    (only,) = risk.ranking(owner)
    assert (only.store.code, only.rank, only.score) == ("SA1", 1, 100.0)
    body = client_for(owner).get("/reports/store-risk/").content.decode()
    assert "SA1" in body and "SB1" not in body and "3 theft incidents in 90 days" in body
