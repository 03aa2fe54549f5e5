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
