"""Reports API: the store risk ranking, with each store's reasons, and the executive
summary's figures for a month."""

# No `from __future__ import annotations` here: django-ninja reads these annotations at runtime.

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router

from vigil.core.pages import api_user
from vigil.reports import risk
from vigil.reports.schemas import ExecutiveSummaryOut, StoreRiskOut
from vigil.reports.summary import Month, build

router = Router(tags=["reports"])


def _risk_out(row: risk.StoreScore) -> dict[str, Any]:
    return {
        "rank": row.rank,
        "store": row.store.code,
        "scored": row.has_data,
        "score": row.score,
        "reasons": row.reasons,
        "in_favour": row.in_favour,
        "in_line": row.in_line,
        "no_data": row.no_data,
        "signals": {
            signal.name: None if signal.index is None else round(signal.index, 2)
            for signal in row.signals
        },
    }


@router.get("/reports/store-risk", response=list[StoreRiskOut])
def store_risk(request: HttpRequest) -> list[dict[str, Any]]:
    """The caller's stores, riskiest first, then those with no data; each signal as its
    index against the median store."""
    return [_risk_out(row) for row in risk.ranking(api_user(request))]


@router.get("/reports/summary", response=ExecutiveSummaryOut)
def summary(request: HttpRequest, month: str = "") -> dict[str, Any]:
    """The executive summary of ``month`` (``YYYY-MM``; last month by default) for the
    caller's stores: the same figures as its page, PDF and e-mail."""
    try:
        chosen = Month.parse(month or None)
    except ValueError:
        raise ValidationError({"month": "Give the month as YYYY-MM."}) from None
    found = build(api_user(request), chosen)
    return {
        "month": chosen.key,
        "first_day": chosen.first,
        "last_day": chosen.last,
        "shrink": found.shrink,
        "known_shrink": found.split.known if found.split else None,
        "unknown_shrink": found.split.unknown if found.split else None,
        "incidents": {
            "count": found.incidents,
            "by_type": dict(found.incidents_by_type),
            "lost_net": found.incident_loss,
        },
        "cases_closed": found.cases_closed,
        "recovered": found.recovered,
        "civil_recovery": {
            "demands": found.civil.demands,
            "demanded": found.civil.demanded,
            "paid": found.civil.paid,
            "outstanding": found.civil.outstanding,
        },
        "walks": found.walks,
        "walks_passed": found.walks_passed,
        "training": found.training,
        "risky_stores": [_risk_out(row) for row in found.risky_stores],
    }
