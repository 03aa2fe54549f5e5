"""Alerts in, and what people do with them: acknowledge, dismiss with a reason, or escalate.

Every source (Vigil's worker, Frigate, a VMS webhook, an EAS gate) ends in :func:`upsert`,
keyed by the source's ``uid``: the first message creates the alert, later ones (the event
closing, a second delivery of the same message) update it. Escalating files an incident at
the alert's store and copies the clip and the snapshot into the evidence vault, hashed
there and with their custody logs started; the clip's hash taken when it arrived must
match, which proves it unchanged between the camera and the case.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Mapping
from typing import Any, BinaryIO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from vigil.cases.filing import file_incident
from vigil.cases.models import Incident, IncidentType
from vigil.core import clock
from vigil.core.models import Store, User
from vigil.core.roles import Capability, require
from vigil.video import media
from vigil.video.models import Alert, AlertStatus, Camera, CameraHealth

# What an alert most likely is, as an incident; the person escalating can choose another.
INCIDENT_TYPE_OF_RULE = {
    "eas": IncidentType.EAS_ALARM,
    "tampering": IncidentType.VANDALISM,
    "crowding": IncidentType.ORGANISED_RETAIL_CRIME,
}


def store_for(user: User, code: str) -> Store:
    """A store in the user's scope by its code; 404 (not 403) for one outside it."""
    store = Store.objects.visible_to(user).filter(code=code).first()
    if store is None:
        raise Http404(f"No store {code!r} in your scope.")
    return store


def camera_for(user: User, store: Store, name: str) -> Camera:
    """The store's camera of that name; a worker's first message about a camera the app does
    not know yet registers it (recorded in the audit log), so no event is dropped."""
    if not name:
        raise ValidationError({"camera": "Name the camera."})
    camera = Camera.objects.filter(store=store, name=name).first()
    if camera is None:
        require(user, Capability.RECORD)
        camera = Camera.objects.create(store=store, name=name[:64])
    return camera


def upsert(user: User, store: Store, uid: str, fields: Mapping[str, Any]) -> Alert:
    """Create the alert ``uid`` or bring it up to date; the handling fields are never touched
    by a source, so a late update cannot undo what a person decided."""
    require(user, Capability.RECORD)
    if not uid or len(uid) > 120:
        raise ValidationError({"uid": "A message needs its source's id (1-120 characters)."})
    with transaction.atomic():
        alert = Alert.objects.select_for_update().filter(uid=uid).first()
        if alert is not None and alert.store_id != store.pk:
            raise ValidationError({"uid": "This id belongs to an alert of another store."})
        if alert is None:
            alert = Alert(uid=uid, store=store)
        for name, value in fields.items():
            setattr(alert, name, value)
        alert.full_clean(exclude=["incident", "handled_by", "camera"])
        alert.save()
    return alert


def receive_worker_event(user: User, payload: Mapping[str, Any]) -> Alert:
    """An event from ``vigil video worker`` (see docs/video.md for its fields)."""
    store = store_for(user, payload["store"])
    camera = camera_for(user, store, payload["camera"])
    fields: dict[str, Any] = {
        "camera": camera,
        "source": "vigil",
        "rule": payload["rule"],
        "zone": payload.get("zone", ""),
        "zone_kind": payload.get("zone_kind", ""),
        "started_at": payload["started_at"],
        "ended_at": payload.get("ended_at"),
        "is_open": bool(payload.get("open", False)),
        "track_ids": list(payload.get("track_ids", [])),
        "detail": payload.get("detail", "")[:500],
    }
    if payload.get("snapshot_jpeg") is not None:
        fields["snapshot_sha256"] = media.SNAPSHOTS.save_bytes(payload["snapshot_jpeg"])
        camera.snapshot_sha256 = fields["snapshot_sha256"]
        camera.save(update_fields=["snapshot_sha256"])
    return upsert(user, store, payload["uid"], fields)


def receive_clip(
    user: User,
    store_code: str,
    uid: str,
    body: BinaryIO,
    length: int | None,
    camera: str = "",
) -> Alert:
    """An event's clip, streamed in and hashed; the alert must exist (events come first)."""
    require(user, Capability.RECORD)
    store = store_for(user, store_code)
    alert = Alert.objects.filter(uid=uid, store=store).select_related("camera").first()
    if alert is None:
        raise Http404(f"No alert {uid!r} at {store.code}; send the event before its clip.")
    if camera and (alert.camera is None or alert.camera.name != camera):
        raise ValidationError({"camera": f"Alert {uid!r} is not from camera {camera!r}."})
    sha256, size = media.CLIPS.save_stream(body, length)
    alert.clip_sha256, alert.clip_size = sha256, size
    alert.save(update_fields=["clip_sha256", "clip_size"])
    return alert


def receive_health(user: User, payload: Mapping[str, Any]) -> CameraHealth:
    require(user, Capability.RECORD)
    store = store_for(user, payload["store"])
    camera = camera_for(user, store, payload["camera"])
    health, _ = CameraHealth.objects.update_or_create(
        camera=camera,
        defaults={
            "state": str(payload.get("state", ""))[:16],
            "detail": str(payload.get("detail", ""))[:500],
            "frames": int(payload.get("frames") or 0),
            "last_frame_at": payload.get("last_frame_at"),
            "detector": str(payload.get("detector", ""))[:32],
            "reported_at": payload.get("at") or timezone.now(),
        },
    )
    return health


def acknowledge(user: User, alert: Alert, note: str = "") -> Alert:
    """Someone is looking at it (the feed stops flashing it for everyone else)."""
    require(user, Capability.RECORD)
    if alert.status != AlertStatus.NEW:
        return alert
    return _handle(user, alert, AlertStatus.ACKNOWLEDGED, note)


def dismiss(user: User, alert: Alert, reason: str) -> Alert:
    """Not worth pursuing; the reason is kept (false alarms teach the zone settings)."""
    require(user, Capability.RECORD)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the alert is dismissed."})
    if alert.status == AlertStatus.ESCALATED:
        raise ValidationError("This alert is already an incident.")
    return _handle(user, alert, AlertStatus.DISMISSED, reason)


def escalate(user: User, alert: Alert, kind: str = "", note: str = "") -> Incident:
    """File an incident for the alert, with its clip and snapshot as evidence."""
    require(user, Capability.RECORD)
    if alert.incident_id is not None:
        return alert.incident  # type: ignore[return-value]
    kind = kind or INCIDENT_TYPE_OF_RULE.get(alert.rule, IncidentType.OTHER)
    with transaction.atomic():
        incident = file_incident(
            user,
            alert.store,
            {
                "kind": kind,
                "summary": f"{alert.rule_label} alert, {alert.where}"[:200],
                "location": (alert.zone or (alert.camera.location if alert.camera else ""))[:200],
                "occurred_at": alert.started_at,
                "narrative": _narrative(alert, note),
            },
        )
        _attach_media(user, alert, incident)
        alert.incident = incident
        _handle(user, alert, AlertStatus.ESCALATED, note)
    return incident


def _handle(user: User, alert: Alert, status: str, note: str) -> Alert:
    alert.status = status
    alert.note = note.strip()
    alert.handled_by = user
    alert.handled_at = timezone.now()
    alert.save()
    return alert


def _narrative(alert: Alert, note: str) -> str:
    lines = [
        f"Raised by {alert.get_source_display()} rule '{alert.rule}'"
        + (f" in zone '{alert.zone}'" if alert.zone else "")
        + f" from {clock.at_store_seconds(alert.started_at, alert.store)}"
        + (
            f" to {clock.time_at_store_seconds(alert.ended_at, alert.store)}"
            if alert.ended_at
            else ""
        )
        + ".",
    ]
    if alert.detail:
        lines.append(f"Detail: {alert.detail}.")
    if alert.priority_reason:
        lines.append(f"Priority: {alert.priority_reason}.")
    if note.strip():
        lines.append(note.strip())
    return "\n".join(lines)


def _attach_media(user: User, alert: Alert, incident: Incident) -> None:
    from vigil.evidence import intake

    camera = alert.camera.name if alert.camera else ""
    taken = alert.started_at.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    for kind, sha256, media_type, description in (
        ("clip", alert.clip_sha256, "video/mp4", "Event clip"),
        ("snapshot", alert.snapshot_sha256, "image/jpeg", "Event snapshot (boxes drawn)"),
    ):
        if not sha256:
            continue
        path = media.KINDS[kind].path_of(sha256)
        fields = {
            "filename": f"{camera or alert.source}-{taken}.{path.suffix.lstrip('.')}",
            "source": "camera",
            "acquired_by": user.get_full_name() or user.get_username(),
            "acquired_at": alert.received_at,
            "incident": incident.number,
            "store": alert.store.code,
            "camera": camera,
            "description": f"{description} of alert {alert.uid}; SHA-256 at receipt {sha256}",
        }
        item = intake.describe_item(user, intake.item_fields(user, fields, media_type))
        with path.open("rb") as handle:
            item = intake.receive(item, handle, path.stat().st_size)
        if item.sha256 != sha256:
            raise ValidationError(f"The {kind} changed since it was received; not attached.")


def decode_snapshot(text: str | None) -> bytes | None:
    """A base64 snapshot from a message, checked to be a JPEG."""
    if not text:
        return None
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError({"snapshot_jpeg_b64": "Not base64."}) from None
    if not data.startswith(b"\xff\xd8\xff"):
        raise ValidationError({"snapshot_jpeg_b64": "Not a JPEG image."})
    return data
