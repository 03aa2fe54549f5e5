"""The demo's emergency (a customer who collapsed at S101 last week, run from the medical
playbook, with responders, the end and the review), two hazards, S101's OSHA log for this
year (three cases, one a privacy case), and every demo store's establishment figures for
last year and this one, so the OSHA export files the whole chain. Idempotent."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from vigil.core.context import acting_as, actor_for_user
from vigil.core.models import Person, Store, User
from vigil.safety import emergencies, hazards, osha
from vigil.safety.models import Emergency, EstablishmentYear, Responder, TimelineEntry

COMPANY = {
    "company_name": "Northwind Retail Inc", "ein": "123456789", "naics_code": "452210",
    "industry_description": "General merchandise store",
}  # fmt: skip
# This year's establishment figures per demo store: peak employees (the holiday season),
# annual average employees and hours worked (about 1,630 an employee: many part-timers).
FIGURES = {
    "S101": (62, 54, 88_000), "S102": (71, 60, 97_500), "S103": (48, 41, 66_800),
    "S104": (55, 47, 76_400), "S105": (39, 33, 53_700), "S106": (58, 50, 81_300),
}  # fmt: skip
LAST_YEAR = 0.96  # last year's average and hours, a little under this year's

# Seconds after the start at which each step was done: a realistic nine minutes.
STEP_TIMES = {
    "scene-safe": 20, "call": 45, "aed": 70, "first-aid": 95, "meet-ems": 150,
    "privacy": 180, "witnesses": 420, "hazard": 470,
}  # fmt: skip


def seed() -> int:
    """Seed what is missing; 1 when the emergency was recorded by this run, else 0."""
    store = Store.objects.filter(code="S101").first()
    if store is None:
        return 0
    manager = User.objects.get(username="lp.manager")
    establishment_years(manager)
    if Emergency.objects.exists():
        return 0
    officer = User.objects.get(username="lp.officer")
    with transaction.atomic(), acting_as(actor_for_user(manager, via="demo")):
        emergency = emergencies.start(manager, store, "medical", "Aisle 12, near the pharmacy")
        for step in STEP_TIMES:
            emergencies.tick(officer if step in {"aed", "meet-ems"} else manager, emergency, step)
        responder = emergencies.responder_called(manager, emergency, "EMS", "Medic 4")
        emergencies.responder_arrived(manager, emergency, responder)
        emergencies.add_note(officer, emergency, "Customer conscious, sitting up when EMS arrived")
        emergencies.end(manager, emergency)
        _backdate(emergency, responder)
        emergencies.review(
            manager,
            emergency,
            "AED at the scene in 70 seconds; EMS met at the door",
            "The first-aid kit was missing gloves; check it weekly with the fire walk",
        )
        hazards.report(
            officer, store, "Aisle 12", "Floor still wet after clean-up, no sign", "high"
        )
        hazards.report(
            officer, store, "Receiving", "Pallet jack left in the fire exit path", "medium"
        )
        _osha_year(manager, store)
    return 1


def establishment_years(user: User) -> int:
    """Last year's and this year's figures for each demo store that lacks them (the 300A
    needs them beside the log); how many were added."""
    year = timezone.localdate().year
    added = 0
    with transaction.atomic(), acting_as(actor_for_user(user, via="demo")):
        for store in Store.objects.filter(code__in=FIGURES).order_by("code"):
            for filing_year in (year - 1, year):
                _, created = EstablishmentYear.objects.get_or_create(
                    store=store, year=filing_year, defaults=_figures(store.code, filing_year < year)
                )
                added += created
    return added


def _figures(code: str, last_year: bool) -> dict[str, object]:
    peak, average, hours = FIGURES[code]
    if last_year:
        average, hours = round(average * LAST_YEAR), int(round(hours * LAST_YEAR, -2))
    return {
        **COMPANY,
        "peak_employees": peak,
        "annual_average_employees": average,
        "total_hours_worked": hours,
    }


def _osha_year(user: User, store: Store) -> None:
    """Three recordable cases at S101 this year, one of them a privacy case."""
    year = timezone.localdate().year
    people = list(Person.objects.filter(home_store=store).order_by("employee_id")[:3])
    if len(people) < 3:
        return
    day = max(dt.date(year, 1, 15), timezone.localdate() - dt.timedelta(days=60))
    cases = [
        {"employee": people[0], "job_title": "Stocker", "where_occurred": "Receiving dock",
         "description": "Strained lower back lifting a case of water", "outcome": "days_away",
         "days_away": 4, "injury_type": "injury",
         "what_happened": "Lifted a 40 lb case from the floor"},
        {"employee": people[1], "job_title": "Cashier", "where_occurred": "Register 3",
         "description": "Cut on right hand from a box cutter", "outcome": "other",
         "injury_type": "injury", "object_substance": "Box cutter"},
        {"employee": people[2], "job_title": "Sales associate", "where_occurred": "Stockroom",
         "description": "Needlestick injury", "outcome": "other", "injury_type": "injury",
         "privacy": "needlestick", "object_substance": "Discarded syringe in a returned bag"},
    ]  # fmt: skip
    for offset, fields in enumerate(cases):
        when = min(day + dt.timedelta(days=offset * 9), timezone.localdate())
        osha.record_case(user, store, {"date_of_injury": when, **fields})


def _backdate(emergency: Emergency, responder: Responder) -> None:
    """Move the run to last Tuesday 14:05, keeping its steps' spacing."""
    local = timezone.localtime(timezone.now(), emergency.store.zone)
    tuesday = (local - dt.timedelta(days=(local.weekday() - 1) % 7 + 7)).replace(
        hour=14, minute=5, second=0, microsecond=0
    )
    for entry in emergency.timeline.all():
        offset = STEP_TIMES.get(entry.step_key, 0)
        if entry.kind == "called":
            offset = 40
        elif entry.kind == "arrived":
            offset = 500
        elif entry.kind == "note":
            offset = 510
        elif entry.kind == "ended":
            offset = 900
        TimelineEntry.objects.filter(pk=entry.pk).update(at=tuesday + dt.timedelta(seconds=offset))
    Responder.objects.filter(pk=responder.pk).update(
        called_at=tuesday + dt.timedelta(seconds=40), arrived_at=tuesday + dt.timedelta(seconds=500)
    )
    Emergency.objects.filter(pk=emergency.pk).update(
        started_at=tuesday, ended_at=tuesday + dt.timedelta(seconds=900)
    )
    emergency.refresh_from_db()
    incident = emergency.incident
    incident.occurred_at = tuesday
    incident.narrative = emergencies.narrative(emergency)
    incident.save()
