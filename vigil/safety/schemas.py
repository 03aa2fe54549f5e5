"""API schemas of the safety app."""

from __future__ import annotations

from datetime import date, datetime, time

from ninja import Field, Schema

from vigil.core.schemas import Count, StrictIn


class EmergencyOut(Schema):
    number: str
    store: str = Field(..., alias="store.code")
    playbook: str = Field(..., alias="playbook_key")
    title: str
    incident: str = Field(..., alias="incident.number")
    started_at: datetime
    ended_at: datetime | None
    status: str
    headcount: int | None
    headcount_expected: int | None


class EntryOut(Schema):
    at: datetime
    kind: str
    step_key: str
    text: str
    by: str = Field(..., alias="by.username")


class EmergencyIn(StrictIn):
    store: str = Field(..., max_length=32)
    playbook: str = Field(..., max_length=48)
    where: str = Field("", max_length=200)


class StepIn(StrictIn):
    step: str = Field(..., max_length=48)


class ResponderIn(StrictIn):
    agency: str = Field(..., min_length=1, max_length=100)
    unit: str = Field("", max_length=100)


class HeadcountIn(StrictIn):
    counted: Count
    expected: Count | None = None


class TimelineNoteIn(StrictIn):
    note: str = Field(..., min_length=1, max_length=500)


class EmergencyEndIn(StrictIn):
    confirm: bool = Field(
        False,
        description="Needed when steps are still open or people unaccounted for: the refusal "
        "without it (422, field confirm) says what is open",
    )


class HazardIn(StrictIn):
    store: str = Field(..., max_length=32)
    place: str = Field(..., min_length=1, max_length=200)
    description: str = Field(..., min_length=1, max_length=2000)
    severity: str = Field(..., description="low, medium, high or critical")


class HazardOut(Schema):
    number: str
    store: str = Field(..., alias="store.code")
    place: str
    description: str
    severity: str
    reported_at: datetime
    action: str = Field(..., alias="action.number")


class InjuryCaseIn(StrictIn):
    store: str = Field(..., max_length=32)
    employee_id: str = Field(..., max_length=64)
    job_title: str = Field(..., max_length=100)
    date_of_injury: date
    time_of_event: time | None = None
    where_occurred: str = Field(..., max_length=200)
    description: str = Field(..., max_length=300)
    outcome: str
    days_away: Count = 0
    days_restricted: Count = 0
    injury_type: str
    privacy: str = ""
    date_of_death: date | None = None


class InjuryCaseOut(Schema):
    store: str = Field(..., alias="store.code")
    year: int
    case_number: int
    name: str = Field(..., alias="log_name", description='"privacy case" for a privacy case')
    job_title: str
    date_of_injury: date
    where_occurred: str
    description: str
    outcome: str
    days_away: int
    days_restricted: int
    injury_type: str


class SummaryOut(Schema):
    deaths: int
    days_away_cases: int
    job_transfer_cases: int
    other_cases: int
    days_away: int
    days_restricted: int
    by_type: dict[str, int]
