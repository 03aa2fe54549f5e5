"""Checklists, scoring, corrective actions and what is due."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.conftest import World, make_user
from vigil.audits import checklists, walks
from vigil.audits.models import ActionStatus, ChecklistVersion, Schedule
from vigil.audits.photos import PHOTOS
from vigil.core.models import Role, User

from .conftest import answer_all, completed_walk


def test_every_shipped_checklist_loads_and_is_installed(db) -> None:
    shipped = checklists.shipped()
    assert {c.key for c in shipped} == {
        "eas", "exits-alarms", "fire-life-safety", "high-value", "cash-office",
        "receiving-backroom", "parking-lot", "general-safety",
    }  # fmt: skip
    assert ChecklistVersion.objects.count() == len(shipped)  # installed by migrate
    assert walks.install_checklists() == 0  # and only once
    eas = next(c for c in shipped if c.key == "eas")
    assert eas.frequency == "daily" and any(item.critical for item in eas.items())


def test_a_walk_with_every_item_passing_scores_100_and_raises_nothing(world: World, owner) -> None:
    walk = completed_walk(owner, world.store_a)
    assert walk.score == Decimal("100.0") and walk.passed and walk.critical_failures == 0
    assert walk.actions.count() == 0


def test_the_score_is_passed_weight_over_applicable_weight(world: World, owner) -> None:
    # tag-razors (weight 2) fails; side-exit and pharmacy-exit (3 + 2) do not apply.
    walk = completed_walk(
        owner, world.store_a, **{"tag-razors": "no", "side-exit": "na", "pharmacy-exit": "na"}
    )
    checklist = walks.checklist_of(walk.checklist)
    applicable = sum(
        i.weight
        for i in checklist.items()
        if i.scored and i.key not in {"side-exit", "pharmacy-exit"}
    )
    assert walk.score == (Decimal((applicable - 2) * 100) / applicable).quantize(Decimal("0.1"))


def test_a_failed_critical_item_fails_the_walk_whatever_the_score(world: World, owner) -> None:
    walk = completed_walk(owner, world.store_a, **{"detacher-secured": "no"})
    assert walk.score > 90 and walk.critical_failures == 1 and walk.passed is False
    (action,) = walk.actions.all()
    assert action.critical and action.due_on == timezone.localdate() + dt.timedelta(days=1)
    assert action.owner == owner and action.status == ActionStatus.OPEN


def test_numbers_outside_their_limits_fail_and_say_so(world: World, owner) -> None:
    walk = completed_walk(owner, world.store_a, **{"front-distance": "18", "detacher-count": "2"})
    titles = sorted(a.title for a in walk.actions.all())
    assert titles == [
        "Detachers counted against the register list",
        "Widest distance from a pedestal at which the test tag still alarms (inches)",
    ]
    distance = walk.actions.get(item_key="front-distance")
    assert "answered 18 inches" in distance.detail
    assert distance.due_on == timezone.localdate() + dt.timedelta(days=7)


def test_a_walk_cannot_complete_with_items_unanswered(world: World, owner) -> None:
    walk = walks.start_walk(owner, world.store_a, "eas")
    walks.save_answer(owner, walk, "front-knee", "yes")
    with pytest.raises(ValidationError, match="item\\(s\\) still to answer"):
        walks.complete_walk(owner, walk)


def test_answers_are_checked_against_their_item(world: World, owner) -> None:
    walk = walks.start_walk(owner, world.store_a, "eas")
    with pytest.raises(ValidationError, match="Answer no / yes"):
        walks.save_answer(owner, walk, "front-knee", "na")  # n.a. is not allowed here
    with pytest.raises(ValidationError, match="is not a number"):
        walks.save_answer(owner, walk, "front-distance", "far")
    with pytest.raises(ValidationError, match="No item"):
        walks.save_answer(owner, walk, "made-up", "yes")


def test_a_completed_walk_no_longer_changes(world: World, owner) -> None:
    walk = completed_walk(owner, world.store_a)
    with pytest.raises(ValidationError, match="completed"):
        walks.save_answer(owner, walk, "front-knee", "no")


def test_a_viewer_cannot_walk(world: World) -> None:
    executive = make_user(Role.EXECUTIVE, stores=(world.store_a,))
    with pytest.raises(Exception, match="may not"):
        walks.start_walk(executive, world.store_a, "eas")


class TestDue:
    def schedule(self, world: World, frequency: str) -> Schedule:
        return Schedule.objects.create(
            store=world.store_a, checklist_key="eas", frequency=frequency
        )

    def state(self, world: World, now: dt.datetime) -> str:
        (due,) = walks.due_states(Schedule.objects.filter(store=world.store_a), now)
        return due.state

    def test_never_walked_is_overdue(self, world: World) -> None:
        self.schedule(world, "daily")
        assert self.state(world, timezone.now()) == "overdue"

    def test_daily_is_due_a_day_after_and_overdue_two_days_after(self, world, owner: User) -> None:
        self.schedule(world, "daily")
        walk = completed_walk(owner, world.store_a)
        done = walk.completed_at
        assert self.state(world, done + dt.timedelta(hours=23)) == "ok"
        assert self.state(world, done + dt.timedelta(hours=25)) == "due"
        assert self.state(world, done + dt.timedelta(hours=49)) == "overdue"

    def test_weekly_has_two_days_of_grace(self, world, owner: User) -> None:
        self.schedule(world, "weekly")
        done = completed_walk(owner, world.store_a).completed_at
        assert self.state(world, done + dt.timedelta(days=8)) == "due"
        assert self.state(world, done + dt.timedelta(days=9, minutes=1)) == "overdue"

    def test_the_standard_schedule_covers_every_checklist_once(self, world, owner) -> None:
        assert walks.schedule_defaults(owner, world.store_a) == 8
        assert walks.schedule_defaults(owner, world.store_a) == 0
        frequencies = dict(Schedule.objects.values_list("checklist_key", "frequency"))
        assert frequencies["eas"] == "daily" and frequencies["cash-office"] == "monthly"


def test_answer_all_helper_covers_every_scored_item(world: World, owner) -> None:
    walk = walks.start_walk(owner, world.store_a, "fire-life-safety")
    answer_all(owner, walk)
    assert walks.complete_walk(owner, walk).passed


def test_what_is_due_is_found_in_a_fixed_number_of_queries(
    world: World, owner, django_assert_max_num_queries
) -> None:
    walks.schedule_defaults(owner, world.store_a)
    walks.schedule_defaults(owner, world.store_b)
    completed_walk(owner, world.store_a)
    completed_walk(owner, world.store_a, key="general-safety")
    with django_assert_max_num_queries(4):
        states = walks.due_states(Schedule.objects.all())
    done = {
        s.schedule.checklist_key
        for s in states
        if s.last_walk and s.schedule.store == world.store_a
    }
    assert done == {"eas", "general-safety"} and len(states) == 16


def test_a_photo_and_an_answer_sent_separately_do_not_undo_each_other(world: World, owner) -> None:
    from vigil.audits.models import Answer

    from .conftest import PHOTO

    walk = walks.start_walk(owner, world.store_a, "eas")
    sha256 = PHOTOS.save_bytes(PHOTO)
    walks.attach_photo(owner, walk, "tag-razors", sha256)  # the photo first, before any answer
    walks.save_answer(owner, walk, "tag-razors", "no", "6 untagged")
    answer = Answer.objects.get(walk=walk, item_key="tag-razors")
    assert (answer.value, answer.note, answer.photo_sha256) == ("no", "6 untagged", sha256)
    walks.attach_photo(owner, walk, "tag-razors", PHOTOS.save_bytes(PHOTO + b"\0"))  # retaken
    answer.refresh_from_db()
    assert (answer.value, answer.note) == ("no", "6 untagged") and answer.photo_sha256 != sha256
