"""The safety and training APIs: an emergency run by a script, hazards, the OSHA log, and a
quiz attempt; another store's records are not found."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.test import Client
from django.utils import timezone

from tests.conftest import World, client_for, make_person
from vigil.core.models import EmployeeRole
from vigil.training import courses
from vigil.training.models import Module


def post(client: Client, path: str, body: Any = None) -> Any:
    return client.post(path, data=json.dumps(body or {}), content_type="application/json")


def test_an_emergency_through_the_api(world: World, owner) -> None:
    client = client_for(owner)
    started = post(client, "/api/v1/safety/emergencies", {"store": "SA1", "playbook": "fire-alarm"})
    assert started.status_code == 201
    number = started.json()["number"]
    assert (
        post(client, f"/api/v1/safety/emergencies/{number}/steps", {"step": "call"})
        .json()["text"]
        .startswith("Call 911")
    )
    post(client, f"/api/v1/safety/emergencies/{number}/responders", {"agency": "Fire"})
    post(client, f"/api/v1/safety/emergencies/{number}/headcount", {"counted": 12, "expected": 12})
    ended = post(client, f"/api/v1/safety/emergencies/{number}/end", {"confirm": True})
    assert ended.json()["status"] == "ended"
    kinds = [e["kind"] for e in client.get(f"/api/v1/safety/emergencies/{number}/timeline").json()]
    assert kinds == ["started", "step", "called", "headcount", "note", "ended"]


def test_hazards_and_the_osha_log_through_the_api(world: World, owner, outsider) -> None:
    client = client_for(owner)
    report = {"store": "SA1", "place": "Dock", "description": "Oil", "severity": "low"}
    hazard = post(client, "/api/v1/safety/hazards", report)
    assert hazard.status_code == 201 and hazard.json()["action"].startswith("CA-")
    person = make_person(world.store_a, EmployeeRole.CASHIER, name="Sam Private")
    case = post(client, "/api/v1/safety/osha/cases", {
        "store": "SA1", "employee_id": person.employee_id, "job_title": "Cashier",
        "date_of_injury": "2026-04-02", "where_occurred": "Register 2",
        "description": "Mental illness", "outcome": "other", "injury_type": "other_illness",
        "privacy": "mental"})  # fmt: skip
    assert case.status_code == 201 and case.json()["name"] == "privacy case"
    log = client.get("/api/v1/safety/osha/SA1/2026/cases").json()
    assert [row["name"] for row in log] == ["privacy case"]
    assert client.get("/api/v1/safety/osha/SA1/2026/summary").json()["other_cases"] == 1
    assert client_for(outsider).get("/api/v1/safety/osha/SA1/2026/cases").status_code == 404


def test_training_through_the_api(world: World, owner) -> None:
    make_person(world.store_a, EmployeeRole.CASHIER)
    client = client_for(owner)
    due = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    order = {"module": "de-escalation", "stores": ["SA1"], "roles": ["cashier"], "due_on": due}
    made = post(client, "/api/v1/training/assignments", order)
    assert made.status_code == 201
    (assignment,) = made.json()
    answers = [q.answer for q in courses.questions_of(Module.objects.get(key="de-escalation"))]
    tried = post(
        client, f"/api/v1/training/assignments/{assignment['id']}/attempts", {"answers": answers}
    )
    assert tried.status_code == 201 and tried.json()["passed"] is True


def test_a_headcount_no_column_can_hold_is_refused_not_a_crash(world: World, owner) -> None:
    client = client_for(owner)
    started = post(client, "/api/v1/safety/emergencies", {"store": "SA1", "playbook": "fire-alarm"})
    number = started.json()["number"]
    answer = post(client, f"/api/v1/safety/emergencies/{number}/headcount", {"counted": 2**31})
    assert answer.status_code == 422
    assert answer.json()["error"]["details"][0]["loc"] == ["body", "payload", "counted"]
    kinds = [e["kind"] for e in client.get(f"/api/v1/safety/emergencies/{number}/timeline").json()]
    assert "headcount" not in kinds
