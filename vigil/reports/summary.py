"""The executive summary of one month, for the stores a user may see, on one page.

Shrink comes from the latest analysis of counts (its trend runs over all its count months);
everything else is the month's: incidents by type and what they lost, cases closed and what
they recovered, floor-walk compliance, training completion; plus the riskiest stores.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Q, Sum
from django.utils import timezone
from django.utils.safestring import SafeString

from vigil.audits.models import ActionStatus, CorrectiveAction, FloorWalk, WalkStatus
from vigil.cases.models import Case, CaseStatus, Incident, IncidentType
from vigil.core import charts
from vigil.core.charts import Key, Point, Reference, Tone
from vigil.reports import charting, risk
from vigil.shrink import analyses, figures
from vigil.shrink.figures import cents
from vigil.shrink.models import Hotspot, ShrinkAnalysis
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
    walks: int
    walk_average: float | None
    walks_passed: int
    actions_open: int
    actions_overdue: int
    training_due: int
    training_done: int
    risky_stores: list[risk.StoreScore]
    charts: dict[str, SafeString]

    @property
    def pass_rate(self) -> float | None:
        return self.walks_passed / self.walks if self.walks else None

    @property
    def training_rate(self) -> float | None:
        return self.training_done / self.training_due if self.training_due else None


def build(user: Any, month: Month, today: dt.date | None = None) -> Summary:
    """The month's summary as ``user`` may see it."""
    today = today or timezone.localdate()
    analysis = analyses.latest(user)
    shrink = split = None
    trend: list[figures.Figures] = []
    stores: list[figures.Figures] = []
    departments: list[figures.Figures] = []
    hotspots: list[Hotspot] = []
    if analysis is not None:
        lines, sales = figures.lines_of(analysis, user), figures.sales_of(analysis, user)
        shrink, split = figures.total(lines, sales), figures.known_unknown(analysis, lines)
        trend = figures.by_period(lines)
        stores = sorted(figures.by_store(lines, sales), key=lambda f: -f.rate_on_book)[:TOP]
        departments = figures.by_department(analysis, lines, sales)[:TOP]
        hotspots = list(
            Hotspot.objects.visible_to(user).filter(analysis=analysis).select_related("store")[:TOP]
        )
    in_month = {"occurred_at__date__range": (month.first, month.last)}
    incidents = Incident.objects.visible_to(user).filter(**in_month)
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
    training = Assignment.objects.visible_to(user).filter(due_on__lte=month.last)
    trained = training.aggregate(
        due=Count("pk"), done=Count("pk", Q(completed_at__date__lte=month.last))
    )
    ordered_types = sorted(by_type.items(), key=lambda kv: (-kv[1], kv[0]))
    summary = Summary(
        month=month,
        analysis=analysis,
        shrink=shrink,
        split=split,
        trend=trend,
        top_stores=stores,
        top_departments=departments,
        hotspots=hotspots,
        incidents=sum(by_type.values()),
        incidents_by_type=[(labels.get(kind, kind), n) for kind, n in ordered_types],
        incident_loss=cents(losses["v"]) - cents(losses["r"]),
        cases_closed=closed.count(),
        recovered=cents(closed.aggregate(s=Sum("recovered_amount"))["s"]) + cents(losses["r"]),
        walks=walked["n"],
        walk_average=float(walked["avg"]) if walked["avg"] is not None else None,
        walks_passed=walked["passed"],
        actions_open=actions.count(),
        actions_overdue=actions.filter(due_on__lt=today).count(),
        training_due=trained["due"],
        training_done=trained["done"],
        # A store no signal has data for has no score yet: not listed as the safest.
        risky_stores=[r for r in risk.ranking(user, today) if charting.has_data(r)][:TOP],
        charts={},
    )
    summary.charts = _charts(summary)
    return summary


def _charts(summary: Summary) -> dict[str, SafeString]:
    """The summary's figures as charts, coloured by what they mean: a store above the
    chain's rate in red, incidents by group (theft, fraud, safety)."""
    chain = figures.chain_rate_on_book(summary.analysis) if summary.analysis else None
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
            reference=Reference(chain, "Whole chain, all months") if chain is not None else None,
        ),
        "stores": charts.bars(
            "Stores with the highest shrink rate",
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
            "Departments losing the most at cost",
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
