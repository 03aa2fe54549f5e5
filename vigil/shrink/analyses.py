"""Running the shrink engine over a POS data set and keeping what it found.

The engine reads the data set's checked copy (so the counts went through every contract
check when the data set was imported). Its hot spots get the drivers only Vigil knows (POS
exceptions, floor walks, camera alerts, incidents), and the material ones a recommendation.
All of it is written in one transaction: an analysis is there whole, or not at all.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction

from vigil.core.models import Store, User
from vigil.engines.shrink.analysis import (
    Options,
    analyze,
    count_lines,
    department_rates,
    monthly_sales,
)
from vigil.engines.shrink.scanning import counts_engine
from vigil.pos.imports import folder_of
from vigil.pos.models import DataSet
from vigil.shrink import drivers, recommendations
from vigil.shrink.models import CountLine, DepartmentSales, Hotspot, ShrinkAnalysis

HOTSPOTS_KEPT = 10


def analyse(data_set: DataSet, engine: str = "duckdb") -> ShrinkAnalysis:
    """Analyse ``data_set``'s counts; its hot spots come with drivers and recommendations."""
    with counts_engine(folder_of(data_set), engine) as opened:
        result = analyze(opened, Options(top=HOTSPOTS_KEPT))
        lines = count_lines(opened)
        sales = monthly_sales(opened)
        rates = department_rates(opened)
    stores = {store.code: store for store in data_set.stores.all()}
    summary = result["summary"]
    with transaction.atomic():
        analysis = ShrinkAnalysis.objects.create(
            data_set=data_set,
            engine=engine,
            first_count=dt.date.fromisoformat(summary["from"]),
            last_count=dt.date.fromisoformat(summary["to"]),
            rate_basis=summary["rate_basis"],
            chain_rate=summary["shrink_rate"],
            department_rates=rates,
        )
        analysis.stores.set(stores.values())
        CountLine.objects.bulk_create(
            (CountLine.from_row(analysis, stores[row["store_id"]].pk, row) for row in lines),
            batch_size=2000,
        )
        DepartmentSales.objects.bulk_create(
            (_sales(analysis, stores[row["store_id"]], row) for row in sales), batch_size=2000
        )
        for spot in result["hotspots"]:
            hotspot = _hotspot(analysis, stores[spot["store_id"]], spot)
            found = drivers.of(hotspot, data_set, spot["eas_ratio"])
            recommendations.propose(hotspot, found)
    return analysis


def latest(user: User) -> ShrinkAnalysis | None:
    """The newest analysis the user may see."""
    return ShrinkAnalysis.objects.visible_to(user).first()


def covering(user: User, start: dt.date, end: dt.date) -> ShrinkAnalysis | None:
    """The newest analysis the user may see with counts between two days: where a month's
    shrink is read from."""
    return (
        ShrinkAnalysis.objects.visible_to(user)
        .filter(first_count__lte=end, last_count__gte=start)
        .first()
    )


def _sales(analysis: ShrinkAnalysis, store: Store, row: dict[str, Any]) -> DepartmentSales:
    return DepartmentSales(
        analysis=analysis,
        store=store,
        department=row["department"],
        month=dt.date(int(row["year"]), int(row["month"]), 1),
        sales=Decimal(row["sales"]),
    )


def _hotspot(analysis: ShrinkAnalysis, store: Store, spot: dict[str, Any]) -> Hotspot:
    return Hotspot.objects.create(
        analysis=analysis,
        store=store,
        department=spot["department"],
        rank=spot["rank"],
        shrink_cost=Decimal(spot["shrink_cost"]),
        shrink_rate=spot["shrink_rate"],
        chain_rate=spot["chain_rate"],
        counted_units=spot["counted_units"],
        lost_units=Decimal(str(spot["lost_units"])),
        reasons=list(spot["reasons"]),
    )
