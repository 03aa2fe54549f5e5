"""Cases API: incidents, stops, subjects, vehicles, cases with their work, statements.

Handlers parse, look the object up within the caller's stores (404 outside them), call one
domain function, and answer. Capability checks live in the domain functions.
"""

# No `from __future__ import annotations` here: django-ninja reads these annotations at runtime.

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Query, Router
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status

from vigil.cases import (
    casework,
    filing,
    lookups,
    narrative,
    prefetch,
    reports,
    search,
    statements,
    stops,
)
from vigil.cases.models import (
    Case,
    CaseLink,
    CaseTask,
    ChannelKind,
    Incident,
    NarrativeTerm,
    Note,
    NotificationChannel,
    Statement,
    StopElement,
    StopRecord,
    Subject,
    TimelineEntry,
    Vehicle,
)
from vigil.cases.schemas import (
    CaseClose,
    CaseFilters,
    CaseIn,
    CaseNoteIn,
    CaseOut,
    CasePatch,
    ChannelIn,
    ChannelOut,
    FindingOut,
    IncidentFilters,
    IncidentIn,
    IncidentOut,
    IncidentPatch,
    LinkIn,
    LinkOut,
    NarrativeIn,
    NarrativeTermIn,
    NarrativeTermOut,
    NoteOut,
    NoteRevisionIn,
    ObservationIn,
    ObservationOut,
    PartyIn,
    PartyOut,
    SignatureIn,
    StatementIn,
    StatementOut,
    StatementRevisionIn,
    StopIn,
    StopOut,
    StopPatch,
    SubjectFilters,
    SubjectIn,
    SubjectOut,
    SubjectPatch,
    TaskIn,
    TaskOut,
    TaskPatch,
    TimelineIn,
    TimelineOut,
    VehicleIn,
    VehicleOut,
    VehiclePatch,
)
from vigil.cases.timeline import add_entry
from vigil.core import outbound
from vigil.core.apiauth import may
from vigil.core.models import Organisation, User
from vigil.core.openapi import file_answer
from vigil.core.pages import api_user
from vigil.core.records import apply_changes
from vigil.core.roles import Capability, can, require
from vigil.core.scoping import get_visible_or_404

router = Router(tags=["incidents"])


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


# --- incidents ----------------------------------------------------------------------


@router.get("/incidents", response=list[IncidentOut])
@paginate
def list_incidents(request: HttpRequest, filters: Query[IncidentFilters]) -> QuerySet[Incident]:
    found = prefetch.incidents(Incident.objects.visible_to(api_user(request)))
    return search.incidents(found, **filters.dict())


@router.post("/incidents", response={201: IncidentOut}, auth=may(Capability.RECORD))
def create_incident(request: HttpRequest, payload: IncidentIn) -> Status[Any]:
    user = api_user(request)
    store = lookups.store(user, payload.store)
    incident = filing.file_incident(user, store, payload.dict(exclude={"store"}))
    return Status(201, incident)


@router.get("/incidents/{incident_number}", response=IncidentOut)
def get_incident(request: HttpRequest, incident_number: str) -> Incident:
    return lookups.incident(api_user(request), incident_number)


@router.patch("/incidents/{incident_number}", response=IncidentOut, auth=may(Capability.RECORD))
def update_incident(request: HttpRequest, incident_number: str, payload: IncidentPatch) -> Incident:
    user = api_user(request)
    incident = lookups.incident(user, incident_number)
    return filing.update_incident(user, incident, payload.dict(exclude_unset=True))


@router.get(
    "/incidents/{incident_number}/report.pdf",
    openapi_extra=file_answer("application/pdf", "The incident report."),
)
def incident_report(request: HttpRequest, incident_number: str) -> HttpResponse:
    incident = lookups.incident(api_user(request), incident_number)
    return _pdf(reports.incident_report(incident), f"{incident.number}.pdf")


@router.post(
    "/incidents/{incident_number}/parties", response={201: PartyOut}, auth=may(Capability.RECORD)
)
def add_party(request: HttpRequest, incident_number: str, payload: PartyIn) -> Status[Any]:
    user = api_user(request)
    incident = lookups.incident(user, incident_number)
    party = filing.add_party(
        user,
        incident,
        payload.role,
        subject=lookups.subject(user, payload.subject_id) if payload.subject_id else None,
        person=lookups.person(user, payload.employee_id) if payload.employee_id else None,
        name=payload.name,
        contact=payload.contact,
        notes=payload.notes,
    )
    return Status(201, party)


@router.post("/narrative-checks", response=list[FindingOut])
def check_narrative(request: HttpRequest, payload: NarrativeIn) -> list[Any]:
    """Opinion words and missing who/what/when/where/how, with a suggestion for each."""
    return list(narrative.check(payload.text, narrative.terms_for()))


# --- stops ---------------------------------------------------------------------------


@router.post(
    "/incidents/{incident_number}/stops",
    response={201: StopOut},
    tags=["stops"],
    auth=may(Capability.RECORD),
)
def create_stop(request: HttpRequest, incident_number: str, payload: StopIn) -> Status[Any]:
    user = api_user(request)
    incident = lookups.incident(user, incident_number)
    fields = payload.dict(exclude={"subject_id"}, exclude_none=True)
    if payload.subject_id:
        fields["subject"] = lookups.subject(user, payload.subject_id)
    return Status(201, stops.record_stop(user, incident, fields))


def _stop(user: User, stop_id: int) -> StopRecord:
    return get_visible_or_404(StopRecord.objects.select_related("incident"), user, pk=stop_id)


@router.get("/stops/{stop_id}", response=StopOut, tags=["stops"])
def get_stop(request: HttpRequest, stop_id: int) -> StopRecord:
    return _stop(api_user(request), stop_id)


@router.patch("/stops/{stop_id}", response=StopOut, tags=["stops"], auth=may(Capability.RECORD))
def update_stop(request: HttpRequest, stop_id: int, payload: StopPatch) -> StopRecord:
    user = api_user(request)
    stop = _stop(user, stop_id)
    changes = payload.dict(exclude={"subject_id"}, exclude_unset=True)
    if payload.subject_id:
        changes["subject"] = lookups.subject(user, payload.subject_id)
    return stops.update_stop(user, stop, changes)


@router.put(
    "/stops/{stop_id}/elements/{element}",
    response=ObservationOut,
    tags=["stops"],
    auth=may(Capability.RECORD),
)
def observe(request: HttpRequest, stop_id: int, element: str, payload: ObservationIn) -> Any:
    user = api_user(request)
    stop = _stop(user, stop_id)
    if element not in StopElement.values:
        raise ValidationError({"element": f"one of {', '.join(StopElement.values)}"})
    return stops.observe(user, stop, element, payload.dict(exclude_unset=True))


# --- subjects and vehicles -----------------------------------------------------------


@router.get("/subjects", response=list[SubjectOut], tags=["subjects"])
@paginate
def list_subjects(request: HttpRequest, filters: Query[SubjectFilters]) -> QuerySet[Subject]:
    found = Subject.objects.visible_to(api_user(request)).select_related("store")
    return search.subjects(found, **filters.dict())


@router.post(
    "/subjects", response={201: SubjectOut}, tags=["subjects"], auth=may(Capability.RECORD)
)
def create_subject(request: HttpRequest, payload: SubjectIn) -> Status[Any]:
    user = api_user(request)
    require(user, Capability.RECORD)
    store = lookups.store(user, payload.store)
    subject = apply_changes(Subject(store=store), payload.dict(exclude={"store"}))
    return Status(201, subject)


@router.get("/subjects/{subject_id}", response=SubjectOut, tags=["subjects"])
def get_subject(request: HttpRequest, subject_id: int) -> Subject:
    return lookups.subject(api_user(request), subject_id)


@router.patch(
    "/subjects/{subject_id}", response=SubjectOut, tags=["subjects"], auth=may(Capability.RECORD)
)
def update_subject(request: HttpRequest, subject_id: int, payload: SubjectPatch) -> Subject:
    user = api_user(request)
    subject = lookups.subject(user, subject_id)
    require(user, Capability.RECORD)
    return apply_changes(subject, payload.dict(exclude_unset=True))


@router.get("/vehicles", response=list[VehicleOut], tags=["subjects"])
@paginate
def list_vehicles(
    request: HttpRequest, q: str | None = None, store: str | None = None
) -> QuerySet[Vehicle]:
    found = Vehicle.objects.visible_to(api_user(request)).select_related("store")
    return search.vehicles(found.prefetch_related("subjects"), q=q, store=store)


@router.post(
    "/vehicles", response={201: VehicleOut}, tags=["subjects"], auth=may(Capability.RECORD)
)
def create_vehicle(request: HttpRequest, payload: VehicleIn) -> Status[Any]:
    user = api_user(request)
    require(user, Capability.RECORD)
    store = lookups.store(user, payload.store)
    subjects = [lookups.subject(user, pk) for pk in payload.subject_ids]
    incidents = [lookups.incident(user, number) for number in payload.incident_numbers]
    vehicle = apply_changes(
        Vehicle(store=store), payload.dict(exclude={"store", "subject_ids", "incident_numbers"})
    )
    vehicle.subjects.set(subjects)
    vehicle.incidents.set(incidents)
    return Status(201, vehicle)


@router.get("/vehicles/{vehicle_id}", response=VehicleOut, tags=["subjects"])
def get_vehicle(request: HttpRequest, vehicle_id: int) -> Vehicle:
    return lookups.vehicle(api_user(request), vehicle_id)


@router.patch(
    "/vehicles/{vehicle_id}", response=VehicleOut, tags=["subjects"], auth=may(Capability.RECORD)
)
def update_vehicle(request: HttpRequest, vehicle_id: int, payload: VehiclePatch) -> Vehicle:
    user = api_user(request)
    vehicle = lookups.vehicle(user, vehicle_id)
    require(user, Capability.RECORD)
    return apply_changes(vehicle, payload.dict(exclude_unset=True))


# --- cases ---------------------------------------------------------------------------


@router.get("/cases", response=list[CaseOut], tags=["cases"])
@paginate
def list_cases(request: HttpRequest, filters: Query[CaseFilters]) -> QuerySet[Case]:
    found = prefetch.cases(Case.objects.visible_to(api_user(request)))
    return search.cases(found, **filters.dict())


@router.post("/cases", response={201: CaseOut}, tags=["cases"], auth=may(Capability.INVESTIGATE))
def create_case(request: HttpRequest, payload: CaseIn) -> Status[Any]:
    user = api_user(request)
    store = lookups.store(user, payload.store)
    incidents = [lookups.incident(user, number) for number in payload.incident_numbers]
    fields: dict[str, Any] = payload.dict(exclude={"store", "assignee", "team", "incident_numbers"})
    fields["store"] = store
    if payload.assignee:
        fields["assignee"] = lookups.colleague(payload.assignee, store)
    team = [lookups.colleague(name, store, "team") for name in payload.team]
    case = casework.open_case(user, fields, incidents)
    case.team.set(team)
    return Status(201, case)


@router.get("/cases/{case_number}", response=CaseOut, tags=["cases"])
def get_case(request: HttpRequest, case_number: str) -> Case:
    return lookups.case(api_user(request), case_number)


@router.patch(
    "/cases/{case_number}", response=CaseOut, tags=["cases"], auth=may(Capability.INVESTIGATE)
)
def update_case(request: HttpRequest, case_number: str, payload: CasePatch) -> Case:
    user = api_user(request)
    case = lookups.case(user, case_number)
    changes: dict[str, Any] = payload.dict(exclude={"assignee", "team"}, exclude_unset=True)
    if payload.assignee:
        changes["assignee"] = lookups.colleague(payload.assignee, case.store)
    case = casework.update_case(user, case, changes)
    if payload.team is not None:
        case.team.set([lookups.colleague(name, case.store, "team") for name in payload.team])
    return case


@router.post(
    "/cases/{case_number}/closure",
    response=CaseOut,
    tags=["cases"],
    auth=may(Capability.INVESTIGATE),
)
def close_case(request: HttpRequest, case_number: str, payload: CaseClose) -> Case:
    user = api_user(request)
    return casework.close_case(user, lookups.case(user, case_number), payload.outcome)


@router.delete(
    "/cases/{case_number}/closure",
    response=CaseOut,
    tags=["cases"],
    auth=may(Capability.INVESTIGATE),
)
def reopen_case(request: HttpRequest, case_number: str) -> Case:
    user = api_user(request)
    return casework.reopen_case(user, lookups.case(user, case_number))


@router.get(
    "/cases/{case_number}/report.pdf",
    tags=["cases"],
    openapi_extra=file_answer("application/pdf", "The case report."),
)
def case_report(request: HttpRequest, case_number: str) -> HttpResponse:
    case = lookups.case(api_user(request), case_number)
    return _pdf(reports.case_report(case, api_user(request)), f"{case.number}.pdf")


@router.post(
    "/cases/{case_number}/links",
    response={201: LinkOut},
    tags=["cases"],
    auth=may(Capability.INVESTIGATE),
)
def link(request: HttpRequest, case_number: str, payload: LinkIn) -> Status[Any]:
    user = api_user(request)
    case = lookups.case(user, case_number)
    targets: list[Any] = []
    if payload.incident:
        targets.append(lookups.incident(user, payload.incident))
    if payload.subject_id:
        targets.append(lookups.subject(user, payload.subject_id))
    if payload.vehicle_id:
        targets.append(lookups.vehicle(user, payload.vehicle_id))
    if len(targets) != 1:
        raise ValidationError("Link one thing: an incident, a subject or a vehicle.")
    return Status(201, casework.link(user, case, targets[0]))


@router.delete(
    "/cases/{case_number}/links/{link_id}",
    response={204: None},
    tags=["cases"],
    auth=may(Capability.INVESTIGATE),
)
def unlink(request: HttpRequest, case_number: str, link_id: int) -> Status[None]:
    user = api_user(request)
    case = lookups.case(user, case_number)
    found = get_visible_or_404(CaseLink.objects.filter(case=case), user, pk=link_id)
    casework.unlink(user, case, found.target)  # type: ignore[arg-type]
    return Status(204, None)


@router.get("/cases/{case_number}/tasks", response=list[TaskOut], tags=["cases"])
@paginate
def list_tasks(request: HttpRequest, case_number: str) -> QuerySet[CaseTask]:
    return lookups.case(api_user(request), case_number).tasks.select_related("assignee")


@router.post(
    "/cases/{case_number}/tasks",
    response={201: TaskOut},
    tags=["cases"],
    auth=may(Capability.INVESTIGATE),
)
def add_task(request: HttpRequest, case_number: str, payload: TaskIn) -> Status[Any]:
    user = api_user(request)
    case = lookups.case(user, case_number)
    assignee = lookups.colleague(payload.assignee, case.store) if payload.assignee else None
    task = casework.add_task(user, case, payload.title, due_on=payload.due_on, assignee=assignee)
    return Status(201, task)


@router.patch(
    "/tasks/{task_id}", response=TaskOut, tags=["cases"], auth=may(Capability.INVESTIGATE)
)
def update_task(request: HttpRequest, task_id: int, payload: TaskPatch) -> CaseTask:
    user = api_user(request)
    task = get_visible_or_404(CaseTask.objects.select_related("case__store"), user, pk=task_id)
    require(user, Capability.INVESTIGATE)
    changes: dict[str, Any] = payload.dict(exclude={"status", "assignee"}, exclude_unset=True)
    if payload.assignee:
        changes["assignee"] = lookups.colleague(payload.assignee, task.case.store)
    if changes:
        apply_changes(task, changes)
    if payload.status is not None:
        casework.set_task_status(user, task, payload.status)
    return task


@router.get("/cases/{case_number}/timeline", response=list[TimelineOut], tags=["cases"])
@paginate
def list_timeline(request: HttpRequest, case_number: str) -> QuerySet[TimelineEntry]:
    return lookups.case(api_user(request), case_number).timeline.all()


@router.post(
    "/cases/{case_number}/timeline",
    response={201: TimelineOut},
    tags=["cases"],
    auth=may(Capability.INVESTIGATE),
)
def add_timeline_entry(request: HttpRequest, case_number: str, payload: TimelineIn) -> Status[Any]:
    user = api_user(request)
    case = lookups.case(user, case_number)
    require(user, Capability.INVESTIGATE)
    return Status(201, add_entry(case, payload.text, payload.occurred_at))


@router.get("/cases/{case_number}/notes", response=list[NoteOut], tags=["cases"])
@paginate
def list_notes(request: HttpRequest, case_number: str) -> QuerySet[Note]:
    return prefetch.notes(lookups.case(api_user(request), case_number).notes.all())


@router.post(
    "/cases/{case_number}/notes",
    response={201: NoteOut},
    tags=["cases"],
    auth=may(Capability.INVESTIGATE),
)
def add_note(request: HttpRequest, case_number: str, payload: CaseNoteIn) -> Status[Any]:
    user = api_user(request)
    case = lookups.case(user, case_number)
    return Status(201, casework.save_note(user, case, payload.body, title=payload.title))


@router.get("/notes/{note_id}", response=NoteOut, tags=["cases"])
def get_note(request: HttpRequest, note_id: int) -> Note:
    return get_visible_or_404(Note.objects.select_related("case"), api_user(request), pk=note_id)


@router.post(
    "/notes/{note_id}/revisions",
    response={201: NoteOut},
    tags=["cases"],
    auth=may(Capability.INVESTIGATE),
)
def revise_note(request: HttpRequest, note_id: int, payload: NoteRevisionIn) -> Status[Any]:
    user = api_user(request)
    note = get_visible_or_404(Note.objects.select_related("case"), user, pk=note_id)
    return Status(201, casework.save_note(user, note.case, payload.body, note=note))


# --- statements ----------------------------------------------------------------------


def _statement(user: User, statement_id: int) -> Statement:
    found = Statement.objects.select_related("store", "incident", "case", "taken_by")
    return get_visible_or_404(found, user, pk=statement_id)


def _scan(user: User, number: str | None) -> Any:
    if not number:
        return None
    from vigil.evidence.models import EvidenceItem

    return get_visible_or_404(
        EvidenceItem.objects.filter(deleted_at__isnull=True), user, number=number
    )


@router.get("/statements", response=list[StatementOut], tags=["statements"])
@paginate
def list_statements(
    request: HttpRequest, incident: str | None = None, case: str | None = None, q: str | None = None
) -> QuerySet[Statement]:
    found = prefetch.statements(Statement.objects.visible_to(api_user(request)))
    if incident:
        found = found.filter(incident__number=incident)
    if case:
        found = found.filter(case__number=case)
    if q:
        found = found.filter(witness_name__icontains=q)
    return found


@router.post(
    "/statements", response={201: StatementOut}, tags=["statements"], auth=may(Capability.RECORD)
)
def take_statement(request: HttpRequest, payload: StatementIn) -> Status[Any]:
    user = api_user(request)
    incident = lookups.incident(user, payload.incident) if payload.incident else None
    case = lookups.case(user, payload.case) if payload.case else None
    anchor = incident or case
    if anchor is None:
        raise ValidationError("A statement belongs to an incident or a case.")
    fields: dict[str, Any] = payload.dict(
        exclude={"incident", "case", "body", "scan", "witness_employee_id"}, exclude_none=True
    )
    fields.update(store=anchor.store, incident=incident, case=case)
    if payload.witness_employee_id:
        fields["witness_person"] = lookups.person(user, payload.witness_employee_id)
    scan = _scan(user, payload.scan)
    if scan is not None:
        fields["method"] = "scan"
    statement = statements.take_statement(user, fields, body=payload.body, scan=scan)
    return Status(201, statement)


@router.get("/statements/{statement_id}", response=StatementOut, tags=["statements"])
def get_statement(request: HttpRequest, statement_id: int) -> Statement:
    return _statement(api_user(request), statement_id)


@router.post(
    "/statements/{statement_id}/versions",
    response={201: StatementOut},
    tags=["statements"],
    auth=may(Capability.RECORD),
)
def revise_statement(
    request: HttpRequest, statement_id: int, payload: StatementRevisionIn
) -> Status[Any]:
    user = api_user(request)
    statement = _statement(user, statement_id)
    statements.revise(user, statement, payload.body, _scan(user, payload.scan), payload.reason)
    return Status(201, statement)


@router.post(
    "/statements/{statement_id}/signature",
    response={201: StatementOut},
    tags=["statements"],
    auth=may(Capability.RECORD),
)
def sign_statement(request: HttpRequest, statement_id: int, payload: SignatureIn) -> Status[Any]:
    user = api_user(request)
    statement = _statement(user, statement_id)
    statements.sign(user, statement, payload.attested_name, payload.signature_png, payload.ended_at)
    return Status(201, statement)


@router.get(
    "/statements/{statement_id}/statement.pdf",
    tags=["statements"],
    openapi_extra=file_answer("application/pdf", "The statement, as signed."),
)
def statement_pdf(request: HttpRequest, statement_id: int) -> HttpResponse:
    statement = _statement(api_user(request), statement_id)
    return _pdf(reports.statement_pdf(statement), f"statement-{statement.pk}.pdf")


# --- notification channels -----------------------------------------------------------


def _channels(user: User) -> QuerySet[NotificationChannel]:
    """A user's own channels; administrators also see the organisation's."""
    mine = NotificationChannel.objects.filter(user=user)
    if can(user, Capability.MANAGE_USERS):
        return mine | NotificationChannel.objects.filter(organisation__isnull=False)
    return mine


@router.get("/notification-channels", response=list[ChannelOut], tags=["notifications"])
@paginate
def list_channels(request: HttpRequest) -> QuerySet[NotificationChannel]:
    return _channels(api_user(request)).order_by("pk")


@router.post(
    "/notification-channels",
    response={201: ChannelOut},
    tags=["notifications"],
    auth=may(Capability.MANAGE_USERS),
)
def create_channel(request: HttpRequest, payload: ChannelIn) -> Status[Any]:
    """Administrators only: a channel is an address Vigil will send to."""
    user = api_user(request)
    require(user, Capability.MANAGE_USERS)
    if payload.kind == ChannelKind.WEBHOOK:
        try:
            outbound.check_url(payload.url, unresolved_ok=True)
        except outbound.DestinationRefused as refused:
            raise HttpError(422, f"url: {refused}") from None
    channel = NotificationChannel(kind=payload.kind, url=payload.url, secret=payload.secret)
    if payload.organisation:
        require(user, Capability.MANAGE_USERS)
        channel.organisation = Organisation.objects.order_by("pk").first()
    else:
        channel.user = user
    return Status(201, apply_changes(channel, {}))


@router.delete(
    "/notification-channels/{channel_id}",
    response={204: None},
    tags=["notifications"],
)
def delete_channel(request: HttpRequest, channel_id: int) -> Status[None]:
    user = api_user(request)
    found = _channels(user).filter(pk=channel_id).first()
    if found is None:
        raise Http404("No such channel.")
    require(user, Capability.MANAGE_USERS)
    found.delete()
    return Status(204, None)


# --- the organisation's objective-language word list ----------------------------------


@router.get("/narrative-terms", response=list[NarrativeTermOut], tags=["incidents"])
def list_narrative_terms(request: HttpRequest) -> list[dict[str, str]]:
    """The phrases the narrative check flags now, and where each comes from."""
    own = set(NarrativeTerm.objects.values_list("phrase", flat=True))
    return [
        {
            "phrase": phrase,
            "suggestion": advice,
            "source": "organisation" if phrase in own else "default",
        }
        for phrase, advice in sorted(narrative.terms_for().items())
    ]


@router.post(
    "/narrative-terms",
    response={201: NarrativeTermOut},
    tags=["incidents"],
    auth=may(Capability.MANAGE_ORGANISATION),
)
def set_narrative_term(request: HttpRequest, payload: NarrativeTermIn) -> Status[Any]:
    """Add a phrase to flag, change its suggestion, or switch a default off (flag=false)."""
    require(api_user(request), Capability.MANAGE_ORGANISATION)
    organisation = Organisation.objects.order_by("pk").first()
    phrase = " ".join(payload.phrase.lower().split())
    term = NarrativeTerm.objects.filter(organisation=organisation, phrase=phrase).first()
    term = term or NarrativeTerm(organisation=organisation, phrase=phrase)
    apply_changes(term, {"suggestion": payload.suggestion, "flag": payload.flag})
    source = "organisation" if payload.flag else "switched off"
    return Status(201, {"phrase": phrase, "suggestion": payload.suggestion, "source": source})
