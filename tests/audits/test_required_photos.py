"""Required photos on a floor walk: a walk does not complete without the photo its checklist
asks for (always, or when a finding calls for one). The refusal names the item, on the page
and in the API, and the walk stays a draft with nothing raised."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tests.conftest import World, client_for
from vigil.audits import walks
from vigil.audits.checklists import Checklist
from vigil.audits.models import CorrectiveAction, FloorWalk, WalkStatus
from vigil.audits.photos import PHOTOS
from vigil.core.models import User

from .conftest import PHOTO, answer_all


def _post(client: Client, path: str, body: Any) -> Any:
    return client.post(path, data=json.dumps(body), content_type="application/json")


def _draft(user: User, world: World, key: str = "eas", **overrides: Any) -> FloorWalk:
    """A walk with every scored item answered and no photo taken."""
    walk = walks.start_walk(user, world.store_a, key)
    answer_all(user, walk, photos=False, **overrides)
    return walk


def _is_untouched_draft(walk: FloorWalk) -> bool:
    walk.refresh_from_db()
    return walk.status == WalkStatus.DRAFT and walk.score is None and not walk.actions.exists()


def test_a_walk_without_its_required_photo_is_refused_on_that_item(
    world: World, owner: User
) -> None:
    walk = _draft(owner, world)
    with pytest.raises(ValidationError) as refused:
        walks.complete_walk(owner, walk)
    assert "Take the photo" in refused.value.message_dict["tagging-photo"][0]
    assert _is_untouched_draft(walk)


def test_a_note_does_not_stand_in_for_a_required_photo(world: World, owner: User) -> None:
    walk = _draft(owner, world)
    walks.save_answer(owner, walk, "tagging-photo", "", "Took no picture, fixture looked fine")
    with pytest.raises(ValidationError, match="Take the photo"):
        walks.complete_walk(owner, walk)


def test_the_walk_completes_once_the_photo_is_taken(world: World, owner: User) -> None:
    walk = _draft(owner, world)
    walks.attach_photo(owner, walk, "tagging-photo", PHOTOS.save_bytes(PHOTO))
    assert walks.complete_walk(owner, walk).status == WalkStatus.COMPLETED


def test_a_failed_finding_calls_for_its_photo(world: World, owner: User) -> None:
    walk = _draft(owner, world, "high-value", **{"empty-packaging": "3"})
    with pytest.raises(ValidationError) as refused:
        walks.complete_walk(owner, walk)
    message = refused.value.message_dict["packaging-photo"][0]
    assert "because this failed: Empty packaging found on the floor" in message
    assert _is_untouched_draft(walk)


def test_a_passed_finding_needs_no_photo(world: World, owner: User) -> None:
    walk = _draft(owner, world, "high-value")
    assert walks.complete_walk(owner, walk).status == WalkStatus.COMPLETED


def test_the_walk_page_marks_the_missing_photo_and_keeps_the_draft(
    world: World, owner: User
) -> None:
    walk = _draft(owner, world)
    client = client_for(owner)
    page = client.post(f"/audits/walks/{walk.number}/complete/", {"notes": "Quiet morning"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "1 item(s) still to answer, first: Photo of the razor fixture as found" in body
    assert 'data-item="tagging-photo"' in body and "Take the photo; the checklist" in body
    assert "Quiet morning" in body  # what was typed is kept
    assert _is_untouched_draft(walk)


def test_the_api_refuses_completion_with_the_missing_photo_as_a_field(
    world: World, owner: User
) -> None:
    walk = _draft(owner, world)
    done = _post(client_for(owner), f"/api/v1/audits/walks/{walk.number}/completion", {})
    assert done.status_code == 422
    assert "Take the photo" in done.json()["error"]["details"]["tagging-photo"][0]
    assert _is_untouched_draft(walk)
    assert not CorrectiveAction.objects.exists()


def test_overlong_walk_notes_are_refused(world: World, owner: User) -> None:
    walk = _draft(owner, world)
    walks.attach_photo(owner, walk, "tagging-photo", PHOTOS.save_bytes(PHOTO))
    with pytest.raises(ValidationError) as refused:
        walks.complete_walk(owner, walk, "n" * 4_001)
    assert "4,000 characters or fewer" in refused.value.message_dict["notes"][0]
    assert _is_untouched_draft(walk)


def test_a_required_if_failed_naming_no_item_is_a_checklist_error() -> None:
    item = {"key": "spot", "text": "Photo", "kind": "photo", "weight": 0}
    with pytest.raises(ValueError, match="required_if_failed names no item: spot -> nothing"):
        Checklist.model_validate(
            {
                "key": "x",
                "version": 1,
                "title": "X",
                "sections": [{"title": "S", "items": [{**item, "required_if_failed": "nothing"}]}],
            }
        )
