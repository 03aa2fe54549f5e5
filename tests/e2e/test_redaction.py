"""A redacted copy made in a real browser: drag a box over the photo, save, open the copy.

The page's script turns the drag into an area in the photo's own pixels (the photo is shown
smaller than it is), writes it into the form, and the saved copy is a new item derived from
the original, with the box blacked out; nothing the page does is refused by the CSP.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest

from tests.conftest import add_evidence, make_user
from tests.e2e.browsing import open_browser_page, sign_in, until
from vigil.core.models import Organisation, Region, Role, Store
from vigil.evidence.models import Derivation, EvidenceItem
from vigil.evidence.storage import store_from_settings

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHOTO = (
    Path(__file__).resolve().parents[2] / "vigil" / "cases" / "demo_media" / "aisle-7-razors.jpg"
)
PHONE = {"width": 390, "height": 844}  # the 480 px photo is shown smaller than it is


def _store() -> Store:
    region = Region.objects.create(
        organisation=Organisation.objects.create(name="E2E Retail"), code="R1", name="Region 1"
    )
    return Store.objects.create(
        region=region, code="E2E1", name="Riverside", timezone="America/Chicago"
    )


def test_a_box_dragged_over_the_photo_is_blacked_out_on_a_new_copy(
    browser: Any, live_server: Any, screenshots: Path
) -> None:
    store = _store()
    investigator = make_user(Role.LP_MANAGER, stores=(store,), username="lee.investigator")
    photo = add_evidence(investigator, PHOTO.read_bytes(), filename="aisle7.jpg", store="E2E1")
    refused: list[str] = []
    context, page = open_browser_page(browser, PHONE, refused)
    sign_in(page, live_server.url, "lee.investigator")
    page.goto(f"{live_server.url}/evidence/{photo.number}/")
    page.click("text=Redact a copy")
    until(page, "document.querySelector('.redact-stage img').naturalWidth > 0")
    # The drawing layer is sized to the picture once it has laid out: wait for that.
    until(page, "document.querySelector('.redact-layer').getBoundingClientRect().width > 100")
    bounds = page.locator(".redact-layer").bounding_box()
    assert bounds is not None and 100 < bounds["width"] < 480
    left, top = bounds["x"] + bounds["width"] * 0.25, bounds["y"] + bounds["height"] * 0.25
    page.mouse.move(left, top)
    page.mouse.down()
    page.mouse.move(left + bounds["width"] * 0.25, top + bounds["height"] * 0.25, steps=5)
    page.mouse.up()
    assert page.locator(".redact-layer .redact-box").count() == 1
    line = page.input_value("#id_areas").strip()
    x, y, width, height = (int(part) for part in line.split(","))
    page.check("input[name=style][value=solid]")
    page.screenshot(path=str(screenshots / "redaction-drawn.png"))
    page.click("text=Save the redacted copy")
    page.wait_for_url("**/evidence/*/")
    context.close()

    assert refused == []
    copy = EvidenceItem.objects.get(derived_from=photo)
    assert copy.derivation == Derivation.REDACTED
    with store_from_settings().open(copy.sha256) as source:
        image = cv2.imdecode(np.frombuffer(source.read(), np.uint8), cv2.IMREAD_COLOR)
    assert image is not None
    full_height, full_width = image.shape[:2]
    # The drag covered a quarter of the shown photo each way: the same share of its pixels.
    assert abs(x - full_width * 0.25) < full_width * 0.03
    assert abs(width - full_width * 0.25) < full_width * 0.03
    assert abs(y - full_height * 0.25) < full_height * 0.03 and height > 0
    assert image[y + 2 : y + height - 2, x + 2 : x + width - 2].max() < 16


def test_a_box_drawn_on_a_paused_clip_is_hidden_from_the_chosen_time(
    browser: Any, live_server: Any, screenshots: Path
) -> None:
    from tests.evidence.test_redaction import short_clip

    store = _store()
    investigator = make_user(Role.LP_MANAGER, stores=(store,), username="lee.investigator")
    clip = add_evidence(investigator, short_clip(2.0), filename="entrance.mp4", store="E2E1")
    refused: list[str] = []
    context, page = open_browser_page(browser, {"width": 1280, "height": 900}, refused)
    sign_in(page, live_server.url, "lee.investigator")
    page.goto(f"{live_server.url}/evidence/{clip.number}/redaction/")
    until(page, "document.querySelector('.redact-stage video').readyState >= 1")
    page.evaluate("document.querySelector('.redact-stage video').currentTime = 1")
    until(page, "Math.abs(document.querySelector('.redact-stage video').currentTime - 1) < 0.01")
    page.click("text=Draw areas")
    # The drawing layer is sized to the picture once it has laid out: wait for that.
    until(page, "document.querySelector('.redact-layer').getBoundingClientRect().width > 100")
    bounds = page.locator(".redact-layer").bounding_box()
    assert bounds is not None and bounds["height"] > 100
    page.mouse.move(bounds["x"] + 20, bounds["y"] + 20)
    page.mouse.down()
    page.mouse.move(bounds["x"] + 220, bounds["y"] + 120, steps=5)
    page.mouse.up()
    page.click("text=From here")
    assert page.input_value("input[name=start_s]") == "1.000"
    page.screenshot(path=str(screenshots / "redaction-clip.png"))
    page.click("text=Save the redacted copy")
    page.wait_for_url("**/task-runs/**")
    until(page, "document.body.innerText.includes('Open the redacted copy')")
    context.close()

    assert refused == []
    copy = EvidenceItem.objects.get(derived_from=clip)
    assert copy.media_type == "video/mp4"
    assert "from 1 s to the end" in copy.description
