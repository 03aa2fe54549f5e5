"""Store risk: one score per store from five signals, each judged against the median store.

| signal | value per store (higher is worse) | weight |
| --- | --- | --- |
| shrink | shrink at cost over counted book value, latest analysis | 0.35 |
| POS | the store's risk score in the latest POS scan | 0.20 |
| incidents | theft incidents in the last 90 days, at a store that records incidents | 0.15 |
| audits | points lost on floor walks in the last 90 days (100 less the average score) | 0.15 |
| training | share of assignments not done, counted as the training page counts them | 0.15 |

Every value is one where more is worse, so a store with poor floor walks stands above the
median and one with good walks below it. A signal's index is the store's value over the
median of the stores that have data for it (1.0 is typical, under 1 better, capped at 3);
the score is the weighted mean of the store's indexes scaled to 0-100, so a typical store
scores about 33 and one three times the median on everything scores 100.

**No data is not a low risk.** A signal a store has no data for (never counted, never
walked, nothing assigned) is left out of that store's score, the weights of the rest scaled
up, and named as missing. A store with data for less than half the weight (none at all, or
only its incidents) has no score: it is shown as "no data" after the ranked stores, never
ranked as the safest.

A store's **reasons** are only the signals on which it stands notably (10 % or more) worse
than the median store, the one adding most to its score first; the signals on which it does
as well or better are kept apart, as what speaks in its favour, and those a little worse
as in line with the median.

The medians are taken over every active store, so a user sees the same score for a store
whoever they are; the page lists only the stores the user may see.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from statistics import median
from typing import Any

from django.db.models import Avg, Count, Q
from django.utils import timezone

from vigil.audits.models import FloorWalk, WalkStatus
from vigil.cases.models import Incident
from vigil.core.models import Store
from vigil.pos.models import ScanStatus, StoreRisk
from vigil.shrink import figures
from vigil.shrink.models import CountLine, DepartmentSales, ShrinkAnalysis
from vigil.training import courses
from vigil.training.models import Assignment

WEIGHTS = {"shrink": 0.35, "pos": 0.20, "incidents": 0.15, "audits": 0.15, "training": 0.15}
CAP = 3.0
WINDOW_DAYS = 90
# A store is scored when it has data for signals carrying at least this share of the weight
# of the signals the chain has data for: a store known only by its (zero) incidents has too
# little data to be judged, and a score built on that alone would rank it the safest.
MIN_COVERAGE = 0.5
# A signal counts as a reason when the store stands at least 10 % worse than the median store:
# 96.8 % on walks against the median's 96.9 % is in line with it, not a risk to name.
NOTABLE = 1.1

# How each signal's value reads as a figure, for the median store beside the store's own.
MEDIAN_FIGURES: dict[str, Callable[[float], str]] = {
    "shrink": lambda value: f"{value * 100:.1f} %",
    "pos": lambda value: f"{value:.1f}",
    "incidents": lambda value: f"{value:g}",
    "audits": lambda value: f"{100 - value:.1f} %",
    "training": lambda value: f"{(1 - value) * 100:.0f} %",
}
MISSING = {
    "shrink": "no shrink data: no counts analysed",
    "pos": "no POS data: not scanned",
    "incidents": "no incident data: none ever recorded at the store",
    "audits": "no floor-walk data: no walks in 90 days",
    "training": "no training data: nothing assigned",
}


@dataclass(frozen=True)
class Measure:
    """A store's value on one signal (higher is worse) and the figure behind it in words."""

    value: float
    text: str


Values = dict[int, Measure]


@dataclass
class Signal:
    """One signal of one store: its measure (``None`` when the store has no data for it)
    against the median of the stores that have data."""

    name: str
    measure: Measure | None
    median: float | None

    @property
    def index(self) -> float | None:
        """The store's value over the median store's; ``None`` without data."""
        if self.measure is None or self.median is None:
            return None
        if self.median:
            return min(self.measure.value / self.median, CAP)
        return 1.0 if not self.measure.value else CAP

    @property
    def raises_risk(self) -> bool:
        """Whether the store stands notably worse than the median store on this signal."""
        return self.index is not None and self.index >= NOTABLE

    @property
    def in_favour(self) -> bool:
        """Whether the store stands at or better than the median store on this signal."""
        return self.index is not None and self.index <= 1.0

    @property
    def text(self) -> str:
        """The store's figure beside the median store's, or what is missing."""
        if self.measure is None or self.median is None:
            return MISSING[self.name]
        return f"{self.measure.text} (median store {MEDIAN_FIGURES[self.name](self.median)})"


@dataclass
class StoreScore:
    """A store's risk score, its rank among the scored stores, and the signals behind it;
    ``score`` and ``rank`` are ``None`` for a store with no data at all."""

    store: Store
    score: float | None = None
    rank: int | None = None
    signals: list[Signal] = field(default_factory=list)

    @property
    def has_data(self) -> bool:
        return self.score is not None

    @property
    def reasons(self) -> list[str]:
        """What raises the store's risk: the signals at least 10 % worse than the median
        store, the one adding most to the score first."""
        raising = [s for s in self.signals if s.raises_risk]
        raising.sort(key=lambda s: -WEIGHTS[s.name] * ((s.index or 0.0) - 1.0))
        return [s.text for s in raising]

    @property
    def in_favour(self) -> list[str]:
        """The signals at or better than the median store: what lowers the store's risk."""
        return [s.text for s in self.signals if s.in_favour]

    @property
    def in_line(self) -> list[str]:
        """The signals a little worse than the median store, too little to be a reason."""
        return [s.text for s in self.signals if s.index is not None and 1.0 < s.index < NOTABLE]

    @property
    def no_data(self) -> list[str]:
        """The signals the store has no data for, left out of its score."""
        return [s.text for s in self.signals if s.index is None]


def ranking(user: Any, today: dt.date | None = None) -> list[StoreScore]:
    """Every store the user may see: the scored ones riskiest first, ranked 1, 2, 3 ...
    without gaps; then the stores with no data, unranked."""
    today = today or timezone.localdate()
    stores = list(Store.objects.filter(is_active=True).order_by("code"))
    values = {
        "shrink": _shrink(stores),
        "pos": _pos(),
        "incidents": _incidents(today),
        "audits": _audits(today),
        "training": _training(today),
    }
    scores = {store.pk: StoreScore(store) for store in stores}
    for name, per_store in values.items():
        measured = [per_store[s.pk].value for s in stores if s.pk in per_store]
        middle = median(measured) if measured else None
        for store in stores:
            scores[store.pk].signals.append(Signal(name, per_store.get(store.pk), middle))
    available = sum(WEIGHTS[name] for name, per_store in values.items() if per_store)
    for result in scores.values():
        result.score = _score(result.signals, available)
    visible = set(Store.objects.visible_to(user).values_list("pk", flat=True))
    shown = [s for s in scores.values() if s.store.pk in visible]
    scored = sorted((s for s in shown if s.has_data), key=lambda s: (-(s.score or 0), s.store.code))
    for rank, result in enumerate(scored, start=1):
        result.rank = rank
    return scored + [s for s in shown if not s.has_data]


def _score(signals: list[Signal], available: float) -> float | None:
    """The weighted mean of the indexes the store has, on 0-100; ``None`` when they carry
    less than ``MIN_COVERAGE`` of the ``available`` weight (too little data to judge)."""
    known = [(WEIGHTS[s.name], s.index) for s in signals if s.index is not None]
    weight = sum(w for w, _ in known)
    if not weight or weight < MIN_COVERAGE * available - 1e-9:
        return None
    return round(100 * sum(w * index / CAP for w, index in known) / weight, 1)


def _shrink(stores: list[Store]) -> Values:
    """Each store's shrink rate in the newest analysis, from the shrink page's own figures."""
    analysis = ShrinkAnalysis.objects.first()
    if analysis is None:
        return {}
    counted = figures.by_store(
        CountLine.objects.filter(analysis=analysis),
        DepartmentSales.objects.filter(analysis=analysis),
    )
    codes = {store.code: store.pk for store in stores}
    return {
        codes[row.key]: Measure(
            row.rate_on_book, f"shrink {row.rate_on_book * 100:.1f} % of counted book value"
        )
        for row in counted
        if row.book_cost and row.key in codes
    }


def _pos() -> Values:
    rows = StoreRisk.objects.filter(scan__status=ScanStatus.DONE).order_by(
        "store_id", "-scan__finished_at"
    )
    found: Values = {}
    for row in rows:
        if row.store_id not in found:
            found[row.store_id] = Measure(
                row.risk_score, f"POS exception risk {row.risk_score:.1f}"
            )
    return found


def _incidents(today: dt.date) -> Values:
    """Theft incidents in the window, at each store that records incidents in Vigil (a
    store that never recorded one has no data, not a clean record)."""
    since = today - dt.timedelta(days=WINDOW_DAYS)
    recent_theft = Q(kind__in=figures.THEFT, occurred_at__date__gt=since)
    rows = Incident.objects.values_list("store_id").annotate(n=Count("pk", filter=recent_theft))
    found: Values = {}
    for store_id, n in rows.order_by():
        found[store_id] = Measure(
            float(n), f"{n:,} theft incident{'s' if n != 1 else ''} in 90 days"
        )
    return found


def _audits(today: dt.date) -> Values:
    """Points lost on the window's floor walks: a poor walk is a high value, a good one low."""
    since = today - dt.timedelta(days=WINDOW_DAYS)
    rows = (
        FloorWalk.objects.filter(
            status=WalkStatus.COMPLETED, completed_at__date__gt=since, score__isnull=False
        )
        .values("store_id")
        .annotate(score=Avg("score"), walks=Count("pk"))
    )
    found: Values = {}
    for r in rows:
        average = float(r["score"])
        walks = f"{r['walks']:,} walk{'s' if r['walks'] != 1 else ''}"
        found[r["store_id"]] = Measure(
            100 - average, f"floor walks averaged {average:.1f} % over {walks}"
        )
    return found


def _training(today: dt.date) -> Values:
    """The share of assignments not done, from the training page's own completion."""
    found: Values = {}
    done = courses.completion_by_store(Assignment.objects.all(), as_at=today)
    for store_id, completion in done.items():
        if completion.rate is None:
            continue
        open_ = completion.assigned - completion.completed
        found[store_id] = Measure(
            1 - completion.rate,
            f"training {completion.rate * 100:.0f} % complete, "
            f"{open_:,} of {completion.assigned:,} not done",
        )
    return found
