"""Query budgets of the alert feed, the cameras and the video API: the same number of queries
for 3 rows as for 30 (see ``tests.budgets``)."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.budgets import assert_flat
from tests.conftest import World, make_incident
from vigil.core.models import User
from vigil.video.models import Alert, AlertSource, Camera

pytestmark = pytest.mark.django_db
_uids = itertools.count(1)


def _alerts(world: World, owner: User) -> Any:
    """Alerts from several cameras, each handled by someone and raised into an incident."""

    def grow(count: int) -> None:
        for _ in range(count):
            number = next(_uids)
            camera = Camera.objects.create(store=world.store_a, name=f"aisle-{number}")
            Alert.objects.create(
                uid=f"alert-{number}",
                store=world.store_a,
                camera=camera,
                source=AlertSource.VIGIL,
                rule="loitering",
                started_at=timezone.now(),
                handled_by=owner,
                incident=make_incident(world.store_a, owner),
            )

    return grow


def _cameras(world: World) -> Any:
    def grow(count: int) -> None:
        for _ in range(count):
            Camera.objects.create(store=world.store_a, name=f"door-{next(_uids)}")

    return grow


def test_the_alert_feed_has_a_fixed_budget(world: World, owner: User, owner_client: Client) -> None:
    assert_flat(owner_client, "/alerts/", _alerts(world, owner), budget=16)


def test_the_alert_list_api_has_a_fixed_budget(
    world: World, owner: User, owner_client: Client
) -> None:
    assert_flat(owner_client, "/api/v1/video/alerts", _alerts(world, owner), budget=10)


def test_the_camera_list_page_has_a_fixed_budget(world: World, owner_client: Client) -> None:
    assert_flat(owner_client, "/cameras/", _cameras(world), budget=16)


def test_the_camera_list_api_has_a_fixed_budget(world: World, owner_client: Client) -> None:
    assert_flat(owner_client, "/api/v1/video/cameras", _cameras(world), budget=10)


def test_the_camera_health_page_has_a_fixed_budget(world: World, owner_client: Client) -> None:
    assert_flat(owner_client, "/cameras/health/", _cameras(world), budget=16)
