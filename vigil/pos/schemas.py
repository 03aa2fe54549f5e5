"""API schemas of the POS app."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema

from vigil.core.schemas import RecordId, StrictIn
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
    """A lead: one per (rule, store, transaction), however many scans raised it."""

    id: int
    data_set_id: int
    scan_id: int | None = Field(
        None,
        description="The newest scan of its data set: the last to raise it or, for a lead no "
        "longer raised, the one that stopped raising it",
    )
    raised: bool = Field(..., description="False once a scan of its data set no longer raises it")
    no_longer_raised_at: datetime | None
    rule: str
    rule_title: str
    transaction_id: str
    employee_id: str
    store: str = Field(..., alias="store.code")
    register_id: str
    business_date: date
    at: str = Field(..., alias="at_text")
    amount: Decimal | None
    amount_is: str = Field(
        ...,
        description="What the amount is for this lead's rule (the voided lines, the refund, "
        "the discount given ...): not always the transaction's total",
    )
    severity: float
    detail: str
    status: ReviewStatus
    reason: str | None
    review_note: str
    reviewed_at: datetime | None
    case: str | None

    @staticmethod
    def resolve_case(obj: Any) -> str | None:
        return obj.case.number if obj.case_id else None

    @staticmethod
    def resolve_scan_id(obj: Any) -> int | None:
        scan: int | None = obj.last_scan_id
        return scan

    @staticmethod
    def resolve_raised(obj: Any) -> bool:
        return obj.no_longer_raised_at is None

    @staticmethod
    def resolve_reason(obj: Any) -> str | None:
        return obj.reason.label if obj.reason_id else None

    @staticmethod
    def resolve_amount_is(obj: Any) -> str:
        return str(obj.amount_is.explained)


class ExceptionFilters(Schema):
    data_set: int | None = Field(None, description="Leads of this data set; all when left out")
    scan: int | None = Field(None, description="Leads of this scan's data set")
    raised: Literal["raised", "gone", "all"] = Field(
        "raised", description="raised: still raised (the default); gone: no longer raised; all"
    )
    store: str | None = None
    rule: str | None = None
    employee: str | None = None
    status: ReviewStatus | None = None
    since: date | None = None
    until: date | None = None
    min_severity: float | None = Field(None, ge=0, le=1)


class EmployeeRiskOut(Schema):
    rank: int = Field(..., description="The scan's rank over its whole data set (1 = first)")
    place: int = Field(
        ...,
        description="The place among the employees you see, in the scan's order: 1, 2, 3 … "
        "without the gaps other stores' employees leave in ``rank``",
    )
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
    reason: int | None = Field(None, description="An offered reason's id (with explained)")


class BulkReviewIn(ReviewIn):
    leads: list[RecordId] = Field(..., min_length=1, max_length=500)


class BulkReviewOut(Schema):
    reviewed: int


class LeadReviewOut(Schema):
    status: ReviewStatus
    reason: str | None
    note: str
    case: str | None
    reviewed_by: str | None
    reviewed_at: datetime
    batch: str | None

    @staticmethod
    def resolve_reason(obj: Any) -> str | None:
        return obj.reason.label if obj.reason_id else None

    @staticmethod
    def resolve_case(obj: Any) -> str | None:
        return obj.case.number if obj.case_id else None

    @staticmethod
    def resolve_reviewed_by(obj: Any) -> str | None:
        return obj.reviewed_by.get_username() if obj.reviewed_by_id else None

    @staticmethod
    def resolve_batch(obj: Any) -> str | None:
        return str(obj.batch) if obj.batch else None


class ReasonOut(Schema):
    id: int
    label: str
    active: bool


class ReasonIn(StrictIn):
    label: str


class DataSetOut(Schema):
    id: int
    name: str
    source: str
    digest: str | None
    first_day: date | None
    last_day: date | None
    rows: dict[str, int]
    new_transactions: int
    known_transactions: int
    created_at: datetime


class EscalationIn(StrictIn):
    note: str = ""


class EscalationOut(Schema):
    case: str


class UploadAccepted(Schema):
    task_run: str
    url: str
