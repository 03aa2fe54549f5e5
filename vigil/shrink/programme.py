"""The high-risk item programme: each store's hot-product list and how often to count it.

An item is on a store's list when it lost the most there, at cost or in units, over the
analysed counts. How often to cycle-count it follows from how much it loses (units lost over
units on the book), and counts are tightened for items of a hot-spot department:

- **weekly**: it loses 10 % or more, or 5 % or more in a hot spot;
- **every two weeks**: it loses 5 % or more, or anything in a hot spot;
- **monthly**: the rest of the list.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max, Sum

from vigil.core.models import Store
from vigil.shrink.models import CountLine, ShrinkAnalysis

WEEKLY, FORTNIGHTLY, MONTHLY = "weekly", "every two weeks", "monthly"
LIST_LENGTH = 15


def frequency(loss_rate: float, in_hotspot: bool) -> str:
    """How often to cycle-count an item that loses ``loss_rate`` of its units."""
    if loss_rate >= 0.10 or (in_hotspot and loss_rate >= 0.05):
        return WEEKLY
    if loss_rate >= 0.05 or in_hotspot:
        return FORTNIGHTLY
    return MONTHLY


@dataclass(frozen=True)
class HotProduct:
    sku: str
    department: str
    shrink_units: Decimal
    shrink_cost: Decimal
    book_units: Decimal
    counts: int
    last_count: object
    frequency: str

    @property
    def loss_rate(self) -> float:
        return float(self.shrink_units / self.book_units) if self.book_units else 0.0


def hot_products(
    analysis: ShrinkAnalysis,
    store: Store,
    by: str = "cost",
    limit: int = LIST_LENGTH,
    department: str | None = None,
) -> list[HotProduct]:
    """The store's items (of one ``department`` if given) losing the most, ``by`` "cost" or
    "units", each with its cycle-count frequency."""
    order = "-cost" if by == "cost" else "-units"
    hot_departments = set(
        analysis.hotspots.filter(store=store).values_list("department", flat=True)
    )
    lines = CountLine.objects.filter(analysis=analysis, store=store)
    if department is not None:
        lines = lines.filter(department=department)
    rows = (
        lines.values("sku", "department")
        .annotate(
            units=Sum("shrink_units"),
            cost=Sum("shrink_cost"),
            book=Sum("book_qty"),
            counts=Count("pk"),
            last=Max("count_date"),
        )
        .filter(cost__gt=0)
        .order_by(order, "sku")[:limit]
    )
    products = []
    for row in rows:
        loss = float(row["units"] / row["book"]) if row["book"] else 0.0
        products.append(
            HotProduct(
                sku=row["sku"],
                department=row["department"],
                shrink_units=row["units"],
                shrink_cost=row["cost"],
                book_units=row["book"],
                counts=row["counts"],
                last_count=row["last"],
                frequency=frequency(loss, row["department"] in hot_departments),
            )
        )
    return products
