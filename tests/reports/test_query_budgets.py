"""Query budgets of the dashboards and report pages: each role's dashboard, the reports page,
the executive summary, store risk and the shrink overview run the same number of queries for
3 stores as for 30, each with its incidents, alerts, walks, training, counts and hot spots
(see ``tests.budgets``)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.budgets import assert_flat
from tests.conftest import World, client_for, make_incident, make_person, make_store, make_user
from tests.reports.conftest import scored_walk
from tests.reports.test_dashboards import add_alert, rank_employee
from vigil.audits.models import Schedule
from vigil.core.models import Role, Store, User
from vigil.shrink.models import CountLine, Hotspot, ShrinkAnalysis
from vigil.training.models import Assignment, Module

pytestmark = pytest.mark.django_db
_skus = itertools.count(1)


def _analysis(world: World) -> ShrinkAnalysis:
    """An analysis of counts, its data set the scan's (rank_employee makes both)."""
    risk = rank_employee(world.store_a, make_person(world.store_a, name="Dana Whitfield"))
    analysis = ShrinkAnalysis.objects.create(
        data_set=risk.scan.data_set,
        first_count="2026-03-31",
        last_count="2026-04-30",
        rate_basis="cost over counted book value",
        chain_rate=0.02,
    )
    return analysis


def _count(analysis: ShrinkAnalysis, store: Store, department: str, day: str) -> None:
    CountLine.objects.create(
        analysis=analysis,
        store=store,
        sku=f"SKU{next(_skus)}",
        department=department,
        count_date=day,
        book_qty=100,
        counted_qty=90,
        unit_cost=4,
        unit_retail=10,
        shrink_units=10,
        shrink_cost=40,
        shrink_retail=100,
        book_cost=400,
    )


def _chain(world: World, chief: User, *members: User) -> Callable[[int], None]:
    """Stores in region A, each with an open incident, a new alert, a walk schedule and a
    completed walk, a training assignment, counts in two departments and a hot spot;
    ``members`` (scoped by store) are given each new store."""
    analysis = _analysis(world)
    module = Module.objects.first()
    today = timezone.localdate()

    def grow(count: int) -> None:
        for _ in range(count):
            store = make_store(world.region_a)
            for member in members:
                member.stores.add(store)
            make_incident(store, chief)
            add_alert(store)
            Schedule.objects.create(store=store, checklist_key="eas", frequency="daily")
            scored_walk(chief, store, 85, today - dt.timedelta(days=2))
            Assignment.objects.create(
                store=store,
                person=make_person(store),
                module=module,
                assigned_by=chief,
                due_on=today + dt.timedelta(days=7),
            )
            analysis.stores.add(store)
            for department in ("razors", "otc_medicine"):
                for day in ("2026-03-31", "2026-04-30"):
                    _count(analysis, store, department, day)
            Hotspot.objects.create(
                analysis=analysis,
                store=store,
                department="otc_medicine",
                rank=store.pk,
                shrink_cost=Decimal(80),
                shrink_rate=0.1,
                chain_rate=0.05,
                counted_units=200,
                lost_units=Decimal(20),
                reasons=["otc_medicine lost 10.0 %"],
            )

    return grow


# Queries per page, whatever the number of stores: the page's own few plus each section's.
DASHBOARD_BUDGETS = {
    Role.LP_OFFICER: 20,
    Role.STORE_MANAGER: 32,
    Role.LP_MANAGER: 34,
    Role.REGIONAL_DIRECTOR: 40,
    Role.EXECUTIVE: 40,
    Role.AUDITOR: 30,
    Role.ADMIN: 52,
}


@pytest.mark.parametrize("role", sorted(DASHBOARD_BUDGETS))
def test_each_roles_dashboard_has_a_fixed_budget_however_many_stores(
    role: str, world: World, admin_user: User
) -> None:
    if role in (Role.EXECUTIVE, Role.AUDITOR, Role.ADMIN):
        user = make_user(role, everything=True)
        grow = _chain(world, admin_user)
    elif role in (Role.LP_MANAGER, Role.REGIONAL_DIRECTOR):
        user = make_user(role, regions=(world.region_a,))
        grow = _chain(world, admin_user)
    else:
        user = make_user(role, stores=(world.store_a,))
        grow = _chain(world, admin_user, user)
    assert_flat(client_for(user), "/", grow, budget=DASHBOARD_BUDGETS[role])


@pytest.mark.parametrize(
    ("url", "budget"),
    [
        ("/reports/", 40),
        ("/reports/executive/?month=2026-04", 42),  # +2: civil recovery
        ("/reports/store-risk/", 20),
        ("/shrink/", 30),
    ],
)
def test_the_report_pages_have_a_fixed_budget_however_many_stores(
    url: str, budget: int, world: World, admin_user: User
) -> None:
    manager = make_user(Role.LP_MANAGER, regions=(world.region_a,))
    assert_flat(client_for(manager), url, _chain(world, admin_user), budget=budget)
