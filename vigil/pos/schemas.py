"""API schemas of the POS app."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from vigil.core.schemas import StrictIn
from vigil.pos.models import ReviewStatus


class ScanOut(Schema):
    id: int
    data_set: str = Field(..., alias="data_set.name")
    engine: str
    status: str
    exception_count: int
    started_at: datetime
    finished_at: datetime | None


class ExceptionOut(Schema):
    id: int
    scan_id: int
    rule: str
    rule_title: str
    transaction_id: str
    employee_id: str
    store: str = Field(..., alias="store.code")
    register_id: str
    business_date: date
    at: str = Field(..., alias="at_text")
    amount: Decimal | None
    severity: float
    detail: str
    status: ReviewStatus
    review_note: str
    case: str | None

    @staticmethod
    def resolve_case(obj: Any) -> str | None:
        return obj.case.number if obj.case_id else None


class ExceptionFilters(Schema):
    scan: int | None = Field(None, description="Scan id; the newest finished scan when left out")
    store: str | None = None
    rule: str | None = None
    employee: str | None = None
    status: ReviewStatus | None = None
    since: date | None = None
    until: date | None = None
    min_severity: float | None = Field(None, ge=0, le=1)


class EmployeeRiskOut(Schema):
    rank: int
    employee_id: str
    store: str = Field(..., alias="store.code")
    role: str
    risk_score: float
    exception_counts: dict[str, int]
    reasons: list[str]
    peer_group: str
    transactions: int


class ReviewIn(StrictIn):
    status: ReviewStatus
    note: str = ""


class EscalationIn(StrictIn):
    note: str = ""


class EscalationOut(Schema):
    case: str


class UploadAccepted(Schema):
    task_run: str
    url: str
