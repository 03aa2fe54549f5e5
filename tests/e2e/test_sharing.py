"""Sharing a case with a police officer, in a real browser, and taking it back.

The investigator shares from the case's page; the officer signs in on a phone and finds it in
the portal, with nothing of the incident and subject linked to it (page and API); revoking
takes it away. The pages are photographed at 390 and 1366 px, and the browser reports no
Content-Security-Policy violation on any of them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import make_case, make_incident, make_subject, make_user
from tests.e2e.browsing import open_browser_page, sign_in
from vigil.cases.models import CaseLink
from vigil.core.models import Agency, Organisation, Region, Role, Store

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def test_a_case_shared_with_police_shows_in_their_portal_alone_until_revoked(
    browser: Any, live_server: Any, screenshots: Path
) -> None:
    region = Region.objects.create(
        organisation=Organisation.objects.create(name="E2E Retail"), code="R1", name="Region 1"
    )
    store = Store.objects.create(
        region=region, code="E2E1", name="Riverside", timezone="America/Chicago"
    )
    investigator = make_user(Role.LP_MANAGER, stores=(store,), username="casey.lp")
    agency = Agency.objects.create(name="Riverside Police Department", kind="police")
    officer = make_user(Role.EXTERNAL, username="det.rivera")
    officer.first_name, officer.last_name, officer.agency = "Dana", "Rivera", agency
    officer.save()
    incident = make_incident(store, investigator, summary="Razor packs taken by a regular")
    subject = make_subject(store, name="Jordan Example")
    case = make_case(store, investigator, title="Razor thefts, November", summary="Three visits.")
    CaseLink.objects.create(case=case, incident=incident)
    CaseLink.objects.create(case=case, subject=subject)
    base = live_server.url
    refused: list[str] = []

    lp_context, lp = open_browser_page(browser, DESKTOP, refused)
    sign_in(lp, base, "casey.lp")
    lp.goto(f"{base}/cases/{case.number}/")
    lp.click("text=Share this case with police, legal or an insurer")
    lp.select_option("select[name=recipient]", label="Dana Rivera · Riverside Police Department")
    lp.fill("input[name=reason]", "RPD report 26-11873")
    lp.click("#sharing button:has-text('Share')")
    lp.wait_for_selector("text=Shared with Dana Rivera")
    lp.screenshot(path=str(screenshots / "sharing-case-panel-1366.png"), full_page=True)

    police_context, police = open_browser_page(browser, PHONE, refused)
    sign_in(police, base, "det.rivera")
    assert police.url.endswith("/portal/")
    assert case.number in police.inner_text("main")
    menu = police.inner_text("nav.main-menu")
    assert "Shared with me" in menu and "Incidents" not in menu and "Admin" not in menu
    police.screenshot(path=str(screenshots / "portal-list-390.png"), full_page=True)
    police.click(f"text={case.number}")
    text = police.inner_text("main")
    assert "Razor thefts, November" in text and "Three visits." in text
    for hidden in (incident.number, "Razor packs taken", "Jordan Example"):
        assert hidden not in text
    police.screenshot(path=str(screenshots / "portal-case-390.png"), full_page=True)
    grant_id = police.url.rstrip("/").split("/")[-1]
    api = police.request.get(f"{base}/api/v1/shared-with-me/{grant_id}")
    assert api.ok and "Jordan Example" not in api.text() and incident.number not in api.text()
    assert police.request.get(f"{base}/api/v1/incidents/{incident.number}").status == 403
    assert police.goto(f"{base}/incidents/{incident.number}/").status == 404
    police.set_viewport_size(DESKTOP)
    police.goto(f"{base}/portal/items/{grant_id}/")
    police.screenshot(path=str(screenshots / "portal-case-1366.png"), full_page=True)

    lp.goto(f"{base}/sharing/")
    lp.screenshot(path=str(screenshots / "sharing-list-1366.png"), full_page=True)
    lp.fill("tbody input[name=reason]", "Report filed with the DA")
    lp.click("tbody button:has-text('Revoke')")
    lp.wait_for_selector("text=Sharing with Dana Rivera")
    lp.set_viewport_size(PHONE)
    lp.goto(f"{base}/cases/{case.number}/#sharing")
    lp.screenshot(path=str(screenshots / "sharing-case-panel-390.png"), full_page=True)

    assert police.goto(f"{base}/portal/items/{grant_id}/").status == 404
    police.goto(f"{base}/portal/")
    assert case.number not in police.inner_text("main")
    police.screenshot(path=str(screenshots / "portal-empty-1366.png"), full_page=True)

    lp_context.close()
    police_context.close()
    assert refused == []
