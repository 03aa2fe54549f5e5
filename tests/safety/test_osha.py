"""OSHA recordkeeping: the 300 log with privacy cases, the 300A from a known log, and the
ITA files checked column by column against OSHA's upload templates."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from tests.conftest import World, client_for, make_person
from vigil.cli import resolve
from vigil.safety import osha
from vigil.safety.models import EstablishmentYear

# OSHA ITA upload templates, in their order (written out here, not imported from the code).
ITA_SUMMARY = [
    "establishment_name", "ein", "company_name", "street_address", "city", "state", "zip",
    "naics_code", "industry_description", "size", "establishment_type", "year_filing_for",
    "annual_average_employees", "total_hours_worked", "no_injuries_illnesses", "total_deaths",
    "total_dafw_cases", "total_djtr_cases", "total_other_cases", "total_dafw_days",
    "total_djtr_days", "total_injuries", "total_skin_disorders", "total_respiratory_conditions",
    "total_poisonings", "total_hearing_loss", "total_other_illnesses", "change_reason",
]  # fmt: skip
ITA_CASES = [
    "establishment_name", "year_of_filing", "case_number", "job_title", "date_of_incident",
    "incident_location", "incident_description", "incident_outcome", "dafw_num_away",
    "djtr_num_tr", "type_of_incident", "date_of_birth", "date_of_hire", "sex",
    "treatment_facility_type", "treatment_in_patient", "time_started_work", "time_of_incident",
    "time_unknown", "nar_before_incident", "nar_what_happened", "nar_injury_illness",
    "nar_object_substance", "date_of_death",
]  # fmt: skip
PRIVATE_NAME = "Morgan Privatecase"


@pytest.fixture
def known_log(world: World, owner):
    """Five cases of 2026 at store A, covering every outcome, the 180-day cap and a privacy
    case."""
    store = world.store_a
    store.street, store.city, store.state, store.postal_code = (
        "1 Main St",
        "Austin",
        "TX",
        "78701-1234",
    )
    store.save()

    def case(name: str, **fields):
        person = make_person(store, "cashier", name=name)
        base = {"employee": person, "job_title": "Cashier", "date_of_injury": dt.date(2026, 3, 2),
                "where_occurred": "Register 3", "description": "Strained lower back lifting a case",
                "injury_type": "injury", "outcome": "other"}  # fmt: skip
        return osha.record_case(owner, store, base | fields)

    case("Alex Away", outcome="days_away", days_away=200, days_restricted=10,
         time_of_event=dt.time(14, 30), time_started_work=dt.time(9, 0))  # fmt: skip
    case("Blair Transfer", outcome="job_transfer", days_restricted=12, injury_type="skin",
         description="Dermatitis on both hands from cleaning product")  # fmt: skip
    case(PRIVATE_NAME, privacy="intimate", description="Lower abdominal injury")
    case("Casey Death", outcome="death", date_of_death=dt.date(2026, 3, 3))
    case("Drew Breath", outcome="days_away", days_away=5, days_restricted=3,
         injury_type="respiratory", description="Respiratory irritation from a spill")  # fmt: skip
    EstablishmentYear.objects.create(
        store=store, year=2026, company_name="Test Retail Inc", ein="123456789",
        peak_employees=45, annual_average_employees=38, total_hours_worked=61000,
    )  # fmt: skip
    return store


def test_cases_are_numbered_per_store_and_year(known_log) -> None:
    assert list(osha.log_of(known_log, 2026).values_list("case_number", flat=True)) == [
        1,
        2,
        3,
        4,
        5,
    ]


def test_the_300a_is_computed_from_the_log_with_the_180_day_cap(known_log) -> None:
    summary = osha.summarise(osha.log_of(known_log, 2026))
    assert (summary.deaths, summary.days_away_cases, summary.job_transfer_cases,
            summary.other_cases) == (1, 2, 1, 1)  # fmt: skip
    assert summary.days_away == 180 + 5  # 200 days away count as 180
    assert summary.days_restricted == 0 + 12 + 3  # nothing left of the 180 for the first
    assert summary.by_type["injury"] == 3 and summary.by_type["skin"] == 1
    assert summary.by_type["respiratory"] == 1 and summary.total_cases == 5


def test_a_privacy_case_never_shows_the_name(known_log, owner) -> None:
    page = client_for(owner).get(f"/safety/osha/{known_log.code}/2026/").content.decode()
    assert "privacy case" in page and PRIVATE_NAME not in page
    assert "Alex Away" in page  # other cases keep their names on the log
    summary, cases = osha.ita_files(EstablishmentYear.objects.all())
    assert PRIVATE_NAME not in summary + cases and "Alex Away" not in cases


def test_the_ita_summary_file_has_the_template_columns_and_values(known_log) -> None:
    summary, _ = osha.ita_files(EstablishmentYear.objects.all())
    reader = csv.DictReader(io.StringIO(summary))
    assert reader.fieldnames == ITA_SUMMARY
    (row,) = list(reader)
    assert row["establishment_name"] == f"{known_log.name} (SA1)"
    assert (row["ein"], row["zip"], row["state"], row["size"]) == (
        "123456789",
        "787011234",
        "TX",
        "21",
    )
    assert (row["year_filing_for"], row["establishment_type"], row["naics_code"]) == (
        "2026",
        "1",
        "452210",
    )
    assert row["no_injuries_illnesses"] == "1"  # 1: there were cases
    assert [row[k] for k in ("total_deaths", "total_dafw_cases", "total_djtr_cases",
                             "total_other_cases", "total_dafw_days", "total_djtr_days")] == [
        "1", "2", "1", "1", "185", "15"]  # fmt: skip
    assert [row[k] for k in ITA_SUMMARY[21:27]] == ["3", "1", "1", "0", "0", "0"]
    assert row["change_reason"] == ""


def test_the_ita_case_file_has_the_template_columns_codes_and_formats(known_log) -> None:
    _, cases = osha.ita_files(EstablishmentYear.objects.all())
    reader = csv.DictReader(io.StringIO(cases))
    assert reader.fieldnames == ITA_CASES
    rows = list(reader)
    assert [r["incident_outcome"] for r in rows] == ["2", "3", "4", "1", "2"]
    assert [r["type_of_incident"] for r in rows] == ["1", "2", "1", "1", "3"]
    first = rows[0]
    assert (first["date_of_incident"], first["dafw_num_away"], first["djtr_num_tr"]) == (
        "03/02/2026",
        "180",
        "0",
    )
    assert (first["time_of_incident"], first["time_started_work"], first["time_unknown"]) == (
        "14:30",
        "09:00",
        "",
    )
    assert rows[1]["time_unknown"] == "1" and rows[3]["date_of_death"] == "03/03/2026"


def test_the_export_command_writes_both_files_for_a_store(known_log, world, tmp_path) -> None:
    # call_command, not vigil.cli.main: the command line closes the database connection on
    # its way out, which a test's own transaction cannot survive on PostgreSQL.
    command, _ = resolve(["safety", "osha-export"]) or (None, None)
    assert command is not None and command.management_command == "safety_osha_export"
    call_command("safety_osha_export", str(tmp_path), year=2026, store="SA1")
    assert (tmp_path / "osha-300a-2026.csv").read_text().splitlines()[0] == ",".join(ITA_SUMMARY)
    assert len((tmp_path / "osha-cases-2026.csv").read_text().splitlines()) == 6


def test_the_export_files_the_stores_it_can_and_names_the_one_missing_figures(
    known_log, world, tmp_path
) -> None:
    out = io.StringIO()
    call_command("safety_osha_export", str(tmp_path), year=2026, stdout=out)
    rows = list(csv.DictReader(io.StringIO((tmp_path / "osha-300a-2026.csv").read_text())))
    assert [row["establishment_name"] for row in rows] == [f"{world.store_a.name} (SA1)"]
    cases = list(csv.DictReader(io.StringIO((tmp_path / "osha-cases-2026.csv").read_text())))
    assert len(cases) == 5
    said = " ".join(out.getvalue().split())
    assert "1 establishment(s), 5 case(s)" in said
    assert f"Not exported (1): {world.store_b.name} (SB1): no 2026 figures" in said


def test_a_store_failing_the_ita_check_is_named_and_the_others_filed(
    known_log, world, tmp_path
) -> None:
    EstablishmentYear.objects.create(
        store=world.store_b, year=2026, company_name="Test Retail Inc",
        peak_employees=30, annual_average_employees=25, total_hours_worked=40000,
    )  # fmt: skip
    EstablishmentYear.objects.filter(store=world.store_a).update(annual_average_employees=5)
    out = io.StringIO()
    call_command("safety_osha_export", str(tmp_path), year=2026, stdout=out)
    rows = list(csv.DictReader(io.StringIO((tmp_path / "osha-300a-2026.csv").read_text())))
    assert [row["establishment_name"] for row in rows] == [f"{world.store_b.name} (SB1)"]
    assert rows[0]["no_injuries_illnesses"] == "2"
    said = " ".join(out.getvalue().split())
    assert "1 establishment(s), 0 case(s)" in said
    assert "(SA1): SA1 2026: the average number of employees must be more" in said


def test_with_no_store_to_file_the_export_names_them_and_writes_nothing(
    known_log, world, tmp_path
) -> None:
    with pytest.raises(CommandError) as refused:
        call_command("safety_osha_export", str(tmp_path / "out"), year=2025)
    assert refused.value.returncode == 2
    message = str(refused.value)
    assert message.startswith("nothing exported for 2025")
    both = f"{world.store_a.name} (SA1), {world.store_b.name} (SB1)"
    assert f"{both}: no 2025 figures (average employees, hours worked)" in message
    assert not (tmp_path / "out").exists()


def test_inconsistent_cases_are_refused_by_field(world: World, owner) -> None:
    person = make_person(world.store_a, "cashier")
    base = {
        "employee": person, "job_title": "Cashier", "date_of_injury": dt.date(2026, 5, 1),
        "where_occurred": "Dock", "description": "Cut finger", "injury_type": "injury",
    }  # fmt: skip
    with pytest.raises(ValidationError, match="counts its days away"):
        osha.record_case(owner, world.store_a, base | {"outcome": "days_away"})
    with pytest.raises(ValidationError, match="Only an illness"):
        osha.record_case(owner, world.store_a, base | {"outcome": "other", "privacy": "requested"})
    other_store_person = make_person(world.store_b, "cashier")
    with pytest.raises(ValidationError, match="employee of this store"):
        osha.record_case(
            owner, world.store_a, base | {"employee": other_store_person, "outcome": "other"}
        )
