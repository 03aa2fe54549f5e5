"""A CCTV clip watched in place, in a real browser: it seeks by range and steps by frame.

The clip (10 fps) plays on its evidence page; the browser fetches it with Range requests
answered 206, the frame buttons move one tenth of a second, and the whole viewing is one
"viewed" event in the chain of custody.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import add_evidence, make_user
from tests.e2e.browsing import open_browser_page, sign_in, until
from tests.shared_data import shared_data
from vigil.core.models import Organisation, Region, Role, Store
from vigil.evidence.models import CustodyAction

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHOTO = (
    Path(__file__).resolve().parents[2] / "vigil" / "cases" / "demo_media" / "aisle-7-razors.jpg"
)
# A one-page PDF, enough for a browser's viewer.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
REAL_MP4 = "video/one-by-one-person-detection.mp4"  # under the shared data (tests/shared_data.py)
DESKTOP = {"width": 1280, "height": 900}


def _store() -> Store:
    region = Region.objects.create(
        organisation=Organisation.objects.create(name="E2E Retail"), code="R1", name="Region 1"
    )
    return Store.objects.create(
        region=region, code="E2E1", name="Riverside", timezone="America/Chicago"
    )


def test_a_photo_and_a_pdf_show_in_place_with_nothing_refused(
    browser: Any, live_server: Any
) -> None:
    store = _store()
    investigator = make_user(Role.LP_MANAGER, stores=(store,), username="lee.investigator")
    photo = add_evidence(investigator, PHOTO.read_bytes(), filename="aisle7.jpg", store="E2E1")
    report = add_evidence(investigator, PDF, filename="police-report.pdf", store="E2E1")
    refused: list[str] = []
    context, page = open_browser_page(browser, DESKTOP, refused)
    sign_in(page, live_server.url, "lee.investigator")
    page.goto(f"{live_server.url}/evidence/{photo.number}/")
    until(page, "document.querySelector('.evidence-viewer img').naturalWidth > 0")
    with page.expect_response(lambda response: "/view/" in response.url) as answer:
        page.goto(f"{live_server.url}/evidence/{report.number}/")
    assert answer.value.status == 200
    assert answer.value.headers["content-type"] == "application/pdf"
    page.wait_for_load_state("load")
    context.close()
    assert refused == []
    assert photo.custody.filter(action=CustodyAction.VIEWED).count() == 1
    assert report.custody.filter(action=CustodyAction.VIEWED).count() == 1


def test_a_clip_seeks_by_range_and_steps_one_frame_at_a_time(
    browser: Any, live_server: Any, screenshots: Path
) -> None:
    clip = shared_data(REAL_MP4)  # fails in CI when missing
    store = _store()
    make_user(Role.LP_MANAGER, stores=(store,), username="lee.investigator")
    investigator = make_user(Role.LP_MANAGER, stores=(store,))
    item = add_evidence(
        investigator,
        clip.read_bytes(),
        filename="entrance.mp4",
        store="E2E1",
        camera_clock_offset_s="4.2",
    )
    refused: list[str] = []
    context, page = open_browser_page(browser, DESKTOP, refused)
    statuses: list[int] = []
    page.on(
        "response",
        lambda response: statuses.append(response.status) if "/view/" in response.url else None,
    )
    sign_in(page, live_server.url, "lee.investigator")
    page.goto(f"{live_server.url}/evidence/{item.number}/")
    assert "Camera clock runs 4.2 s ahead" in page.inner_text(".clip-facts")
    until(page, "document.querySelector('video').readyState >= 1")

    page.click("text=1 frame ▶")
    until(page, "document.querySelector('video').currentTime > 0.1")
    page.click("text=1 frame ▶")
    until(page, "Math.abs(document.querySelector('video').currentTime - 0.25) < 1e-3")
    page.click("text=+10 s")
    until(page, "document.querySelector('video').currentTime > 10")
    page.click("text=◀ 1 frame")
    until(page, "Math.abs(document.querySelector('video').currentTime - 10.15) < 1e-3")
    # The readout follows the player's seek events: under load it can trail by one.
    until(page, "document.querySelector('.clip-position').innerText.includes('frame 102')")
    page.screenshot(path=str(screenshots / "evidence-clip-1280.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(screenshots / "evidence-clip-390.png"), full_page=True)
    context.close()

    assert 206 in statuses
    assert all(status in {200, 206} for status in statuses)
    assert item.custody.filter(action=CustodyAction.VIEWED).count() == 1
    assert refused == []
