"""The demo's cameras at S101, and alerts the real pipeline raised on synthetic footage.

Cameras on the razor aisle and the front entrance (with its EAS pedestals), each with zones
and rules, and on the checkouts: the lanes, the self-checkouts and the service desk, with
the registers in view named as the demo's POS data names them, so a POS lead at S101 links
to the camera that saw its register. The razor aisle's alerts are not written by hand: a
scene of shoppers (``vigil.engines.video.scenes``) is run through the same pipeline as a live
camera, with the motion-only detector (the demo downloads no model), and its events arrive
through the same intake as a worker's, with their snapshots and MP4 clips. Idempotent.
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from vigil.core.context import acting_as, actor_for_user
from vigil.core.models import Store, User
from vigil.engines.pos.generation.schemes import LANE_IDS
from vigil.engines.pos.generation.simulation import DESK_ID, SCO_IDS
from vigil.engines.video import config as engine_config
from vigil.engines.video.clips import RingBuffer, write_mp4
from vigil.engines.video.detector import MotionOnly
from vigil.engines.video.pipeline import Pipeline, record
from vigil.engines.video.scenes import dwell, frames, walk
from vigil.video import alerts, cameras, sources
from vigil.video.models import Camera

RAZOR_AISLE = {
    "fps": 5,
    "detector": {"model": "motion"},
    "zones": [
        {"name": "razors", "kind": "high_value",
         "polygon": [[0.5, 0.35], [1.0, 0.35], [1.0, 1.0], [0.5, 1.0]]},
        {"name": "stock-door", "kind": "restricted",
         "polygon": [[0.0, 0.0], [0.15, 0.0], [0.15, 0.5], [0.0, 0.5]]},
    ],
    "rules": [
        {"type": "loitering", "zone": "razors", "seconds": 4, "cooldown_seconds": 60},
        {"type": "crowding", "zone": "razors", "people": 3, "within_seconds": 6},
        {"type": "intrusion", "zone": "stock-door", "schedule": "closed_hours"},
        {"type": "tampering", "seconds": 3},
    ],
    "clip": {"pre_seconds": 2, "post_seconds": 4},
}  # fmt: skip
ENTRANCE = {
    "zones": [{"name": "exit", "kind": "exit",
               "polygon": [[0.2, 0.6], [0.8, 0.6], [0.8, 1.0], [0.2, 1.0]]}],
    "rules": [{"type": "line_crossing", "name": "doors", "line": [[0.1, 0.8], [0.9, 0.8]],
               "direction": "out"}],
}  # fmt: skip
# The checkout cameras: name, where, the registers in view (ids as in the POS data).
CHECKOUTS = (
    ("lanes-1-4", "Checkout lanes 1 to 4", LANE_IDS[:4]),
    ("lanes-5-6", "Checkout lanes 5 and 6", LANE_IDS[4:]),
    ("self-checkout", "Self-checkout bank", SCO_IDS),
    ("service-desk", "Service desk (returns and refunds)", (DESK_ID,)),
)


def seed() -> int:
    """Create the demo cameras and their alerts unless they exist; the alerts created."""
    store = Store.objects.filter(code="S101").first()
    if store is None:
        return 0
    officer = User.objects.get(username="lp.officer")
    with acting_as(actor_for_user(officer, via="demo")), transaction.atomic():
        _checkout_cameras(officer, store)
        if Camera.objects.filter(store=store, name="aisle-7").exists():
            return 0
        aisle = cameras.create_camera(
            officer, store,
            {"name": "aisle-7", "location": "Razors and oral care, aisle 7",
             "config": RAZOR_AISLE},
        )  # fmt: skip
        cameras.create_camera(
            officer, store,
            {"name": "front-entrance", "location": "Front doors, inside",
             "doors": ["front-left", "front-right"], "config": ENTRANCE},
        )  # fmt: skip
        created = _razor_aisle_alerts(officer, aisle)
        sources.eas_alarm(
            officer,
            {"store": store.code, "door": "front-left", "id": "demo-1",
             "at": timezone.now() - dt.timedelta(hours=3, minutes=12)},
        )  # fmt: skip
    return created + 1


def _checkout_cameras(user: User, store: Store) -> int:
    """Add the checkout cameras that are missing and put right the registers in view of
    those there (an older demo named lanes L1-L4, which no POS data uses); how many were
    added or corrected."""
    changed = 0
    for name, location, registers in CHECKOUTS:
        camera = Camera.objects.filter(store=store, name=name).first()
        if camera is None:
            fields = {"name": name, "location": location, "registers": list(registers)}
            cameras.create_camera(user, store, fields)
            changed += 1
        elif camera.listed("registers") != list(registers):
            cameras.update_camera(user, camera, {"registers": list(registers)})
            changed += 1
    return changed


def _razor_aisle_alerts(user: User, camera: Camera) -> int:
    """Shoppers at the razors (one lingers; then three arrive together), run through the
    pipeline; each event is taken in as a worker would send it."""
    settings = engine_config.parse(cameras.worker_config(camera))
    pipeline = Pipeline(settings, MotionOnly())
    scene = [
        walk(0.5, 3.0, (0.05, 0.9), (0.7, 0.9)),
        dwell(3.0, 12.0, (0.7, 0.9), sway=0.03),
        # Well after the first shopper, whose empty spot the motion-only back end sees as
        # "moved" until its background catches up.
        walk(26.0, 29.0, (0.58, 1.0), (0.58, 0.75)),
        walk(26.5, 29.5, (0.76, 1.0), (0.76, 0.8)),
        walk(27.0, 30.0, (0.94, 1.0), (0.94, 0.7)),
    ]
    began = timezone.now() - dt.timedelta(hours=1)
    buffer = RingBuffer(60)
    found = record(pipeline, frames(scene, 34.0, fps=settings.fps), buffer.add)
    events, pictures = found.events, found.pictures
    with tempfile.TemporaryDirectory() as work:
        for number, event in events.items():
            uid = f"demo-aisle-7-{number}"
            alerts.receive_worker_event(
                user,
                {"store": camera.store.code, "camera": camera.name, "uid": uid,
                 "rule": event.rule, "zone": event.zone, "zone_kind": "high_value",
                 "started_at": began + dt.timedelta(seconds=event.at),
                 "ended_at": began + dt.timedelta(seconds=event.until), "open": False,
                 "track_ids": event.track_ids, "detail": event.detail,
                 "snapshot_jpeg": pictures[number]},
            )  # fmt: skip
            clip = [f for f in buffer.frames if event.at - 2 <= f.at <= event.at + 4]
            data = write_mp4(clip, Path(work) / f"{number}.mp4", settings.fps).read_bytes()
            alerts.receive_clip(user, camera.store.code, uid, io.BytesIO(data), len(data))
    alerts.receive_health(
        user,
        {"store": camera.store.code, "camera": camera.name, "state": "connected",
         "frames": pipeline.counters.frames, "detector": "motion",
         "detail": "demo footage", "at": timezone.now()},
    )  # fmt: skip
    return len(events)
