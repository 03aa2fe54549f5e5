"""API schemas of the reports app: store risk and the executive summary's figures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ninja import Field, Schema

from vigil.shrink.schemas import ShrinkOut
from vigil.training.schemas import CompletionOut


class StoreRiskOut(Schema):
    """A store's risk: ``rank`` and ``score`` are null for a store with no data at all
    (``scored`` false), which is listed after the ranked stores, never as the safest."""

    rank: int | None
    store: str
    scored: bool
    score: float | None
    reasons: list[str] = Field(..., description="What raises the store's risk, most first")
    in_favour: list[str] = Field(..., description="Signals at or better than the median store")
    in_line: list[str] = Field(..., description="Signals a little (under 10 %) worse")
    no_data: list[str] = Field(..., description="Signals the store has no data for")
    signals: dict[str, float | None] = Field(
        ..., description="Each signal's index against the median store; null without data"
    )


class IncidentsOut(Schema):
    count: int
    by_type: dict[str, int]
    lost_net: Decimal = Field(..., description="Merchandise value less recoveries")


class CivilRecoveryOut(Schema):
    demands: int = Field(..., description="Civil demands made in the month")
    demanded: Decimal
    paid: Decimal = Field(..., description="Paid to date on those demands")
    outstanding: Decimal


class ExecutiveSummaryOut(Schema):
    """The executive summary's figures for a month, as its page, PDF and e-mail show them."""

    month: str = Field(..., description="YYYY-MM")
    first_day: date
    last_day: date
    shrink: ShrinkOut | None = Field(..., description="What the month's counts found")
    known_shrink: Decimal | None
    unknown_shrink: Decimal | None
    incidents: IncidentsOut
    cases_closed: int
    recovered: Decimal
    civil_recovery: CivilRecoveryOut
    walks: int
    walks_passed: int
    training: CompletionOut = Field(..., description="As at the month's last day, or today")
    risky_stores: list[StoreRiskOut]
