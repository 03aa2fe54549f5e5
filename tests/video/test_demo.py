"""The demo's cameras: alerts made by the real pipeline on synthetic footage, once; and the
checkout cameras see the registers the demo's POS data uses, so a lead links to its camera."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from tests.conftest import client_for
from vigil.core import demo
from vigil.core.models import User
from vigil.pos import demo as pos_demo
from vigil.pos.models import PosException
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
        "lanes-5-6",
        "self-checkout",
        "service-desk",
    }
    rules = set(Alert.objects.filter(camera__name="aisle-7").values_list("rule", flat=True))
    assert rules == {"loitering", "crowding"}
    for alert in Alert.objects.filter(camera__name="aisle-7"):
        assert media.CLIPS.path_of(alert.clip_sha256).stat().st_size > 1000
        assert media.SNAPSHOTS.path_of(alert.snapshot_sha256).exists()
    eas = Alert.objects.get(source="eas")
    assert eas.camera.name == "front-entrance"


def test_every_demo_lead_at_s101_links_to_the_camera_that_sees_its_register(db: Any) -> None:
    demo.seed()
    video_demo.seed()
    pos_demo.seed()
    in_view = {
        register: camera
        for camera in Camera.objects.filter(store__code="S101")
        for register in camera.listed("registers")
    }
    first_on_each: dict[str, PosException] = {}
    for lead in PosException.objects.filter(store__code="S101").order_by("pk"):
        first_on_each.setdefault(lead.register_id, lead)
    assert {"R01", "R06", "SCO1", "SD1"} <= set(first_on_each)
    assert set(first_on_each) <= set(in_view), "a register with leads that no camera sees"
    client = client_for(User.objects.get(username="lp.officer"))
    for register, lead in first_on_each.items():
        page = client.get(reverse("pos:exception-detail", args=[lead.pk])).content.decode()
        camera = in_view[register]
        assert reverse("video:camera-detail", args=[camera.pk]) in page, register
        assert camera.name in page


def test_an_older_demo_with_lanes_l1_to_l4_is_put_right_on_the_next_run(db: Any) -> None:
    demo.seed()
    video_demo.seed()
    Camera.objects.filter(name="lanes-1-4").update(registers="L1, L2, L3, L4")
    Camera.objects.filter(name="service-desk").delete()
    assert video_demo.seed() == 0  # no alerts made twice
    assert Camera.objects.get(name="lanes-1-4").listed("registers") == ["R01", "R02", "R03", "R04"]
    assert Camera.objects.get(name="service-desk").listed("registers") == ["SD1"]
