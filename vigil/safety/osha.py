"""OSHA injury and illness recordkeeping (29 CFR 1904) per establishment (store) and year:
the Form 301 incident report, the Form 300 log, the Form 300A summary computed from it, and
the CSV files OSHA's Injury Tracking Application (ITA) takes.

- **Privacy cases** (1904.29(b)(7)): the log shows "privacy case" instead of the name, and
  the case data for OSHA carries no names at all (the ITA files have no name column).
- **Day counts** (1904.7(b)(3)(vii)): days away and days of restriction are capped at 180
  together, per case: days away first, restriction with what is left.
- **ITA files**: the 300A summary (28 columns) and the case data (24 columns) in the order
  of OSHA's upload templates, codes as the ITA defines them (outcome 1-4, type 1-6, size
  1/21/22/3, "no injuries or illnesses" 1 = there were some, 2 = there were none). Dates are
  written MM/DD/YYYY and times HH:MM (24-hour), as the ITA templates show them.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet

from vigil.core.exports import SafeDictWriter
from vigil.core.models import Person, Store, User
from vigil.core.roles import Capability, require
from vigil.safety.models import EstablishmentYear, InjuryCase, InjuryType, Outcome

DAY_CAP = 180
SUMMARY_COLUMNS = (
    "establishment_name", "ein", "company_name", "street_address", "city", "state", "zip",
    "naics_code", "industry_description", "size", "establishment_type", "year_filing_for",
    "annual_average_employees", "total_hours_worked", "no_injuries_illnesses", "total_deaths",
    "total_dafw_cases", "total_djtr_cases", "total_other_cases", "total_dafw_days",
    "total_djtr_days", "total_injuries", "total_skin_disorders",
    "total_respiratory_conditions", "total_poisonings", "total_hearing_loss",
    "total_other_illnesses", "change_reason",
)  # fmt: skip
CASE_COLUMNS = (
    "establishment_name", "year_of_filing", "case_number", "job_title", "date_of_incident",
    "incident_location", "incident_description", "incident_outcome", "dafw_num_away",
    "djtr_num_tr", "type_of_incident", "date_of_birth", "date_of_hire", "sex",
    "treatment_facility_type", "treatment_in_patient", "time_started_work", "time_of_incident",
    "time_unknown", "nar_before_incident", "nar_what_happened", "nar_injury_illness",
    "nar_object_substance", "date_of_death",
)  # fmt: skip
OUTCOME_CODE = {Outcome.DEATH: 1, Outcome.DAYS_AWAY: 2, Outcome.JOB_TRANSFER: 3, Outcome.OTHER: 4}
TYPE_CODE = {
    InjuryType.INJURY: 1, InjuryType.SKIN: 2, InjuryType.RESPIRATORY: 3,
    InjuryType.POISONING: 4, InjuryType.HEARING: 5, InjuryType.OTHER_ILLNESS: 6,
}  # fmt: skip


def record_case(user: User, store: Store, fields: Mapping[str, Any]) -> InjuryCase:
    """Add a case to the store's log for the year of the injury, numbered next."""
    require(user, Capability.RECORD)
    employee = fields.get("employee")
    if not isinstance(employee, Person) or employee.home_store_id != store.pk:
        raise ValidationError({"employee": "Choose an employee of this store."})
    with transaction.atomic():
        case = InjuryCase(store=store, completed_by=user, **fields)
        case.year = case.date_of_injury.year
        last = InjuryCase.objects.select_for_update().filter(store=store, year=case.year)
        case.case_number = (last.aggregate(Max("case_number"))["case_number__max"] or 0) + 1
        _check(case)
        case.full_clean()
        case.save()
    return case


def _check(case: InjuryCase) -> None:
    problems = {}
    if case.outcome == Outcome.DAYS_AWAY and not case.days_away:
        problems["days_away"] = "A days-away case counts its days away (column K)."
    if case.outcome == Outcome.JOB_TRANSFER and not case.days_restricted:
        problems["days_restricted"] = "A job-transfer case counts its days (column L)."
    if case.outcome == Outcome.DEATH and case.date_of_death is None:
        problems["date_of_death"] = "Give the date of death."
    if case.outcome in (Outcome.OTHER, Outcome.JOB_TRANSFER) and case.days_away:
        problems["days_away"] = "Days away make it a days-away case (column H)."
    if case.privacy == "requested" and case.injury_type == InjuryType.INJURY:
        problems["privacy"] = "Only an illness may be kept off the log at the employee's request."
    if problems:
        raise ValidationError(problems)


def capped_days(case: InjuryCase) -> tuple[int, int]:
    """(days away, days restricted) counted for the log: 180 at most together."""
    away = min(case.days_away, DAY_CAP)
    return away, min(case.days_restricted, DAY_CAP - away)


@dataclass(frozen=True)
class Summary:
    """Form 300A, computed from the log."""

    deaths: int
    days_away_cases: int
    job_transfer_cases: int
    other_cases: int
    days_away: int
    days_restricted: int
    by_type: dict[str, int]

    @property
    def total_cases(self) -> int:
        return self.deaths + self.days_away_cases + self.job_transfer_cases + self.other_cases


def summarise(cases: Iterable[InjuryCase]) -> Summary:
    counts = dict.fromkeys(Outcome.values, 0)
    by_type = dict.fromkeys(InjuryType.values, 0)
    away_total = restricted_total = 0
    for case in cases:
        counts[case.outcome] += 1
        by_type[case.injury_type] += 1
        away, restricted = capped_days(case)
        away_total += away
        restricted_total += restricted
    return Summary(
        deaths=counts[Outcome.DEATH],
        days_away_cases=counts[Outcome.DAYS_AWAY],
        job_transfer_cases=counts[Outcome.JOB_TRANSFER],
        other_cases=counts[Outcome.OTHER],
        days_away=away_total,
        days_restricted=restricted_total,
        by_type=by_type,
    )


def log_of(store: Store, year: int) -> QuerySet[InjuryCase]:
    return InjuryCase.objects.filter(store=store, year=year).select_related("employee")


def summary_row(establishment: EstablishmentYear) -> dict[str, Any]:
    """The 300A as one row of the ITA summary CSV."""
    store = establishment.store
    summary = summarise(log_of(store, establishment.year))
    if establishment.annual_average_employees <= summary.total_cases:
        raise ValidationError(
            f"{store.code} {establishment.year}: the average number of employees must be more "
            "than the number of cases (ITA check); correct the establishment's figures."
        )
    return {
        "establishment_name": f"{store.name} ({store.code})"[:100],
        "ein": establishment.ein,
        "company_name": establishment.company_name,
        "street_address": store.street,
        "city": store.city,
        "state": store.state,
        "zip": store.postal_code.replace("-", ""),
        "naics_code": establishment.naics_code,
        "industry_description": establishment.industry_description,
        "size": establishment.size_code,
        "establishment_type": establishment.establishment_type,
        "year_filing_for": establishment.year,
        "annual_average_employees": establishment.annual_average_employees,
        "total_hours_worked": establishment.total_hours_worked,
        "no_injuries_illnesses": 1 if summary.total_cases else 2,
        "total_deaths": summary.deaths,
        "total_dafw_cases": summary.days_away_cases,
        "total_djtr_cases": summary.job_transfer_cases,
        "total_other_cases": summary.other_cases,
        "total_dafw_days": summary.days_away,
        "total_djtr_days": summary.days_restricted,
        "total_injuries": summary.by_type[InjuryType.INJURY],
        "total_skin_disorders": summary.by_type[InjuryType.SKIN],
        "total_respiratory_conditions": summary.by_type[InjuryType.RESPIRATORY],
        "total_poisonings": summary.by_type[InjuryType.POISONING],
        "total_hearing_loss": summary.by_type[InjuryType.HEARING],
        "total_other_illnesses": summary.by_type[InjuryType.OTHER_ILLNESS],
        "change_reason": "",
    }


def case_row(case: InjuryCase) -> dict[str, Any]:
    """One case as a row of the ITA case-data CSV (no names: the ITA takes none)."""
    away, restricted = capped_days(case)
    return {
        "establishment_name": f"{case.store.name} ({case.store.code})"[:100],
        "year_of_filing": case.year,
        "case_number": case.case_number,
        "job_title": case.job_title,
        "date_of_incident": _date(case.date_of_injury),
        "incident_location": case.where_occurred,
        "incident_description": case.description,
        "incident_outcome": OUTCOME_CODE[Outcome(case.outcome)],
        "dafw_num_away": away,
        "djtr_num_tr": restricted,
        "type_of_incident": TYPE_CODE[InjuryType(case.injury_type)],
        "date_of_birth": _date(case.date_of_birth),
        "date_of_hire": _date(case.date_hired),
        "sex": case.sex,
        "treatment_facility_type": int(case.emergency_room),
        "treatment_in_patient": int(case.hospitalized_overnight),
        "time_started_work": _time(case.time_started_work),
        "time_of_incident": _time(case.time_of_event),
        "time_unknown": "" if case.time_of_event else 1,
        "nar_before_incident": case.before_incident,
        "nar_what_happened": case.what_happened,
        "nar_injury_illness": case.injury_illness,
        "nar_object_substance": case.object_substance,
        "date_of_death": _date(case.date_of_death),
    }


def _time(value: Any) -> str:
    return value.strftime("%H:%M") if value else ""


def _date(value: Any) -> str:
    return value.strftime("%m/%d/%Y") if value else ""


def ita_files(establishments: Iterable[EstablishmentYear]) -> tuple[str, str]:
    """(summary CSV, case-data CSV) for the establishments given; a ``ValidationError`` if one
    of them fails the ITA's checks."""
    summary, cases, _ = _write([(e, summary_row(e)) for e in establishments])
    return summary, cases


@dataclass(frozen=True)
class YearExport:
    """A year's ITA files for the stores that could be filed, and why the others could not:
    a chain files what it can before the deadline and chases the stores still missing
    figures, rather than file nothing."""

    year: int
    summary_csv: str
    cases_csv: str
    case_count: int
    exported: list[Store]
    left_out: dict[Store, str]


def export_year(stores: Iterable[Store], year: int) -> YearExport:
    """The ITA files of ``year`` for each store with that year's figures that passes the
    ITA's checks; each other store is left out with the reason, in plain words."""
    chosen = list(stores)
    figures = EstablishmentYear.objects.filter(year=year, store__in=chosen).select_related("store")
    found = {establishment.store_id: establishment for establishment in figures}
    rows: list[tuple[EstablishmentYear, dict[str, Any]]] = []
    left_out: dict[Store, str] = {}
    for store in chosen:
        establishment = found.get(store.pk)
        if establishment is None:
            left_out[store] = (
                f"no {year} figures (average employees, hours worked): enter them on the OSHA page"
            )
            continue
        try:
            rows.append((establishment, summary_row(establishment)))
        except ValidationError as error:
            left_out[store] = " ".join(error.messages)
    summary, cases, case_count = _write(rows)
    exported = [establishment.store for establishment, _ in rows]
    return YearExport(year, summary, cases, case_count, exported, left_out)


def _write(rows: Iterable[tuple[EstablishmentYear, dict[str, Any]]]) -> tuple[str, str, int]:
    """The two CSVs and how many cases they hold (a narrative may span lines in the CSV)."""
    summary_out, case_out = io.StringIO(), io.StringIO()
    summary_writer = SafeDictWriter(summary_out, SUMMARY_COLUMNS, lineterminator="\n")
    case_writer = SafeDictWriter(case_out, CASE_COLUMNS, lineterminator="\n")
    summary_writer.writeheader()
    case_writer.writeheader()
    case_count = 0
    for establishment, row in rows:
        summary_writer.writerow(row)
        for case in log_of(establishment.store, establishment.year).select_related("store"):
            case_writer.writerow(case_row(case))
            case_count += 1
    return summary_out.getvalue(), case_out.getvalue(), case_count
