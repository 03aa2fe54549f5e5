"""API schemas of the training app."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema

from vigil.core.schemas import StrictIn


class ModuleOut(Schema):
    id: int
    key: str
    version: int
    title: str
    minutes: int
    pass_mark: int


class AssignmentOut(Schema):
    id: int
    store: str = Field(..., alias="store.code")
    employee_id: str = Field(..., alias="person.employee_id")
    module: str = Field(..., alias="module.key")
    due_on: date
    completed_at: datetime | None
    best_score: int | None


class AssignIn(StrictIn):
    module: str = Field(..., max_length=48)
    stores: list[str] = Field(..., min_length=1)
    roles: list[str] = Field(..., min_length=1)
    due_on: date


class AttemptIn(StrictIn):
    answers: list[int] = Field(..., min_length=1, description="The chosen choice per question")


class AttemptOut(Schema):
    score: int
    passed: bool
    taken_at: datetime


class CompletionOut(Schema):
    """Training completion as at a day, counted as the training page counts it."""

    as_at: date
    store: str | None = Field(None, description="Store code; null for all stores in view")
    assigned: int
    completed: int
    overdue: int
    rate: float | None


class CompletionsOut(Schema):
    as_at: date
    total: CompletionOut
    stores: list[CompletionOut]
