"""Query budgets of the organisation's pages and API (stores, people, users, tokens, the audit
log, the dashboard): the same number of queries for 3 rows as for 30 (see ``tests.budgets``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from tests.budgets import assert_flat
from tests.conftest import World, client_for, make_person, make_store, make_user
from vigil.core import tokens
from vigil.core.models import AuditEvent, OpeningHours, Role, User

pytestmark = pytest.mark.django_db


def _stores(world: World, *users: User) -> Any:
    """Stores with their opening hours, in the users' scope."""

    def grow(count: int) -> None:
        for _ in range(count):
            store = make_store(world.region_a)
            for weekday in range(7):
                OpeningHours.objects.create(
                    store=store, weekday=weekday, opens=dt.time(8), closes=dt.time(22)
                )
            for user in users:
                user.stores.add(store)

    return grow


def _people(world: World) -> Any:
    def grow(count: int) -> None:
        for _ in range(count):
            make_person(world.store_a)

    return grow


def _users(world: World) -> Any:
    """Users with a person, stores and regions each."""

    def grow(count: int) -> None:
        for _ in range(count):
            user = make_user(Role.LP_OFFICER, stores=(world.store_a, world.store_b))
            user.regions.add(world.region_a)
            user.person = make_person(world.store_a)
            user.save()

    return grow


def _tokens(owner: User) -> Any:
    def grow(count: int) -> None:
        for number in range(count):
            tokens.issue(owner, name=f"worker {number}")

    return grow


def test_the_store_list_page_has_a_fixed_budget(
    world: World, owner: User, owner_client: Client
) -> None:
    assert_flat(owner_client, "/stores/", _stores(world, owner), budget=12)


def test_the_store_list_api_has_a_fixed_budget(
    world: World, owner: User, owner_client: Client
) -> None:
    assert_flat(owner_client, "/api/v1/stores", _stores(world, owner), budget=12)


def test_the_people_list_page_has_a_fixed_budget(world: World, owner_client: Client) -> None:
    assert_flat(owner_client, "/people/", _people(world), budget=12)


def test_the_people_list_api_has_a_fixed_budget(world: World, owner_client: Client) -> None:
    assert_flat(owner_client, "/api/v1/people", _people(world), budget=10)


def test_the_user_list_page_has_a_fixed_budget(world: World, admin_user: User) -> None:
    assert_flat(client_for(admin_user), "/users/", _users(world), budget=12)


def test_the_user_list_api_has_a_fixed_budget(world: World, admin_user: User) -> None:
    assert_flat(client_for(admin_user), "/api/v1/users", _users(world), budget=12)


def test_the_token_list_page_has_a_fixed_budget(owner: User, owner_client: Client) -> None:
    assert_flat(owner_client, "/tokens/", _tokens(owner), budget=12)


def test_the_token_list_api_has_a_fixed_budget(owner: User, owner_client: Client) -> None:
    assert_flat(owner_client, "/api/v1/tokens", _tokens(owner), budget=10)


def test_the_audit_log_page_has_a_fixed_budget(world: World, admin_user: User) -> None:
    # Every person added writes an audit event.
    assert_flat(client_for(admin_user), "/audit-log/", _people(world), budget=12)
    assert AuditEvent.objects.count() >= 30


def test_the_audit_event_api_has_a_fixed_budget(world: World, admin_user: User) -> None:
    assert_flat(client_for(admin_user), "/api/v1/audit-events", _people(world), budget=10)


def test_the_dashboard_has_a_fixed_budget_however_many_stores_and_people(
    world: World, owner: User, owner_client: Client
) -> None:
    grow_stores, grow_people = _stores(world, owner), _people(world)

    def grow(count: int) -> None:
        grow_stores(count)
        grow_people(count)

    # The LP manager's queue and trends (each role's dashboard: tests/reports).
    assert_flat(owner_client, "/", grow, budget=24)


def _work_of_every_kind(world: World, owner: User) -> Any:
    """For the owner (an LP manager of store A): cases with their tasks, statements, leads,
    actions to fix and to verify, alerts, requests and overdue training they assigned."""
    from django.utils import timezone

    from tests.core import test_work as made
    from vigil.audits.models import ActionStatus
    from vigil.core.models import EmployeeRole
    from vigil.training.models import Assignment

    fixer = make_user(Role.LP_OFFICER, stores=(world.store_a,))
    past = timezone.localdate() - dt.timedelta(days=2)

    def grow(count: int) -> None:
        for _ in range(count):
            made.a_case(world.store_a, owner)
            made.a_statement(world.store_a, owner)
            made.a_lead(world.store_a)
            made.an_action(world.store_a, owner)
            made.an_action(world.store_a, fixer, status=ActionStatus.FIXED, fixed_by=fixer)
            made.an_alert(world.store_a)
            made.a_request(world.store_a, owner)
            make_person(world.store_a, EmployeeRole.CASHIER)
            late = made.training_for(owner, world.store_a, EmployeeRole.CASHIER)
            Assignment.objects.filter(pk=late.pk).update(due_on=past)

    return grow


def test_my_work_has_a_fixed_budget_however_much_is_waiting(
    world: World, owner: User, owner_client: Client
) -> None:
    # Per source one bounded count and one page of items; the shell's own queries besides.
    assert_flat(owner_client, "/my-work/", _work_of_every_kind(world, owner), budget=28)
