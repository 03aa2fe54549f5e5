"""The shrink of a period (a month) for the stores a user may see: the one place it is
counted, for the shrink page with ``?month=``, its API and the executive summary alike.

A month's shrink is what the counts of that month found: the count lines counted in it, of
the newest analysis with counts in it (or one chosen), with the sales of the same month and
the thefts incidents recorded in it. The trend beside it runs over all the analysis's count
months, so the month is seen among the others.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from vigil.core.models import Store
from vigil.shrink import analyses, figures
from vigil.shrink.models import ShrinkAnalysis


def month_of(text: str) -> tuple[dt.date, dt.date]:
    """The first and last day of a ``YYYY-MM`` month; a ValueError for anything else."""
    year, month = (int(part) for part in text.split("-"))
    first = dt.date(year, month, 1)
    return first, first.replace(day=calendar.monthrange(year, month)[1])


@dataclass
class PeriodShrink:
    """What the counts between ``start`` and ``end`` found; ``total`` is ``None`` when the
    stores in view had no counts then (no counts is not zero shrink)."""

    start: dt.date
    end: dt.date
    analysis: ShrinkAnalysis | None = None
    total: figures.Figures | None = None
    split: figures.KnownUnknown | None = None
    chain_rate: float | None = None
    trend: list[figures.Figures] = field(default_factory=list)
    stores: list[figures.Figures] = field(default_factory=list)
    departments: list[figures.Figures] = field(default_factory=list)

    @property
    def analysis_id(self) -> int | None:
        return self.analysis.pk if self.analysis is not None else None

    @property
    def known(self) -> Decimal | None:
        """What the period's theft incidents lost, net: the shrink somebody saw go."""
        return self.split.known if self.split is not None else None

    @property
    def unknown(self) -> Decimal | None:
        return self.split.unknown if self.split is not None else None


def of_period(
    user: Any,
    start: dt.date,
    end: dt.date,
    analysis: ShrinkAnalysis | None = None,
    store: Store | None = None,
) -> PeriodShrink:
    """The shrink ``user`` may see between two days, at one ``store`` or all in view, from
    ``analysis`` or the newest one with counts in the period."""
    analysis = analysis or analyses.covering(user, start, end)
    if analysis is None:
        return PeriodShrink(start, end)
    every_line, every_sale = figures.lines_of(analysis, user), figures.sales_of(analysis, user)
    if store is not None:
        every_line, every_sale = every_line.filter(store=store), every_sale.filter(store=store)
    lines, sales = figures.in_period(every_line, every_sale, start, end)
    total = figures.total(lines, sales)
    found = PeriodShrink(start, end, analysis, trend=figures.by_period(every_line))
    if not total.counts:
        return found
    found.total = total
    found.split = figures.known_unknown(analysis, lines, (start, end))
    found.chain_rate = figures.chain_rate_on_book(analysis, (start, end))
    found.stores = figures.by_store(lines, sales)
    found.departments = figures.by_department(analysis, lines, sales)
    return found
