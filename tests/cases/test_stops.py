"""The stop record: every element recorded, and a clear warning when one is missing."""

from __future__ import annotations

import json

from tests.cases.test_incidents import patch, post
from tests.conftest import World, client_for, make_incident
from vigil.cases.models import StopElement
from vigil.core.models import User


def start_stop(world: World, owner: User) -> dict:
    incident = make_incident(world.store_a, owner)
    response = post(
        client_for(owner),
        f"/api/v1/incidents/{incident.number}/stops",
        {"started_at": "2026-11-20T14:36:00-06:00", "present": "P. Officer, S. Manager"},
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_a_new_stop_warns_about_every_element(world: World, owner: User) -> None:
    stop = start_stop(world, owner)
    assert len(stop["warnings"]) == len(StopElement)
    assert all("not recorded" in warning for warning in stop["warnings"])


def test_observed_elements_clear_their_warnings(world: World, owner: User) -> None:
    stop = start_stop(world, owner)
    client = client_for(owner)
    for element in StopElement.values:
        response = client.put(
            f"/api/v1/stops/{stop['id']}/elements/{element}",
            data=json.dumps({"status": "observed", "observed_by": "P. Officer"}),
            content_type="application/json",
        )
        assert response.status_code == 200, response.content
    assert client.get(f"/api/v1/stops/{stop['id']}").json()["warnings"] == []


def test_an_element_not_observed_is_a_loud_warning(world: World, owner: User) -> None:
    stop = start_stop(world, owner)
    client = client_for(owner)
    client.put(
        f"/api/v1/stops/{stop['id']}/elements/continuous_observation",
        data=json.dumps({"status": "not_observed", "notes": "Lost sight for 20 s"}),
        content_type="application/json",
    )
    warnings = client.get(f"/api/v1/stops/{stop['id']}").json()["warnings"]
    assert "Kept continuous observation: NOT observed." in warnings


def test_force_used_must_be_described(world: World, owner: User) -> None:
    stop = start_stop(world, owner)
    updated = patch(client_for(owner), f"/api/v1/stops/{stop['id']}", {"use_of_force": True})
    assert "Force was used but is not described." in updated.json()["warnings"]


def test_an_unknown_element_is_refused(world: World, owner: User) -> None:
    stop = start_stop(world, owner)
    response = client_for(owner).put(
        f"/api/v1/stops/{stop['id']}/elements/guessed_intent",
        data=json.dumps({"status": "observed"}),
        content_type="application/json",
    )
    assert response.status_code == 422


def test_outsider_gets_404_for_a_stop(world: World, owner: User, outsider: User) -> None:
    stop = start_stop(world, owner)
    assert client_for(outsider).get(f"/api/v1/stops/{stop['id']}").status_code == 404
