"""Safety API: emergencies and their timelines, hazards, the OSHA log and its summary."""

# No `from __future__ import annotations` here: django-ninja reads these annotations at runtime.

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate
from ninja.responses import Status

from vigil.core.apiauth import may
from vigil.core.models import Person, Store
from vigil.core.pages import api_user
from vigil.core.roles import Capability
from vigil.core.scoping import get_visible_or_404
from vigil.safety import emergencies, hazards, osha
from vigil.safety.models import Emergency, Hazard, InjuryCase, TimelineEntry
from vigil.safety.schemas import (
    EmergencyEndIn,
    EmergencyIn,
    EmergencyOut,
    EntryOut,
    HazardIn,
    HazardOut,
    HeadcountIn,
    InjuryCaseIn,
    InjuryCaseOut,
    ResponderIn,
    StepIn,
    SummaryOut,
    TimelineNoteIn,
)

router = Router(tags=["safety"])


def _store(request: HttpRequest, code: str) -> Store:
    return get_visible_or_404(Store.objects.all(), api_user(request), code=code)


@router.get("/safety/emergencies", response=list[EmergencyOut])
@paginate
def list_emergencies(request: HttpRequest) -> QuerySet[Emergency]:
    return Emergency.objects.visible_to(api_user(request)).select_related("store", "incident")


@router.post("/safety/emergencies", response={201: EmergencyOut}, auth=may(Capability.RECORD))
def start_emergency(request: HttpRequest, payload: EmergencyIn) -> Status[Any]:
    store = _store(request, payload.store)
    return Status(201, emergencies.start(api_user(request), store, payload.playbook, payload.where))


def _emergency(request: HttpRequest, number: str) -> Emergency:
    found = Emergency.objects.select_related("store", "incident")
    return get_visible_or_404(found, api_user(request), number=number)


@router.get("/safety/emergencies/{emergency_number}/timeline", response=list[EntryOut])
def timeline(request: HttpRequest, emergency_number: str) -> QuerySet[TimelineEntry]:
    return _emergency(request, emergency_number).timeline.select_related("by")


@router.post(
    "/safety/emergencies/{emergency_number}/steps", response=EntryOut, auth=may(Capability.RECORD)
)
def tick(request: HttpRequest, emergency_number: str, payload: StepIn) -> TimelineEntry:
    return emergencies.tick(api_user(request), _emergency(request, emergency_number), payload.step)


@router.post(
    "/safety/emergencies/{emergency_number}/responders",
    response=EmergencyOut,
    auth=may(Capability.RECORD),
)
def responder(request: HttpRequest, emergency_number: str, payload: ResponderIn) -> Emergency:
    emergency = _emergency(request, emergency_number)
    emergencies.responder_called(api_user(request), emergency, payload.agency, payload.unit)
    return emergency


@router.post(
    "/safety/emergencies/{emergency_number}/headcount",
    response=EntryOut,
    auth=may(Capability.RECORD),
)
def headcount(request: HttpRequest, emergency_number: str, payload: HeadcountIn) -> TimelineEntry:
    emergency = _emergency(request, emergency_number)
    return emergencies.record_headcount(
        api_user(request), emergency, payload.counted, payload.expected
    )


@router.post(
    "/safety/emergencies/{emergency_number}/notes", response=EntryOut, auth=may(Capability.RECORD)
)
def note(request: HttpRequest, emergency_number: str, payload: TimelineNoteIn) -> TimelineEntry:
    return emergencies.add_note(
        api_user(request), _emergency(request, emergency_number), payload.note
    )


@router.post(
    "/safety/emergencies/{emergency_number}/end", response=EmergencyOut, auth=may(Capability.RECORD)
)
def end(
    request: HttpRequest, emergency_number: str, payload: EmergencyEndIn | None = None
) -> Emergency:
    """End the emergency; with steps open or people unaccounted for, only with ``confirm``.
    The body may be left out (as before the confirmation existed) when nothing is open."""
    emergency = _emergency(request, emergency_number)
    confirmed = payload is not None and payload.confirm
    return emergencies.end(api_user(request), emergency, confirmed=confirmed)


@router.get("/safety/hazards", response=list[HazardOut])
@paginate
def list_hazards(request: HttpRequest) -> QuerySet[Hazard]:
    return Hazard.objects.visible_to(api_user(request)).select_related("store", "action")


@router.post("/safety/hazards", response={201: HazardOut}, auth=may(Capability.RECORD))
def report_hazard(request: HttpRequest, payload: HazardIn) -> Status[Any]:
    store = _store(request, payload.store)
    hazard = hazards.report(
        api_user(request), store, payload.place, payload.description, payload.severity
    )
    return Status(201, hazard)


@router.get("/safety/osha/{store_code}/{year}/cases", response=list[InjuryCaseOut])
def osha_cases(request: HttpRequest, store_code: str, year: int) -> QuerySet[InjuryCase]:
    """The Form 300 log (privacy cases named "privacy case")."""
    return osha.log_of(_store(request, store_code), year).select_related("store")


@router.get("/safety/osha/{store_code}/{year}/summary", response=SummaryOut)
def osha_summary(request: HttpRequest, store_code: str, year: int) -> osha.Summary:
    """The Form 300A, computed from the log."""
    return osha.summarise(osha.log_of(_store(request, store_code), year))


@router.post("/safety/osha/cases", response={201: InjuryCaseOut}, auth=may(Capability.RECORD))
def record_case(request: HttpRequest, payload: InjuryCaseIn) -> Status[Any]:
    user = api_user(request)
    store = _store(request, payload.store)
    data = payload.dict(exclude={"store", "employee_id"})
    data["employee"] = get_visible_or_404(
        Person.objects.filter(home_store=store), user, employee_id=payload.employee_id
    )
    return Status(201, osha.record_case(user, store, data))
