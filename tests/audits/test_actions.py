"""Corrective actions: fixed with a note (and a photo when critical), verified by another."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import World
from vigil.audits import actions
from vigil.audits.models import ActionStatus
from vigil.audits.photos import PHOTOS

from .conftest import PHOTO, completed_walk


def test_a_critical_fix_needs_a_note_and_a_photo_then_another_person_verifies(
    world: World, owner, teammate
) -> None:
    walk = completed_walk(owner, world.store_a, **{"detacher-secured": "no"})
    action = walk.actions.get()
    with pytest.raises(ValidationError, match="Say what was done"):
        actions.mark_fixed(owner, action, " ")
    with pytest.raises(ValidationError, match="needs a photo of the fix"):
        actions.mark_fixed(owner, action, "Tethered the detacher at register 3")
    actions.attach_fix_photo(owner, action, PHOTOS.save_bytes(PHOTO))
    actions.mark_fixed(owner, action, "Tethered the detacher at register 3")
    with pytest.raises(ValidationError, match="Someone other than the person who fixed it"):
        actions.verify(owner, action)
    actions.verify(teammate, action)
    assert action.status == ActionStatus.VERIFIED and action.verified_by == teammate


def test_an_open_action_past_its_due_date_is_overdue(world: World, owner) -> None:
    import datetime as dt

    from django.utils import timezone

    from vigil.audits.models import CorrectiveAction

    completed_walk(owner, world.store_a, **{"tag-razors": "no", "detacher-secured": "no"})
    CorrectiveAction.objects.filter(critical=True).update(
        due_on=timezone.localdate() - dt.timedelta(days=1)
    )
    overdue = actions.overdue(CorrectiveAction.objects.all())
    assert [a.item_key for a in overdue] == ["detacher-secured"]
