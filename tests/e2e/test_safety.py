"""A fire alarm on a phone: the playbook run step by step to the end, responders and the
headcount logged, and the timeline downloaded as a PDF."""

from __future__ import annotations

import subprocess
from typing import Any

import pytest

from tests.conftest import PASSWORD, make_store, make_user
from tests.e2e.test_navigation import _sign_in
from vigil.core.models import Organisation, Region, Role
from vigil.safety import playbooks
from vigil.safety.models import Emergency

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_fire_alarm_playbook_is_run_to_the_end_and_its_pdf_downloaded(
    page: Any, live_server: Any
) -> None:
    region = Region.objects.create(
        organisation=Organisation.objects.create(name="E2E"), code="R1", name="Region 1"
    )
    store = make_store(region, "S101")
    make_user(Role.LP_MANAGER, stores=(store,), username="duty.manager")
    base = live_server.url
    _sign_in(page, base, "duty.manager", PASSWORD)  # the page fixture is phone-sized

    page.goto(f"{base}/safety/")
    page.fill("input[name=where]", "Stockroom")
    page.get_by_role("button", name="Fire alarm").click()
    page.wait_for_selector("#emergency-live")
    for step in playbooks.get("fire-alarm").steps:
        page.get_by_role("button", name=step.text).click()
        page.wait_for_selector(f"li.done:has-text('{step.text[:30]}')")
        if step.key == "call":
            page.fill("input[name=agency]", "Fire department")
            page.fill("input[name=unit]", "Engine 12")
            page.get_by_role("button", name="Called now").click()
            page.get_by_role("button", name="Arrived now").click()
            page.wait_for_selector("text=Fire department Engine 12 arrived")
        if step.key == "assembly":
            page.fill("input[name=counted]", "23")
            page.fill("input[name=expected]", "23")
            page.get_by_role("button", name="Record headcount").click()
            page.wait_for_selector("text=Headcount at the assembly point: 23 of 23 on shift")
    page.get_by_role("button", name="End the emergency").click()
    page.wait_for_selector("text=Emergency ended")
    with page.expect_download() as download:
        page.get_by_text("Download the timeline (PDF)").click()
    pdf = download.value.path().read_bytes()
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    emergency = Emergency.objects.get()
    assert emergency.status == "ended" and emergency.timeline.count() == 1 + 8 + 2 + 1 + 1
    assert "Engine 12" in text and "23 of 23 on shift" in text and "Emergency ended" in text
    page.fill("textarea[name=went_well]", "Everyone out in four minutes")
    page.fill("textarea[name=to_change]", "Fire door in receiving was propped open")
    page.get_by_role("button", name="Save the review").click()
    page.wait_for_selector("text=Review saved.")
