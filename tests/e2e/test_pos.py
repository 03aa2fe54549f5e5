"""A POS investigation in the browser: import a data set, open the top-ranked employee, open
one of their transactions, and escalate it into a case."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PASSWORD, make_store, make_user
from tests.e2e.test_navigation import _sign_in
from vigil.cases.models import Case
from vigil.core.models import Organisation, Region, Role
from vigil.engines.pos.generator import generate
from vigil.pos.imports import inbox
from vigil.pos.models import EmployeeRisk, PosException

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
    page.wait_for_selector("text=exceptions in March, two stores")

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
