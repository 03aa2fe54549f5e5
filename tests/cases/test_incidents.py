"""Incidents through the API: filing, loss figures, people involved, search, and scope."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.test import Client

from tests.conftest import World, client_for, make_incident, make_user
from vigil.cases.models import Incident
from vigil.core.models import Role, User


def post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json")


def patch(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.patch(url, data=json.dumps(body), content_type="application/json")


INCIDENT = {
    "store": "SA1",
    "kind": "shoplifting",
    "summary": "Subject left with two razor packs",
    "occurred_at": "2026-11-20T14:32:00-06:00",
    "location": "Aisle 7",
    "merchandise_value": "59.98",
    "recovered_value": "29.99",
}


def test_an_officer_files_an_incident_with_a_reference_number(world: World, teammate: User) -> None:
    response = post(client_for(teammate), "/api/v1/incidents", INCIDENT)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"].startswith("INC-")
    assert body["reported_by"] == "teammate"
    assert Decimal(body["net_loss"]) == Decimal("29.99")


def test_reference_numbers_are_sequential(world: World, owner: User) -> None:
    first = make_incident(world.store_a, owner)
    second = make_incident(world.store_a, owner)
    assert int(second.number.rsplit("-", 1)[1]) == int(first.number.rsplit("-", 1)[1]) + 1


def test_recovered_value_cannot_exceed_the_merchandise_value(world: World, owner: User) -> None:
    response = post(client_for(owner), "/api/v1/incidents", {**INCIDENT, "recovered_value": "99"})
    assert response.status_code == 422
    assert "recovered_value" in response.json()["error"]["message"]
    assert not Incident.objects.exists()


def test_an_unknown_field_is_refused(world: World, owner: User) -> None:
    response = post(client_for(owner), "/api/v1/incidents", {**INCIDENT, "sevrity": "high"})
    assert response.status_code == 422
    assert "sevrity" in response.json()["error"]["message"]


def test_filing_for_another_store_is_not_found(world: World, owner: User) -> None:
    response = post(client_for(owner), "/api/v1/incidents", {**INCIDENT, "store": "SB1"})
    assert response.status_code == 404
    assert not Incident.objects.exists()


def test_an_executive_cannot_file_incidents(world: World) -> None:
    executive = make_user(Role.EXECUTIVE, stores=(world.store_a,))
    response = post(client_for(executive), "/api/v1/incidents", INCIDENT)
    assert response.status_code == 403


def test_outsider_gets_404_for_an_incident_of_another_store(
    world: World, owner: User, outsider: User
) -> None:
    incident = make_incident(world.store_a, owner)
    client = client_for(outsider)
    assert client.get(f"/api/v1/incidents/{incident.number}").status_code == 404
    assert (
        patch(client, f"/api/v1/incidents/{incident.number}", {"summary": "x"}).status_code == 404
    )
    listed = client.get("/api/v1/incidents").json()
    assert listed["count"] == 0


def test_a_closed_incident_must_be_reopened_before_it_changes(world: World, owner: User) -> None:
    incident = make_incident(world.store_a, owner)
    client = client_for(owner)
    url = f"/api/v1/incidents/{incident.number}"
    assert patch(client, url, {"status": "closed"}).status_code == 200
    assert patch(client, url, {"summary": "changed"}).status_code == 422
    assert patch(client, url, {"status": "open", "summary": "changed"}).status_code == 200


def test_incidents_are_found_by_text_type_status_and_date(world: World, owner: User) -> None:
    make_incident(world.store_a, owner, summary="Fitting room tags found", kind="other")
    make_incident(world.store_a, owner, summary="Razor sweep", kind="orc")
    client = client_for(owner)
    assert client.get("/api/v1/incidents?q=razor").json()["count"] == 1
    assert client.get("/api/v1/incidents?kind=other").json()["count"] == 1
    assert client.get("/api/v1/incidents?status=closed").json()["count"] == 0
    assert client.get("/api/v1/incidents?since=2000-01-01&store=SA1").json()["count"] == 2
    assert client.get("/api/v1/incidents?until=2000-01-01").json()["count"] == 0


def test_people_involved_are_named_on_the_incident(world: World, owner: User) -> None:
    incident = make_incident(world.store_a, owner)
    response = post(
        client_for(owner),
        f"/api/v1/incidents/{incident.number}/parties",
        {"role": "witness", "name": "Sam Cashier", "contact": "ext 204"},
    )
    assert response.status_code == 201
    parties = client_for(owner).get(f"/api/v1/incidents/{incident.number}").json()["parties"]
    assert [(p["role"], p["name"]) for p in parties] == [("witness", "Sam Cashier")]


def test_every_change_to_an_incident_is_in_the_audit_log(world: World, owner: User) -> None:
    from vigil.core.models import AuditEvent

    incident = make_incident(world.store_a, owner)
    patch(client_for(owner), f"/api/v1/incidents/{incident.number}", {"disposition": "apprehended"})
    events = AuditEvent.objects.filter(object_type="cases.incident", object_id=str(incident.pk))
    assert {event.action for event in events} == {"create", "update"}
    update = events.get(action="update")
    assert update.changes["disposition"] == ["pending", "apprehended"]
