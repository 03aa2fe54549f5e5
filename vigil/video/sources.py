"""Alerts from sources other than Vigil's own worker, into the same feed.

- **Frigate** (``frigate/events`` and ``frigate/reviews`` over MQTT): a tracked object or a
  review item becomes an alert keyed by Frigate's id, updated as Frigate updates it; false
  positives are skipped. Frigate's camera name is matched to a Vigil camera by name.
- **VMS analytics** (Genetec, Milestone, Exacq rules calling a webhook): one JSON shape,
  documented in docs/video.md.
- **EAS gates**: an alarm at a door; raised to high priority when the POS data shows no
  completed sale at the store in the minutes before (someone leaving without paying, not a
  customer with a live tag on something they bought). A POS data set's ``eas_alarms`` table
  is taken in the same way on request (``vigil video import-eas``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import duckdb
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from vigil.core.models import Store, User
from vigil.pos.models import DataSet
from vigil.video.alerts import camera_for, store_for, upsert
from vigil.video.models import Alert, AlertSource, Camera, Priority

EAS_SALE_WINDOW = dt.timedelta(minutes=5)


def _epoch(value: Any) -> dt.datetime | None:
    if value in (None, ""):
        return None
    try:
        return dt.datetime.fromtimestamp(float(value), tz=dt.UTC)
    except (TypeError, ValueError, OverflowError):
        raise ValidationError(f"{value!r} is not a Unix time") from None


def frigate_camera(user: User, name: str, default_store: Store | None) -> Camera:
    """The Vigil camera a Frigate camera name stands for: one of that name in the user's
    stores; else a new one at ``default_store``."""
    found = list(Camera.objects.visible_to(user).filter(name=name).select_related("store")[:2])
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        raise ValidationError(f"Two stores have a camera named {name!r}; rename one in Frigate.")
    if default_store is None:
        raise ValidationError(f"No camera named {name!r}; add it in Vigil or give --store.")
    return camera_for(user, default_store, name)


def frigate_event(user: User, message: Mapping[str, Any], store: Store | None) -> Alert | None:
    """A ``frigate/events`` message (``type`` new, update or end, with ``after``)."""
    after = message.get("after") or {}
    if not after.get("id") or after.get("false_positive"):
        return None
    camera = frigate_camera(user, str(after.get("camera", "")), store)
    zones = list(after.get("entered_zones") or after.get("current_zones") or [])
    score = after.get("top_score") or after.get("score") or 0
    label = str(after.get("label", "object"))
    ended = _epoch(after.get("end_time"))
    return upsert(
        user,
        camera.store,
        f"frigate-{after['id']}"[:120],
        {
            "camera": camera,
            "source": AlertSource.FRIGATE,
            "rule": label[:64],
            "zone": (zones[0] if zones else "")[:64],
            "started_at": _epoch(after.get("start_time")) or timezone.now(),
            "ended_at": ended,
            "is_open": message.get("type") != "end" and ended is None,
            "detail": f"{label} {float(score):.0%}"
            + (" (stationary)" if after.get("stationary") else "")
            + (f"; zones {', '.join(zones)}" if zones else ""),
        },
    )


def frigate_review(user: User, message: Mapping[str, Any], store: Store | None) -> Alert | None:
    """A ``frigate/reviews`` message: a review item of severity ``alert`` or ``detection``."""
    after = message.get("after") or {}
    if not after.get("id"):
        return None
    camera = frigate_camera(user, str(after.get("camera", "")), store)
    data = after.get("data") or {}
    zones = list(data.get("zones") or [])
    objects = ", ".join(data.get("objects") or []) or "activity"
    severity = str(after.get("severity", "detection"))
    ended = _epoch(after.get("end_time"))
    return upsert(
        user,
        camera.store,
        f"frigate-review-{after['id']}"[:120],
        {
            "camera": camera,
            "source": AlertSource.FRIGATE,
            "rule": f"review {severity}"[:64],
            "zone": (zones[0] if zones else "")[:64],
            "started_at": _epoch(after.get("start_time")) or timezone.now(),
            "ended_at": ended,
            "is_open": message.get("type") != "end" and ended is None,
            "detail": f"{objects}" + (f" in {', '.join(zones)}" if zones else ""),
            "priority": Priority.HIGH if severity == "alert" else Priority.NORMAL,
            "priority_reason": "Frigate rated it an alert" if severity == "alert" else "",
        },
    )


def vms_event(user: User, payload: Mapping[str, Any]) -> Alert:
    """The generic webhook a VMS rule calls (fields checked by ``VmsEventIn``)."""
    store = store_for(user, payload["store"])
    camera = camera_for(user, store, payload["camera"]) if payload.get("camera") else None
    return upsert(
        user,
        store,
        f"vms-{payload['system']}-{payload['id']}"[:120],
        {
            "camera": camera,
            "source": AlertSource.VMS,
            "rule": payload["rule"],
            "zone": payload.get("zone", ""),
            "started_at": payload["at"],
            "ended_at": payload.get("ended_at"),
            "is_open": payload.get("ended_at") is None and bool(payload.get("ongoing", False)),
            "detail": f"{payload['system']}: {payload.get('detail', '')}".strip(": ")[:500],
        },
    )


def eas_alarm(user: User, payload: Mapping[str, Any]) -> Alert:
    """An EAS gate alarm at a door; the camera watching that door is linked when known."""
    store = store_for(user, payload["store"])
    door = str(payload["door"])
    at: dt.datetime = payload["at"]
    camera = next(
        (c for c in Camera.objects.filter(store=store) if door in c.listed("doors")), None
    )
    priority, reason = eas_priority(store, at)
    uid = payload.get("id") or f"{store.code}-{door}-{at.astimezone(dt.UTC):%Y%m%dT%H%M%S}"
    return upsert(
        user,
        store,
        f"eas-{uid}"[:120],
        {
            "camera": camera,
            "source": AlertSource.EAS,
            "rule": "eas",
            "zone": door[:64],
            "zone_kind": "exit",
            "started_at": at,
            "ended_at": at,
            "is_open": False,
            "detail": f"EAS alarm at {door}",
            "priority": priority,
            "priority_reason": reason,
        },
    )


def eas_priority(store: Store, at: dt.datetime) -> tuple[int, str]:
    """High when the POS data has no completed sale at the store in the minutes before."""
    from vigil.pos import journal
    from vigil.pos.imports import folder_of

    local_day = at.astimezone(store.zone).date()
    data_set = (
        DataSet.objects.filter(stores=store, first_day__lte=local_day, last_day__gte=local_day)
        .order_by("-created_at")
        .first()
    )
    if data_set is None:
        return Priority.NORMAL, "no POS data covers that time yet"
    minutes = int(EAS_SALE_WINDOW.total_seconds() // 60)
    sales = journal.completed_sales(folder_of(data_set), store.code, at - EAS_SALE_WINDOW, at)
    if sales == 0:
        return Priority.HIGH, f"no completed sale at the store in the {minutes} minutes before"
    return (
        Priority.NORMAL,
        f"{sales} completed sale(s) at the store in the {minutes} minutes before",
    )


def import_eas_table(user: User, data_set: DataSet) -> int:
    """A POS data set's ``eas_alarms`` rows as EAS alerts, each prioritised against the
    same data set's sales; rows of stores outside the user's scope are left out. Safe to
    repeat: an alarm's id is its data set and row, so a second run updates, not duplicates."""
    from vigil.pos.imports import folder_of

    path = folder_of(data_set) / "eas_alarms.parquet"
    if not path.exists():
        return 0
    visible = set(Store.objects.visible_to(user).values_list("code", flat=True))
    connection = duckdb.connect()
    try:
        rows = connection.execute(
            'SELECT row_number() OVER () AS row, store_id, door, "at", tag_id FROM read_parquet(?)',
            [str(path)],
        ).fetchall()
    finally:
        connection.close()
    count = 0
    with transaction.atomic():
        for row, store_id, door, at, tag_id in rows:
            if store_id not in visible:
                continue
            alert = eas_alarm(
                user,
                {"store": store_id, "door": door, "at": dt.datetime.fromisoformat(at),
                 "id": f"{data_set.folder}-{row}"},
            )  # fmt: skip
            if tag_id:
                alert.detail = f"EAS alarm at {door}, tag {tag_id}"[:500]
                alert.save(update_fields=["detail"])
            count += 1
    return count
