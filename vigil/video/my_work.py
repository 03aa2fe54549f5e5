"""What the video app puts in a person's My work: camera alerts nobody has picked up, and
the BOLOs pushed to an LP user's region (vigil.cases.bolo).

An alert is everyone's on shift until someone acknowledges, dismisses or escalates it, so
each person who may handle alerts sees those of their stores, the most urgent first, then
the newest, as on the feed.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from vigil.cases.bolo import LP_ROLES
from vigil.cases.models import BoloStatus
from vigil.core.models import Store, User
from vigil.core.roles import Capability, can
from vigil.core.work import WorkItem, WorkSource, bounded_count, in_store, register
from vigil.video.models import Alert, AlertStatus, BoloNotice, Priority


def alerts_to_acknowledge(user: User, store: Store | None) -> QuerySet[Alert]:
    """New alerts of the user's stores: not yet acknowledged, dismissed or escalated."""
    return in_store(Alert.objects.visible_to(user).filter(status=AlertStatus.NEW), store)


def alert_items(user: User, store: Store | None, limit: int) -> list[WorkItem]:
    found = (
        alerts_to_acknowledge(user, store)
        .select_related("store", "camera")
        .order_by("-priority", "-started_at", "-id")[:limit]
    )
    return [
        WorkItem(
            title=f"{alert.rule_label} · {alert.where}",
            url=reverse("video:alert-detail", args=[alert.pk]),
            store=alert.store,
            detail=_detail(alert),
            at=alert.started_at,
            at_label="started",
            urgent="High priority" if alert.priority == Priority.HIGH else "",
        )
        for alert in found
    ]


def _detail(alert: Alert) -> str:
    priority = "" if alert.priority == Priority.HIGH else f"{alert.get_priority_display()} priority"
    zone = f"zone {alert.zone}" if alert.zone else ""
    return " · ".join(part for part in (zone, priority, alert.detail[:120]) if part)


# A pushed BOLO is shown for as long as it is fresh news and still in force.
BOLO_DAYS = 14


def bolos_pushed(user: User, store: Store | None) -> QuerySet[BoloNotice]:
    """BOLOs pushed to the user in the last :data:`BOLO_DAYS` days and still active."""
    since = timezone.now() - dt.timedelta(days=BOLO_DAYS)
    active = Q(subject__bolo_status=BoloStatus.ACTIVE) | Q(vehicle__bolo_status=BoloStatus.ACTIVE)
    found = BoloNotice.objects.filter(active, recipient=user, created_at__gte=since)
    return in_store(found, store)


def bolo_items(user: User, store: Store | None, limit: int) -> list[WorkItem]:
    found = bolos_pushed(user, store).select_related("store")[:limit]
    return [
        WorkItem(
            title=notice.title,
            url=reverse("video:bolo-notices"),
            store=notice.store,
            detail=notice.instructions[:120],
            at=notice.created_at,
            at_label="sent",
        )
        for notice in found
    ]


register(
    WorkSource(
        key="bolos",
        label="BOLOs for your region",
        order=45,
        applies=lambda user: user.role in LP_ROLES,
        count=lambda user, store: bounded_count(bolos_pushed(user, store)),
        items=bolo_items,
        see_all=lambda: reverse("video:bolo-notices"),
        # Nothing to tick off: a BOLO stays news until it ends, so the badge leaves it out.
        in_badge=False,
    ),
)

register(
    WorkSource(
        key="alerts",
        label="Camera alerts to acknowledge",
        order=50,
        applies=lambda user: can(user, Capability.RECORD),
        count=lambda user, store: bounded_count(alerts_to_acknowledge(user, store)),
        items=alert_items,
        see_all=lambda: reverse("video:alerts") + f"?status={AlertStatus.NEW}",
        next_step=("Watch the alert feed", "video:alerts"),
    ),
)
