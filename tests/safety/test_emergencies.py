"""Emergency playbooks: an incident opened, a timeline of who did what when, the review."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.conftest import World, client_for
from vigil.safety import emergencies, playbooks
from vigil.safety.models import EntryKind


def test_every_playbook_is_shipped_with_steps() -> None:
    assert set(playbooks.all_playbooks()) == {
        "medical", "fire-alarm", "evacuation", "active-threat", "severe-weather",
        "bomb-threat", "hazardous-spill",
    }  # fmt: skip
    assert playbooks.get("fire-alarm").incident_type == "fire_alarm"


def test_starting_a_playbook_opens_an_incident_and_the_timeline(world: World, owner) -> None:
    emergency = emergencies.start(owner, world.store_a, "fire-alarm", "Garden centre")
    assert (
        emergency.incident.kind == "fire_alarm" and emergency.incident.location == "Garden centre"
    )
    (first,) = emergency.timeline.all()
    assert first.kind == EntryKind.STARTED and first.by == owner


def test_each_step_is_ticked_once_with_time_and_who(world: World, owner, teammate) -> None:
    emergency = emergencies.start(owner, world.store_a, "fire-alarm")
    entry = emergencies.tick(teammate, emergency, "call")
    assert entry.by == teammate and entry.text.startswith("Call 911")
    with pytest.raises(ValidationError, match="already done"):
        emergencies.tick(owner, emergency, "call")
    with pytest.raises(ValidationError, match="No step"):
        emergencies.tick(owner, emergency, "panic")
    steps = emergencies.steps_with_state(emergency)
    assert [step.key for step, done in steps if done] == ["call"]


def test_responders_record_how_long_they_took(world: World, owner) -> None:
    emergency = emergencies.start(owner, world.store_a, "medical")
    responder = emergencies.responder_called(owner, emergency, "EMS", "Medic 4")
    responder.called_at = timezone.now() - dt.timedelta(minutes=7)
    responder.save()
    emergencies.responder_arrived(owner, emergency, responder)
    last = emergency.timeline.last()
    assert last.text == "EMS Medic 4 arrived (7 min after the call)"
    with pytest.raises(ValidationError, match="Already"):
        emergencies.responder_arrived(owner, emergency, responder)


def test_a_short_headcount_says_how_many_are_missing(world: World, owner) -> None:
    emergency = emergencies.start(owner, world.store_a, "evacuation")
    entry = emergencies.record_headcount(owner, emergency, 17, 18)
    assert entry.text == "Headcount at the assembly point: 17 of 18 on shift (1 missing)"


def test_ending_writes_the_timeline_into_the_incident_and_closes_it(world, owner) -> None:
    emergency = emergencies.start(owner, world.store_a, "fire-alarm")
    emergencies.tick(owner, emergency, "call")
    emergencies.add_note(owner, emergency, "Smoke from the compactor")
    emergencies.end(owner, emergency, confirmed=True)
    narrative = emergency.incident.narrative
    assert "Call 911" in narrative and "Smoke from the compactor" in narrative
    assert narrative.splitlines()[-1].endswith(f"Emergency ended ({owner})")
    with pytest.raises(ValidationError, match="has ended"):
        emergencies.add_note(owner, emergency, "late")


def test_the_review_needs_both_answers_and_an_ended_emergency(world, owner) -> None:
    emergency = emergencies.start(owner, world.store_a, "medical")
    with pytest.raises(ValidationError, match="End the emergency"):
        emergencies.review(owner, emergency, "a", "b")
    emergencies.end(owner, emergency, confirmed=True)
    with pytest.raises(ValidationError, match="both"):
        emergencies.review(owner, emergency, "Fast call", " ")
    emergencies.review(owner, emergency, "Fast call", "AED was behind boxes")
    assert emergency.reviewed_by == owner


def test_the_pdf_is_the_timeline(world: World, owner) -> None:
    emergency = emergencies.start(owner, world.store_a, "fire-alarm")
    emergencies.tick(owner, emergency, "announce")
    emergencies.responder_called(owner, emergency, "Fire department", "Engine 12")
    emergencies.end(owner, emergency, confirmed=True)
    pdf = client_for(owner).get(f"/safety/emergencies/{emergency.number}/timeline.pdf")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True
    ).stdout.decode()
    assert "Announce the evacuation" in text and "Fire department Engine 12" in text
    assert emergency.incident.number in text


def test_a_step_ticked_from_the_page_returns_the_live_section(world: World, owner) -> None:
    client = client_for(owner)
    client.post("/safety/emergencies/start/", {"store": "SA1", "playbook": "fire-alarm"})
    emergency = world.store_a.emergencies.get()
    live = client.post(
        f"/safety/emergencies/{emergency.number}/step/", {"step": "call"},
        headers={"HX-Request": "true"},
    )  # fmt: skip
    body = live.content.decode()
    assert body.lstrip().startswith('<section id="emergency-live"') and "✓" in body


def test_a_hazard_raises_an_action_due_by_its_severity_with_its_photo(world, owner) -> None:
    from tests.audits.conftest import PHOTO
    from vigil.safety import hazards

    client = client_for(owner)
    form = {"store": "SA1", "place": "Aisle 4", "description": "Bleach spill", "severity": "high"}
    answer = client.post("/safety/hazards/", form)
    hazard = world.store_a.hazards.get()
    assert answer.url == f"/safety/hazards/{hazard.number}/"
    assert hazard.action.due_on == timezone.localdate() + dt.timedelta(days=2)
    assert hazard.action.critical and hazard.action.title == "Hazard at Aisle 4: Bleach spill"
    sent = client.generic("POST", f"/safety/hazards/{hazard.number}/photo/", PHOTO,
                          content_type="image/jpeg")  # fmt: skip
    assert sent.status_code == 200
    hazard.refresh_from_db()
    assert hazard.action.finding_photo_sha256 == hazard.photo_sha256 != ""
    with pytest.raises(ValidationError, match="Choose low"):
        hazards.report(owner, world.store_a, "Dock", "Broken pallet", "urgent")
