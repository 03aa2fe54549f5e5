"""The shrink pages' charts, the same on a page, a dashboard and the executive PDF: the trend
against the whole chain, stores and departments coloured where they lose more than the chain,
and one item's losses count by count."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.safestring import SafeString

from vigil.core import charts
from vigil.core.charts import Key, Point, Reference, Series, Tone
from vigil.shrink import figures
from vigil.shrink.models import CountLine, ShrinkAnalysis

ON_BOOK = "% of counted book value"
TREND_TITLE = "Shrink at cost over counted book value, by count month"
ABOVE = [Key(Tone.BAD, "Above the chain's rate"), Key(Tone.NEUTRAL, "At or below it")]


def trend(
    analysis: ShrinkAnalysis | None,
    lines: QuerySet[CountLine] | None,
    seen_as: str = "Stores in view",
    title: str = TREND_TITLE,
) -> SafeString:
    """``lines``' shrink over counted book value per count month, and the whole chain's
    beside it when ``lines`` are only part of the chain (a store, a region)."""
    if analysis is None or lines is None:
        return charts.line(title, [])
    mine = figures.by_period(lines)
    chain = {p.key: p for p in figures.chain_by_period(analysis)}
    points = [Point(p.label, p.rate_on_book) for p in mine]
    measure = charts.share(ON_BOOK, digits=2)
    if all(p.key in chain and p.book_cost == chain[p.key].book_cost for p in mine):
        return charts.line(title, points, measure)  # the reader sees the whole chain
    whole = [Point(p.label, chain[p.key].rate_on_book if p.key in chain else 0) for p in mine]
    return charts.line(
        title, [Series(seen_as, points), Series("Whole chain", whole, Tone.MUTED)], measure
    )


def stores(rows: Sequence[figures.Figures], chain_rate: float) -> SafeString:
    """Shrink at cost per store, red where the store's rate is above the chain's."""
    return charts.bars(
        "Shrink at cost by store",
        [
            Point(
                row.label,
                float(row.shrink_cost),
                Tone.BAD if row.rate_on_book > chain_rate else Tone.NEUTRAL,
                f"{row.rate_on_book * 100:.2f} % of book value, chain {chain_rate * 100:.2f} %",
                reverse("core:store-detail", args=[row.key]) if row.key else "",
            )
            for row in rows
        ],
        charts.money(),
        legend=ABOVE,
    )


def departments(rows: Sequence[figures.Figures], title: str = "") -> SafeString:
    """Shrink at cost per department in words, red where it is above the chain's rate for
    that department."""
    return charts.bars(
        title or "Shrink at cost by department",
        [
            Point(
                row.label,
                float(row.shrink_cost),
                Tone.BAD
                if row.chain_rate is not None and row.rate_on_book > row.chain_rate
                else Tone.NEUTRAL,
                f"{row.rate_on_book * 100:.2f} % of book value"
                + (f", chain {row.chain_rate * 100:.2f} %" if row.chain_rate is not None else ""),
            )
            for row in rows
        ],
        charts.money(),
        legend=ABOVE,
    )


def rates(rows: Sequence[figures.Figures], chain_rate: float, title: str) -> SafeString:
    """Shrink rates (over counted book value) with the chain's as a dashed line."""
    return charts.bars(
        title,
        [
            Point(
                row.label,
                row.rate_on_book,
                Tone.BAD if row.rate_on_book > chain_rate else Tone.NEUTRAL,
            )
            for row in rows
        ],
        charts.share(ON_BOOK, digits=2),
        reference=Reference(chain_rate, "Chain"),
        legend=ABOVE,
    )


def item_counts(counts: Sequence[CountLine], sku: str, store_code: str) -> SafeString:
    """One item's units lost at each count, oldest first; a gain (found more) below zero."""
    return charts.line(
        f"Units lost per count of {sku} at {store_code}",
        [
            Point(
                f"{count.count_date:%-d %b}",
                float(count.shrink_units),
                note=f"counted {count.count_date:%Y-%m-%d}, {count.book_qty:,.0f} on the book",
            )
            for count in counts
        ],
        charts.count("units lost (book less found)"),
    )
