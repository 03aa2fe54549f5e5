"""Times as a store reads them: in the store's own zone, with the zone named.

``{{ value|at_store:store }}`` → ``2026-12-03 09:15 CST``; ``at_store_seconds`` adds seconds,
``time_at_store`` / ``time_at_store_seconds`` give the time alone (``09:15 CST``),
``date_at_store`` the store's calendar day, ``in_utc`` the audit log's clock. Without a store
the time is UTC and says so. The rules are in ``vigil.core.clock``, which these wrap.

On a page each time is a ``<time class="clock" datetime="…">`` element: the machine-readable
moment for a screen reader or a copy into a calendar, and one class that the stylesheet keeps
on one line (a phone's narrow cell would otherwise break ``2026-`` / ``12-03`` at the hyphen).
The visible text is exactly the helper's, so ``2026-12-03 09:15 EST`` is still in the page.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from vigil.core import clock

register = template.Library()


def _marked(text: str, value: datetime | None, store: Any, *, day: bool = False) -> str:
    """``text`` in a ``<time>`` element naming the moment (or, for ``day``, the store's day)."""
    if value is None:
        return text
    moment = clock.local(value, store)
    machine = moment.date().isoformat() if day else moment.isoformat()
    marked: SafeString = format_html('<time class="clock" datetime="{}">{}</time>', machine, text)
    return marked


@register.filter
def at_store(value: datetime | None, store: Any) -> str:
    """``2026-12-03 09:15 EST``: the store's wall clock, the zone after it."""
    return _marked(clock.at_store(value, store), value, store)


@register.filter
def at_store_seconds(value: datetime | None, store: Any) -> str:
    """``2026-12-03 09:15:07 EST``."""
    return _marked(clock.at_store_seconds(value, store), value, store)


@register.filter
def time_at_store(value: datetime | None, store: Any) -> str:
    """``09:15 EST``."""
    return _marked(clock.time_at_store(value, store), value, store)


@register.filter
def time_at_store_seconds(value: datetime | None, store: Any) -> str:
    """``09:15:07 EST``."""
    return _marked(clock.time_at_store_seconds(value, store), value, store)


@register.filter
def date_at_store(value: datetime | None, store: Any) -> str:
    """``2026-12-03``, the store's calendar day."""
    return _marked(clock.date_at_store(value, store), value, store, day=True)


@register.simple_tag
def now_at_store(store: Any) -> str:
    """``{% now_at_store current_store %}`` → ``11:53:07 CST``: "updated at" on live pages."""
    now = timezone.now()
    return _marked(clock.time_at_store_seconds(now, store), now, store)


@register.filter
def in_utc(value: datetime | None) -> str:
    """``2026-12-03 17:53:07 UTC``: the audit log's clock."""
    return _marked(clock.in_utc(value), value, None)
