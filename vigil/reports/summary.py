"""The executive summary of one month, for the stores a user may see, on one page.

Every figure is the month's and comes from the one place its own page reads it from, so the
summary, its PDF, the monthly e-mail, the pages and the API agree:

- shrink: what the counts of the month found (``vigil.shrink.periods``), as the shrink
  page and its API show it with ``?month=``; the trend runs over all the count months;
- incidents: those that occurred in the month (``vigil.cases.search.incidents``, the
  incident list's and its API's ``since``/``until``), by type and what they lost;
- training: completion as at the month's last day (today for the month under way), counted
  by ``vigil.training.courses.completion`` as the training page counts it;
- cases closed and what they recovered, floor-walk compliance; plus the riskiest stores.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.safestring import SafeString

from vigil.audits.models import ActionStatus, CorrectiveAction, FloorWalk, WalkStatus
from vigil.cases import civil, search
from vigil.cases.models import Case, CaseStatus, Incident, IncidentType
from vigil.core import charts
from vigil.core.charts import Key, Point, Reference, Tone
from vigil.core.models import Store
from vigil.reports import charting, risk
from vigil.shrink import figures, periods
from vigil.shrink.figures import cents
from vigil.shrink.models import Hotspot, ShrinkAnalysis
from vigil.training import courses
from vigil.training.models import Assignment

TOP = 5


@dataclass(frozen=True)
class Month:
    first: dt.date

    @classmethod
    def parse(cls, text: str | None, today: dt.date | None = None) -> Month:
        """``YYYY-MM``, or the last full month when not given; a bad one is a ValueError."""
        if text:
            year, month = (int(part) for part in text.split("-"))
            return cls(dt.date(year, month, 1))
        today = today or timezone.localdate()
        last = today.replace(day=1) - dt.timedelta(days=1)
        return cls(last.replace(day=1))

    @property
    def last(self) -> dt.date:
        days = calendar.monthrange(self.first.year, self.first.month)[1]
        return self.first.replace(day=days)

    @property
    def label(self) -> str:
        return f"{self.first:%B %Y}"

    @property
    def key(self) -> str:
        return f"{self.first:%Y-%m}"


@dataclass
class Summary:
    month: Month
    analysis: ShrinkAnalysis | None
    shrink: figures.Figures | None
    split: figures.KnownUnknown | None
    trend: list[figures.Figures]
    top_stores: list[figures.Figures]
    top_departments: list[figures.Figures]
    hotspots: list[Hotspot]
    incidents: int
    incidents_by_type: list[tuple[str, int]]
    incident_loss: Decimal
    cases_closed: int
    recovered: Decimal
    civil: civil.Totals  # civil demands made in the month, with what was paid on them
    walks: int
    walk_average: float | None
    walks_passed: int
    actions_open: int
    actions_overdue: int
    training: courses.Completion
    risky_stores: list[risk.StoreScore]
    chain_rate: float | None  # the whole chain's rate for the month: a store's yardstick
    charts: dict[str, SafeString]

    @property
    def pass_rate(self) -> float | None:
        return self.walks_passed / self.walks if self.walks else None

    @property
    def training_as_at(self) -> dt.date:
        return self.training.as_at or self.month.last


def as_at(month: Month, today: dt.date) -> dt.date:
    """The day a month's standing figures (training) are read at: its last, or today for
    the month under way."""
    return min(month.last, today)


def incidents_of(user: Any, month: Month) -> QuerySet[Incident]:
    """The incidents that occurred in ``month`` at the stores ``user`` may see, cut as the
    incident list and its API cut them with ``since`` and ``until``."""
    return search.incidents(Incident.objects.visible_to(user), since=month.first, until=month.last)


def build(user: Any, month: Month, today: dt.date | None = None) -> Summary:
    """The month's summary as ``user`` may see it."""
    today = today or timezone.localdate()
    shrunk = periods.of_period(user, month.first, month.last)
    analysis = shrunk.analysis
    hotspots: list[Hotspot] = []
    if analysis is not None:
        hotspots = list(
            Hotspot.objects.visible_to(user).filter(analysis=analysis).select_related("store")[:TOP]
        )
    incidents = incidents_of(user, month)
    by_type = dict(incidents.values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    labels = dict(IncidentType.choices)
    losses = incidents.aggregate(v=Sum("merchandise_value"), r=Sum("recovered_value"))
    closed = Case.objects.visible_to(user).filter(
        status=CaseStatus.CLOSED, closed_at__date__range=(month.first, month.last)
    )
    walks = FloorWalk.objects.visible_to(user).filter(
        status=WalkStatus.COMPLETED, completed_at__date__range=(month.first, month.last)
    )
    walked = walks.aggregate(n=Count("pk"), avg=Avg("score"), passed=Count("pk", Q(passed=True)))
    actions = CorrectiveAction.objects.visible_to(user).exclude(status=ActionStatus.VERIFIED)
    ordered_types = sorted(by_type.items(), key=lambda kv: (-kv[1], kv[0]))
    summary = Summary(
        month=month,
        analysis=analysis,
        shrink=shrunk.total,
        split=shrunk.split,
        trend=shrunk.trend,
        top_stores=sorted(shrunk.stores, key=lambda f: -f.rate_on_book)[:TOP],
        top_departments=shrunk.departments[:TOP],
        hotspots=hotspots,
        incidents=sum(by_type.values()),
        incidents_by_type=[(labels.get(kind, kind), n) for kind, n in ordered_types],
        incident_loss=cents(losses["v"]) - cents(losses["r"]),
        cases_closed=closed.count(),
        recovered=cents(closed.aggregate(s=Sum("recovered_amount"))["s"]) + cents(losses["r"]),
        civil=civil.totals(Store.objects.visible_to(user), (month.first, month.last)),
        walks=walked["n"],
        walk_average=float(walked["avg"]) if walked["avg"] is not None else None,
        walks_passed=walked["passed"],
        actions_open=actions.count(),
        actions_overdue=actions.filter(due_on__lt=today).count(),
        training=courses.completion(Assignment.objects.visible_to(user), as_at(month, today)),
        chain_rate=shrunk.chain_rate,
        # A store no signal has data for has no score yet: not listed as the safest.
        risky_stores=[r for r in risk.ranking(user, today) if charting.has_data(r)][:TOP],
        charts={},
    )
    summary.charts = _charts(summary)
    return summary


def _charts(summary: Summary) -> dict[str, SafeString]:
    """The summary's figures as charts, coloured by what they mean: a store above the
    chain's rate in red, incidents by group (theft, fraud, safety)."""
    chain = summary.chain_rate
    overall = figures.chain_rate_on_book(summary.analysis) if summary.analysis else None
    kinds = {str(label): str(kind) for kind, label in IncidentType.choices}
    colours = {name: tone for name, tone, _ in charting.GROUPS} | {
        charting.OTHER[0]: charting.OTHER[1]
    }
    incident_groups = [name for name, _, _ in charting.GROUPS] + [charting.OTHER[0]]
    shown = {charting.group_of(kinds.get(label, "")) for label, _ in summary.incidents_by_type}
    return {
        "trend": charts.line(
            "Shrink at cost over counted book value, by count month",
            [Point(p.label, p.rate_on_book) for p in summary.trend],
            charts.share("% of counted book value", digits=2),
            reference=Reference(overall, "Whole chain, all months")
            if overall is not None
            else None,
        ),
        "stores": charts.bars(
            f"Stores with the highest shrink rate, {summary.month.label}",
            [
                Point(
                    s.label,
                    s.rate_on_book,
                    Tone.BAD if chain and s.rate_on_book > chain else Tone.NEUTRAL,
                )
                for s in summary.top_stores
            ],
            charts.share("% of counted book value", digits=2),
            reference=Reference(chain, "Chain") if chain is not None else None,
            legend=[Key(Tone.BAD, "Above the chain"), Key(Tone.NEUTRAL, "At or below")],
        ),
        "departments": charts.bars(
            f"Departments losing the most at cost, {summary.month.label}",
            [
                Point(d.label, float(d.shrink_cost), note=f"{d.rate_on_book * 100:.1f} % of book")
                for d in summary.top_departments
            ],
            charts.money(),
        ),
        "incidents": charts.bars(
            f"Incidents by type, {summary.month.label}",
            [
                Point(label, n, colours[charting.group_of(kinds.get(label, ""))])
                for label, n in summary.incidents_by_type
            ],
            charts.count("incidents"),
            legend=[Key(colours[name], name) for name in incident_groups if name in shown],
        ),
    }
