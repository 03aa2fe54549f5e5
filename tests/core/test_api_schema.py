"""What the API promises in its schema holds: pages past the end, local opening hours, and one
schema per name."""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import World, client_for, make_user
from vigil.core.models import Role


def test_a_page_number_past_any_list_is_an_answer_not_a_crash(world: World) -> None:
    client = client_for(make_user(Role.ADMIN, everything=True))
    assert client.get("/api/v1/stores", {"page": 999_999}).json()["items"] == []
    assert client.get("/api/v1/stores", {"page": 10**20}).status_code == 422


def test_opening_hours_with_a_utc_offset_are_refused_with_a_reason(world: World) -> None:
    admin = client_for(make_user(Role.ADMIN, everything=True))
    body = {"opening_hours": [{"weekday": 0, "opens": "08:00:00+02:00", "closes": "21:00"}]}
    answer = admin.patch(
        f"/api/v1/stores/{world.store_a.code}", json.dumps(body), content_type="application/json"
    )
    assert answer.status_code == 422
    assert "without a UTC offset" in json.dumps(answer.json())


def test_opening_hours_are_published_as_local_times(world: World) -> None:
    schema: dict[str, Any] = (
        client_for(make_user(Role.ADMIN, everything=True)).get("/api/v1/openapi.json").json()
    )
    hours = schema["components"]["schemas"]["OpeningHoursSchema"]["properties"]
    assert hours["opens"]["format"] == "partial-time"


def test_each_note_schema_has_a_name_of_its_own(world: World) -> None:
    schema = client_for(make_user(Role.ADMIN, everything=True)).get("/api/v1/openapi.json").json()
    names = schema["components"]["schemas"]
    assert {"CaseNoteIn", "TimelineNoteIn", "AlertNoteIn"} <= set(names)
    assert "NoteIn" not in names
