"""The hazard list and the OSHA Form 300 log: sorted by their columns, exported in words,
never holding another store's rows, and the log never giving away a privacy case (the list
mechanism itself is specified in tests/core/test_lists.py)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from tests.conftest import World, client_for, make_person
from vigil.core.models import User
from vigil.safety import hazards, osha
from vigil.safety.models import Hazard, Severity

pytestmark = pytest.mark.django_db


def _shown(response: Any) -> list[Any]:
    return [row.record for row in response.context["table"].page.object_list]


def _csv(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


# --- hazards -------------------------------------------------------------------------------


@pytest.fixture
def three_hazards(world: World, owner: User) -> list[Hazard]:
    return [
        hazards.report(owner, world.store_a, "Aisle 4", "Spilled water", Severity.MEDIUM),
        hazards.report(owner, world.store_a, "Exit 2", "Pallet blocks the exit", Severity.CRITICAL),
        hazards.report(owner, world.store_a, "Dock", "Loose strap", Severity.LOW),
    ]


def test_hazards_sort_worst_first_by_severity_not_by_its_spelling(
    owner_client: Client, three_hazards: list[Hazard]
):
    worst_first = _shown(owner_client.get("/safety/hazards/?sort=-severity"))

    assert [hazard.place for hazard in worst_first] == ["Exit 2", "Aisle 4", "Dock"]


def test_the_hazard_csv_names_severity_fix_and_reporter(
    owner: User, owner_client: Client, three_hazards: list[Hazard]
):
    rows = _csv(owner_client.get("/safety/hazards/?severity=critical&export=csv"))

    assert rows[0] == [
        "Hazard", "Reported", "Store", "Where", "What", "Severity", "Fix", "Reporter",
    ]  # fmt: skip
    (exit_blocked,) = rows[1:]
    assert exit_blocked[5] == "Critical"  # the word, not "critical"
    assert exit_blocked[6] == f"{three_hazards[1].action.number} Open"
    assert exit_blocked[7] == str(owner)
    assert exit_blocked[1].endswith(("CST", "CDT"))


def test_filtering_folds_the_report_form_away(owner_client: Client, three_hazards: Any):
    assert (
        '<details class="report-panel" open>'
        in owner_client.get("/safety/hazards/").content.decode()
    )
    assert (
        '<details class="report-panel">'
        in owner_client.get("/safety/hazards/?q=exit").content.decode()
    )


def test_a_hazard_export_holds_only_the_users_stores(
    world: World, outsider: User, three_hazards: list[Hazard]
):
    hazards.report(outsider, world.store_b, "Garden centre", "Broken glass", Severity.HIGH)

    rows = _csv(client_for(outsider).get("/safety/hazards/?export=csv"))

    assert [row[3] for row in rows[1:]] == ["Garden centre"]


# --- the OSHA Form 300 log -----------------------------------------------------------------

PRIVATE_NAME = "Morgan Privatecase"


@pytest.fixture
def log_2026(world: World, owner: User) -> Any:
    """Three cases at store A, one of them a privacy case, one past the 180-day cap."""

    def case(name: str, **fields: Any) -> Any:
        base = {
            "employee": make_person(world.store_a, "cashier", name=name),
            "job_title": "Cashier", "date_of_injury": dt.date(2026, 3, 2),
            "where_occurred": "Register 3", "description": "Strained lower back lifting a case",
            "injury_type": "injury", "outcome": "other",
        }  # fmt: skip
        return osha.record_case(owner, world.store_a, base | fields)

    case("Alex Away", outcome="days_away", days_away=200)
    case(PRIVATE_NAME, privacy="intimate", description="Lower abdominal injury")
    case("Drew Breath", outcome="days_away", days_away=5, injury_type="respiratory")
    return "/safety/osha/SA1/2026/"


def test_the_log_sorts_by_days_away_on_the_logs_own_count(owner_client: Client, log_2026: str):
    most_first = owner_client.get(f"{log_2026}?sort=-days_away")
    page = most_first.content.decode()

    assert [case.case_number for case in _shown(most_first)] == [1, 3, 2]
    assert ">180</td>" in page  # 200 days away are counted as 180 on the log


def test_the_employee_column_never_sorts_so_a_privacy_case_keeps_its_name(
    owner_client: Client, log_2026: str
):
    response = owner_client.get(f"{log_2026}?sort=employee")
    page = response.content.decode()

    assert response.context["table"].columns["employee"].orderable is False
    assert [case.case_number for case in _shown(response)] == [1, 2, 3]  # the sort is ignored
    assert PRIVATE_NAME not in page and "privacy case" in page


def test_the_log_as_a_spreadsheet_keeps_the_forms_columns_and_withholds_the_name(
    owner_client: Client, log_2026: str
):
    response = owner_client.get(f"{log_2026}?export=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]

    assert rows[0][:3] == ["(A) Case", "(B) Employee", "(C) Job title"]
    assert rows[2][1] == "privacy case"
    assert PRIVATE_NAME not in str(rows)
    assert rows[1][6:8] == ["Days away from work (H)", 180]  # labels, capped days


def test_the_page_offers_the_spreadsheet_and_the_ita_files_apart(
    owner_client: Client, log_2026: str
):
    page = owner_client.get(log_2026).content.decode()

    assert "Form 300 as a spreadsheet (XLSX)" in page
    assert "export=csv" not in page  # the only CSVs offered are OSHA's ITA files
    assert "Files for OSHA's Injury Tracking Application" in page


def test_a_saved_view_of_the_log_keeps_its_sort(owner_client: Client, log_2026: str):
    answer = owner_client.get("/safety/osha/?store=SA1&year=2026&sort=-days_away")

    assert answer["Location"] == f"{log_2026}?sort=-days_away"


def test_another_stores_log_is_not_found(world: World, outsider: User, log_2026: str):
    assert client_for(outsider).get(f"{log_2026}?export=xlsx").status_code == 404
