"""Input limits on incidents and statements: no time that has not happened yet, no narrative or
statement longer than a report can take. Each refusal is a field error, on the page and in the
API, and stores nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from tests.cases.test_incidents import INCIDENT, patch, post
from tests.conftest import World, client_for, make_incident
from vigil.cases.models import Incident, Statement, StatementVersion
from vigil.core.limits import LONG_TEXT_CHARS, NOTE_CHARS
from vigil.core.models import User

NEXT_YEAR = (timezone.now() + timedelta(days=365)).strftime("%Y-%m-%dT%H:%M")
# 294,000 characters, as reported.
TOO_LONG = "Subject walked to aisle 7." * 11_307 + "Left by door 2 ok."


def _store_clock(minutes: int) -> str:
    """A time ``minutes`` from now on SA1's clock (America/Chicago), as the form's field sends."""
    import zoneinfo

    moment = timezone.now() + timedelta(minutes=minutes)
    return moment.astimezone(zoneinfo.ZoneInfo("America/Chicago")).strftime("%Y-%m-%dT%H:%M")


def _capture(client: Client, **fields: Any) -> Any:
    values = {
        "store": "SA1",
        "kind": "shoplifting",
        "summary": "Razors taken",
        "occurred_at": "2026-11-20T14:32",
        "location": "Aisle 7",
        "merchandise_value": "59.98",
        **fields,
    }
    return client.post("/incidents/new/", values)


# --- incidents: when it occurred -----------------------------------------------------


def test_an_incident_dated_next_year_is_refused_on_the_capture_form(
    world: World, owner_client: Client
) -> None:
    response = _capture(owner_client, occurred_at=NEXT_YEAR)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "has not happened yet" in errors["occurred_at"][0]
    assert "CST" in errors["occurred_at"][0]  # said on the store's clock
    assert not Incident.objects.exists()


def test_an_incident_a_minute_ahead_is_clock_skew_and_is_filed(
    world: World, owner_client: Client
) -> None:
    response = _capture(owner_client, occurred_at=_store_clock(2))
    assert response.status_code == 302
    assert Incident.objects.count() == 1


def test_an_incident_dated_next_year_is_refused_by_the_api(world: World, owner: User) -> None:
    future = (timezone.now() + timedelta(days=365)).isoformat()
    response = post(client_for(owner), "/api/v1/incidents", {**INCIDENT, "occurred_at": future})
    assert response.status_code == 422
    assert "has not happened yet" in response.json()["error"]["details"]["occurred_at"][0]
    assert not Incident.objects.exists()


def test_moving_an_incident_into_the_future_is_refused_by_the_api(
    world: World, owner: User
) -> None:
    incident = make_incident(world.store_a, owner)
    before = incident.occurred_at
    future = (timezone.now() + timedelta(hours=2)).isoformat()
    url = f"/api/v1/incidents/{incident.number}"
    response = patch(client_for(owner), url, {"occurred_at": future})
    assert response.status_code == 422
    assert "occurred_at" in response.json()["error"]["details"]
    incident.refresh_from_db()
    assert incident.occurred_at == before


# --- incidents: narrative length -----------------------------------------------------


def test_a_294000_character_narrative_is_refused_on_the_edit_page(
    world: World, owner_client: Client, owner: User
) -> None:
    incident = make_incident(world.store_a, owner)
    page = owner_client.get(f"/incidents/{incident.number}/edit/").content.decode()
    assert f'maxlength="{LONG_TEXT_CHARS}"' in page  # the counter's limit, on the box
    response = owner_client.post(
        f"/incidents/{incident.number}/edit/",
        {
            "kind": "shoplifting",
            "summary": incident.summary,
            "occurred_at": "2026-11-20T14:32",
            "narrative": TOO_LONG,
            "merchandise_value": "59.98",
            "recovered_value": "0",
            "status": "open",
            "disposition": "pending",
        },
    )
    assert response.status_code == 200
    error = response.context["form"].errors["narrative"][0]
    assert "20,000 characters or fewer; it has 294,000" in error
    incident.refresh_from_db()
    assert incident.narrative == ""


def test_a_294000_character_narrative_is_refused_by_the_api(world: World, owner: User) -> None:
    response = post(client_for(owner), "/api/v1/incidents", {**INCIDENT, "narrative": TOO_LONG})
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["loc"][-1] == "narrative"
    assert not Incident.objects.exists()


def test_a_narrative_at_the_limit_with_line_breaks_is_kept(world: World, owner: User) -> None:
    # The browser counts a line break once and sends it as \r\n; the server counts it once too.
    text = ("x" * 99 + "\r\n") * (LONG_TEXT_CHARS // 100)
    incident = make_incident(world.store_a, owner, narrative=text)
    assert incident.narrative == text


def test_a_party_note_over_the_limit_is_refused_by_the_api(world: World, owner: User) -> None:
    incident = make_incident(world.store_a, owner)
    url = f"/api/v1/incidents/{incident.number}/parties"
    body = {"role": "witness", "name": "Sam", "notes": "n" * (NOTE_CHARS + 1)}
    response = post(client_for(owner), url, body)
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["loc"][-1] == "notes"
    assert not incident.parties.exists()


# --- statements ----------------------------------------------------------------------


def _statement_form(**fields: Any) -> dict[str, Any]:
    return {
        "witness_name": "Sam Cashier",
        "started_at": "2026-11-20T15:00",
        "language": "English",
        "body": "I saw him leave by door 2.",
        **fields,
    }


def test_a_statement_dated_next_year_is_refused_on_the_page(
    world: World, owner_client: Client, owner: User
) -> None:
    incident = make_incident(world.store_a, owner)
    response = owner_client.post(
        f"/incidents/{incident.number}/statements/new/", _statement_form(started_at=NEXT_YEAR)
    )
    assert response.status_code == 200
    assert "has not happened yet" in response.context["form"].errors["started_at"][0]
    assert not Statement.objects.exists()


def test_a_statement_dated_next_year_is_refused_by_the_api(world: World, owner: User) -> None:
    incident = make_incident(world.store_a, owner)
    future = (timezone.now() + timedelta(days=365)).isoformat()
    response = post(
        client_for(owner),
        "/api/v1/statements",
        {"incident": incident.number, "witness_name": "Sam", "started_at": future, "body": "Hi"},
    )
    assert response.status_code == 422
    assert "has not happened yet" in response.json()["error"]["details"]["started_at"][0]
    assert not Statement.objects.exists()


def test_a_statement_that_ends_before_it_started_is_refused_by_the_api(
    world: World, owner: User
) -> None:
    incident = make_incident(world.store_a, owner)
    response = post(
        client_for(owner),
        "/api/v1/statements",
        {
            "incident": incident.number,
            "witness_name": "Sam",
            "started_at": "2026-11-20T15:00:00-06:00",
            "ended_at": "2026-11-20T14:00:00-06:00",
            "body": "I saw him.",
        },
    )
    assert response.status_code == 422
    assert "ended_at" in response.json()["error"]["details"]
    assert not Statement.objects.exists()


def test_a_statement_signed_with_an_end_in_the_future_is_refused(world: World, owner: User) -> None:
    incident = make_incident(world.store_a, owner)
    client = client_for(owner)
    taken = post(
        client,
        "/api/v1/statements",
        {
            "incident": incident.number,
            "witness_name": "Sam",
            "started_at": "2026-11-20T15:00:00-06:00",
            "body": "I saw him.",
        },
    ).json()
    future = (timezone.now() + timedelta(days=2)).isoformat()
    url = f"/api/v1/statements/{taken['id']}/signature"
    response = post(client, url, {"attested_name": "Sam", "ended_at": future})
    assert response.status_code == 422
    assert "ended_at" in response.json()["error"]["details"]
    statement = Statement.objects.get()
    assert statement.status == "draft" and statement.ended_at is None


def test_an_overlong_statement_is_refused_on_the_page(
    world: World, owner_client: Client, owner: User
) -> None:
    incident = make_incident(world.store_a, owner)
    response = owner_client.post(
        f"/incidents/{incident.number}/statements/new/", _statement_form(body=TOO_LONG)
    )
    assert response.status_code == 200
    assert "20,000 characters or fewer" in response.context["form"].errors["body"][0]
    assert not Statement.objects.exists()


def test_an_overlong_statement_is_refused_by_the_api(world: World, owner: User) -> None:
    incident = make_incident(world.store_a, owner)
    response = post(
        client_for(owner),
        "/api/v1/statements",
        {
            "incident": incident.number,
            "witness_name": "Sam",
            "started_at": "2026-11-20T15:00:00-06:00",
            "body": TOO_LONG,
        },
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["loc"][-1] == "body"
    assert not Statement.objects.exists()


def test_an_overlong_correction_stays_on_the_page_with_its_error(
    world: World, owner_client: Client, owner: User
) -> None:
    incident = make_incident(world.store_a, owner)
    owner_client.post(f"/incidents/{incident.number}/statements/new/", _statement_form())
    statement = Statement.objects.get()
    response = owner_client.post(
        f"/statements/{statement.pk}/versions/", {"body": TOO_LONG, "reason": ""}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "20,000 characters or fewer; it has 294,000" in page
    assert TOO_LONG[:200] in page  # the words are kept to shorten, not thrown away
    assert StatementVersion.objects.filter(statement=statement).count() == 1


def test_an_overlong_case_note_is_refused_by_the_api(world: World, owner: User) -> None:
    from tests.conftest import make_case

    case = make_case(world.store_a, owner)
    url = f"/api/v1/cases/{case.number}/notes"
    response = post(client_for(owner), url, {"body": TOO_LONG})
    assert response.status_code == 422
    assert not case.notes.exists()
