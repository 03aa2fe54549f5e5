"""The audits API: a walk started, answered and completed by a script, and its actions."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from tests.conftest import World, client_for
from vigil.audits import walks


def post(client: Client, path: str, body: Any) -> Any:
    return client.post(path, data=json.dumps(body), content_type="application/json")


def test_a_walk_through_the_api(world: World, owner, teammate) -> None:
    client = client_for(owner)
    listed = client.get("/api/v1/audits/checklists").json()
    assert {c["key"] for c in listed} >= {"eas", "general-safety"}
    walk = post(client, "/api/v1/audits/walks", {"store": "SA1", "checklist": "general-safety"})
    assert walk.status_code == 201
    number = walk.json()["number"]
    for item in ("wet-floors", "ladders", "cords", "shelf-loads", "top-stock"):
        value = "no" if item == "ladders" else "yes"
        post(client, f"/api/v1/audits/walks/{number}/answers", {"item": item, "value": value})
    done = post(client, f"/api/v1/audits/walks/{number}/completion", {"notes": ""}).json()
    assert done["status"] == "completed" and done["passed"] is False
    (action,) = client.get("/api/v1/audits/actions?status=open").json()["items"]
    fixed = post(client, f"/api/v1/audits/actions/{action['number']}/fix", {"note": "Stored"})
    assert fixed.json()["status"] == "fixed"
    verified = client_for(teammate).post(f"/api/v1/audits/actions/{action['number']}/verification")
    assert verified.json()["status"] == "verified"


def test_a_bad_answer_is_refused_by_field(world: World, owner) -> None:
    client = client_for(owner)
    walk = walks.start_walk(owner, world.store_a, "eas")
    answer = post(client, f"/api/v1/audits/walks/{walk.number}/answers",
                  {"item": "front-distance", "value": "far"})  # fmt: skip
    assert answer.status_code == 422 and "is not a number" in answer.content.decode()


def test_another_stores_walks_are_not_found(world: World, owner, outsider) -> None:
    walk = walks.start_walk(owner, world.store_a, "eas")
    client = client_for(outsider)
    assert client.get(f"/api/v1/audits/walks/{walk.number}").status_code == 404
    assert client.get("/api/v1/audits/walks").json()["count"] == 0
