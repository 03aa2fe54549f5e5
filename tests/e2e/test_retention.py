"""Retention and legal hold in a real browser: the administrator's page, and a hold placed and
seen on a case, its incident and its subject. Pages are photographed at 390 and 1366 px, and
the browser reports no Content-Security-Policy violation on any of them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from tests.conftest import (
    add_evidence,
    make_case,
    make_incident,
    make_subject,
    make_user,
    tiny_file,
)
from tests.e2e.browsing import open_browser_page, sign_in
from tests.retention.conftest import long_ago
from vigil.cases.models import CaseLink, IncidentParty
from vigil.core.models import Organisation, Region, Role, Store
from vigil.retention.holds import place
from vigil.video.models import Alert

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}


def test_holds_are_placed_from_the_page_and_the_administrator_sees_them(
    browser: Any, live_server: Any, screenshots: Path
) -> None:
    region = Region.objects.create(
        organisation=Organisation.objects.create(name="E2E Retail"), code="R1", name="Region 1"
    )
    store = Store.objects.create(
        region=region, code="E2E1", name="Riverside", timezone="America/Chicago"
    )
    investigator = make_user(Role.LP_MANAGER, stores=(store,), username="casey.lp")
    make_user(Role.ADMIN, everything=True, username="chief.admin")
    incident = make_incident(store, investigator)
    subject = make_subject(store)
    IncidentParty.objects.create(incident=incident, role="suspect", subject=subject)
    case = make_case(store, investigator)
    CaseLink.objects.create(case=case, incident=incident)
    CaseLink.objects.create(case=case, subject=subject)
    add_evidence(
        investigator, tiny_file("png", b"photo"), filename="face.png", subject_id=subject.pk
    )
    place(investigator, incident, reason="Insurance claim INS-2207")
    Alert.objects.bulk_create(
        Alert(uid=f"old-{n}", store=store, source="vigil", rule="loitering", started_at=long_ago())
        for n in range(1234)
    )
    refused: list[str] = []
    for name, viewport in VIEWPORTS.items():
        context, page = open_browser_page(browser, viewport, refused)
        sign_in(page, live_server.url, "casey.lp")
        page.goto(f"{live_server.url}/cases/{case.number}/")
        if name == "phone":
            holds = page.locator("section.legal-holds")
            holds.locator("summary").click()
            holds.locator("input[name=reason]").fill("Subpoena 2026-114, County Court")
            holds.locator("input[name=until]").fill(f"{timezone.localdate().year + 1}-06-30")
            holds.locator("button:has-text('Place hold')").click()
            page.wait_for_load_state()
            assert "Under legal hold" in page.content()
        page.locator("section.legal-holds").scroll_into_view_if_needed()
        page.screenshot(path=str(screenshots / f"retention-case-{name}.png"), full_page=True)
        page.goto(f"{live_server.url}/incidents/{incident.number}/")
        page.screenshot(path=str(screenshots / f"retention-incident-{name}.png"), full_page=True)
        page.goto(f"{live_server.url}/subjects/{subject.pk}/")
        page.locator("section.legal-holds summary").click()
        page.screenshot(path=str(screenshots / f"retention-subject-{name}.png"), full_page=True)
        context.close()
        context, page = open_browser_page(browser, viewport, refused)
        sign_in(page, live_server.url, "chief.admin")
        page.goto(f"{live_server.url}/retention/")
        assert "Would purge 1,234 alerts" in page.content()
        assert "Subpoena 2026-114" in page.content()
        page.screenshot(path=str(screenshots / f"retention-overview-{name}.png"), full_page=True)
        context.close()
    assert refused == []
