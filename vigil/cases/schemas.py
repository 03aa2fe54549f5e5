"""API schemas of the cases app. Inputs refuse unknown and protected-class fields."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from vigil.cases.models import (
    BoloStatus,
    CasePriority,
    CaseStatus,
    Disposition,
    ElementStatus,
    IncidentStatus,
    IncidentType,
    PartyRole,
    StatementMethod,
    StatementStatus,
    StopOutcome,
    TaskStatus,
)
from vigil.core.limits import LONG_TEXT_CHARS, LongText, NoteText
from vigil.core.schemas import StrictIn


def _username(user: Any) -> str | None:
    return user.get_username() if user is not None else None


def related_rows(obj: Any, name: str, *joins: str, order: tuple[str, ...] = ()) -> list[Any]:
    """The rows of ``obj``'s relation ``name``: from the list's prefetch when it made one (one
    query for the whole page, see ``vigil.cases.prefetch``), else one query of their own."""
    if name in getattr(obj, "_prefetched_objects_cache", {}):
        return list(getattr(obj, name).all())
    rows = getattr(obj, name).select_related(*joins)
    return list(rows.order_by(*order) if order else rows)


# --- incidents ----------------------------------------------------------------------


class PartyOut(Schema):
    id: int
    role: PartyRole
    name: str = Field(..., alias="display_name")
    subject_id: int | None
    employee_id: str | None
    contact: str
    notes: str

    @staticmethod
    def resolve_employee_id(obj: Any) -> str | None:
        return obj.person.employee_id if obj.person_id else None


class PartyIn(StrictIn):
    role: PartyRole
    subject_id: int | None = None
    employee_id: str | None = None
    name: str = Field("", max_length=200)
    contact: str = Field("", max_length=200)
    notes: NoteText = ""


class IncidentOut(Schema):
    number: str
    store: str = Field(..., alias="store.code")
    kind: IncidentType
    summary: str
    location: str
    occurred_at: datetime
    reported_by: str | None
    reported_at: datetime
    narrative: str
    merchandise_value: Decimal
    recovered_value: Decimal
    net_loss: Decimal
    police_involved: bool
    police_agency: str
    police_report_number: str
    police_officer: str
    status: IncidentStatus
    disposition: Disposition
    parties: list[PartyOut]

    @staticmethod
    def resolve_reported_by(obj: Any) -> str | None:
        return _username(obj.reported_by)

    @staticmethod
    def resolve_parties(obj: Any) -> list[Any]:
        return related_rows(obj, "parties", "subject", "person")


class IncidentIn(StrictIn):
    store: str = Field(..., description="Store code")
    kind: IncidentType
    summary: str = Field(..., min_length=1, max_length=200)
    occurred_at: datetime = Field(..., description="With an offset, or read in the store's zone")
    location: str = Field("", max_length=200)
    narrative: LongText = ""
    merchandise_value: Decimal = Field(Decimal("0"), ge=0, max_digits=12, decimal_places=2)
    recovered_value: Decimal = Field(Decimal("0"), ge=0, max_digits=12, decimal_places=2)
    police_involved: bool = False
    police_agency: str = ""
    police_report_number: str = ""
    police_officer: str = ""
    disposition: Disposition = Disposition.PENDING


class IncidentPatch(StrictIn):
    kind: IncidentType | None = None
    summary: str | None = Field(None, min_length=1, max_length=200)
    occurred_at: datetime | None = None
    location: str | None = None
    narrative: LongText | None = None
    merchandise_value: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    recovered_value: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    police_involved: bool | None = None
    police_agency: str | None = None
    police_report_number: str | None = None
    police_officer: str | None = None
    status: IncidentStatus | None = None
    disposition: Disposition | None = None


class IncidentFilters(Schema):
    q: str | None = Field(None, description="Text in number, summary, narrative or place")
    store: str | None = Field(None, description="Store code")
    kind: IncidentType | None = None
    status: IncidentStatus | None = None
    since: date | None = Field(None, description="Occurred on or after")
    until: date | None = Field(None, description="Occurred on or before")


class NarrativeIn(StrictIn):
    text: str = Field(..., max_length=100_000)


class FindingOut(Schema):
    kind: str
    text: str
    suggestion: str
    start: int
    end: int


# --- stops ---------------------------------------------------------------------------


class ObservationOut(Schema):
    element: str
    label: str
    status: ElementStatus
    observed_by: str
    observed_at: datetime | None
    notes: str

    @staticmethod
    def resolve_label(obj: Any) -> str:
        return str(obj.get_element_display())


class StopOut(Schema):
    id: int
    incident: str = Field(..., alias="incident.number")
    subject_id: int | None
    started_at: datetime
    ended_at: datetime | None
    duration_minutes: int | None
    use_of_force: bool
    force_description: str
    present: str
    outcome: str
    outcome_notes: str
    observations: list[ObservationOut]
    warnings: list[str]

    @staticmethod
    def resolve_observations(obj: Any) -> list[Any]:
        return list(obj.observations.all())

    @staticmethod
    def resolve_warnings(obj: Any) -> list[str]:
        return list(obj.warnings())


class StopIn(StrictIn):
    subject_id: int | None = None
    started_at: datetime
    ended_at: datetime | None = None
    use_of_force: bool = False
    force_description: str = ""
    present: str = ""
    outcome: StopOutcome | None = None
    outcome_notes: str = ""


class StopPatch(StrictIn):
    subject_id: int | None = None
    ended_at: datetime | None = None
    use_of_force: bool | None = None
    force_description: str | None = None
    present: str | None = None
    outcome: StopOutcome | None = None
    outcome_notes: str | None = None


class ObservationIn(StrictIn):
    status: ElementStatus
    observed_by: str | None = Field(None, max_length=200)
    observed_at: datetime | None = None
    notes: str | None = None


# --- subjects and vehicles -----------------------------------------------------------


class SubjectOut(Schema):
    id: int
    store: str = Field(..., alias="store.code")
    kind: str = Field(..., description="public (a member of the public) or employee")
    employee_id: str = Field(..., description="The POS employee id of an employee subject")
    name: str
    aliases: str
    date_of_birth: date | None
    approximate_age: str
    height: str
    build: str
    hair: str
    eyes: str
    identifying_marks: str
    clothing: str
    description: str
    bolo_status: BoloStatus
    bolo_instructions: str
    trespass_notice_on: date | None
    trespass_expires_on: date | None


class SubjectIn(StrictIn):
    store: str = Field(..., description="Store code where the subject was recorded")
    name: str = Field("", max_length=200)
    aliases: str = Field("", max_length=400)
    date_of_birth: date | None = None
    approximate_age: str = Field("", max_length=40)
    height: str = Field("", max_length=40)
    build: str = Field("", max_length=80)
    hair: str = Field("", max_length=80)
    eyes: str = Field("", max_length=80)
    identifying_marks: str = ""
    clothing: str = ""
    description: str = ""
    bolo_status: BoloStatus = BoloStatus.NONE
    bolo_instructions: str = ""
    trespass_notice_on: date | None = None
    trespass_expires_on: date | None = None


class SubjectPatch(StrictIn):
    name: str | None = Field(None, max_length=200)
    aliases: str | None = Field(None, max_length=400)
    date_of_birth: date | None = None
    approximate_age: str | None = Field(None, max_length=40)
    height: str | None = Field(None, max_length=40)
    build: str | None = Field(None, max_length=80)
    hair: str | None = Field(None, max_length=80)
    eyes: str | None = Field(None, max_length=80)
    identifying_marks: str | None = None
    clothing: str | None = None
    description: str | None = None
    bolo_status: BoloStatus | None = None
    bolo_instructions: str | None = None
    trespass_notice_on: date | None = None
    trespass_expires_on: date | None = None


class SubjectFilters(Schema):
    q: str | None = Field(None, description="Name, alias, description, marks or clothing")
    store: str | None = None
    bolo_status: BoloStatus | None = None


class VehicleOut(Schema):
    id: int
    store: str = Field(..., alias="store.code")
    plate: str
    plate_state: str
    make: str
    model: str
    colour: str
    year: str
    description: str
    bolo_status: BoloStatus
    bolo_instructions: str
    subject_ids: list[int]

    @staticmethod
    def resolve_subject_ids(obj: Any) -> list[int]:
        return [subject.pk for subject in obj.subjects.all()]


class VehicleIn(StrictIn):
    store: str
    plate: str = Field("", max_length=20)
    plate_state: str = Field("", max_length=40)
    make: str = Field("", max_length=60)
    model: str = Field("", max_length=60)
    colour: str = Field("", max_length=40)
    year: str = Field("", max_length=4)
    description: str = ""
    bolo_status: BoloStatus = BoloStatus.NONE
    bolo_instructions: str = ""
    subject_ids: list[int] = []
    incident_numbers: list[str] = []


class VehiclePatch(StrictIn):
    plate: str | None = Field(None, max_length=20)
    plate_state: str | None = None
    make: str | None = None
    model: str | None = None
    colour: str | None = None
    year: str | None = Field(None, max_length=4)
    description: str | None = None
    bolo_status: BoloStatus | None = None
    bolo_instructions: str | None = None


# --- cases ---------------------------------------------------------------------------


class LinkOut(Schema):
    id: int
    kind: str
    ref: str
    label: str

    @staticmethod
    def resolve_kind(obj: Any) -> str:
        return "incident" if obj.incident_id else "subject" if obj.subject_id else "vehicle"

    @staticmethod
    def resolve_ref(obj: Any) -> str:
        target = obj.target
        return str(getattr(target, "number", target.pk))

    @staticmethod
    def resolve_label(obj: Any) -> str:
        return str(obj.target)


class TaskOut(Schema):
    id: int
    title: str
    assignee: str | None
    due_on: date | None
    status: TaskStatus
    done_at: datetime | None

    @staticmethod
    def resolve_assignee(obj: Any) -> str | None:
        return _username(obj.assignee)


class TaskIn(StrictIn):
    title: str = Field(..., min_length=1, max_length=200)
    due_on: date | None = None
    assignee: str | None = Field(None, description="Username")


class TaskPatch(StrictIn):
    status: TaskStatus | None = None
    title: str | None = Field(None, min_length=1, max_length=200)
    due_on: date | None = None
    assignee: str | None = None


class CaseOut(Schema):
    number: str
    store: str = Field(..., alias="store.code")
    title: str
    kind: IncidentType
    summary: str
    status: CaseStatus
    priority: CasePriority
    assignee: str | None
    team: list[str]
    template: str | None
    details: dict[str, Any]
    required_fields: list[dict[str, Any]]
    missing_fields: list[str]
    outcome: str
    recovered_amount: Decimal
    opened_at: datetime
    closed_at: datetime | None
    links: list[LinkOut]
    tasks: list[TaskOut]

    @staticmethod
    def resolve_assignee(obj: Any) -> str | None:
        return _username(obj.assignee)

    @staticmethod
    def resolve_team(obj: Any) -> list[str]:
        return [user.get_username() for user in obj.team.all()]  # prefetched in lists

    @staticmethod
    def resolve_template(obj: Any) -> str | None:
        return obj.template.name if obj.template else None

    @staticmethod
    def resolve_required_fields(obj: Any) -> list[dict[str, Any]]:
        return list(obj.template.fields) if obj.template else []

    @staticmethod
    def resolve_missing_fields(obj: Any) -> list[str]:
        return list(obj.missing_fields())

    @staticmethod
    def resolve_links(obj: Any) -> list[Any]:
        return related_rows(obj, "links", "incident", "subject", "vehicle")

    @staticmethod
    def resolve_tasks(obj: Any) -> list[Any]:
        return related_rows(obj, "tasks", "assignee")


class CaseIn(StrictIn):
    store: str = Field(..., description="Lead store code")
    title: str = Field(..., min_length=1, max_length=200)
    kind: IncidentType
    summary: str = ""
    priority: CasePriority = CasePriority.NORMAL
    assignee: str | None = Field(None, description="Username; yourself when left out")
    team: list[str] = []
    incident_numbers: list[str] = []


class CasePatch(StrictIn):
    title: str | None = Field(None, min_length=1, max_length=200)
    summary: str | None = None
    priority: CasePriority | None = None
    assignee: str | None = None
    team: list[str] | None = None
    details: dict[str, str] | None = Field(None, description="Template field values by key")
    recovered_amount: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)


class CaseClose(StrictIn):
    outcome: str = Field(..., min_length=1)


class CaseFilters(Schema):
    q: str | None = None
    store: str | None = None
    kind: IncidentType | None = None
    status: CaseStatus | None = None
    assignee: str | None = None
    since: date | None = Field(None, description="Opened on or after")
    until: date | None = Field(None, description="Opened on or before")


class LinkIn(StrictIn):
    incident: str | None = Field(None, description="Incident number")
    subject_id: int | None = None
    vehicle_id: int | None = None


class TimelineOut(Schema):
    id: int
    occurred_at: datetime
    kind: str
    actor_name: str
    text: str


class TimelineIn(StrictIn):
    text: str = Field(..., min_length=1, max_length=5000)
    occurred_at: datetime | None = None


class NoteRevisionOut(Schema):
    number: int
    body: str
    sha256: str
    author: str | None
    saved_at: datetime

    @staticmethod
    def resolve_author(obj: Any) -> str | None:
        return _username(obj.author)


class NoteOut(Schema):
    id: int
    title: str
    created_at: datetime
    revisions: list[NoteRevisionOut]

    @staticmethod
    def resolve_revisions(obj: Any) -> list[Any]:
        return related_rows(obj, "revisions", "author", order=("-number",))


class CaseNoteIn(StrictIn):
    title: str = Field("", max_length=200)
    body: str = Field(..., min_length=1, max_length=LONG_TEXT_CHARS)


class NoteRevisionIn(StrictIn):
    body: str = Field(..., min_length=1, max_length=LONG_TEXT_CHARS)


# --- statements ----------------------------------------------------------------------


class StatementVersionOut(Schema):
    number: int
    body: str
    scan: str | None
    reason: str
    attested_name: str
    has_drawn_signature: bool
    attested_at: datetime | None
    created_at: datetime
    prev_sha256: str
    sha256: str

    @staticmethod
    def resolve_scan(obj: Any) -> str | None:
        return obj.scan.number if obj.scan_id else None

    @staticmethod
    def resolve_has_drawn_signature(obj: Any) -> bool:
        return bool(obj.signature_png)


class StatementOut(Schema):
    id: int
    store: str = Field(..., alias="store.code")
    incident: str | None
    case: str | None
    witness_name: str
    witness_contact: str
    taken_by: str | None
    place: str
    started_at: datetime
    ended_at: datetime | None
    language: str
    method: StatementMethod
    status: StatementStatus
    versions: list[StatementVersionOut]

    @staticmethod
    def resolve_incident(obj: Any) -> str | None:
        return obj.incident.number if obj.incident_id else None

    @staticmethod
    def resolve_case(obj: Any) -> str | None:
        return obj.case.number if obj.case_id else None

    @staticmethod
    def resolve_taken_by(obj: Any) -> str | None:
        return _username(obj.taken_by)

    @staticmethod
    def resolve_versions(obj: Any) -> list[Any]:
        return related_rows(obj, "versions", "scan", order=("-number",))


class StatementIn(StrictIn):
    incident: str | None = Field(None, description="Incident number")
    case: str | None = Field(None, description="Case number")
    witness_name: str = Field(..., min_length=1, max_length=200)
    witness_contact: str = Field("", max_length=200)
    witness_employee_id: str | None = None
    place: str = Field("", max_length=200)
    started_at: datetime
    ended_at: datetime | None = None
    language: str = Field("English", max_length=40)
    body: LongText = ""
    scan: str | None = Field(None, description="Evidence number of an uploaded scan")


class StatementRevisionIn(StrictIn):
    body: LongText = ""
    scan: str | None = None
    reason: str = Field("", max_length=200)


class SignatureIn(StrictIn):
    attested_name: str = Field(..., min_length=1, max_length=200)
    signature_png: str = Field("", description="data:image/png;base64,… (optional)")
    ended_at: datetime | None = None


# --- notification channels -----------------------------------------------------------


class ChannelOut(Schema):
    id: int
    kind: str
    url: str
    scope: str
    is_active: bool

    @staticmethod
    def resolve_scope(obj: Any) -> str:
        return "organisation" if obj.organisation_id else "mine"


class ChannelIn(StrictIn):
    kind: str = Field(..., pattern="^(email|webhook)$")
    url: str = Field("", max_length=200, description="Webhook address")
    secret: str = Field("", max_length=128, description="HMAC-SHA256 signing key (webhook)")
    organisation: bool = Field(False, description="For everyone (administrators only)")


class NarrativeTermOut(Schema):
    phrase: str
    suggestion: str
    source: str = Field(..., description="default, or organisation")


class NarrativeTermIn(StrictIn):
    phrase: str = Field(..., min_length=1, max_length=80)
    suggestion: str = Field("", max_length=300)
    flag: bool = Field(True, description="False: never flag this phrase (even a default)")
