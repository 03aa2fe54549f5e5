"""Shrink in the browser: from the executive summary to a hot spot, its reasons and items,
down to an item's cycle counts, and the recommendation accepted into a tracked action."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PASSWORD, make_store, make_user
from tests.e2e.test_navigation import _sign_in
from vigil.audits.models import CorrectiveAction
from vigil.core.models import Organisation, Region, Role
from vigil.engines.pos.generator import generate
from vigil.pos import imports

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_director_drills_from_the_summary_to_a_hot_spots_items_and_acts(
    page: Any, live_server: Any, tmp_path: Path
) -> None:
    region = Region.objects.create(
        organisation=Organisation.objects.create(name="E2E"), code="R1", name="Region 1"
    )
    for code in ("S101", "S102", "S103", "S104"):
        make_store(region, code)
    director = make_user(Role.LP_MANAGER, everything=True, username="shrink.director")
    generate(tmp_path / "data", stores=4, days=35, seed=4, transactions_per_register_day=6)
    data_set = imports.import_data_set(director, tmp_path / "data", "Counted", "generated")
    imports.scan_data_set(data_set, director)

    base = live_server.url
    _sign_in(page, base, "shrink.director", PASSWORD)
    page.goto(f"{base}/reports/executive/?month=2026-03")
    assert "Loss prevention, March 2026" in page.inner_text("main")
    assert page.locator("figure.chart svg.chart-svg").count() >= 3
    page.click("text=Razors at S102")
    page.wait_for_url("**/shrink/hotspots/*/")
    reasons = page.inner_text("#reasons")
    assert "Razors at S102 lost" in reasons and "chain-wide" in reasons

    page.locator("#items tbody tr").first.locator("a").click()
    page.wait_for_url("**/shrink/stores/S102/items/**")
    main = page.inner_text("main")
    assert "Cycle counts" in main and "recommended cycle count:" in main
    page.go_back()
    page.fill("textarea[name=note]", "Locked fixture ordered for razors")
    page.click("text=Accept: open a corrective action")
    page.wait_for_selector("text=corrective action CA-")
    action = CorrectiveAction.objects.get()
    assert action.store.code == "S102" and "razors" in action.title
    assert action.number in page.inner_text("main")
