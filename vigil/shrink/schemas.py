"""API schemas of the shrink app."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from vigil.core.schemas import StrictIn


class HotspotOut(Schema):
    id: int
    rank: int
    store: str = Field(..., alias="store.code")
    department: str
    shrink_cost: Decimal
    shrink_rate: float
    chain_rate: float
    counted_units: int
    reasons: list[str]
    first_count: date = Field(..., alias="analysis.first_count")
    last_count: date = Field(..., alias="analysis.last_count")


class RecommendationOut(Schema):
    number: str
    store: str = Field(..., alias="store.code")
    department: str = Field(..., alias="hotspot.department")
    hotspot: int = Field(..., alias="hotspot_id")
    title: str
    measures: list[str]
    evidence: list[dict[str, str]]
    count_frequency: str
    status: str
    decided_at: datetime | None
    decision_note: str
    action: str | None = Field(None, alias="action.number")


class DecisionIn(StrictIn):
    decision: Literal["accept", "reject"]
    note: str = Field(..., min_length=1, max_length=2000, description="Kept on the record")


class ShrinkOut(Schema):
    """Shrink of a group of count lines: lost at cost and at retail, over counted book value
    and, where known, over sales."""

    label: str
    key: str = Field("", description="The store's code, where the figures are a store's")
    shrink_units: Decimal
    shrink_cost: Decimal
    shrink_retail: Decimal
    book_cost: Decimal
    sales: Decimal | None
    rate_on_book: float
    rate_on_sales: float | None
    counts: int = Field(..., description="Count lines")


class PeriodShrinkOut(Schema):
    """The shrink the counts of a period found, as the shrink page and the executive
    summary show it; ``total`` is null when the stores in view had no counts then."""

    start: date
    end: date
    analysis: int | None = Field(None, alias="analysis_id")
    total: ShrinkOut | None
    known: Decimal | None = Field(None, description="Theft incidents' net loss in the period")
    unknown: Decimal | None
    chain_rate_on_book: float | None = Field(
        None, alias="chain_rate", description="The whole chain's rate for the same period"
    )
    stores: list[ShrinkOut]
