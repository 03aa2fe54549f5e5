"""Ending an emergency with steps still open or people unaccounted for: the person in charge is
told what is open and confirms; without the confirmation the server refuses (page and API),
and the emergency stays active."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tests.conftest import World, client_for
from vigil.core.models import User
from vigil.safety import emergencies, playbooks
from vigil.safety.models import Emergency, EmergencyStatus, EntryKind


def _post(client: Client, path: str, body: Any = None) -> Any:
    return client.post(path, data=json.dumps(body or {}), content_type="application/json")


def _evacuation_with_gaps(world: World, owner: User) -> Emergency:
    """An evacuation with 3 of its steps ticked and 2 of 12 people not at the assembly point."""
    emergency = emergencies.start(owner, world.store_a, "evacuation")
    playbook = playbooks.get("evacuation")
    assert playbook is not None
    for step in playbook.steps[:3]:
        emergencies.tick(owner, emergency, step.key)
    emergencies.record_headcount(owner, emergency, 10, 12)
    return emergency


def _still_active(emergency: Emergency) -> bool:
    emergency.refresh_from_db()
    emergency.incident.refresh_from_db()
    return (
        emergency.status == EmergencyStatus.ACTIVE
        and emergency.ended_at is None
        and not emergency.timeline.filter(kind=EntryKind.ENDED).exists()
        and emergency.incident.narrative == ""
    )


def test_ending_with_open_steps_and_people_unaccounted_for_needs_a_confirmation(
    world: World, owner: User
) -> None:
    emergency = _evacuation_with_gaps(world, owner)
    total = len(playbooks.get("evacuation").steps)  # type: ignore[union-attr]
    with pytest.raises(ValidationError) as refused:
        emergencies.end(owner, emergency)
    message = refused.value.message_dict["confirm"][0]
    assert f"{total - 3} of {total} steps still open" in message
    assert "2 people unaccounted for" in message
    open_step = playbooks.get("evacuation").steps[3]  # type: ignore[union-attr]
    assert open_step.text in message  # each open step named
    assert _still_active(emergency)


def test_a_confirmed_end_records_what_was_left_open(world: World, owner: User) -> None:
    emergency = _evacuation_with_gaps(world, owner)
    emergencies.end(owner, emergency, confirmed=True)
    assert emergency.status == EmergencyStatus.ENDED
    note = emergency.timeline.filter(kind=EntryKind.NOTE).get()
    assert "2 people unaccounted for (confirmed)" in note.text
    assert "unaccounted for (confirmed)" in emergency.incident.narrative


def test_an_emergency_with_every_step_done_and_everyone_counted_ends_at_once(
    world: World, owner: User
) -> None:
    emergency = emergencies.start(owner, world.store_a, "medical")
    for step in playbooks.get("medical").steps:  # type: ignore[union-attr]
        emergencies.tick(owner, emergency, step.key)
    emergencies.record_headcount(owner, emergency, 12, 12)
    assert not emergencies.still_open(emergency)
    assert emergencies.end(owner, emergency).status == EmergencyStatus.ENDED


def test_the_page_says_what_is_open_before_the_end_button(world: World, owner: User) -> None:
    emergency = _evacuation_with_gaps(world, owner)
    page = client_for(owner).get(f"/safety/emergencies/{emergency.number}/").content.decode()
    assert "Still open:" in page and "2 people unaccounted for" in page
    assert 'name="confirm"' in page and "Headcount 10 of 12 on shift" in page
    assert page.index("Still open:") < page.index("End the emergency</button>")


def test_the_page_refuses_the_end_without_the_confirmation(world: World, owner: User) -> None:
    emergency = _evacuation_with_gaps(world, owner)
    answer = client_for(owner).post(f"/safety/emergencies/{emergency.number}/end/", {})
    assert answer.status_code == 200
    body = answer.content.decode()
    assert "Confirm to end the emergency anyway" in body and 'role="alert"' in body
    assert _still_active(emergency)


def test_the_page_ends_it_with_the_confirmation(world: World, owner: User) -> None:
    emergency = _evacuation_with_gaps(world, owner)
    url = f"/safety/emergencies/{emergency.number}/end/"
    answer = client_for(owner).post(url, {"confirm": "yes"})
    assert answer.status_code == 302
    emergency.refresh_from_db()
    assert emergency.status == EmergencyStatus.ENDED


def test_the_api_refuses_the_end_without_the_confirmation(world: World, owner: User) -> None:
    emergency = _evacuation_with_gaps(world, owner)
    url = f"/api/v1/safety/emergencies/{emergency.number}/end"
    refused = _post(client_for(owner), url)
    assert refused.status_code == 422
    assert "2 people unaccounted for" in refused.json()["error"]["details"]["confirm"][0]
    assert _still_active(emergency)
    ended = _post(client_for(owner), url, {"confirm": True})
    assert ended.status_code == 200 and ended.json()["status"] == "ended"


def test_an_overlong_review_is_refused_on_its_field(world: World, owner: User) -> None:
    emergency = emergencies.start(owner, world.store_a, "medical")
    emergencies.end(owner, emergency, confirmed=True)
    answer = client_for(owner).post(
        f"/safety/emergencies/{emergency.number}/review/",
        {"went_well": "w" * 4_001, "to_change": "Check the kit weekly"},
    )
    body = answer.content.decode()
    assert "4,000 characters or fewer" in body
    assert "Check the kit weekly" in body  # what was typed is kept
    emergency.refresh_from_db()
    assert emergency.reviewed_at is None


def test_a_long_timeline_still_fits_the_incident_narrative(world: World, owner: User) -> None:
    from vigil.core.limits import LONG_TEXT_CHARS, characters

    emergency = emergencies.start(owner, world.store_a, "medical")
    for number in range(60):
        emergencies.add_note(owner, emergency, f"Update {number}: " + "still waiting " * 30)
    emergencies.end(owner, emergency, confirmed=True)
    narrative = emergency.incident.narrative
    assert characters(narrative) <= LONG_TEXT_CHARS
    assert narrative.splitlines()[-1].endswith(f"see {emergency.number} for all of them.")
