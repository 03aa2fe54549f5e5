"""End to end over real HTTP: ``vigil video worker`` → the app's API → an alert with its
snapshot and clip. Proves the worker's wire format and the app's endpoints agree."""

from __future__ import annotations

import threading
import time

import pytest

from tests.conftest import make_user
from vigil.core import tokens
from vigil.core.models import Role
from vigil.engines.video import worker
from vigil.engines.video.clips import RingBuffer, write_mp4
from vigil.engines.video.scenes import frames, walk
from vigil.video.models import Alert, CameraHealth


@pytest.mark.django_db(transaction=True)
def test_a_worker_delivers_alerts_with_clips_to_a_running_app(
    live_server, world, tmp_path, monkeypatch
) -> None:
    buffer = RingBuffer(60)
    for image, at in frames([walk(0.5, 5.5, (0.1, 0.8), (0.9, 0.8))], 6.0, fps=10):
        buffer.add(image, at)
    recording = write_mp4(list(buffer.frames), tmp_path / "aisle.mp4", fps=10)
    user = make_user(Role.LP_OFFICER, stores=(world.store_a,), username="worker")
    _, raw = tokens.issue(user, name="worker")
    monkeypatch.setenv(worker.TOKEN_VARIABLE, raw)
    settings = worker.WorkerConfig.model_validate(
        {
            "store": world.store_a.code,
            "app": {"url": live_server.url},
            "spool": str(tmp_path / "spool"),
            "heartbeat_seconds": 1,
            "cameras": [
                {
                    "name": "aisle-7",
                    "source": str(recording),
                    "detector": {"model": "motion"},
                    "zones": [
                        {
                            "name": "razors",
                            "kind": "high_value",
                            "polygon": [[0.5, 0], [1, 0], [1, 1], [0.5, 1]],
                        }
                    ],
                    "rules": [{"type": "intrusion", "zone": "razors"}],
                    "clip": {"pre_seconds": 1, "post_seconds": 2},
                }
            ],
        }
    )
    stopping = threading.Event()
    workers, courier = worker.start(settings, stopping)
    deadline = time.monotonic() + 40
    try:
        while time.monotonic() < deadline:
            if Alert.objects.exclude(clip_sha256="").filter(is_open=False).exists():
                break
            time.sleep(0.3)
    finally:
        stopping.set()
        for thread in [*workers, courier]:
            thread.join(timeout=10)
    alert = Alert.objects.get()
    assert (alert.store, alert.camera.name, alert.rule, alert.zone) == (
        world.store_a,
        "aisle-7",
        "intrusion",
        "razors",
    )
    assert alert.snapshot_sha256 and alert.clip_sha256 and not alert.is_open
    assert CameraHealth.objects.get(camera=alert.camera).detector == "motion"
