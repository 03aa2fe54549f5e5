"""Finding incidents, cases, subjects and vehicles by text, store, date, type and status.

Each function narrows a queryset the caller already scoped with ``visible_to``; none of
them can widen what a user sees.
"""

from __future__ import annotations

import datetime
import zoneinfo
from typing import TypeVar

from django.db.models import Q, QuerySet
from django.utils import timezone

from vigil.cases.models import Case, Incident, Subject, Vehicle

M = TypeVar("M", Incident, Case)


def incidents(
    found: QuerySet[Incident],
    *,
    q: str | None = None,
    store: str | None = None,
    kind: str | None = None,
    status: str | None = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> QuerySet[Incident]:
    if q:
        found = found.filter(
            Q(number__iexact=q.strip())
            | Q(summary__icontains=q)
            | Q(narrative__icontains=q)
            | Q(location__icontains=q)
            | Q(police_report_number__iexact=q.strip())
        )
    found = _common(found, store, kind, status)
    return _between(found, "occurred_at", since, until)


def cases(
    found: QuerySet[Case],
    *,
    q: str | None = None,
    store: str | None = None,
    kind: str | None = None,
    status: str | None = None,
    assignee: str | None = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> QuerySet[Case]:
    if q:
        found = found.filter(
            Q(number__iexact=q.strip()) | Q(title__icontains=q) | Q(summary__icontains=q)
        )
    if assignee:
        found = found.filter(assignee__username=assignee)
    found = _common(found, store, kind, status)
    return _between(found, "opened_at", since, until)


def subjects(
    found: QuerySet[Subject],
    *,
    q: str | None = None,
    store: str | None = None,
    bolo_status: str | None = None,
) -> QuerySet[Subject]:
    if q:
        found = found.filter(
            Q(name__icontains=q)
            | Q(aliases__icontains=q)
            | Q(description__icontains=q)
            | Q(identifying_marks__icontains=q)
            | Q(clothing__icontains=q)
            | Q(vehicles__plate__icontains=_plate(q))
        ).distinct()
    if store:
        found = found.filter(store__code=store)
    if bolo_status:
        found = found.filter(bolo_status=bolo_status)
    return found


def vehicles(
    found: QuerySet[Vehicle], *, q: str | None = None, store: str | None = None
) -> QuerySet[Vehicle]:
    if q:
        found = found.filter(
            Q(plate__icontains=_plate(q))
            | Q(make__icontains=q)
            | Q(model__icontains=q)
            | Q(colour__icontains=q)
            | Q(description__icontains=q)
        )
    if store:
        found = found.filter(store__code=store)
    return found


def _plate(text: str) -> str:
    return text.upper().replace(" ", "")


def _common(
    found: QuerySet[M], store: str | None, kind: str | None, status: str | None
) -> QuerySet[M]:
    if store:
        found = found.filter(store__code=store)
    if kind:
        found = found.filter(kind=kind)
    if status:
        found = found.filter(status=status)
    return found


def _between(
    found: QuerySet[M], field: str, since: datetime.date | None, until: datetime.date | None
) -> QuerySet[M]:
    # Days are the viewer's days; a store's own zone would differ per row and per store.
    zone = zoneinfo.ZoneInfo(str(timezone.get_current_timezone()))
    if since:
        start = datetime.datetime.combine(since, datetime.time.min, tzinfo=zone)
        found = found.filter(**{f"{field}__gte": start})
    if until:
        end = datetime.datetime.combine(
            until + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
        )
        found = found.filter(**{f"{field}__lt": end})
    return found
