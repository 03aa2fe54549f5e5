"""Store risk: one score per store from five signals, each judged against the median store.

| signal | value per store | weight |
| --- | --- | --- |
| shrink | shrink at cost over counted book value, latest analysis | 0.35 |
| POS | the store's risk score in the latest POS scan | 0.20 |
| incidents | theft incidents in the last 90 days | 0.15 |
| audits | average points lost on floor walks in the last 90 days | 0.15 |
| training | share of assignments due that are not done | 0.15 |

A signal's index is the store's value over the median store's (1.0 is typical, capped at
3); the score is the weighted mean of the capped indexes scaled to 0-100, so a typical store
scores about 33 and one three times the median on everything scores 100. A signal with no
data for any store is left out and the weights of the rest are scaled up. Every score comes
with its reasons, the signals standing furthest above the median first.

The medians are taken over every active store, so a user sees the same score for a store
whoever they are; the page lists only the stores the user may see.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from statistics import median
from typing import Any

from django.db.models import Avg, Count, Q, Sum
from django.utils import timezone

from vigil.audits.models import FloorWalk, WalkStatus
from vigil.cases.models import Incident
from vigil.core.models import Store
from vigil.pos.models import ScanStatus, StoreRisk
from vigil.shrink.figures import THEFT
from vigil.shrink.models import CountLine, ShrinkAnalysis
from vigil.training.models import Assignment

WEIGHTS = {"shrink": 0.35, "pos": 0.20, "incidents": 0.15, "audits": 0.15, "training": 0.15}
CAP = 3.0
NOTABLE = 1.25
WINDOW_DAYS = 90


@dataclass
class Signal:
    name: str
    value: float
    median: float
    text: str

    @property
    def index(self) -> float:
        if self.median:
            return min(self.value / self.median, CAP)
        return 1.0 if not self.value else CAP


@dataclass
class StoreScore:
    store: Store
    score: float = 0.0
    rank: int = 0
    signals: list[Signal] = field(default_factory=list)

    @property
    def reasons(self) -> list[str]:
        ordered = sorted(self.signals, key=lambda s: -s.index * WEIGHTS[s.name])
        return [
            f"{s.text} ({s.index:.1f}x the median store)" if s.index >= NOTABLE else s.text
            for s in ordered
        ]


def ranking(user: Any, today: dt.date | None = None) -> list[StoreScore]:
    """Every store the user may see, riskiest first, each with its score and reasons."""
    today = today or timezone.localdate()
    stores = list(Store.objects.filter(is_active=True).order_by("code"))
    values = {
        "shrink": _shrink(),
        "pos": _pos(),
        "incidents": _incidents(today),
        "audits": _audits(today),
        "training": _training(today),
    }
    scores = {store.pk: StoreScore(store) for store in stores}
    for name, per_store in values.items():
        if not per_store:
            continue
        middle = median(per_store.get(store.pk, (0.0, ""))[0] for store in stores)
        for store in stores:
            value, text = per_store.get(store.pk, (0.0, _nothing(name)))
            scores[store.pk].signals.append(Signal(name, value, middle, text))
    for result in scores.values():
        weight = sum(WEIGHTS[s.name] for s in result.signals)
        if weight:
            total = sum(WEIGHTS[s.name] * s.index / CAP for s in result.signals)
            result.score = round(100 * total / weight, 1)
    visible = set(Store.objects.visible_to(user).values_list("pk", flat=True))
    ranked = sorted(
        (s for s in scores.values() if s.store.pk in visible),
        key=lambda s: (-s.score, s.store.code),
    )
    for rank, result in enumerate(ranked, start=1):
        result.rank = rank
    return ranked


def _nothing(name: str) -> str:
    return {
        "shrink": "no counts analysed",
        "pos": "no POS exceptions scored",
        "incidents": "no theft incidents in 90 days",
        "audits": "no floor walks in 90 days",
        "training": "no training due",
    }[name]


Values = dict[int, tuple[float, str]]


def _shrink() -> Values:
    analysis = ShrinkAnalysis.objects.first()
    if analysis is None:
        return {}
    rows = (
        CountLine.objects.filter(analysis=analysis)
        .values("store_id")
        .annotate(cost=Sum("shrink_cost"), book=Sum("book_cost"))
    )
    found = {}
    for row in rows:
        rate = float(row["cost"] / row["book"]) if row["book"] else 0.0
        found[row["store_id"]] = (rate, f"shrink {rate * 100:.1f} % of counted book value")
    return found


def _pos() -> Values:
    rows = StoreRisk.objects.filter(scan__status=ScanStatus.DONE).order_by(
        "store_id", "-scan__finished_at"
    )
    found: Values = {}
    for row in rows:
        if row.store_id not in found:
            found[row.store_id] = (row.risk_score, f"POS exception risk {row.risk_score:.1f}")
    return found


def _incidents(today: dt.date) -> Values:
    since = today - dt.timedelta(days=WINDOW_DAYS)
    rows = (
        Incident.objects.filter(kind__in=THEFT, occurred_at__date__gt=since)
        .values("store_id")
        .annotate(n=Count("pk"))
    )
    return {r["store_id"]: (float(r["n"]), f"{r['n']} theft incidents in 90 days") for r in rows}


def _audits(today: dt.date) -> Values:
    since = today - dt.timedelta(days=WINDOW_DAYS)
    rows = (
        FloorWalk.objects.filter(status=WalkStatus.COMPLETED, completed_at__date__gt=since)
        .values("store_id")
        .annotate(score=Avg("score"), walks=Count("pk"))
    )
    return {
        r["store_id"]: (
            100 - float(r["score"] or 0),
            f"floor walks scored {float(r['score'] or 0):.0f} % on average ({r['walks']} walks)",
        )
        for r in rows
    }


def _training(today: dt.date) -> Values:
    rows = (
        Assignment.objects.filter(due_on__lte=today)
        .values("store_id")
        .annotate(due=Count("pk"), done=Count("pk", filter=Q(completed_at__isnull=False)))
    )
    found = {}
    for r in rows:
        missing = 1 - r["done"] / r["due"]
        found[r["store_id"]] = (
            missing,
            f"training {(1 - missing) * 100:.0f} % complete ({r['due']} due)",
        )
    return found
