"""One clock: every time a page shows names its zone (vigil.core.clock).

The page walk renders every named URL (the scope walk's route list and store-B objects) as
an admin of every store and fails on a date-time or a clock time with no zone after it, in
the visible text (attributes such as ``<time datetime>`` are machine-readable and skipped).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest
from django.template import Context, Template
from django.urls import get_resolver, reverse

from tests.conftest import World, client_for, make_user
from tests.core.test_scope_walk import store_b_objects, walk  # noqa: F401 (fixture)
from vigil.core import clock
from vigil.core.models import Role

CHICAGO = SimpleNamespace(timezone="America/Chicago")
JULY = datetime(2026, 7, 4, 17, 53, 7, tzinfo=UTC)
DECEMBER = datetime(2026, 12, 3, 17, 53, 7, tzinfo=UTC)

ZONE = r"\s*(?:\(?[A-Z]{2,5}\b|[+-]\d{2}(?::?\d{2})?\b)"
DATE_TIME = re.compile(
    r"(?:\d{4}-\d{2}-\d{2}[ T]|\d{1,2} [A-Z][a-z]{2}(?: \d{4})?, )\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
)
BARE_TIME = re.compile(r"(?<![\d:+-])\d{2}:\d{2}(?::\d{2})?(?![\d:.])")
# Opening hours are the store's wall clock by definition ("09:00 to 21:00"), not a moment.
HOURS = re.compile(r"\d{2}:\d{2}\s*[\u2013-]\s*\d{2}:\d{2}")
SKIPPED = ("logout", "openapi-view")


def test_today_is_the_stores_date_not_utcs() -> None:
    chicago, tokyo = (
        SimpleNamespace(timezone="America/Chicago"),
        SimpleNamespace(timezone="Asia/Tokyo"),
    )
    evening_in_chicago = datetime(2026, 12, 6, 2, 0, tzinfo=UTC)
    assert str(clock.today_at(chicago, evening_in_chicago)) == "2026-12-05"
    assert str(clock.today_at(tokyo, evening_in_chicago)) == "2026-12-06"


def test_it_shows_central_daylight_time_in_july() -> None:
    assert clock.at_store(JULY, CHICAGO) == "2026-07-04 12:53 CDT"


def test_it_shows_central_standard_time_in_december() -> None:
    assert clock.at_store(DECEMBER, CHICAGO) == "2026-12-03 11:53 CST"


def test_it_names_the_zone_on_either_side_of_the_spring_change() -> None:
    before = datetime(2026, 3, 8, 7, 59, tzinfo=UTC)
    after = datetime(2026, 3, 8, 8, 0, tzinfo=UTC)
    assert clock.at_store(before, CHICAGO) == "2026-03-08 01:59 CST"
    assert clock.at_store(after, CHICAGO) == "2026-03-08 03:00 CDT"


def test_it_tells_the_repeated_autumn_hour_apart() -> None:
    first = datetime(2026, 11, 1, 6, 30, tzinfo=UTC)
    second = datetime(2026, 11, 1, 7, 30, tzinfo=UTC)
    assert clock.at_store(first, CHICAGO) == "2026-11-01 01:30 CDT"
    assert clock.at_store(second, CHICAGO) == "2026-11-01 01:30 CST"


def test_it_reads_a_naive_value_as_utc() -> None:
    assert clock.at_store(datetime(2026, 12, 3, 17, 53), CHICAGO) == "2026-12-03 11:53 CST"


def test_it_shows_a_dash_for_no_time() -> None:
    assert clock.at_store(None, CHICAGO) == "—"
    assert clock.time_at_store(None, CHICAGO) == "—"
    assert clock.date_at_store(None, CHICAGO) == "—"


def test_it_shows_utc_labelled_without_a_store() -> None:
    assert clock.at_store(DECEMBER, None) == "2026-12-03 17:53 UTC"


def test_it_falls_back_to_utc_for_an_unknown_zone() -> None:
    assert clock.at_store(DECEMBER, SimpleNamespace(timezone="Mars/Olympus")) == (
        "2026-12-03 17:53 UTC"
    )


def test_it_gives_the_time_alone_and_the_stores_day() -> None:
    late = datetime(2026, 12, 4, 3, 0, 9, tzinfo=UTC)  # still the 3rd in Chicago
    assert clock.time_at_store(DECEMBER, CHICAGO) == "11:53 CST"
    assert clock.time_at_store_seconds(DECEMBER, CHICAGO) == "11:53:07 CST"
    assert clock.at_store_seconds(DECEMBER, CHICAGO) == "2026-12-03 11:53:07 CST"
    assert clock.date_at_store(late, CHICAGO) == "2026-12-03"


def test_it_gives_the_audit_log_utc() -> None:
    assert clock.in_utc(DECEMBER) == "2026-12-03 17:53:07 UTC"


def test_the_template_filters_share_the_helper() -> None:
    template = Template(
        "{{ t|at_store:s }}|{{ t|time_at_store:s }}|{{ t|date_at_store:s }}|{{ t|in_utc }}"
    )
    rendered = template.render(Context({"t": JULY, "s": CHICAGO}))
    shown = re.sub(r"<[^>]+>", "", rendered)
    assert shown == "2026-07-04 12:53 CDT|12:53 CDT|2026-07-04|2026-07-04 17:53:07 UTC"


def test_a_page_marks_each_time_as_one_unbroken_moment() -> None:
    """A ``<time>`` with the moment for machines, and a class the stylesheet keeps on one line
    (a phone's narrow cell would otherwise break the date at a hyphen)."""
    template = Template(
        "{{ t|at_store:s }}|{{ t|date_at_store:s }}|{{ t|in_utc }}|{{ n|at_store:s }}"
    )
    rendered = template.render(Context({"t": JULY, "s": CHICAGO, "n": None}))
    assert rendered == (
        '<time class="clock" datetime="2026-07-04T12:53:07-05:00">2026-07-04 12:53 CDT</time>|'
        '<time class="clock" datetime="2026-07-04">2026-07-04</time>|'
        '<time class="clock" datetime="2026-07-04T17:53:07+00:00">2026-07-04 17:53:07 UTC</time>|'
        "—"
    )


def unzoned_times(html: str) -> list[str]:
    """Times in the visible text of ``html`` that no zone abbreviation or offset follows."""
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S | re.I)
    text = re.sub(r"<[^>]+>", " ", text)
    text = HOURS.sub(" ", text)
    found = [*_unzoned(DATE_TIME, text)]
    # A clock time alone ("✓ 11:53:07"), once the date-times are out of the way.
    found += _unzoned(BARE_TIME, DATE_TIME.sub(" DATE-TIME ", text))
    return found


def _unzoned(pattern: re.Pattern[str], text: str) -> list[str]:
    found = []
    for match in pattern.finditer(text):
        if not re.match(ZONE, text[match.end() :]):
            around = text[max(0, match.start() - 40) : match.end() + 10]
            found.append(" ".join(around.split()))
    return found


def test_the_walk_finds_a_time_without_its_zone() -> None:
    assert unzoned_times("<td>2026-12-03 11:53</td>")
    assert unzoned_times("<p>✓ 11:53:07 done</p>")
    assert not unzoned_times("<td>2026-12-03 11:53 CST</td><td>09:00\u201321:00</td>")
    assert not unzoned_times('<time datetime="2026-12-03T11:53:00+00:00">11:53 CST</time>')


def test_every_page_names_the_zone_of_its_times(
    world: World,
    store_b_objects: dict[str, Callable[[], Any]],  # noqa: F811
) -> None:
    # An admin of every store, store B's included: agencies are run only by such admins.
    client = client_for(make_user(Role.ADMIN, everything=True))
    offenders: dict[str, list[str]] = {}
    pages = 0
    for name, params in walk(get_resolver().url_patterns):
        if name.endswith(SKIPPED) or name.startswith("api"):
            continue
        url = reverse(name, kwargs={p: store_b_objects[p]() for p in params})
        response = client.get(url)
        if response.status_code != 200 or response.streaming:
            continue
        if not response["Content-Type"].startswith("text/html"):
            continue
        pages += 1
        found = unzoned_times(response.content.decode())
        if found:
            offenders[f"{name} ({url})"] = found
    assert pages >= 40
    assert not offenders, "\n".join(f"{page}: {times}" for page, times in offenders.items())


@pytest.mark.parametrize("when", [JULY, DECEMBER])
def test_an_alert_narrative_names_the_stores_zone(world: World, when: datetime) -> None:
    from vigil.video import alerts
    from vigil.video.models import Alert

    officer = make_user(Role.LP_OFFICER, stores=(world.store_a,))
    alert = Alert.objects.create(
        uid=f"a-{when:%m}", store=world.store_a, source="vigil", rule="intrusion",
        started_at=when,
    )  # fmt: skip
    incident = alerts.escalate(officer, alert)
    assert clock.at_store_seconds(when, world.store_a) in incident.narrative


def test_an_emergency_narrative_names_the_stores_zone(world: World) -> None:
    from vigil.safety import emergencies

    manager = make_user(Role.LP_MANAGER, stores=(world.store_a,))
    emergency = emergencies.start(manager, world.store_a, "medical", "Pharmacy")
    started = clock.time_at_store_seconds(emergency.started_at, world.store_a)
    assert emergencies.narrative(emergency).startswith(started)
