from __future__ import annotations

import base64
import datetime as dt
from typing import Any

import pytest

from tests.conftest import World, make_user
from vigil.core import tokens
from vigil.core.models import Role, User
from vigil.engines.video.clips import RingBuffer, annotate, jpeg, write_mp4
from vigil.engines.video.scenes import frames, walk

STARTED = dt.datetime(2026, 3, 14, 22, 15, 3, tzinfo=dt.UTC)


@pytest.fixture
def worker_user(world: World) -> User:
    """The account a store's camera worker runs as (an officer's rights at store A)."""
    return make_user(Role.LP_OFFICER, stores=(world.store_a,), username="worker-a")


@pytest.fixture
def worker_token(worker_user: User) -> dict[str, str]:
    _, raw = tokens.issue(worker_user, name="camera worker")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture(scope="session")
def snapshot_jpeg() -> bytes:
    image, _ = next(frames([walk(0, 1, (0.7, 0.8), (0.7, 0.8))], 1))
    return jpeg(annotate(image, [], []))


@pytest.fixture(scope="session")
def clip_mp4(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    buffer = RingBuffer(60)
    for image, at in frames([walk(0, 3, (0.1, 0.8), (0.9, 0.8))], 3):
        buffer.add(image, at)
    return write_mp4(list(buffer.frames), tmp_path_factory.mktemp("clip") / "c.mp4", 5).read_bytes()


def event(store: str = "SA1", uid: str = "aisle-7-0001", **fields: Any) -> dict[str, Any]:
    """A worker's event message, as ``vigil video worker`` sends it."""
    return {
        "kind": "event",
        "store": store,
        "camera": "aisle-7",
        "uid": uid,
        "rule": "loitering",
        "zone": "razors",
        "zone_kind": "high_value",
        "started_at": STARTED.isoformat(),
        "ended_at": None,
        "open": True,
        "track_ids": [4],
        "detail": "",
        "detector": "fastestdet",
        **fields,
    }


def with_snapshot(message: dict[str, Any], picture: bytes) -> dict[str, Any]:
    return {**message, "snapshot_jpeg_b64": base64.b64encode(picture).decode("ascii")}
