"""The demo retailer seeds once; running it again changes nothing."""

from __future__ import annotations

from typing import Any

from vigil.core import demo
from vigil.core.models import Person, Role, Store, User


def test_seeding_twice_creates_nothing_the_second_time(db: Any) -> None:
    first = demo.seed()
    second = demo.seed()
    assert first.created > 0
    assert second.created == 0
    assert Store.objects.count() == 6
    assert 100 <= Person.objects.count() <= 140
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)


def test_demo_logins_use_the_printed_password(db: Any) -> None:
    summary = demo.seed()
    officer = User.objects.get(username="lp.officer")
    assert officer.check_password(summary.password)
    assert list(officer.stores.values_list("code", flat=True)) == ["S101"]
