"""Licence plate reads, and the watchlist they are checked against.

A read arrives from Frigate's licence plate recognition (its ``frigate/events`` messages
carry ``recognized_license_plate``) or from another LPR system's webhook
(``POST /api/v1/plate-reads``). Each is stored once per reader event and checked against
the *watched vehicles* of its store's region: vehicles with an active BOLO, and vehicles of
subjects with an active BOLO.

Readers confuse a few characters (O/0, B/8, I/1, S/5, Z/2, G/6) and often catch part of a
plate (a bumper, a tow bar, a dirty first letter). A read matches a watched plate when it is
the same plate, or the same once those characters are taken as one (at most
:data:`MAX_CONFUSIONS` of them), or - flagged as partial - when one contains the other and
the shorter is at least :data:`MIN_PARTIAL` characters. A match raises an alert in the live
feed saying how it matched; no match, no alert.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from vigil.cases.models import BoloStatus, Vehicle
from vigil.core.models import Store, User
from vigil.core.roles import Capability, require
from vigil.video import media
from vigil.video.alerts import camera_for, decode_snapshot, store_for, upsert
from vigil.video.models import (
    Alert,
    AlertSource,
    Camera,
    PlateRead,
    PlateReadSource,
    Priority,
)
from vigil.video.sources import frigate_camera

MAX_CONFUSIONS = 2
MIN_PARTIAL = 4
WATCHED_RULE = "watched_plate"

# Each character a reader mistakes for another, mapped to the one both are compared as.
CONFUSABLE = {"O": "0", "B": "8", "I": "1", "S": "5", "Z": "2", "G": "6"}
_NOT_PLATE = re.compile(r"[^A-Z0-9]")


def normalise(plate: str) -> str:
    """Upper-case letters and digits only: ``"abc-12 3"`` is ``"ABC123"``."""
    return _NOT_PLATE.sub("", plate.upper())


def folded(plate: str) -> str:
    """The plate with each confusable character taken as its twin (O as 0, B as 8, …)."""
    return "".join(CONFUSABLE.get(char, char) for char in normalise(plate))


@dataclass(frozen=True)
class PlateMatch:
    """How a read matched a watched plate, in words an officer reads at a glance."""

    how: str
    partial: bool = False
    confusions: int = 0


def match(read: str, watched: str) -> PlateMatch | None:
    """Whether ``read`` stands for ``watched``, and how; ``None`` when it does not."""
    read, watched = normalise(read), normalise(watched)
    if not read or not watched:
        return None
    if read == watched:
        return PlateMatch("exact plate")
    if len(read) == len(watched) and folded(read) == folded(watched):
        return _confused(read, watched)
    return _partial(read, watched)


def _confused(read: str, watched: str) -> PlateMatch | None:
    swaps = [(w, r) for r, w in zip(read, watched, strict=True) if r != w]
    if len(swaps) > MAX_CONFUSIONS:
        return None
    words = ", ".join(f"{w} read as {r}" for w, r in swaps)
    count = "one confusion" if len(swaps) == 1 else f"{len(swaps)} confusions"
    return PlateMatch(f"{count} away: {words}", confusions=len(swaps))


def _partial(read: str, watched: str) -> PlateMatch | None:
    shorter, longer = sorted((read, watched), key=len)
    if len(shorter) < MIN_PARTIAL or folded(shorter) not in folded(longer):
        return None
    if shorter == read:
        return PlateMatch(f"partial: {read} read, part of {watched}", partial=True)
    return PlateMatch(f"partial: {read} read, contains {watched}", partial=True)


# --- the watchlist ----------------------------------------------------------------------


def watched_vehicles(store: Store) -> QuerySet[Vehicle]:
    """Vehicles of the store's region with a plate and an active BOLO, their own or one of
    their subjects' (a BOLO is pushed to, and in force in, its region)."""
    active = Q(bolo_status=BoloStatus.ACTIVE) | Q(subjects__bolo_status=BoloStatus.ACTIVE)
    found = Vehicle.objects.filter(active, store__region_id=store.region_id).exclude(plate="")
    return found.distinct().select_related("store").prefetch_related("subjects")


def best_match(read: str, vehicles: Iterable[Vehicle]) -> tuple[Vehicle, PlateMatch] | None:
    """The watched vehicle the read stands for most surely: exact, then fewest confusions,
    then a partial."""
    found = [(vehicle, m) for vehicle in vehicles if (m := match(read, vehicle.plate))]
    if not found:
        return None
    return min(found, key=lambda pair: (pair[1].partial, pair[1].confusions, pair[0].pk))


# --- reads in ---------------------------------------------------------------------------


def receive(user: User, fields: Mapping[str, Any]) -> PlateRead:
    """Store a read (``uid``, ``store``, ``camera``, ``plate``, ``read_at``, ``confidence``,
    ``source``, ``system``, ``snapshot_jpeg``) once per ``uid`` and check it against the
    watchlist. A later message for the same event replaces the plate only when the reader
    is surer of it, and checks it again while no alert has been raised."""
    require(user, Capability.RECORD)
    plate = normalise(str(fields["plate"]))
    if not plate:
        raise ValidationError({"plate": "A plate needs at least one letter or digit."})
    with transaction.atomic():
        read = PlateRead.objects.select_for_update().filter(uid=fields["uid"]).first()
        if read is not None and read.store_id != fields["store"].pk:
            raise ValidationError({"uid": "This id belongs to a read of another store."})
        if read is not None and not _surer(fields.get("confidence"), read.confidence):
            return read
        read = read or PlateRead(uid=fields["uid"], store=fields["store"])
        _fill(read, fields, plate)
        read.save()
        if read.alert_id is None:
            check(user, read)
    return read


def _surer(new: float | None, old: float | None) -> bool:
    return new is not None and (old is None or new > old)


def _fill(read: PlateRead, fields: Mapping[str, Any], plate: str) -> None:
    read.camera = fields.get("camera")
    read.plate = str(fields["plate"])[:20]
    read.normalised = plate[:20]
    read.read_at = fields.get("read_at") or timezone.now()
    read.confidence = fields.get("confidence")
    read.source = fields["source"]
    read.system = str(fields.get("system", ""))[:32]
    if fields.get("snapshot_jpeg"):
        read.snapshot_sha256 = media.SNAPSHOTS.save_bytes(fields["snapshot_jpeg"])


def check(user: User, read: PlateRead) -> Alert | None:
    """Match the read against its region's watched vehicles; a match raises an alert."""
    found = best_match(read.normalised, watched_vehicles(read.store))
    if found is None:
        return None
    vehicle, how = found
    alert = upsert(user, read.store, f"plate-{read.uid}"[:120], _alert_fields(read, vehicle, how))
    read.vehicle, read.match, read.partial, read.alert = vehicle, how.how, how.partial, alert
    read.save(update_fields=["vehicle", "match", "partial", "alert"])
    return alert


def _alert_fields(read: PlateRead, vehicle: Vehicle, how: PlateMatch) -> dict[str, Any]:
    source = AlertSource.FRIGATE if read.source == PlateReadSource.FRIGATE else AlertSource.LPR
    return {
        "camera": read.camera,
        "source": source,
        "rule": WATCHED_RULE,
        "started_at": read.read_at,
        "ended_at": read.read_at,
        "is_open": False,
        "detail": describe(read, vehicle, how)[:500],
        "priority": Priority.NORMAL if how.partial else Priority.HIGH,
        "priority_reason": (
            "partial plate: check the rest before acting" if how.partial else "watched vehicle"
        ),
        "snapshot_sha256": read.snapshot_sha256,
    }


def describe(read: PlateRead, vehicle: Vehicle, how: PlateMatch) -> str:
    """What the alert says: the read, the vehicle and who it is watched for, and what to do."""
    confidence = f" ({read.confidence:.0%})" if read.confidence is not None else ""
    parts = [f"Plate {read.normalised}{confidence} matches watched vehicle {vehicle} ({how.how})"]
    subjects = [s for s in vehicle.subjects.all() if s.bolo_status == BoloStatus.ACTIVE]
    if subjects:
        parts.append("BOLO on " + ", ".join(str(subject) for subject in subjects))
    instructions = [vehicle.bolo_instructions] if vehicle.bolo_status == BoloStatus.ACTIVE else []
    instructions += [subject.bolo_instructions for subject in subjects]
    if any(text.strip() for text in instructions):
        parts.append(" ".join(text.strip() for text in instructions if text.strip()))
    return ". ".join(parts)


# --- from Frigate -----------------------------------------------------------------------


def frigate_read(user: User, message: Mapping[str, Any], camera: Camera) -> PlateRead | None:
    """The plate of a ``frigate/events`` message, when Frigate recognised one."""
    after = message.get("after") or {}
    plate = after.get("recognized_license_plate")
    if not plate or not after.get("id") or after.get("false_positive"):
        return None
    score = after.get("recognized_license_plate_score")
    started = after.get("start_time")
    return receive(
        user,
        {
            "uid": f"frigate-{after['id']}"[:120],
            "store": camera.store,
            "camera": camera,
            "plate": str(plate),
            "read_at": dt.datetime.fromtimestamp(float(started), tz=dt.UTC) if started else None,
            "confidence": float(score) if score is not None else None,
            "source": PlateReadSource.FRIGATE,
            "system": "frigate",
        },
    )


# --- from another LPR system's webhook ----------------------------------------------------


def webhook_read(user: User, payload: Mapping[str, Any]) -> PlateRead:
    """A read posted to ``/api/v1/plate-reads`` (fields checked by ``PlateReadIn``): at a
    store in the user's scope (404 outside it), at a camera of that store or one whose name
    is unique in the user's stores."""
    camera: Camera | None = None
    if payload.get("store"):
        store = store_for(user, payload["store"])
        if payload.get("camera"):
            camera = camera_for(user, store, payload["camera"])
    else:
        camera = frigate_camera(user, payload["camera"], None)
        store = camera.store
    system = payload.get("system") or "lpr"
    at: dt.datetime = payload["read_at"]
    event = payload.get("id") or (
        f"{store.code}-{camera.name if camera else ''}-{normalise(payload['plate'])}-"
        f"{at.astimezone(dt.UTC):%Y%m%dT%H%M%S}"
    )
    return receive(
        user,
        {
            "uid": f"lpr-{system}-{event}"[:120],
            "store": store,
            "camera": camera,
            "plate": payload["plate"],
            "read_at": at,
            "confidence": payload.get("confidence"),
            "source": PlateReadSource.WEBHOOK,
            "system": system,
            "snapshot_jpeg": decode_snapshot(payload.get("image_jpeg_b64")),
        },
    )
