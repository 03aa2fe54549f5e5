"""The demo's cameras: alerts made by the real pipeline on synthetic footage, once."""

from __future__ import annotations

from typing import Any

from vigil.core import demo
from vigil.video import demo as video_demo
from vigil.video import media
from vigil.video.models import Alert, Camera


def test_the_demo_cameras_have_real_alerts_with_snapshots_and_clips(db: Any) -> None:
    demo.seed()
    created = video_demo.seed()
    assert created == Alert.objects.count()
    assert video_demo.seed() == 0
    assert set(Camera.objects.values_list("name", flat=True)) == {
        "aisle-7",
        "front-entrance",
        "lanes-1-4",
    }
    rules = set(Alert.objects.filter(camera__name="aisle-7").values_list("rule", flat=True))
    assert rules == {"loitering", "crowding"}
    for alert in Alert.objects.filter(camera__name="aisle-7"):
        assert media.CLIPS.path_of(alert.clip_sha256).stat().st_size > 1000
        assert media.SNAPSHOTS.path_of(alert.snapshot_sha256).exists()
    eas = Alert.objects.get(source="eas")
    assert eas.camera.name == "front-entrance"
