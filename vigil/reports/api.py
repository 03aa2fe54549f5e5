"""Reports API: the store risk ranking, with each store's reasons."""

# No `from __future__ import annotations` here: django-ninja reads these annotations at runtime.

from django.http import HttpRequest
from ninja import Router, Schema

from vigil.core.pages import api_user
from vigil.reports import risk

router = Router(tags=["reports"])


class StoreRiskOut(Schema):
    rank: int
    store: str
    score: float
    reasons: list[str]
    signals: dict[str, float]


@router.get("/reports/store-risk", response=list[StoreRiskOut])
def store_risk(request: HttpRequest) -> list[dict[str, object]]:
    """The caller's stores, riskiest first; each signal as its index against the median."""
    return [
        {
            "rank": row.rank,
            "store": row.store.code,
            "score": row.score,
            "reasons": row.reasons,
            "signals": {signal.name: round(signal.index, 2) for signal in row.signals},
        }
        for row in risk.ranking(api_user(request))
    ]
