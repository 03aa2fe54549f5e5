"""API schemas of retention and legal hold."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema

from vigil.core.schemas import StrictIn
from vigil.retention.models import HoldTarget, RecordKind


class PolicyOut(Schema):
    kind: RecordKind
    label: str
    days: int
    min_days: int
    max_days: int
    default_days: int
    reference_time: str
    kept_while: str


class PoliciesIn(StrictIn):
    periods: dict[str, int] = Field(
        ..., description="Days kept, by kind; each must lie within its kind's bounds"
    )


class PreviewOut(Schema):
    summary: str = Field(..., description='"312 alerts (with 290 clips), 41 subjects"')
    due: dict[str, int]
    kept: dict[str, dict[str, int]]
    locked: list[dict[str, str]]


class HoldIn(StrictIn):
    target: HoldTarget
    ref: str = Field(..., description="Case or incident number, or the subject's id")
    reason: str = Field(..., min_length=1, max_length=300)
    until: date | None = Field(None, description="Last day of the hold; none: until released")


class ReleaseIn(StrictIn):
    reason: str = Field(..., min_length=1, max_length=300)


class HoldOut(Schema):
    id: int
    target: HoldTarget
    reference: str
    store: str = Field(..., alias="store.code")
    reason: str
    until: date | None
    placed_by: str | None = Field(None, alias="placed_by.username")
    placed_at: datetime
    released_at: datetime | None
    release_reason: str
