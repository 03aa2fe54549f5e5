"""Exports are data, not code: a formula typed anywhere comes out of every CSV and XLSX inert,
read back as a spreadsheet would read it."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client

from tests.conftest import World, client_for, make_person, make_user
from vigil.core.exports import safe_cell
from vigil.core.models import Role, User

FORMULA = '=HYPERLINK("http://x/","open")'


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        (FORMULA, "'" + FORMULA),
        ("+1 555 0100", "'+1 555 0100"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\tcmd", "'\tcmd"),
        ("\r=1", "'\r=1"),
        ("-12.50", "-12.50"),
        ("+3", "+3"),
        ("1e5", "1e5"),
        ("Cashier", "Cashier"),
        ("", ""),
        (None, None),
        (42, 42),
    ],
)
def test_a_cell_a_spreadsheet_would_run_is_written_as_text(typed: Any, written: Any) -> None:
    assert safe_cell(typed) == written


def _csv_rows(body: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body)))


def test_a_formula_typed_as_a_user_name_is_inert_in_the_audit_log_export(world: World) -> None:
    Client().post("/login/", {"username": FORMULA, "password": "wrong password"})
    auditor = make_user(Role.AUDITOR, everything=True)
    response = client_for(auditor).get("/audit-log/export.csv")
    body = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    cells = [cell for row in _csv_rows(body) for cell in row]
    assert any(cell == "'" + FORMULA for cell in cells)
    assert not any(cell.startswith("=") for cell in cells)


@pytest.fixture
def formula_lead(world: World) -> tuple[User, Any]:
    from vigil.pos.models import DataSet, PosException, Scan

    data_set = DataSet.objects.create(name="d", folder="none", source="folder")
    data_set.stores.set([world.store_a])
    scan = Scan.objects.create(data_set=data_set, status="done")
    lead = PosException.objects.create(
        data_set=data_set, first_scan=scan, last_scan=scan, rule="no_sale_drawer",
        rule_title="No-sale drawer opening", transaction_id="=1+1", employee_id="@E1",
        store=world.store_a, register_id="R01", business_date="2026-03-02",
        at_text="2026-03-02T10:00:00-06:00", amount="-12.50", severity=0.3, detail=FORMULA,
    )  # fmt: skip
    return make_user(Role.LP_MANAGER, everything=True), lead


def test_a_formula_in_a_pos_lead_is_inert_in_the_csv_export(formula_lead: Any) -> None:
    user, _ = formula_lead
    response = client_for(user).get("/pos/export.csv")
    body = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    header, row = _csv_rows(body)
    found = dict(zip(header, row, strict=True))
    assert found["detail"] == "'" + FORMULA and found["transaction_id"] == "'=1+1"
    assert found["employee_id"] == "'@E1" and found["amount"] == "-12.50"


def test_a_formula_in_a_pos_lead_is_text_in_the_xlsx_export(formula_lead: Any) -> None:
    from openpyxl import load_workbook

    user, _ = formula_lead
    response = client_for(user).get("/pos/export.xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header = [cell.value for cell in sheet[1]]
    cells = {name: cell for name, cell in zip(header, sheet[2], strict=True)}
    assert cells["detail"].data_type == "s" and cells["detail"].value == "'" + FORMULA
    assert all(cell.data_type != "f" for cell in sheet[2])


def test_a_formula_in_an_osha_case_is_inert_in_the_ita_files(world: World, owner: User) -> None:
    from vigil.safety import osha
    from vigil.safety.models import EstablishmentYear

    store = world.store_a
    store.street, store.city, store.state, store.postal_code = "1 Main", "Austin", "TX", "78701"
    store.save()
    osha.record_case(
        owner,
        store,
        {"employee": make_person(store, "cashier", name="Pat Case"), "job_title": FORMULA,
         "date_of_injury": dt.date(2026, 3, 2), "where_occurred": "+Register 3",
         "description": "Strained back", "injury_type": "injury", "outcome": "other"},
    )  # fmt: skip
    EstablishmentYear.objects.create(
        store=store, year=2026, company_name="=Test Retail", ein="123456789",
        peak_employees=45, annual_average_employees=38, total_hours_worked=61000,
    )  # fmt: skip
    summary, cases = osha.ita_files(EstablishmentYear.objects.all())
    for body in (summary, cases):
        assert not any(cell.startswith(("=", "+")) for row in _csv_rows(body) for cell in row)
    case_cells = {cell for row in _csv_rows(cases) for cell in row}
    summary_cells = {cell for row in _csv_rows(summary) for cell in row}
    assert "'" + FORMULA in case_cells and "'=Test Retail" in summary_cells


def test_a_formula_in_the_pos_journal_is_inert_in_the_evidence_csv() -> None:
    from vigil.pos.journal import Journal
    from vigil.pos.reviews import journal_csv

    found = Journal(transaction={"transaction_id": "T1", "customer_id": "=cmd|' /C calc'!A0"})
    rows = _csv_rows(journal_csv(found).decode())
    assert ["T1", "'=cmd|' /C calc'!A0"] in rows
