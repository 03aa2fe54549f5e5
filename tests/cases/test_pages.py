"""The investigation pages: each renders for its users, and the floor forms do their job."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.cases.test_statements import PNG
from tests.conftest import (
    World,
    add_evidence,
    client_for,
    make_case,
    make_incident,
    make_subject,
)
from vigil.cases import casework, stops
from vigil.cases.models import Incident, Statement, Vehicle
from vigil.core.models import User


@pytest.fixture
def investigation(world: World, owner: User) -> dict[str, Any]:
    from django.utils import timezone

    incident = make_incident(world.store_a, owner, narrative="He was obviously stealing.")
    case = make_case(world.store_a, owner)
    casework.link(owner, case, incident)
    subject = make_subject(world.store_a, bolo_status="active", bolo_instructions="Call LP")
    vehicle = Vehicle.objects.create(store=world.store_a, plate="7XYZ321", make="Ford")
    note = casework.save_note(owner, case, "Spoke to the store manager.")
    stop = stops.record_stop(owner, incident, {"started_at": timezone.now()})
    item = add_evidence(owner, b"\x89PNG photo", filename="razors.png", incident=incident.number)
    return {
        "incident": incident,
        "case": case,
        "subject": subject,
        "vehicle": vehicle,
        "note": note,
        "stop": stop,
        "item": item,
    }


def test_every_investigation_page_renders(owner_client: Client, investigation: dict) -> None:
    incident, case = investigation["incident"], investigation["case"]
    item = investigation["item"]
    urls = [
        "/incidents/",
        "/incidents/?q=razor&kind=shoplifting&since=2020-01-01",
        "/incidents/new/",
        f"/incidents/{incident.number}/",
        f"/incidents/{incident.number}/edit/",
        f"/incidents/{incident.number}/stops/new/",
        f"/incidents/{incident.number}/statements/new/",
        f"/stops/{investigation['stop'].pk}/",
        "/cases/",
        "/cases/?mine=1&status=open",
        "/cases/new/",
        f"/cases/new/?incident={incident.number}",
        f"/cases/{case.number}/",
        f"/cases/{case.number}/edit/",
        f"/notes/{investigation['note'].pk}/",
        "/subjects/",
        "/subjects/?q=Jordan",
        "/subjects/new/",
        f"/subjects/{investigation['subject'].pk}/",
        "/vehicles/",
        f"/vehicles/{investigation['vehicle'].pk}/",
        "/evidence/",
        "/evidence/new/",
        f"/evidence/new/?incident={incident.number}",
        f"/evidence/{item.number}/",
    ]
    for url in urls:
        assert owner_client.get(url).status_code == 200, url


def test_the_capture_form_files_in_the_stores_time_zone(world: World, owner_client: Client) -> None:
    response = owner_client.post(
        "/incidents/new/",
        {
            "store": "SA1",
            "kind": "shoplifting",
            "summary": "Razors taken",
            "occurred_at": "2026-11-20T14:32",
            "location": "Aisle 7",
            "merchandise_value": "59.98",
        },
    )
    incident = Incident.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/incidents/{incident.number}/"
    # SA1 is in America/Chicago: 14:32 there is 20:32 UTC in November.
    assert incident.occurred_at.isoformat() == "2026-11-20T20:32:00+00:00"


def test_the_narrative_check_answers_while_typing(owner_client: Client, world: World) -> None:
    response = owner_client.post("/narrative-check/", {"narrative": "The thief ran."})
    body = response.content.decode()
    assert "thief" in body and "the subject" in body.lower()


def test_an_opinion_word_is_flagged_on_the_incident_page(
    owner_client: Client, investigation: dict
) -> None:
    body = owner_client.get(f"/incidents/{investigation['incident'].number}/").content.decode()
    assert "obviously" in body and "Remove it" in body


def test_recording_a_stop_element_from_the_page(owner_client: Client, investigation: dict) -> None:
    stop = investigation["stop"]
    owner_client.post(
        f"/stops/{stop.pk}/",
        {"element": "approach", "approach-status": "observed", "approach-observed_by": "Pat"},
    )
    observation = stop.observations.get(element="approach")
    assert (observation.status, observation.observed_by) == ("observed", "Pat")


def test_a_statement_is_taken_and_signed_from_the_pages(
    owner_client: Client, investigation: dict
) -> None:
    incident = investigation["incident"]
    owner_client.post(
        f"/incidents/{incident.number}/statements/new/",
        {
            "witness_name": "Sam Cashier",
            "started_at": "2026-11-20T15:00",
            "language": "English",
            "body": "I saw him leave by door 2.",
        },
    )
    statement = Statement.objects.get()
    owner_client.post(
        f"/statements/{statement.pk}/signature/",
        {"attested_name": "Sam Cashier", "signature_png": PNG},
    )
    statement.refresh_from_db()
    assert statement.status == "signed"
    assert statement.current.signature_png == PNG


def test_viewing_a_photo_on_its_page_is_logged(owner_client: Client, investigation: dict) -> None:
    item = investigation["item"]
    response = owner_client.get(f"/evidence/{item.number}/view/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"\x89PNG photo"
    assert item.custody.order_by("-seq").first().action == "viewed"


def test_a_case_is_closed_from_its_page_once_complete(
    owner_client: Client, investigation: dict
) -> None:
    case = investigation["case"]
    refused = owner_client.post(
        f"/cases/{case.number}/closure/", {"outcome": "Charged"}, follow=True
    )
    assert "Fill these before closing" in refused.content.decode()
    edit = {
        "title": case.title,
        "priority": "normal",
        "assignee": case.assignee.pk,
        "recovered_amount": "0",
    }
    edit.update({f"detail_{key}": "yes" for key in case.template.field_keys})
    owner_client.post(f"/cases/{case.number}/edit/", edit)
    owner_client.post(f"/cases/{case.number}/closure/", {"outcome": "Charged"})
    case.refresh_from_db()
    assert case.status == "closed"


def test_an_officer_sees_no_investigator_actions(
    world: World, teammate: User, investigation: dict
) -> None:
    body = client_for(teammate).get(f"/cases/{investigation['case'].number}/").content.decode()
    assert "Build police package" not in body
    assert client_for(teammate).get("/cases/new/").status_code == 403


def test_a_scanned_paper_statement_is_filed_from_the_page(
    owner_client: Client, investigation: dict
) -> None:
    incident, scan = investigation["incident"], investigation["item"]
    owner_client.post(
        f"/incidents/{incident.number}/statements/new/",
        {
            "witness_name": "Sam Cashier",
            "started_at": "2026-11-20T15:00",
            "language": "English",
            "scan": scan.number,
        },
    )
    statement = Statement.objects.get()
    assert statement.method == "scan"
    assert statement.current.scan == scan


def test_the_case_team_is_chosen_on_the_edit_page(
    owner_client: Client, investigation: dict, teammate: User
) -> None:
    case = investigation["case"]
    owner_client.post(
        f"/cases/{case.number}/edit/",
        {
            "title": case.title,
            "priority": "normal",
            "assignee": case.assignee.pk,
            "recovered_amount": "0",
            "team": [teammate.pk],
        },
    )
    assert list(case.team.all()) == [teammate]


def test_an_item_recorded_as_html_is_never_rendered_inline(
    owner: User, owner_client: Client, investigation: dict
) -> None:
    # Uploads of web pages are refused now (tests/evidence/test_filetypes.py); an item that
    # a version before that recorded with the sender's "text/html" is still only downloaded.
    page = add_evidence(
        owner, b"a note", filename="note.html", incident=investigation["incident"].number
    )
    type(page).objects.filter(pk=page.pk).update(media_type="text/html")
    response = owner_client.get(f"/evidence/{page.number}/view/")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert "sandbox" in response["Content-Security-Policy"]
