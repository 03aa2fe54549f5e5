"""CCTV in the browser: draw a zone on a camera, a worker watching that camera raises an
alert that arrives in the live feed, and the alert is escalated to an incident whose
evidence is the clip, with the hash it had when it arrived."""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PASSWORD, make_store, make_user
from tests.e2e.test_navigation import _sign_in
from vigil.core import tokens
from vigil.core.models import Organisation, Region, Role
from vigil.engines.video import worker
from vigil.engines.video.clips import RingBuffer, write_mp4
from vigil.engines.video.scenes import frames, walk
from vigil.evidence.models import EvidenceItem
from vigil.video.models import Alert, Camera

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def recording(folder: Path) -> Path:
    """Six seconds of someone walking from the left of the aisle into its right half."""
    buffer = RingBuffer(60)
    for image, at in frames([walk(0.5, 5.5, (0.1, 0.8), (0.9, 0.8))], 6.0, fps=10):
        buffer.add(image, at)
    return write_mp4(list(buffer.frames), folder / "aisle.mp4", fps=10)


def worker_config_from_app(base: str, camera: Camera, token: str) -> dict[str, Any]:
    request = urllib.request.Request(  # noqa: S310 (the live test server on loopback)
        f"{base}/api/v1/video/cameras/{camera.pk}/worker-config",
        headers={"Authorization": f"Bearer {token}"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback)
        return json.loads(response.read())


def test_draw_a_zone_see_the_alert_arrive_and_escalate_it_with_its_clip(
    browser: Any, live_server: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    region = Region.objects.create(
        organisation=Organisation.objects.create(name="E2E"), code="R1", name="Region 1"
    )
    store = make_store(region, "S101")
    make_user(Role.LP_MANAGER, stores=(store,), username="lp.manager")
    worker_user = make_user(Role.LP_OFFICER, stores=(store,), username="aisle.worker")
    _, token = tokens.issue(worker_user, name="aisle worker")
    camera = Camera.objects.create(store=store, name="aisle-7", location="Razors, aisle 7")
    base = live_server.url

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    _sign_in(page, base, "lp.manager", PASSWORD)

    # Draw the right half of the picture as a high-value zone.
    page.goto(f"{base}/cameras/{camera.pk}/")
    canvas = page.locator(".zone-canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    for fx, fy in ((0.55, 0.05), (0.98, 0.05), (0.98, 0.98), (0.55, 0.98)):
        canvas.click(position={"x": fx * box["width"], "y": fy * box["height"]})
    page.fill(".zone-name", "razors")
    page.select_option(".zone-kind", "high_value")
    page.click(".zone-close")
    page.get_by_role("button", name="Save zones").click()
    page.wait_for_selector("text=Saved 1 zone(s)")
    page.fill(
        "textarea[name=settings]",
        "detector: {model: motion}\nrules:\n  - {type: intrusion, zone: razors}\n"
        "clip: {pre_seconds: 1, post_seconds: 2}\n",
    )
    page.get_by_role("button", name="Save settings").click()
    page.wait_for_selector("text=Camera settings saved")
    camera.refresh_from_db()
    (zone,) = camera.config["zones"]
    assert zone["name"] == "razors" and zone["kind"] == "high_value"
    assert 0.5 < zone["polygon"][0][0] < 0.6

    # Open the live feed, then let a worker watching this camera (with the config the app
    # serves it) run over a recording.
    page.goto(f"{base}/alerts/")
    settings = worker_config_from_app(base, camera, token)
    settings["source"] = str(recording(tmp_path))
    monkeypatch.setenv(worker.TOKEN_VARIABLE, token)
    config = worker.WorkerConfig.model_validate(
        {"app": {"url": base}, "spool": str(tmp_path / "spool"), "cameras": [settings]}
    )
    stopping = threading.Event()
    workers, courier = worker.start(config, stopping)
    try:
        card = page.wait_for_selector(".alert-card", timeout=30_000)  # the feed refreshes itself
        assert "Intrusion · razors" in card.inner_text()
        deadline = time.monotonic() + 30
        while not Alert.objects.exclude(clip_sha256="").exists():
            assert time.monotonic() < deadline, "the clip did not arrive"
            time.sleep(0.3)
    finally:
        stopping.set()
        for thread in [*workers, courier]:
            thread.join(timeout=10)

    page.click(".alert-card h3 a")
    page.wait_for_selector("video")
    page.select_option("select[name=kind]", "shoplifting")
    page.fill("form[action$='/escalate/'] input[name=note]", "Two razor packs taken from the shelf")
    page.get_by_role("button", name="Escalate to an incident").click()
    page.wait_for_url(f"{base}/incidents/**")
    alert = Alert.objects.get()
    clip = EvidenceItem.objects.get(incident=alert.incident, media_type="video/mp4")
    assert clip.sha256 == alert.clip_sha256
    assert clip.number in page.content()
    context.close()
