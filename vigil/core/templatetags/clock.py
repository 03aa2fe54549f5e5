"""Times as a store reads them: in the store's own zone, with the zone named."""

from __future__ import annotations

import zoneinfo
from datetime import datetime
from typing import Any

from django import template

register = template.Library()


@register.filter
def at_store(value: datetime | None, store: Any) -> str:
    """``2026-12-03 09:15 EST``: the store's wall clock, the zone after it.

    Without a store (or with a naive value) the time is shown in UTC and says so, never in an
    unnamed zone.
    """
    if value is None:
        return "—"
    zone_name = getattr(store, "timezone", None) or "UTC"
    try:
        zone = zoneinfo.ZoneInfo(zone_name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    if value.tzinfo is None:
        value = value.replace(tzinfo=zoneinfo.ZoneInfo("UTC"))
    local = value.astimezone(zone)
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()}"
