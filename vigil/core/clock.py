"""One clock: every time Vigil shows a person is the store's wall clock, with the zone named.

A store's video, receipts and staff all run on its local clock, so pages, narratives, PDFs,
CSV exports and e-mails show ``2026-12-03 11:53 CST`` — never a bare ``11:53`` that a reader
could take for either zone. The rules:

- A record of a store is shown in that store's zone (``Store.timezone``), abbreviation after
  it; the abbreviation follows daylight saving (``CDT`` in July, ``CST`` in December).
- Where there is no store — a user-level page such as API tokens or sign-in devices, the
  data-set list, a task run for the whole organisation — the time is UTC, labelled ``UTC``.
- The audit log alone is always UTC, labelled ``UTC``: it is one chain across every store.
- A naive value is taken as UTC (the database stores UTC); ``None`` is shown as ``—``.

Templates use the filters in ``vigil.core.templatetags.clock``; Python code (narratives,
PDF contexts, CSV writers, e-mails) calls the functions here. Both share the same code.
"""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime
from typing import Any

NOTHING = "—"

DATE = "%Y-%m-%d"
MINUTES = "%Y-%m-%d %H:%M"
SECONDS = "%Y-%m-%d %H:%M:%S"
TIME = "%H:%M"
TIME_SECONDS = "%H:%M:%S"


def zone_of(store: Any) -> zoneinfo.ZoneInfo:
    """The store's zone; UTC for no store or a zone name the system does not know."""
    name = getattr(store, "timezone", None) or "UTC"
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def local(value: datetime, store: Any) -> datetime:
    """``value`` on the store's wall clock (a naive value is read as UTC)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(zone_of(store))


def today_at(store: Any, now: datetime | None = None) -> date:
    """Today on the store's calendar: at 20:00 in Chicago it is still the day the store sees,
    whatever the date in UTC. Every "due", "overdue" and "not after today" uses this."""
    return local(now or datetime.now(UTC), store).date()


def stamp(value: datetime | None, store: Any, pattern: str = MINUTES) -> str:
    """``value`` formatted with ``pattern`` on the store's clock, the zone abbreviation after."""
    if value is None:
        return NOTHING
    moment = local(value, store)
    return f"{moment.strftime(pattern)} {moment.tzname()}"


def at_store(value: datetime | None, store: Any) -> str:
    """``2026-12-03 11:53 CST``."""
    return stamp(value, store, MINUTES)


def at_store_seconds(value: datetime | None, store: Any) -> str:
    """``2026-12-03 11:53:07 CST``: for custody logs and timelines, where seconds matter."""
    return stamp(value, store, SECONDS)


def time_at_store(value: datetime | None, store: Any) -> str:
    """``11:53 CST``: when the date is already on the line."""
    return stamp(value, store, TIME)


def time_at_store_seconds(value: datetime | None, store: Any) -> str:
    """``11:53:07 CST``."""
    return stamp(value, store, TIME_SECONDS)


def date_at_store(value: datetime | None, store: Any) -> str:
    """``2026-12-03``: the store's calendar day (a date alone needs no zone)."""
    if value is None:
        return NOTHING
    return local(value, store).strftime(DATE)


def in_utc(value: datetime | None, pattern: str = SECONDS) -> str:
    """``2026-12-03 17:53:07 UTC``: the audit log's clock."""
    return stamp(value, None, pattern)
