"""What the API promises in its schema holds: pages past the end, local opening hours, one
schema per name, the errors each operation can answer with, and the uploads' bodies."""

from __future__ import annotations

import json
from datetime import time
from typing import Any

import jsonschema_rs

from tests.conftest import World, client_for, make_subject, make_user
from vigil.core import records
from vigil.core.models import Role
from vigil.core.openapi import ErrorOut


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


def _schema(world: World) -> dict[str, Any]:
    admin = client_for(make_user(Role.ADMIN, everything=True))
    return dict(admin.get("/api/v1/openapi.json").json())


def test_a_served_opening_time_satisfies_its_published_schema(world: World) -> None:
    records.set_opening_hours(world.store_a, [(0, time(8), time(21))])
    admin = client_for(make_user(Role.ADMIN, everything=True))
    served = admin.get(f"/api/v1/stores/{world.store_a.code}").json()["opening_hours"][0]
    opens = _schema(world)["components"]["schemas"]["OpeningHoursSchema"]["properties"]["opens"]
    checker = jsonschema_rs.Draft202012Validator(opens, validate_formats=True)
    assert served["opens"] == "08:00:00" and checker.is_valid(served["opens"])
    assert not checker.is_valid("08:00:00+02:00")


def test_every_operation_declares_its_errors_in_the_one_error_shape(world: World) -> None:
    schema = _schema(world)
    subject = schema["paths"]["/api/v1/subjects/{subject_id}"]["get"]["responses"]
    assert {"200", "401", "403", "404", "422", "429"} <= set(subject)
    error = subject["404"]["content"]["application/json"]["schema"]
    assert error == {"$ref": "#/components/schemas/ErrorOut"}
    outsider = client_for(make_user(Role.ADMIN, stores=(world.store_b,)))
    answer = outsider.get(f"/api/v1/subjects/{make_subject(world.store_a).pk}")
    assert answer.status_code == 404
    ErrorOut.model_validate(answer.json())
    assert set(schema["paths"]["/api/v1/me"]["get"]["responses"]) == {"200", "401", "403", "429"}


def test_uploads_publish_their_file_as_the_body(world: World) -> None:
    upload = _schema(world)["paths"]["/api/v1/evidence"]["post"]
    body = upload["requestBody"]["content"]["application/octet-stream"]["schema"]
    assert body == {"type": "string", "format": "binary"}
    assert {"400", "411", "413"} <= set(upload["responses"])


def test_downloads_publish_the_file_they_answer_with(world: World) -> None:
    paths = _schema(world)["paths"]
    report = paths["/api/v1/incidents/{incident_number}/report.pdf"]["get"]["responses"]["200"]
    assert set(report["content"]) == {"application/pdf"}
    package = paths["/api/v1/packages/{package_number}/content"]["get"]["responses"]["200"]
    assert set(package["content"]) == {"application/zip"}
