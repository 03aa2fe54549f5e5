"""A POS investigation in the browser: import a data set, open the top-ranked employee, open
one of their transactions, and escalate it into a case; and a morning's review: tick leads,
explain them with one reason and note, save the view, at phone and desk width."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PASSWORD, make_store, make_user
from tests.e2e.test_navigation import _sign_in
from vigil.cases.models import Case
from vigil.core.models import Organisation, Region, Role, SavedView
from vigil.engines.pos.generator import generate
from vigil.pos.imports import inbox
from vigil.pos.models import EmployeeRisk, PosException, ReviewStatus

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_investigator_imports_ranks_opens_and_escalates(
    page: Any, live_server: Any, tmp_path: Path
) -> None:
    region = Region.objects.create(
        organisation=Organisation.objects.create(name="E2E"), code="R1", name="Region 1"
    )
    for code in ("S101", "S102"):
        make_store(region, code)
    make_user(Role.LP_MANAGER, everything=True, username="pos.investigator")
    source = tmp_path / "march"
    generate(source, stores=2, days=7, seed=3, transactions_per_register_day=30)
    shutil.copytree(source, inbox() / "march")

    base = live_server.url
    _sign_in(page, base, "pos.investigator", PASSWORD)
    page.goto(f"{base}/pos/data-sets/")
    page.select_option("select[name=folder]", "march")
    page.fill("input[name=name]", "March, two stores")
    page.click("form[action$='import/'] button[type=submit]")
    page.wait_for_selector("text=March, two stores: ")
    assert "new leads" in page.inner_text("main")

    page.goto(f"{base}/pos/employees/")
    top = EmployeeRisk.objects.order_by("rank").first()
    assert top is not None
    page.locator("table.ranking tbody tr").first.locator("a").first.click()
    page.wait_for_url(f"**/pos/employees/{top.employee_id}/**")
    assert "Why" in page.inner_text("main")

    page.locator("main table a").first.click()
    page.wait_for_url("**/pos/exceptions/*/")
    assert "Video to pull" in page.inner_text("main")
    exception = PosException.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))
    page.fill("form[action$='escalation/'] input[name=note]", "Three weeks of the same pattern")
    page.click("text=Escalate to a case")
    page.wait_for_url("**/cases/CASE-*/")
    case = Case.objects.get()
    exception.refresh_from_db()
    assert exception.case == case
    assert "journal-" in page.inner_text("main")  # the journal, attached as evidence


def test_a_morning_review_ticks_leads_explains_them_and_saves_the_view(
    browser: Any, live_server: Any, tmp_path: Path, screenshots: Path
) -> None:
    from vigil.pos import imports, reviews

    region = Region.objects.create(
        organisation=Organisation.objects.create(name="E2E"), code="R1", name="Region 1"
    )
    for code in ("S101", "S102"):
        make_store(region, code)
    analyst = make_user(Role.LP_MANAGER, everything=True, username="pos.analyst")
    source = tmp_path / "week"
    generate(source, stores=2, days=3, seed=3, transactions_per_register_day=20)
    data_set = imports.import_data_set(analyst, source, "Week 10", "folder")
    imports.scan_data_set(data_set, analyst)
    # The migration's reasons are gone with a transactional test's flush; the manager adds one.
    reviews.add_reason(analyst, "Manager-approved (approval on file)")

    for width, height in ((390, 844), (1366, 900)):
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        page.set_default_timeout(15_000)
        _sign_in(page, live_server.url, "pos.analyst", PASSWORD)
        page.goto(f"{live_server.url}/pos/?rule=no_sale_drawer")
        page.screenshot(path=str(screenshots / f"pos-leads-{width}.png"), full_page=True)
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= width, f"the report is {wide} px wide on a {width} px screen"
        context.close()

    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    _sign_in(page, live_server.url, "pos.analyst", PASSWORD)
    page.goto(f"{live_server.url}/pos/?rule=no_sale_drawer")
    boxes = page.locator("table.leads tbody input[name=lead]")
    assert boxes.count() >= 2
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.select_option("#bulk select[name=status]", "explained")
    page.select_option("#bulk select[name=reason]", label="Manager-approved (approval on file)")
    page.fill("#bulk input[name=note]", "Drawer counts checked")
    page.click("#bulk button[type=submit]")
    page.wait_for_selector("text=2 leads marked explained")
    assert PosException.objects.filter(status=ReviewStatus.EXPLAINED).count() == 2

    page.click("details.save-view summary")
    page.fill("details.save-view input[name=name]", "Drawer openings")
    page.click("details.save-view button[type=submit]")
    page.wait_for_selector("nav.saved-views >> text=Drawer openings")
    view = SavedView.objects.get()
    assert (view.list_key, view.query) == ("leads", "rule=no_sale_drawer")
    page.screenshot(path=str(screenshots / "pos-leads-reviewed-1366.png"), full_page=True)

    lead = PosException.objects.filter(status=ReviewStatus.EXPLAINED).first()
    assert lead is not None
    for width in (390, 1366):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/pos/exceptions/{lead.pk}/")
        assert "Review history" in page.inner_text("main")
        assert "Drawer counts checked" in page.inner_text("main")
        page.screenshot(path=str(screenshots / f"pos-lead-{width}.png"), full_page=True)
    context.close()
