"""Shrink figures of one analysis for the stores a user may see: totals, by store, by
department, by count period, and known against unknown shrink.

Rates are shrink at cost over the counted book value at cost ("on book"), and, where the
data set had sales, shrink at retail over sales ("on sales", how retailers report shrink).
**Known shrink** is what incidents of theft recorded as lost at those stores in the counted
period (merchandise value less recoveries); the rest of the shrink at retail is **unknown**:
nobody saw it go.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncMonth

from vigil.cases.models import Incident, IncidentType
from vigil.shrink import departments
from vigil.shrink.models import CountLine, DepartmentSales, ShrinkAnalysis

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
THEFT = (
    IncidentType.SHOPLIFTING,
    IncidentType.ORGANISED_RETAIL_CRIME,
    IncidentType.INTERNAL_THEFT,
    IncidentType.BURGLARY,
    IncidentType.ROBBERY,
)


@dataclass(frozen=True)
class Figures:
    """Shrink of a group of count lines, and the sales of the same group when known."""

    label: str
    shrink_units: Decimal
    shrink_cost: Decimal
    shrink_retail: Decimal
    book_cost: Decimal
    sales: Decimal | None
    counts: int
    chain_rate: float | None = None
    key: str = ""  # the store's code or the department's code, where ``label`` is in words

    @property
    def rate_on_book(self) -> float:
        return float(self.shrink_cost / self.book_cost) if self.book_cost else 0.0

    @property
    def rate_on_sales(self) -> float | None:
        return float(self.shrink_retail / self.sales) if self.sales else None

    @property
    def times_chain(self) -> float | None:
        return self.rate_on_book / self.chain_rate if self.chain_rate else None


SUMS = {
    "units": Sum("shrink_units"),
    "cost": Sum("shrink_cost"),
    "retail": Sum("shrink_retail"),
    "book": Sum("book_cost"),
    "counts": Count("pk"),
}


def lines_of(analysis: ShrinkAnalysis, user: Any) -> QuerySet[CountLine]:
    return CountLine.objects.visible_to(user).filter(analysis=analysis)


def sales_of(analysis: ShrinkAnalysis, user: Any) -> QuerySet[DepartmentSales]:
    return DepartmentSales.objects.visible_to(user).filter(analysis=analysis)


def in_period(
    lines: QuerySet[CountLine], sales: QuerySet[DepartmentSales], start: dt.date, end: dt.date
) -> tuple[QuerySet[CountLine], QuerySet[DepartmentSales]]:
    """The count lines counted between two days, and the sales of the calendar months they
    fall in: the one way a period's shrink is cut, for the shrink page, its API and the
    executive summary alike (a month's shrink is the shrink its counts found that month)."""
    return (
        lines.filter(count_date__range=(start, end)),
        sales.filter(month__range=(start.replace(day=1), end)),
    )


def cents(value: Decimal | None) -> Decimal:
    """A sum to the cent (SQLite sums decimals as floats)."""
    return Decimal(value or 0).quantize(CENT)


def _figures(
    label: str, row: dict[str, Any], sales: Decimal | None, chain: float | None, key: str = ""
) -> Figures:
    return Figures(
        label=label,
        key=key,
        shrink_units=cents(row["units"]),
        shrink_cost=cents(row["cost"]),
        shrink_retail=cents(row["retail"]),
        book_cost=cents(row["book"]),
        sales=cents(sales) if sales else None,
        counts=row["counts"],
        chain_rate=chain,
    )


def total(lines: QuerySet[CountLine], sales: QuerySet[DepartmentSales]) -> Figures:
    return _figures("all", lines.aggregate(**SUMS), sales.aggregate(s=Sum("sales"))["s"], None)


def by_store(lines: QuerySet[CountLine], sales: QuerySet[DepartmentSales]) -> list[Figures]:
    """Per store, most lost at cost first; labelled "S102 Lakeview Mall", keyed by code."""
    sold = dict(sales.values_list("store__code").annotate(s=Sum("sales")).values_list(
        "store__code", "s"
    ))  # fmt: skip
    rows = (
        lines.values("store__code", "store__name").annotate(**SUMS).order_by("-cost", "store__code")
    )
    return [
        _figures(
            f"{r['store__code']} {r['store__name']}",
            r,
            sold.get(r["store__code"]),
            None,
            key=r["store__code"],
        )
        for r in rows
    ]


def by_department(
    analysis: ShrinkAnalysis, lines: QuerySet[CountLine], sales: QuerySet[DepartmentSales]
) -> list[Figures]:
    """Per department, with the chain's rate for it: most lost at cost first; labelled in
    words ("OTC medicine"), keyed by the data set's code."""
    sold = dict(sales.values_list("department").annotate(s=Sum("sales")).values_list(
        "department", "s"
    ))  # fmt: skip
    rows = lines.values("department").annotate(**SUMS).order_by("-cost", "department")
    rates = analysis.department_rates
    return [
        _figures(
            departments.label(r["department"]),
            r,
            sold.get(r["department"]),
            rates.get(r["department"]),
            key=r["department"],
        )
        for r in rows
    ]


def by_period(lines: QuerySet[CountLine]) -> list[Figures]:
    """Per calendar month of counting, oldest first: the trend across count periods."""
    rows = lines.annotate(period=TruncMonth("count_date")).values("period").annotate(**SUMS)
    return [
        _figures(f"{r['period']:%b %Y}", r, None, None, key=f"{r['period']:%Y-%m}")
        for r in rows.order_by("period")
    ]


@dataclass(frozen=True)
class KnownUnknown:
    shrink_retail: Decimal
    known: Decimal
    incidents: int

    @property
    def unknown(self) -> Decimal:
        return max(self.shrink_retail - self.known, ZERO)

    @property
    def known_share(self) -> float:
        return float(min(self.known, self.shrink_retail) / self.shrink_retail) if (
            self.shrink_retail > 0
        ) else 0.0  # fmt: skip


def theft_losses(store_ids: Any, start: dt.date, end: dt.date) -> tuple[int, Decimal]:
    """Incidents of theft at ``store_ids`` between two days, and what they lost net."""
    found = Incident.objects.filter(
        store_id__in=store_ids, kind__in=THEFT, occurred_at__date__range=(start, end)
    ).aggregate(n=Count("pk"), value=Sum("merchandise_value"), recovered=Sum("recovered_value"))
    return found["n"], cents(found["value"]) - cents(found["recovered"])


def known_unknown(
    analysis: ShrinkAnalysis,
    lines: QuerySet[CountLine],
    period: tuple[dt.date, dt.date] | None = None,
) -> KnownUnknown:
    """Split the shrink at retail of ``lines`` into what incidents recorded and the rest:
    the thefts of ``period`` (the analysis's counted period by default)."""
    start, end = period or analysis.period
    incidents, known = theft_losses(lines.values("store_id").distinct(), start, end)
    shrink = cents(lines.aggregate(s=Sum("shrink_retail"))["s"])
    return KnownUnknown(shrink_retail=shrink, known=known, incidents=incidents)


def chain_by_period(analysis: ShrinkAnalysis) -> list[Figures]:
    """The whole chain per count month: what the stores in view are read against. Only the
    chain's totals leave here, never another store's lines, so every reader may see them."""
    return by_period(CountLine.objects.filter(analysis=analysis))


def chain_rate_on_book(
    analysis: ShrinkAnalysis, period: tuple[dt.date, dt.date] | None = None
) -> float:
    """The chain's shrink at cost over counted book value, on the same basis as a store's
    ``rate_on_book`` (``analysis.chain_rate`` may be on sales, another basis): over all the
    analysis's counts, or those of ``period``."""
    lines = CountLine.objects.filter(analysis=analysis)
    if period is not None:
        lines = lines.filter(count_date__range=period)
    row = lines.aggregate(c=Sum("shrink_cost"), b=Sum("book_cost"))
    return float(cents(row["c"]) / cents(row["b"])) if row["b"] else 0.0
