"""Input no database can keep is refused by name (422), never a 500 from PostgreSQL."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from tests.conftest import World, make_incident
from vigil.core.models import User


def _send(client: Client, method: str, url: str, body: dict[str, Any]) -> Any:
    call = getattr(client, method)
    return call(url, json.dumps(body), content_type="application/json")


def test_a_nul_character_in_a_field_is_refused_naming_the_field(
    world: World, owner: User, owner_client: Client
) -> None:
    incident = make_incident(world.store_a, owner)
    body = {"started_at": "2026-03-01T10:00:00-06:00", "present": "Pat\x00 Officer"}
    answer = _send(owner_client, "post", f"/api/v1/incidents/{incident.number}/stops", body)
    assert answer.status_code == 422
    assert answer.json()["error"]["message"].startswith("present: contains a NUL character")
    assert not incident.stop_records.exists()


def test_a_nul_character_in_a_filter_is_refused(world: World, owner_client: Client) -> None:
    answer = owner_client.get("/api/v1/subjects", {"store": "SA1\x00"})
    assert answer.status_code == 422
    assert answer.json()["error"]["details"][0]["loc"] == ["filters", "store"]


def test_a_utc_offset_no_place_uses_is_refused(
    world: World, owner: User, owner_client: Client
) -> None:
    incident = make_incident(world.store_a, owner)
    body = {"started_at": "2026-03-01T10:00:00+21:37"}
    answer = _send(owner_client, "post", f"/api/v1/incidents/{incident.number}/stops", body)
    assert answer.status_code == 422
    assert "UTC offset from -14:00 to +14:00" in answer.json()["error"]["message"]
    body = {"started_at": "2026-03-01T10:00:00+14:00"}
    answer = _send(owner_client, "post", f"/api/v1/incidents/{incident.number}/stops", body)
    assert answer.status_code == 201
