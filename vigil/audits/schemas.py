"""API schemas of the audits app."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema

from vigil.core.schemas import StrictIn


class ChecklistOut(Schema):
    key: str
    version: int
    title: str
    frequency: str
    definition: dict  # type: ignore[type-arg]


class WalkOut(Schema):
    number: str
    store: str = Field(..., alias="store.code")
    checklist: str = Field(..., alias="checklist.key")
    checklist_version: int = Field(..., alias="checklist.version")
    walked_by: str = Field(..., alias="walked_by.username")
    started_at: datetime
    completed_at: datetime | None
    status: str
    score: Decimal | None
    passed: bool | None
    critical_failures: int


class WalkIn(StrictIn):
    store: str = Field(..., max_length=32)
    checklist: str = Field(..., max_length=48)


class AnswerIn(StrictIn):
    item: str = Field(..., max_length=48)
    value: str = Field("", max_length=500)
    note: str = Field("", max_length=500)


class CompletionIn(StrictIn):
    notes: str = Field("", max_length=4000)


class ActionOut(Schema):
    number: str
    store: str = Field(..., alias="store.code")
    walk: str | None = Field(None, alias="walk.number")
    item_key: str
    title: str
    detail: str
    critical: bool
    owner: str | None = Field(None, alias="owner.username")
    due_on: date
    status: str
    fix_note: str


class FixIn(StrictIn):
    note: str = Field(..., min_length=1, max_length=2000)
