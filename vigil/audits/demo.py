"""The demo's month of floor walks at S101-S104: daily EAS checks at S101 and S102, weekly
exits, fire and safety walks, monthly walks of the rest. Most items pass; S102's razors are
often found untagged (a pattern the shrink reports can point at); older findings are fixed
and verified, recent ones are open, and one critical finding is overdue. Idempotent.
"""

from __future__ import annotations

import datetime as dt
import functools
import random

from django.db import transaction
from django.utils import timezone

from vigil.audits import actions, walks
from vigil.audits.checklists import Item
from vigil.audits.models import CorrectiveAction, FloorWalk
from vigil.audits.photos import PHOTOS
from vigil.core.context import acting_as, actor_for_user
from vigil.core.models import Store, User
from vigil.engines.video.clips import jpeg
from vigil.engines.video.scenes import background

DAYS = 30
STORES = ("S101", "S102", "S103", "S104")
DAILY_AT = ("S101", "S102")
WEEKLY = ("exits-alarms", "fire-life-safety", "general-safety")
MONTHLY = ("high-value", "cash-office", "receiving-backroom", "parking-lot")
FAIL_RATE = 0.03
WEAK_SPOTS = {("S102", "tag-razors"): 0.6, ("S102", "tag-pollution"): 0.3}
FIXED_AFTER_DAYS = 5


def seed() -> int:
    """The demo's walks unless they exist; how many were made."""
    if FloorWalk.objects.exists():
        return 0
    stores = {store.code: store for store in Store.objects.filter(code__in=STORES)}
    officer = User.objects.get(username="lp.officer")
    manager = User.objects.get(username="lp.manager")
    rng = random.Random(7)  # noqa: S311 (demo data, not secrets)
    today = timezone.localdate()
    made = 0
    with transaction.atomic(), acting_as(actor_for_user(manager, via="demo")):
        for store in stores.values():
            walks.schedule_defaults(manager, store)
        for days_ago in range(DAYS, 0, -1):
            day = today - dt.timedelta(days=days_ago)
            for code, store in stores.items():
                walker, checker = (officer, manager) if code == "S101" else (manager, officer)
                for key in _due_on(code, day):
                    _walk(walker, checker, store, key, day, rng)
                    made += 1
        _one_overdue_critical(officer, stores["S101"], today)
    return made + 1


def _due_on(code: str, day: dt.date) -> list[str]:
    keys = ["eas"] if code in DAILY_AT else []
    if day.weekday() == STORES.index(code):  # each store walks its weekly lists on its day
        keys += list(WEEKLY)
    if day.day == 3 + STORES.index(code):
        keys += list(MONTHLY)
    return keys


def _walk(
    walker: User, fixer: User, store: Store, key: str, day: dt.date, rng: random.Random
) -> FloorWalk:
    walk = walks.start_walk(walker, store, key)
    for item in walks.checklist_of(walk.checklist).items():
        if not item.scored:
            continue
        failing = rng.random() < WEAK_SPOTS.get((store.code, item.key), FAIL_RATE)
        failing = failing and not item.critical  # critical findings are kept rare: one, below
        walks.save_answer(walker, walk, item.key, _value(item, failing), _note(item, failing))
    _take_required_photos(walker, walk)
    walks.complete_walk(walker, walk)
    when = dt.datetime.combine(day, dt.time(7, 40), tzinfo=store.zone)
    FloorWalk.objects.filter(pk=walk.pk).update(started_at=when - dt.timedelta(minutes=25))
    FloorWalk.objects.filter(pk=walk.pk).update(completed_at=when)
    for action in walk.actions.all():
        CorrectiveAction.objects.filter(pk=action.pk).update(
            due_on=day + dt.timedelta(days=walks.ACTION_DAYS)
        )
        if (timezone.localdate() - day).days > FIXED_AFTER_DAYS:
            action.refresh_from_db()
            actions.mark_fixed(walker, action, "Fixed during the shift and checked")
            actions.verify(fixer, action)
    return walk


def _take_required_photos(walker: User, walk: FloorWalk) -> None:
    """The photos the checklist asks for (the fixture as found, the spot of a finding)."""
    for key in walks.still_to_record(walks.results(walk)):
        walks.attach_photo(walker, walk, key, PHOTOS.save_bytes(_demo_picture()))


@functools.cache
def _demo_picture() -> bytes:
    """One picture for every demo photo (kept by its hash, so stored once)."""
    return jpeg(background())


def _value(item: Item, failing: bool) -> str:
    if item.kind == "yes_no":
        return "no" if failing else "yes"
    if item.minimum is not None:
        return str(item.minimum - 6 if failing else item.minimum + 6)
    return str((item.maximum or 0) + 2 if failing else item.maximum or 0)


def _note(item: Item, failing: bool) -> str:
    if not failing:
        return ""
    if item.key == "tag-razors":
        return "Untagged cartridge packs on the end cap"
    return "Found on the walk"


def _one_overdue_critical(walker: User, store: Store, today: dt.date) -> None:
    """A detacher found loose three days ago, with a photo, still not fixed."""
    walk = walks.start_walk(walker, store, "eas")
    for item in walks.checklist_of(walk.checklist).items():
        if item.scored:
            failing = item.key == "detacher-secured"
            walks.save_answer(
                walker, walk, item.key, _value(item, failing),
                "Loose detacher under register 2" if failing else "",
            )  # fmt: skip
    photo = PHOTOS.save_bytes(jpeg(background()))
    walks.save_answer(walker, walk, "detacher-secured", "no", "Loose detacher under register 2",
                      photo_sha256=photo)  # fmt: skip
    _take_required_photos(walker, walk)
    walks.complete_walk(walker, walk)
    CorrectiveAction.objects.filter(walk=walk).update(due_on=today - dt.timedelta(days=2))
