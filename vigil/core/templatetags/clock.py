"""Times as a store reads them: in the store's own zone, with the zone named.

``{{ value|at_store:store }}`` → ``2026-12-03 09:15 CST``; ``at_store_seconds`` adds seconds,
``time_at_store`` / ``time_at_store_seconds`` give the time alone (``09:15 CST``),
``date_at_store`` the store's calendar day, ``in_utc`` the audit log's clock. Without a store
the time is UTC and says so. The rules are in ``vigil.core.clock``, which these wrap.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.utils import timezone

from vigil.core import clock

register = template.Library()


@register.filter
def at_store(value: datetime | None, store: Any) -> str:
    """``2026-12-03 09:15 EST``: the store's wall clock, the zone after it."""
    return clock.at_store(value, store)


@register.filter
def at_store_seconds(value: datetime | None, store: Any) -> str:
    """``2026-12-03 09:15:07 EST``."""
    return clock.at_store_seconds(value, store)


@register.filter
def time_at_store(value: datetime | None, store: Any) -> str:
    """``09:15 EST``."""
    return clock.time_at_store(value, store)


@register.filter
def time_at_store_seconds(value: datetime | None, store: Any) -> str:
    """``09:15:07 EST``."""
    return clock.time_at_store_seconds(value, store)


@register.filter
def date_at_store(value: datetime | None, store: Any) -> str:
    """``2026-12-03``, the store's calendar day."""
    return clock.date_at_store(value, store)


@register.simple_tag
def now_at_store(store: Any) -> str:
    """``{% now_at_store current_store %}`` → ``11:53:07 CST``: "updated at" on live pages."""
    return clock.time_at_store_seconds(timezone.now(), store)


@register.filter
def in_utc(value: datetime | None) -> str:
    """``2026-12-03 17:53:07 UTC``: the audit log's clock."""
    return clock.in_utc(value)
