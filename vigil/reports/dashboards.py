"""The dashboard each role opens first, built from the other apps' figures.

| role | sections |
| --- | --- |
| LP officer | the shift: alerts to handle, floor walks due, open incidents |
| store manager | the shift, and the store's own figures against the chain |
| LP manager | the queue (what waits for a decision), the trends, the employees to look at |
| regional director | the stores side by side, the trends |
| executive | the month on one page |
| auditor | the stores side by side |
| administrator | the queue, the stores side by side, the trends |

Individual employees' POS risk appears only for roles that investigate (``may_see_rankings``):
a store manager sees their store's figures, not a ranking of their own staff or supervisors
(issue 16). Every figure is counted in a fixed number of queries however many stores,
people or records there are; the page's budget test holds it to that.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet
from django.db.models.functions import TruncWeek
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString

from vigil.audits.models import ActionStatus, CorrectiveAction, FloorWalk, Schedule, WalkStatus
from vigil.audits.walks import DueState, due_states
from vigil.cases.models import Case, CaseStatus, Incident, IncidentStatus
from vigil.core import charts
from vigil.core.charts import Key, Point, Reference, Series, Tone
from vigil.core.models import EmployeeRole, Role, Store, User
from vigil.core.roles import Capability, can
from vigil.pos.models import EmployeeRisk, PosException, Scan, ScanStatus
from vigil.reports import risk
from vigil.reports.charting import GROUPS, OTHER, group_of, has_data, risk_bars, score_tone
from vigil.reports.summary import Month, Summary
from vigil.reports.summary import build as build_summary
from vigil.safety.models import Emergency
from vigil.shrink import analyses, figures
from vigil.shrink import charting as shrink_charting
from vigil.shrink.models import Recommendation, RecommendationStatus, ShrinkAnalysis
from vigil.training.courses import Completion, completion, completion_by_store
from vigil.training.courses import overdue as overdue_training
from vigil.training.models import Assignment
from vigil.video.models import Alert, AlertStatus, Priority

SECTIONS: dict[str, tuple[str, ...]] = {
    Role.LP_OFFICER: ("shift",),
    Role.STORE_MANAGER: ("shift", "store"),
    Role.LP_MANAGER: ("queue", "trends", "people"),
    Role.REGIONAL_DIRECTOR: ("stores", "trends"),
    Role.EXECUTIVE: ("one_page",),
    Role.AUDITOR: ("stores",),
    Role.ADMIN: ("queue", "stores", "trends"),
}
WEEKS = 12
WINDOW_DAYS = risk.WINDOW_DAYS
LISTED = 6
WALK_PASS = 80.0
TRAINING_TARGET = 0.9


def may_see_rankings(user: Any) -> bool:
    """Whether ``user`` may see individual employees' POS risk: those who investigate."""
    return can(user, Capability.INVESTIGATE)


@dataclass(frozen=True)
class Kpi:
    """A key figure: the number large (already written with thousands separators), the
    label small, a note under it, a tone for colour, and where to go to act on it."""

    label: str
    value: str
    note: str = ""
    tone: str = Tone.NEUTRAL
    href: str = ""


def _whole(number: int) -> str:
    return f"{number:,}"


def _scoped(found: QuerySet[Any], store: Store | None, path: str = "store") -> QuerySet[Any]:
    return found.filter(**{path: store}) if store is not None else found


# --- the LP officer's shift ----------------------------------------------------------------


@dataclass
class Shift:
    kpis: list[Kpi]
    alerts: list[Alert]
    walks: list[DueState]
    incidents: list[Incident]
    may_record: bool
    place: Store | None  # the one store the shift is at, when it is at one


def shift(user: User, store: Store | None, now: dt.datetime | None = None) -> Shift:
    """What an officer on the floor works through: new alerts (most urgent first), floor
    walks due or overdue, incidents still open, and any emergency under way."""
    now = now or timezone.now()
    alerts = _scoped(Alert.objects.visible_to(user), store).filter(status=AlertStatus.NEW)
    counted = alerts.aggregate(n=Count("pk"), urgent=Count("pk", Q(priority=Priority.HIGH)))
    schedules = _scoped(Schedule.objects.visible_to(user), store)
    due = [state for state in due_states(schedules, now) if state.state != "ok"]
    overdue = sum(1 for state in due if state.state == "overdue")
    incidents = _scoped(Incident.objects.visible_to(user), store).exclude(
        status=IncidentStatus.CLOSED
    )
    open_incidents = incidents.count()
    emergencies = (
        _scoped(Emergency.objects.visible_to(user), store).filter(ended_at__isnull=True).count()
    )
    kpis = [
        Kpi(
            "Alerts to handle",
            _whole(counted["n"]),
            f"{counted['urgent']:,} high priority" if counted["urgent"] else "none high priority",
            Tone.BAD if counted["urgent"] else (Tone.WARN if counted["n"] else Tone.GOOD),
            reverse("video:alerts"),
        ),
        Kpi(
            "Floor walks due",
            _whole(len(due)),
            f"{overdue:,} overdue" if overdue else "none overdue",
            Tone.BAD if overdue else (Tone.WARN if due else Tone.GOOD),
            reverse("audits:audit-list"),
        ),
        Kpi(
            "Open incidents",
            _whole(open_incidents),
            "open or under review",
            Tone.WARN if open_incidents else Tone.GOOD,
            reverse("cases:incident-list"),
        ),
        Kpi(
            "Emergencies under way",
            _whole(emergencies),
            "follow the playbook" if emergencies else "none",
            Tone.BAD if emergencies else Tone.GOOD,
            reverse("safety:overview"),
        ),
    ]
    return Shift(
        kpis=kpis,
        alerts=list(
            alerts.select_related("store", "camera").order_by("-priority", "-started_at")[:LISTED]
        ),
        walks=due[:LISTED],
        incidents=list(incidents.select_related("store").order_by("-occurred_at")[:LISTED]),
        may_record=can(user, Capability.RECORD),
        place=store or _only_store(user),
    )


def _only_store(user: User) -> Store | None:
    found = list(Store.objects.visible_to(user).order_by("code")[:2])
    return found[0] if len(found) == 1 else None


# --- the manager's queue -------------------------------------------------------------------


def queue(user: User, store: Store | None, today: dt.date | None = None) -> list[Kpi]:
    """What waits for an LP manager's decision, each figure one click from its list."""
    today = today or timezone.localdate()
    leads = _scoped(PosException.objects.visible_to(user).to_review(), store).count()
    alerts = _scoped(Alert.objects.visible_to(user), store).filter(status=AlertStatus.NEW)
    alert_counts = alerts.aggregate(n=Count("pk"), urgent=Count("pk", Q(priority=Priority.HIGH)))
    cases = (
        _scoped(Case.objects.visible_to(user), store)
        .exclude(status=CaseStatus.CLOSED)
        .aggregate(n=Count("pk"), held=Count("pk", Q(status=CaseStatus.ON_HOLD)))
    )
    actions = (
        _scoped(CorrectiveAction.objects.visible_to(user), store)
        .exclude(status=ActionStatus.VERIFIED)
        .aggregate(n=Count("pk"), late=Count("pk", Q(due_on__lt=today)))
    )
    training = overdue_training(_scoped(Assignment.objects.visible_to(user), store)).count()
    proposed = (
        _scoped(Recommendation.objects.visible_to(user), store)
        .filter(status=RecommendationStatus.PROPOSED)
        .count()
    )
    return [
        Kpi(
            "POS exceptions to review",
            _whole(leads),
            "raised and not reviewed",
            Tone.WARN if leads else Tone.GOOD,
            reverse("pos:exception-list"),
        ),
        Kpi(
            "Alerts not handled",
            _whole(alert_counts["n"]),
            f"{alert_counts['urgent']:,} high priority"
            if alert_counts["urgent"]
            else "none high priority",
            Tone.BAD if alert_counts["urgent"] else (Tone.WARN if alert_counts["n"] else Tone.GOOD),
            reverse("video:alerts"),
        ),
        Kpi(
            "Open cases",
            _whole(cases["n"]),
            f"{cases['held']:,} on hold" if cases["held"] else "none on hold",
            Tone.NEUTRAL,
            reverse("cases:case-list"),
        ),
        Kpi(
            "Corrective actions overdue",
            _whole(actions["late"]),
            f"of {actions['n']:,} open",
            Tone.BAD if actions["late"] else Tone.GOOD,
            reverse("audits:action-list"),
        ),
        Kpi(
            "Training overdue",
            _whole(training),
            "assignments past their due date",
            Tone.WARN if training else Tone.GOOD,
            reverse("training:overview"),
        ),
        Kpi(
            "Recommendations to decide",
            _whole(proposed),
            "from shrink hot spots",
            Tone.WARN if proposed else Tone.GOOD,
            reverse("shrink:recommendations"),
        ),
    ]


# --- trends --------------------------------------------------------------------------------


def _week_starts(today: dt.date, weeks: int = WEEKS) -> list[dt.date]:
    monday = today - dt.timedelta(days=today.weekday())
    return [monday - dt.timedelta(weeks=back) for back in range(weeks - 1, -1, -1)]


def _day(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _start_of(day: dt.date) -> dt.datetime:
    """Midnight at the start of ``day`` in the current zone: ``occurred_at >= this`` is the
    same filter as ``occurred_at__date >= day``, and it can use the index on the time,
    where the date of each row computed in SQL cannot (300,000 incidents: 300 ms)."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def incidents_by_week(user: User, store: Store | None, today: dt.date) -> SafeString:
    """Incidents per week over the last twelve, stacked by group (theft, fraud, safety)."""
    weeks = _week_starts(today)
    rows = (
        _scoped(Incident.objects.visible_to(user), store)
        .filter(occurred_at__gte=_start_of(weeks[0]))
        .annotate(week=TruncWeek("occurred_at"))
        .values_list("week", "kind")
        .annotate(n=Count("pk"))
    )
    tally: dict[tuple[dt.date, str], int] = {}
    for week, kind, n in rows:
        key = (_day(week), group_of(kind))
        tally[key] = tally.get(key, 0) + n
    labels = [f"{week:%-d %b}" for week in weeks]
    series = [
        Series(
            name,
            [
                Point(label, tally.get((week, name), 0))
                for week, label in zip(weeks, labels, strict=True)
            ],
            tone,
        )
        for name, tone in [*((name, tone) for name, tone, _ in GROUPS), OTHER]
    ]
    return charts.columns(
        "Incidents per week",
        labels,
        [s for s in series if any(p.value for p in s.points)] or series[:1],
        charts.count("incidents, by week"),
        hover_labels=[f"Week of {week:%Y-%m-%d}" for week in weeks],
    )


def leads_by_week(user: User, store: Store | None, today: dt.date) -> SafeString:
    """POS exceptions raised per business week over the last twelve, and how many of them
    are still waiting for a review."""
    weeks = _week_starts(today)
    rows = (
        _scoped(PosException.objects.visible_to(user).raised(), store)
        .filter(business_date__gte=weeks[0], business_date__lte=today)
        .annotate(week=TruncWeek("business_date"))
        .values_list("week")
        .annotate(n=Count("pk"), waiting=Count("pk", Q(status="new")))
    )
    found = {_day(week): (n, waiting) for week, n, waiting in rows}
    labels = [f"{week:%-d %b}" for week in weeks]
    reviewed = [
        Point(label, found.get(w, (0, 0))[0] - found.get(w, (0, 0))[1])
        for w, label in zip(weeks, labels, strict=True)
    ]
    waiting = [
        Point(label, found.get(w, (0, 0))[1]) for w, label in zip(weeks, labels, strict=True)
    ]
    return charts.columns(
        "POS exceptions by business week",
        labels,
        [
            Series("Reviewed", reviewed, Tone.COLOURS[Tone.GOOD]),
            Series("Waiting for review", waiting, Tone.COLOURS[Tone.WARN]),
        ],
        charts.count("exceptions, by business week"),
        hover_labels=[f"Week of {week:%Y-%m-%d}" for week in weeks],
    )


def shrink_trend(user: User, store: Store | None, analysis: ShrinkAnalysis | None) -> SafeString:
    """The stores in view's shrink trend, against the whole chain's."""
    lines = _scoped(figures.lines_of(analysis, user), store) if analysis is not None else None
    place = store or _only_store(user)
    seen_as = "Stores in view" if place is None else f"{place.code} {place.name}"
    return shrink_charting.trend(analysis, lines, seen_as)


@dataclass
class Trends:
    charts: list[SafeString]


def trends(user: User, store: Store | None, today: dt.date) -> Trends:
    analysis = analyses.latest(user)
    return Trends(
        [
            incidents_by_week(user, store, today),
            leads_by_week(user, store, today),
            shrink_trend(user, store, analysis),
        ]
    )


# --- the store's own figures (a store manager) ------------------------------------------------


@dataclass
class StoreFigures:
    kpis: list[Kpi]
    charts: list[SafeString]


def store_figures(user: User, store: Store | None, today: dt.date) -> StoreFigures:
    """The stores in view against the chain: shrink, floor walks, training and corrective
    actions as key figures, and the shrink and incident trends."""
    analysis = analyses.latest(user)
    since = today - dt.timedelta(days=WINDOW_DAYS)
    kpis: list[Kpi] = []
    if analysis is not None:
        lines = _scoped(figures.lines_of(analysis, user), store)
        mine = figures.total(lines, _scoped(figures.sales_of(analysis, user), store))
        chain = figures.chain_rate_on_book(analysis)
        kpis.append(
            Kpi(
                "Shrink, latest counts",
                f"{mine.rate_on_book * 100:.2f} %",
                f"of counted book value; chain {chain * 100:.2f} %",
                Tone.BAD if mine.rate_on_book > chain else Tone.GOOD,
                reverse("shrink:overview"),
            )
        )
    walked = (
        _scoped(FloorWalk.objects.visible_to(user), store)
        .filter(status=WalkStatus.COMPLETED, completed_at__date__gt=since)
        .aggregate(avg=Avg("score"), n=Count("pk"))
    )
    average = float(walked["avg"]) if walked["avg"] is not None else None
    kpis.append(
        Kpi(
            "Floor-walk score, 90 days",
            "—" if average is None else f"{average:.0f} %",
            f"average of {walked['n']:,} walks" if walked["n"] else "no walks completed",
            Tone.MUTED if average is None else (Tone.GOOD if average >= WALK_PASS else Tone.BAD),
            reverse("audits:audit-list"),
        )
    )
    kpis.append(_training_kpi(completion(_scoped(Assignment.objects.visible_to(user), store))))
    actions = (
        _scoped(CorrectiveAction.objects.visible_to(user), store)
        .exclude(status=ActionStatus.VERIFIED)
        .aggregate(n=Count("pk"), late=Count("pk", Q(due_on__lt=today)))
    )
    kpis.append(
        Kpi(
            "Corrective actions open",
            _whole(actions["n"]),
            f"{actions['late']:,} overdue" if actions["late"] else "none overdue",
            Tone.BAD if actions["late"] else Tone.GOOD,
            reverse("audits:action-list"),
        )
    )
    return StoreFigures(
        kpis, [shrink_trend(user, store, analysis), incidents_by_week(user, store, today)]
    )


# --- stores side by side (a regional director) ---------------------------------------------


@dataclass
class StoreRow:
    """One store's figures beside the others'; ``None`` is "no data", never zero."""

    store: Store
    score: float | None = None
    reason: str = ""
    shrink_rate: float | None = None
    theft_incidents: int = 0
    walk_score: float | None = None
    walks: int = 0
    training: float | None = None
    open_cases: int = 0
    alerts: int = 0
    tones: dict[str, str] = field(default_factory=dict)


@dataclass
class SideBySide:
    rows: list[StoreRow]
    chain_rate: float | None
    charts: list[SafeString]


def side_by_side(user: User, store: Store | None, today: dt.date) -> SideBySide:
    """Every store in view on one row each, riskiest first: its risk score and main reason,
    shrink against the chain, theft, floor walks, training, open cases and alerts."""
    stores = _scoped(Store.objects.visible_to(user).filter(is_active=True), store, "pk")
    rows = {s.pk: StoreRow(s) for s in stores.select_related("region").order_by("code")}
    for ranked in risk.ranking(user, today):
        if ranked.store.pk in rows and has_data(ranked):
            rows[ranked.store.pk].score = ranked.score
            rows[ranked.store.pk].reason = ranked.reasons[0] if ranked.reasons else ""
    ids = list(rows)
    since = today - dt.timedelta(days=WINDOW_DAYS)
    analysis = analyses.latest(user)
    chain_rate = figures.chain_rate_on_book(analysis) if analysis is not None else None
    if analysis is not None:
        by_code = {r.store.code: r for r in rows.values()}
        for counted in figures.by_store(
            figures.lines_of(analysis, user).filter(store_id__in=ids),
            figures.sales_of(analysis, user).filter(store_id__in=ids),
        ):
            if counted.key in by_code:
                by_code[counted.key].shrink_rate = counted.rate_on_book
    _count_into(
        rows,
        "theft_incidents",
        Incident.objects.filter(
            store_id__in=ids,
            kind__in=figures.THEFT,
            occurred_at__gte=_start_of(since + dt.timedelta(days=1)),
        ),
    )
    _count_into(
        rows, "open_cases", Case.objects.filter(store_id__in=ids).exclude(status=CaseStatus.CLOSED)
    )
    _count_into(rows, "alerts", Alert.objects.filter(store_id__in=ids, status=AlertStatus.NEW))
    walked = (
        FloorWalk.objects.filter(
            store_id__in=ids, status=WalkStatus.COMPLETED, completed_at__date__gt=since
        )
        .values_list("store_id")
        .annotate(avg=Avg("score"), n=Count("pk"))
    )
    for store_id, average, walks in walked:
        rows[store_id].walk_score = float(average) if average is not None else None
        rows[store_id].walks = walks
    for store_id, done in completion_by_store(Assignment.objects.filter(store_id__in=ids)).items():
        rows[store_id].training = done.rate
    ordered = sorted(rows.values(), key=lambda r: (-(r.score or 0), r.store.code))
    for row in ordered:
        row.tones = _tones(row, chain_rate)
    return SideBySide(ordered, chain_rate, _side_charts(ordered, chain_rate))


def _count_into(rows: dict[int, StoreRow], name: str, found: QuerySet[Any]) -> None:
    for store_id, n in found.values_list("store_id").annotate(n=Count("pk")):
        setattr(rows[store_id], name, n)


def _tones(row: StoreRow, chain_rate: float | None) -> dict[str, str]:
    def judged(bad: bool | None) -> str:
        return Tone.MUTED if bad is None else (Tone.BAD if bad else Tone.GOOD)

    return {
        "score": score_tone(row.score),
        "shrink": judged(
            None if row.shrink_rate is None or chain_rate is None else row.shrink_rate > chain_rate
        ),
        "walks": judged(None if row.walk_score is None else row.walk_score < WALK_PASS),
        "training": judged(None if row.training is None else row.training < TRAINING_TARGET),
    }


def _side_charts(rows: Sequence[StoreRow], chain_rate: float | None) -> list[SafeString]:
    scored = [(r.store, r.score, r.reason) for r in rows if r.score is not None]
    shrunk = sorted(
        (r for r in rows if r.shrink_rate is not None), key=lambda r: -(r.shrink_rate or 0)
    )
    above = [
        Tone.BAD if chain_rate is not None and (r.shrink_rate or 0) > chain_rate else Tone.NEUTRAL
        for r in shrunk
    ]
    shrink_chart = charts.bars(
        "Shrink by store",
        [
            Point(f"{r.store.code} {r.store.name}", r.shrink_rate or 0, tone)
            for r, tone in zip(shrunk, above, strict=True)
        ],
        charts.share("% of counted book value, latest counts", digits=2),
        reference=Reference(chain_rate, "Chain") if chain_rate is not None else None,
        legend=[Key(Tone.BAD, "Above the chain"), Key(Tone.NEUTRAL, "At or below the chain")],
    )
    return [risk_bars("Store risk score", scored), shrink_chart]


# --- the executive's one page ----------------------------------------------------------------


@dataclass
class OnePage:
    summary: Summary
    kpis: list[Kpi]
    risky: list[risk.StoreScore]  # those with a score: no data is not a low risk


def one_page(user: User, today: dt.date) -> OnePage:
    """Last month's executive summary as key figures and its charts."""
    summary = build_summary(user, Month.parse(None, today), today)
    money = charts.installation_currency()
    kpis = []
    if summary.shrink is not None:
        kpis.append(
            Kpi(
                f"Shrink at cost, {summary.month.label}",
                charts.money_text(float(summary.shrink.shrink_cost), money),
                f"{summary.shrink.rate_on_book * 100:.2f} % of counted book value",
                Tone.NEUTRAL,
                reverse("shrink:overview") + f"?month={summary.month.key}",
            )
        )
    kpis += [
        Kpi(
            f"Incidents, {summary.month.label}",
            _whole(summary.incidents),
            f"{charts.money_text(float(summary.incident_loss), money)} lost net of recoveries",
            Tone.NEUTRAL,
            reverse("cases:incident-list"),
        ),
        Kpi(
            "Recovered",
            charts.money_text(float(summary.recovered), money),
            f"{summary.cases_closed:,} case{'s' if summary.cases_closed != 1 else ''} closed",
            Tone.GOOD if summary.recovered > Decimal(0) else Tone.NEUTRAL,
        ),
        Kpi(
            "Floor walks passed",
            _rate(summary.pass_rate),
            f"{summary.walks:,} walks completed" if summary.walks else "no walks completed",
            Tone.MUTED
            if summary.pass_rate is None
            else (Tone.GOOD if summary.pass_rate >= 0.9 else Tone.WARN),
            reverse("audits:audit-list"),
        ),
        _training_kpi(summary.training, dated=True),
        Kpi(
            "Corrective actions open",
            _whole(summary.actions_open),
            f"{summary.actions_overdue:,} overdue",
            Tone.BAD if summary.actions_overdue else Tone.GOOD,
            reverse("audits:action-list"),
        ),
    ]
    return OnePage(summary, kpis, [r for r in summary.risky_stores if has_data(r)])


def _training_kpi(trained: Completion, dated: bool = False) -> Kpi:
    """Training done out of assigned, counted as the training page counts it; ``dated``
    names the day it was read at (a past month's), and links to the page as at that day."""
    rate = trained.rate
    on = f"?as_at={trained.as_at:%Y-%m-%d}" if dated and trained.as_at else ""
    return Kpi(
        f"Training complete, as at {trained.as_at:%Y-%m-%d}" if on else "Training complete",
        _rate(rate),
        f"{trained.completed:,} of {trained.assigned:,} done, {trained.overdue:,} overdue"
        if trained.assigned
        else "nothing assigned",
        Tone.MUTED if rate is None else (Tone.GOOD if rate >= TRAINING_TARGET else Tone.WARN),
        reverse("training:overview") + on,
    )


def _rate(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f} %"


# --- employees to look at (investigators only) ------------------------------------------------


@dataclass(frozen=True)
class Employee:
    name: str
    role: str
    employee_id: str
    store: Store
    rank: int
    score: float
    reason: str


def people(user: User, store: Store | None) -> list[Employee]:
    """The employees the newest POS scan ranks riskiest, by name where Vigil knows the
    person; empty for a role that may not see individual rankings."""
    if not may_see_rankings(user):
        return []
    scan = (
        Scan.objects.visible_to(user).filter(status=ScanStatus.DONE).order_by("-started_at").first()
    )
    if scan is None:
        return []
    found = _scoped(EmployeeRisk.objects.visible_to(user).filter(scan=scan), store)
    return [
        Employee(
            name=risk_row.person.name if risk_row.person else f"Employee {risk_row.employee_id}",
            role=str(dict(EmployeeRole.choices).get(risk_row.role, risk_row.role)),
            employee_id=risk_row.employee_id,
            store=risk_row.store,
            rank=risk_row.rank,
            score=risk_row.risk_score,
            reason=str(risk_row.reasons[0]) if risk_row.reasons else "",
        )
        for risk_row in found.select_related("person", "store").order_by("rank")[:5]
    ]


# --- the whole dashboard ---------------------------------------------------------------------


@dataclass
class Dashboard:
    sections: tuple[str, ...]
    shift: Shift | None = None
    queue: list[Kpi] = field(default_factory=list)
    trends: Trends | None = None
    store: StoreFigures | None = None
    stores: SideBySide | None = None
    one_page: OnePage | None = None
    people: list[Employee] = field(default_factory=list)


def for_user(user: User, store: Store | None, today: dt.date | None = None) -> Dashboard:
    """The sections of ``user``'s role, for the switcher's ``store`` or all their stores."""
    today = today or timezone.localdate()
    sections = SECTIONS.get(user.role, ())
    board = Dashboard(sections)
    if "shift" in sections:
        board.shift = shift(user, store)
    if "queue" in sections:
        board.queue = queue(user, store, today)
    if "trends" in sections:
        board.trends = trends(user, store, today)
    if "store" in sections:
        board.store = store_figures(user, store, today)
    if "stores" in sections:
        board.stores = side_by_side(user, store, today)
    if "one_page" in sections:
        board.one_page = one_page(user, today)
    if "people" in sections:
        board.people = people(user, store)
    return board
